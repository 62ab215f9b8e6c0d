import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { WrongExpectedRevisionError } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { tempDir, TempDir } from '../support/temp-db';
import { TS_WRITING_THREAD } from '../support/writing-thread-script';
import { anEvent } from './events';

describe('SqliteEventStore writing on its own thread', () => {
  let dir: TempDir;
  let path: string;
  const opened: SqliteEventStore[] = [];
  const open = () => {
    const store = SqliteEventStore.open({ path, writingThread: TS_WRITING_THREAD });
    opened.push(store);
    return store;
  };
  const count = (sql: string): number => {
    const raw = new BetterSqlite3(path, { readonly: true });
    try {
      return raw.prepare(sql).pluck().get() as number;
    } finally {
      raw.close();
    }
  };

  beforeEach(() => {
    dir = tempDir('registre-es-writing-thread-');
    path = dir.file('events.db');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    dir.remove();
  });

  it('answers the appends of one turn from one transaction, a conflict answering its own append alone', async () => {
    const store = open();
    await store.appendToStream('s-1', [anEvent()]);
    const commitsBefore = store.stats.commits;

    const answers = await Promise.allSettled([
      store.appendToStream('s-2', [anEvent()], { expectedRevision: 'no_stream' }),
      store.appendToStream('s-1', [anEvent()], { expectedRevision: 'no_stream' }),
      store.appendToStream('s-3', [anEvent(), anEvent()], { expectedRevision: 'no_stream' }),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((answers[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((answers[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'STORE.WRONG_EXPECTED_REVISION',
      streamId: 's-1',
      actual: 0,
    });
    expect(store.stats.commits - commitsBefore).toBe(1);
    expect(count('SELECT count(*) FROM events')).toBe(4);
    expect(count('SELECT count(*) FROM event_chain')).toBe(4);
  });

  it('writes and answers every append queued before it closes', async () => {
    const store = open();
    const appends = Array.from({ length: 20 }, (_, i) => store.appendToStream(`s-${i}`, [anEvent()]));
    await store.close();

    const answers = await Promise.all(appends);
    expect(answers.map((answer) => answer.position)).toEqual(
      Array.from({ length: 20 }, (_, i) => BigInt(i + 1)),
    );
    expect(count('SELECT count(*) FROM events')).toBe(20);
    await expect(store.appendToStream('late', [anEvent()])).rejects.toThrow(/closed/);
  });

  it('fails the group with the reason when its thread cannot start, and starts another for the next group', async () => {
    const store = SqliteEventStore.open({
      path,
      writingThread: { filename: join(__dirname, '..', 'support', 'failing-writing-thread.js') },
    });
    opened.push(store);

    await expect(store.appendToStream('s-1', [anEvent()])).rejects.toThrow(
      "the store's writing thread stopped (disk I/O error opening the file); whether the group was written is not known",
    );
    await expect(store.appendToStream('s-2', [anEvent()])).rejects.toThrow(
      /disk I\/O error opening the file/,
    );
    expect(count('SELECT count(*) FROM events')).toBe(0);
  });
});
