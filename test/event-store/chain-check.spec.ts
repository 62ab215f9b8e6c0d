import BetterSqlite3 from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { checkLinkRange } from '../../src/event-store/sqlite/chain-check';
import { tempDir, TempDir } from '../support/temp-db';
import { anEvent } from './events';

describe('the link check of registre verify (SQLite)', () => {
  let dir: TempDir;
  let path: string;

  beforeEach(async () => {
    dir = tempDir('registre-chain-check-');
    path = dir.file('events.db');
    const store = SqliteEventStore.open({ path });
    // Characters beyond the BMP count twice in the chain's lengths (UTF-16), once in SQL's.
    for (let i = 0; i < 12; i++)
      await store.appendToStream(`attendance-0670001A-s${i % 3}`, [
        anEvent('FactReported', { studentId: `s${i}`, note: i % 2 ? 'élève 😀 absent' : `plain ${i}` }),
      ]);
    await store.close();
  });

  afterEach(() => dir.remove());

  it('gives, split in ranges, the counts and head of the whole range', () => {
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      const whole = checkLinkRange(db, 0, 12, 7);
      const first = checkLinkRange(db, 0, 5, 7);
      const second = checkLinkRange(db, 5, 12, 7);
      expect(whole.ok && first.ok && second.ok).toBe(true);
      expect([first.events, second.events, whole.events]).toEqual([5, 7, 12]);
      expect(second.lastHash).toBe(whole.lastHash);
      expect(second.hashAt).toBe(whole.hashAt);
      expect(first.hashAt).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('answers not intact for a range whose first link does not follow the stored one before it', () => {
    const raw = new BetterSqlite3(path);
    raw.exec(`DROP TRIGGER event_chain_is_never_updated;
      UPDATE event_chain SET hash = zeroblob(32) WHERE position = 5`);
    try {
      expect(checkLinkRange(raw, 5, 12).ok).toBe(false);
      expect(checkLinkRange(raw, 0, 4).ok).toBe(true);
      expect(checkLinkRange(raw, 5, 5).ok).toBe(true);
    } finally {
      raw.close();
    }
  });
});
