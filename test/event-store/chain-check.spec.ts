import BetterSqlite3 from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkLinkRange,
  checkLinks,
  releaseLinkCheckConnections,
  stopLinkCheckers,
} from '../../src/event-store/sqlite/chain-check';
import { SqliteChainReader } from '../../src/event-store/sqlite/chain-store';
import { ChainReader, verifyChain } from '../../src/event-store/verify';
import { tempDir, TempDir } from '../support/temp-db';
import { anEvent, eventsOf } from './events';

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
    // Links of one append's consecutive positions are written by one statement.
    await store.appendToStream('attendance-0670001A-s9', eventsOf('cmd-batch', 4));
    await store.close();
  });

  afterEach(() => dir.remove());
  afterAll(() => stopLinkCheckers());

  /** The worker from its TypeScript source, in chunks of 2 positions from the first event on. */
  const inParallel = {
    script: {
      filename: join(__dirname, '..', '..', 'src', 'event-store', 'sqlite', 'chain-check.thread.ts'),
      execArgv: ['--require', join(__dirname, '..', 'support', 'register-ts.js')],
    },
    from: 1,
    chunk: 2,
  };

  it('gives, split in ranges, the counts and head of the whole range', () => {
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      const whole = checkLinkRange(db, 0, 16, 7);
      const first = checkLinkRange(db, 0, 5, 7);
      const second = checkLinkRange(db, 5, 16, 7);
      expect(whole.ok && first.ok && second.ok).toBe(true);
      expect([first.events, second.events, whole.events]).toEqual([5, 11, 16]);
      expect(second.lastHash).toBe(whole.lastHash);
      expect(second.hashAt).toBe(whole.hashAt);
      expect(first.hashAt).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('finds intact what the diagnosing walk finds intact, with the same head', async () => {
    const store = SqliteEventStore.open({ path });
    try {
      const viaCheck = store.verifyChain();
      const db = new BetterSqlite3(path, { readonly: true });
      try {
        const reader = new SqliteChainReader(db);
        const walkOnly: ChainReader = {
          events: (after, limit) => reader.events(after, limit),
          eventAt: (position) => reader.eventAt(position),
          outOfOrderWith: (streamId, revision, position) =>
            reader.outOfOrderWith(streamId, revision, position),
          highestPositionIssued: () => reader.highestPositionIssued(),
        };
        const walked = verifyChain(walkOnly);
        expect(viaCheck).toEqual(walked);
        expect(viaCheck).toMatchObject({ outcome: 'intact', events: 16, headPosition: 16n });
      } finally {
        db.close();
      }
    } finally {
      await store.close();
    }
  });

  it('gives on two threads what it gives on one, and finds a broken link in any chunk', () => {
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      const alone = checkLinks(db, '', 16n, 7n);
      expect(alone).toMatchObject({ intact: true, events: 16, headPosition: 16n });
      expect(checkLinks(db, path, 16n, 7n, inParallel)).toEqual(alone);
      expect(checkLinks(db, path, 16n, 7n, { ...inParallel, callerTakesChunks: false })).toEqual(alone);
    } finally {
      db.close();
    }
    const raw = new BetterSqlite3(path);
    try {
      raw.exec(`DROP TRIGGER event_chain_is_never_updated;
        UPDATE event_chain SET hash = zeroblob(32) WHERE position = 11`);
      expect(checkLinks(raw, path, 16n, undefined, inParallel)).toEqual({ intact: false });
      expect(checkLinks(raw, path, 16n, undefined, { ...inParallel, callerTakesChunks: false })).toEqual({
        intact: false,
      });
    } finally {
      raw.close();
    }
  });

  it('finds not intact an event whose bytes were moved across a character from one column to the next', async () => {
    const store = SqliteEventStore.open({ path });
    await store.appendToStream('attendance-0670001A-s7', [anEvent('FaitNoté', { studentId: 's7' })]);
    await store.close();
    const raw = new BetterSqlite3(path);
    try {
      // The type loses the last byte of its "é" (0xC3 0xA9), which now starts the data: the bytes run
      // together are the same, each column's are not UTF-8.
      raw.exec(`DROP TRIGGER events_are_never_updated;
        UPDATE events SET type = CAST(substr(CAST(type AS BLOB), 1, octet_length(type) - 1) AS TEXT),
          data = CAST(x'A9' AS TEXT) || data WHERE position = 17`);
      expect(checkLinkRange(raw, 0, 16).ok).toBe(true);
      expect(checkLinkRange(raw, 16, 17).ok).toBe(false);
      expect(checkLinks(raw, path, 17n, undefined, inParallel)).toEqual({ intact: false });
    } finally {
      raw.close();
    }
  });

  it('finds not intact two links of 31 and 33 bytes that together hold the right ones', () => {
    const raw = new BetterSqlite3(path);
    try {
      raw.exec(`DROP TRIGGER event_chain_is_never_updated;
        UPDATE event_chain
          SET hash = CAST(substr((SELECT hash FROM event_chain WHERE position = 13), 32, 1) || hash AS BLOB)
          WHERE position = 14;
        UPDATE event_chain SET hash = substr(hash, 1, 31) WHERE position = 13`);
      expect(
        raw
          .prepare('SELECT length(hash) FROM event_chain WHERE position IN (13, 14) ORDER BY position')
          .pluck()
          .all(),
      ).toEqual([31, 33]);
      expect(checkLinkRange(raw, 0, 16).ok).toBe(false);
      expect(checkLinkRange(raw, 0, 12).ok).toBe(true);
    } finally {
      raw.close();
    }
  });

  it('answers not intact for a range whose first link does not follow the stored one before it', () => {
    const raw = new BetterSqlite3(path);
    raw.exec(`DROP TRIGGER event_chain_is_never_updated;
      UPDATE event_chain SET hash = zeroblob(32) WHERE position = 5`);
    try {
      expect(checkLinkRange(raw, 5, 16).ok).toBe(false);
      expect(checkLinkRange(raw, 0, 4).ok).toBe(true);
      expect(checkLinkRange(raw, 5, 5).ok).toBe(true);
    } finally {
      raw.close();
    }
  });

  it('finds intact events whose lengths take fewer digits in UTF-16 units than in bytes, and not intact one of them changed', async () => {
    const store = SqliteEventStore.open({ path });
    // 600 "é": 1,200 bytes, 600 units; with the JSON around it, 4 digits in bytes and 3 in units.
    await store.appendToStream('attendance-0670001A-s8', [
      anEvent('FactReported', { studentId: 's8', note: 'é'.repeat(600) }),
      anEvent('FactReported', { studentId: 's8', note: `${'😀'.repeat(300)} ok` }),
    ]);
    await store.close();
    const raw = new BetterSqlite3(path);
    try {
      expect(
        raw.prepare('SELECT octet_length(data), length(data) FROM events WHERE position = 17').raw().get(),
      ).toEqual([1228, 628]);
      expect(checkLinkRange(raw, 0, 18).ok).toBe(true);
      expect(checkLinkRange(raw, 16, 18, 17)).toMatchObject({ ok: true, events: 2 });
      raw.exec(`DROP TRIGGER events_are_never_updated;
        UPDATE events SET data = replace(data, 'éé', 'èé') WHERE position = 17`);
      expect(checkLinkRange(raw, 0, 16).ok).toBe(true);
      expect(checkLinkRange(raw, 16, 18).ok).toBe(false);
      expect(checkLinks(raw, path, 18n, undefined, inParallel)).toEqual({ intact: false });
    } finally {
      raw.close();
    }
  });

  it('answers not intact for a range with an event gone, or an event whose stream is not there', () => {
    const raw = new BetterSqlite3(path);
    try {
      raw.pragma('foreign_keys = OFF');
      raw.exec(`DROP TRIGGER events_are_never_updated; DROP TRIGGER events_are_never_deleted;
        UPDATE events SET stream_num = 999 WHERE position = 6; DELETE FROM events WHERE position = 12`);
      expect(checkLinkRange(raw, 0, 5).ok).toBe(true);
      expect(checkLinkRange(raw, 5, 6).ok).toBe(false);
      expect(checkLinkRange(raw, 6, 11).ok).toBe(true);
      expect(checkLinkRange(raw, 11, 12).ok).toBe(false);
      expect(checkLinkRange(raw, 12, 16).ok).toBe(true);
    } finally {
      raw.close();
    }
  });

  it('keeps its connections to the file between checks and closes them as the store closes, whose connection then folds the WAL into the file', async () => {
    const store = SqliteEventStore.open({ path });
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      expect(checkLinks(db, path, 16n, undefined, inParallel)).toMatchObject({ intact: true, events: 16 });
      expect(checkLinks(db, path, 16n, undefined, inParallel)).toMatchObject({ intact: true, events: 16 });
    } finally {
      db.close();
    }
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('does not keep reading a file replaced at the same path', () => {
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      expect(checkLinks(db, path, 16n, undefined, inParallel)).toMatchObject({ intact: true, events: 16 });
    } finally {
      db.close();
    }
    const other = dir.file('other.db');
    copyFileSync(path, other);
    const raw = new BetterSqlite3(other);
    try {
      raw.exec(`DROP TRIGGER event_chain_is_never_updated;
        UPDATE event_chain SET hash = zeroblob(32) WHERE position = 3;
        UPDATE event_chain SET hash = zeroblob(32) WHERE position = 15`);
    } finally {
      raw.close();
    }
    renameSync(other, path);
    const replaced = new BetterSqlite3(path, { readonly: true });
    try {
      expect(checkLinks(replaced, path, 16n, undefined, inParallel)).toEqual({ intact: false });
      expect(checkLinks(replaced, path, 16n, undefined, { ...inParallel, callerTakesChunks: false })).toEqual(
        {
          intact: false,
        },
      );
    } finally {
      replaced.close();
    }
    releaseLinkCheckConnections(path);
  });
});
