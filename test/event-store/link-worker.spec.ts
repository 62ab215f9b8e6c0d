import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { stopLinkWorkers } from '../../src/event-store/sqlite/link-worker';
import { tempDir, TempDir } from '../support/temp-db';
import { anEvent, eventsOf } from './events';

describe('the links of a large append hashed on a worker thread (SQLite)', () => {
  let dir: TempDir;

  beforeEach(() => {
    dir = tempDir('registre-link-worker-');
  });
  afterEach(() => dir.remove());
  afterAll(() => stopLinkWorkers());

  /** The worker from its TypeScript source, from two events on, every request left to it. */
  const onTheWorker = {
    script: {
      filename: join(__dirname, '..', '..', 'src', 'event-store', 'sqlite', 'link-worker.thread.ts'),
      execArgv: ['--require', join(__dirname, '..', 'support', 'register-ts.js')],
    },
    from: 2,
    leaveToWorker: true,
  };

  const appendTheSameTo = async (path: string, parallelLinks?: typeof onTheWorker) => {
    const store = SqliteEventStore.open({ path, ...(parallelLinks && { parallelLinks }) });
    try {
      await store.appendToStream(
        'attendance-0670001A-s1',
        [anEvent('FactReported', { studentId: 's1', note: 'élève 😀 absent' }, 'cmd-one')],
        { commandId: 'cmd-one' },
      );
      // Links are written 256 at a time, then the rest.
      await store.appendToStream('attendance-0670001A-s2', eventsOf('cmd-batch', 600), {
        commandId: 'cmd-batch',
      });
      await store.appendToStream(
        'attendance-0670001A-s3',
        [
          anEvent('FactReported', { studentId: 's3', note: 'Zoë' }, 'cmd-three'),
          anEvent('FactReported', { studentId: 's3', note: 'plain' }, 'cmd-three'),
        ],
        { commandId: 'cmd-three' },
      );
      return { verified: store.verifyChain(), linkedOnWorker: store.stats.linkedOnWorker };
    } finally {
      await store.close();
    }
  };

  const linksOf = (path: string): string[] => {
    const db = new BetterSqlite3(path, { readonly: true });
    try {
      return db.prepare<[], string>('SELECT hex(hash) FROM event_chain ORDER BY position').pluck().all();
    } finally {
      db.close();
    }
  };

  it('writes the links the calling thread writes, and the log verifies intact', async () => {
    const onWorker = dir.file('worker.db');
    const onCaller = dir.file('caller.db');

    const { verified, linkedOnWorker } = await appendTheSameTo(onWorker, onTheWorker);
    const alone = await appendTheSameTo(onCaller);

    expect([linkedOnWorker, alone.linkedOnWorker]).toEqual([2, 0]);
    expect(verified).toMatchObject({ outcome: 'intact', events: 603, headPosition: 603n });
    expect(linksOf(onWorker)).toHaveLength(603);
    expect(linksOf(onWorker)).toEqual(linksOf(onCaller));
  });
});
