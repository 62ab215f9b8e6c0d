import BetterSqlite3 from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { SqliteChainReader } from '../../src/event-store/sqlite/chain-store';
import { ChainReader, verifyChain } from '../../src/event-store/verify';
import { tempDir, TempDir } from '../support/temp-db';
import { anEvent, eventsOf } from './events';

describe('the links an append writes (SQLite)', () => {
  let dir: TempDir;

  beforeEach(() => {
    dir = tempDir('registre-append-links-');
  });
  afterEach(() => dir.remove());

  it('are, for a large append, those the diagnosing walk computes from each event', async () => {
    const path = dir.file('events.db');
    const store = SqliteEventStore.open({ path });
    try {
      await store.appendToStream('attendance-0670001A-s1', [
        anEvent('FactReported', { studentId: 's1', note: 'élève 😀 absent' }),
      ]);
      // Links are written 256 rows to a statement, then the rest.
      await store.appendToStream('attendance-0670001A-s2', eventsOf('cmd-batch', 600));
      await store.appendToStream('attendance-0670001A-s3', [
        anEvent('FactReported', { studentId: 's3', note: 'Zoë' }),
        anEvent('FactReported', { studentId: 's3', note: 'plain' }),
      ]);
    } finally {
      await store.close();
    }
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      const reader = new SqliteChainReader(db);
      const walkOnly: ChainReader = {
        events: (after, limit) => reader.events(after, limit),
        eventAt: (position) => reader.eventAt(position),
        outOfOrderWith: (streamId, revision, position) => reader.outOfOrderWith(streamId, revision, position),
        highestPositionIssued: () => reader.highestPositionIssued(),
      };
      expect(verifyChain(walkOnly)).toMatchObject({ outcome: 'intact', events: 603, headPosition: 603n });
      expect(db.prepare('SELECT count(*) FROM event_chain').pluck().get()).toBe(603);
    } finally {
      db.close();
    }
  });
});
