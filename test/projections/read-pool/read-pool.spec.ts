import { getPriority } from 'node:os';
import BetterSqlite3, { Database } from 'better-sqlite3';
import { openReadModelDb } from '../../../src/event-store/create-store';
import { TableNames } from '../../../src/projections/projection';
import { SchoolStructureTable, schoolStructureProjection } from '../../../src/projections/structure';
import { ReadPool, ReadPoolOptions, ReadsUnavailableError } from '../../../src/projections/read-pool';
import { TEST_READS, TS_READ_THREAD } from '../../support/read-pool-script';
import { tempDir, TempDir } from '../../support/temp-db';
import { TestReads } from '../../support/test-reads';

const ITEMS = { items: 'items_v1' };
const FIRST_TWO = [
  { n: 1, label: 'one' },
  { n: 2, label: 'two' },
];

describe('the read pool', () => {
  let dir: TempDir;
  let db: Database;
  const pools: ReadPool<TestReads>[] = [];

  const pool = (options: Partial<ReadPoolOptions> = {}): ReadPool<TestReads> => {
    const opened = ReadPool.over(TEST_READS, {
      threads: 1,
      queue: 10,
      db,
      script: TS_READ_THREAD,
      ...options,
    });
    pools.push(opened);
    return opened;
  };

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (error: unknown) => (error instanceof ReadsUnavailableError ? error.code : String(error)),
    );

  beforeEach(() => {
    dir = tempDir('registre-read-pool-');
    db = openReadModelDb({ readModelsPath: dir.file('read-models.db') });
    db.exec(`CREATE TABLE items_v1 (n INTEGER PRIMARY KEY, label TEXT NOT NULL);
             INSERT INTO items_v1 VALUES (1, 'one'), (2, 'two');
             CREATE TABLE items_v2 (n INTEGER PRIMARY KEY, label TEXT NOT NULL);
             INSERT INTO items_v2 VALUES (1, 'un'), (2, 'deux'), (3, 'trois');`);
  });

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    db.close();
    dir.remove();
  });

  it('answers the same rows in a thread as on the calling thread', async () => {
    const inline = pool({ threads: 0 });
    const threaded = pool({ threads: 2 });

    expect(inline.threads).toBe(0);
    expect(threaded.threads).toBe(2);
    expect(await inline.run('readItems', ITEMS, 1)).toEqual(FIRST_TWO);
    expect(await threaded.run('readItems', ITEMS, 1)).toEqual(FIRST_TWO);
  });

  it('runs the service reads it is given, with their tables, in a thread', async () => {
    db.exec(
      `CREATE TABLE classes_v1 (school_id TEXT, class_id TEXT); INSERT INTO classes_v1 VALUES ('0670001A', '5B')`,
    );
    const structure = Object.fromEntries(
      schoolStructureProjection.tables.map((table) => [table, `${table}_v1`]),
    ) as TableNames<SchoolStructureTable>;
    const reads = pool();

    expect(await reads.run('hasClassOrGroup', structure, '0670001A', 'class', '5B')).toBe(true);
    expect(await reads.run('hasClassOrGroup', structure, '0670001A', 'class', '6A')).toBe(false);
  });

  it('reads an in-memory database on the calling thread: no other thread could open it', async () => {
    const memory = new BetterSqlite3(':memory:');
    memory.exec(`CREATE TABLE items_v1 (n INTEGER, label TEXT); INSERT INTO items_v1 VALUES (5, 'five')`);
    const inMemory = ReadPool.over(TEST_READS, { threads: 2, queue: 10, db: memory });

    expect(inMemory.threads).toBe(0);
    expect(await inMemory.run('readItems', ITEMS, 0)).toEqual([{ n: 5, label: 'five' }]);
    await inMemory.close();
    memory.close();
  });

  it('answers 503 for the read whose thread died, then reads again on a new thread', async () => {
    const reads = pool();

    expect(await refusal(reads.run('crash', {}))).toBe('READS.UNAVAILABLE');
    expect(await reads.run('readItems', ITEMS, 2)).toEqual([{ n: 2, label: 'two' }]);
  });

  it('refuses a read at once when the queue is full, and answers the ones it took', async () => {
    const reads = pool({ threads: 1, queue: 1, inFlight: 1 });
    await reads.run('readItems', ITEMS, 0);
    const running = reads.run('blockThenReadItems', ITEMS, 300, 2);
    const waiting = reads.run('readItems', ITEMS, 1);

    expect(await refusal(reads.run('readItems', ITEMS, 1))).toBe('READS.BUSY');
    expect(reads.stats()).toEqual({ threads: 1, ready: 1, running: 1, waiting: 1 });
    expect(await running).toEqual([{ n: 2, label: 'two' }]);
    expect(await waiting).toEqual(FIRST_TWO);
  });

  it('keeps the reads asked while its threads are still starting, even with no queue', async () => {
    const reads = pool({ threads: 1, queue: 0 });

    expect(reads.stats()).toMatchObject({ ready: 0 });
    expect(await reads.run('readItems', ITEMS, 2)).toEqual([{ n: 2, label: 'two' }]);
  });

  it('sends a thread its next reads before it answers, up to inFlight, then queues them', async () => {
    const reads = pool({ threads: 1, queue: 1, inFlight: 2 });
    await reads.run('readItems', ITEMS, 0);
    const running = reads.run('blockThenReadItems', ITEMS, 300, 2);
    const sent = reads.run('readItems', ITEMS, 1);
    const waiting = reads.run('readItems', ITEMS, 2);

    expect(reads.stats()).toEqual({ threads: 1, ready: 1, running: 2, waiting: 1 });
    expect(await refusal(reads.run('readItems', ITEMS, 1))).toBe('READS.BUSY');
    expect(await running).toEqual([{ n: 2, label: 'two' }]);
    expect(await sent).toEqual(FIRST_TWO);
    expect(await waiting).toEqual([{ n: 2, label: 'two' }]);
  });

  it('runs the reads sent behind one that killed its thread on the new thread', async () => {
    const reads = pool({ inFlight: 3 });
    await reads.run('readItems', ITEMS, 0);
    const crashed = refusal(reads.run('crash', {}));
    const behind = [reads.run('readItems', ITEMS, 2), reads.run('readItems', ITEMS, 1)];

    expect(reads.stats()).toMatchObject({ running: 3, waiting: 0 });
    expect(await crashed).toBe('READS.UNAVAILABLE');
    expect(await Promise.all(behind)).toEqual([[{ n: 2, label: 'two' }], FIRST_TWO]);
  });

  it('runs its threads at a lower priority than the commands (niceness 10 by default, 0 to leave them)', async () => {
    expect(await pool().run('ownNiceness', {})).toBe(10);
    expect(await pool({ niceness: 15 }).run('ownNiceness', {})).toBe(15);
    expect(await pool({ niceness: 0 }).run('ownNiceness', {})).toBe(getPriority(process.pid));
  });

  it('answers 503 for a read past its time and replaces its thread', async () => {
    const reads = pool({ timeoutMs: 500 });

    expect(await refusal(reads.run('blockThenReadItems', ITEMS, 5_000, 0))).toBe('READS.TIMEOUT');
    // The new thread compiles and opens its connection first: on a busy machine that alone may take
    // longer than this pool's 500 ms, which counts from the moment a read is asked.
    for (let waited = 0; reads.stats().ready < 1 && waited < 20_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads.stats()).toMatchObject({ threads: 1, ready: 1 });
    expect(await reads.run('readItems', ITEMS, 2)).toEqual([{ n: 2, label: 'two' }]);
  });

  it('runs a read again on the live tables when its tables were dropped by a swap', async () => {
    const reads = pool();
    const asked: string[] = [];
    const live = () => {
      const tables = asked.length === 0 ? { items: 'items_v0_dropped' } : { items: 'items_v2' };
      asked.push(tables.items);
      return tables;
    };

    expect(await reads.run('readItems', live, 3)).toEqual([{ n: 3, label: 'trois' }]);
    expect(asked).toEqual(['items_v0_dropped', 'items_v2']);
  });

  it('passes on the error of a read that fails for another reason', async () => {
    await expect(pool().run('readItems', { items: 'nowhere' }, 0)).rejects.toThrow('no such table: nowhere');
  });

  it('answers the reads still waiting with 503 when it closes, and refuses new ones', async () => {
    const reads = pool({ threads: 1 });
    const running = refusal(reads.run('blockThenReadItems', ITEMS, 200, 0));
    const waiting = refusal(reads.run('readItems', ITEMS, 0));
    await reads.close();

    expect(await running).toBe('READS.UNAVAILABLE');
    expect(await waiting).toBe('READS.UNAVAILABLE');
    expect(await refusal(reads.run('readItems', ITEMS, 0))).toBe('READS.UNAVAILABLE');
  });
});
