import BetterSqlite3, { Database } from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { Projection, ProjectionApplyError, ProjectionRunner } from '../../src/projections';
import { appendEach, openReadModels, openStore, TempFiles, tempFiles } from './support';

/**
 * Deterministic fault injection, no process killed: a fault is raised at a chosen event inside a
 * batch, either by the projection's own `apply` or by SQLite refusing the checkpoint write (a
 * trigger), on the real runner and a real SQLite file. Neither the batch's rows nor the checkpoint
 * may move; once the fault is gone, a retry applies the batch exactly once.
 */

const EVENTS = 10;
const BATCH_SIZE = 4; // batches of positions 1–4, 5–8, 9–10

interface Fault {
  /** `apply` throws on reaching the event at this position, after writing those before it. */
  at?: bigint;
  /** Every position `apply` wrote, kept outside the database so that no rollback erases it. */
  readonly written: bigint[];
}

/** Counts how many times each event was applied: a row per position, `times` must end at 1. */
const countingProjection = (fault: Fault): Projection<'applied'> => ({
  name: 'counting',
  version: 1,
  tables: ['applied'],
  handles: ['*'],
  setup(db, tables) {
    db.exec(`CREATE TABLE "${tables.applied}" (position INTEGER PRIMARY KEY, times INTEGER NOT NULL) STRICT`);
  },
  apply(db, tables, events) {
    const upsert = db.prepare(
      `INSERT INTO "${tables.applied}" (position, times) VALUES (?, 1)
       ON CONFLICT (position) DO UPDATE SET times = times + 1`,
    );
    for (const event of events) {
      if (event.position === fault.at) throw new Error(`injected fault at position ${event.position}`);
      upsert.run(event.position);
      fault.written.push(event.position);
    }
  },
});

/** What is on disk, read through a connection of its own: only what was committed. */
const committed = (path: string, table: string) => {
  const reader = new BetterSqlite3(path, { readonly: true });
  try {
    const rows = reader.prepare(`SELECT position, times FROM "${table}" ORDER BY position`).all() as {
      position: number;
      times: number;
    }[];
    const { checkpoint } = reader
      .prepare("SELECT checkpoint FROM projections WHERE name = 'counting'")
      .get() as { checkpoint: number };
    return { rows: rows.map((row) => [row.position, row.times]), checkpoint };
  } finally {
    reader.close();
  }
};

const appliedOnce = (through: number) => Array.from({ length: through }, (_, i) => [i + 1, 1]);

describe('a fault inside a batch (deterministic fault injection)', () => {
  let files: TempFiles;
  let store: SqliteEventStore;
  let db: Database;
  let runner: ProjectionRunner;
  const fault: Fault = { written: [] };

  beforeEach(async () => {
    files = tempFiles();
    store = openStore(files.eventsPath);
    db = openReadModels(files.readModelsPath);
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', EVENTS);
    fault.at = undefined;
    fault.written.length = 0;
    runner = new ProjectionRunner({
      store,
      db,
      projections: [countingProjection(fault)],
      batchSize: BATCH_SIZE,
    });
  });

  afterEach(async () => {
    await runner.stop();
    await store.close();
    db.close();
    files.remove();
  });

  const table = () => runner.tables('counting').applied;

  it.each([
    { at: 1, kept: 0, where: 'the first event of the first batch' },
    { at: 3, kept: 0, where: 'the middle of the first batch' },
    { at: 5, kept: 4, where: 'the first event of a later batch' },
    { at: 7, kept: 4, where: 'the middle of a later batch' },
    { at: 8, kept: 4, where: 'the last event of a full batch' },
    { at: 10, kept: 8, where: 'the last event of the last, short batch' },
  ])(
    'in apply, at $where (position $at): nothing of that batch is kept, then a retry applies it once',
    async ({ at, kept }) => {
      fault.at = BigInt(at);

      const failure = await runner.catchUp().catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(ProjectionApplyError);
      expect(failure).toMatchObject({ projection: 'counting', checkpoint: BigInt(kept) });
      expect((failure as Error).message).toContain(`injected fault at position ${at}`);
      expect(committed(files.readModelsPath, table())).toEqual({ rows: appliedOnce(kept), checkpoint: kept });
      expect((await runner.status())[0]).toMatchObject({
        checkpoint: String(kept),
        lastError: expect.any(String),
      });

      // The same fault again: the runner stays where it was, the earlier batches are not applied twice.
      await expect(runner.catchUp()).rejects.toBeInstanceOf(ProjectionApplyError);
      expect(committed(files.readModelsPath, table())).toEqual({ rows: appliedOnce(kept), checkpoint: kept });

      fault.at = undefined;
      await runner.catchUp();

      expect(committed(files.readModelsPath, table())).toEqual({
        rows: appliedOnce(EVENTS),
        checkpoint: EVENTS,
      });
      const [status] = await runner.status();
      expect(status).toMatchObject({ liveVersion: 1, checkpoint: String(EVENTS), lag: 0 });
      expect(status.lastError).toBeUndefined();
    },
  );

  it.each([
    { batchEnd: 4, kept: 0 },
    { batchEnd: 8, kept: 4 },
    { batchEnd: 10, kept: 8 },
  ])(
    'in the checkpoint write of the batch ending at $batchEnd: the rows it applied are undone, then a retry applies it once',
    async ({ batchEnd, kept }) => {
      // SQLite itself refuses to move this checkpoint, after apply has written the whole batch.
      db.exec(`
        CREATE TRIGGER inject_checkpoint_fault BEFORE UPDATE OF checkpoint ON projections
        WHEN NEW.name = 'counting' AND NEW.checkpoint = ${batchEnd}
        BEGIN SELECT RAISE(ABORT, 'injected checkpoint fault'); END`);
      const failure = await runner.catchUp().catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(ProjectionApplyError);
      expect(failure).toMatchObject({ projection: 'counting', checkpoint: BigInt(kept) });
      expect((failure as Error).message).toContain('injected checkpoint fault');
      // The batch's rows were written inside the transaction when the checkpoint write failed...
      expect(fault.written.at(-1)).toBe(BigInt(batchEnd));
      // ...and none of them was kept.
      expect(committed(files.readModelsPath, table())).toEqual({ rows: appliedOnce(kept), checkpoint: kept });

      db.exec('DROP TRIGGER inject_checkpoint_fault');
      await runner.catchUp();

      expect(committed(files.readModelsPath, table())).toEqual({
        rows: appliedOnce(EVENTS),
        checkpoint: EVENTS,
      });
      expect((await runner.status())[0]).toMatchObject({ checkpoint: String(EVENTS), lag: 0 });
    },
  );
});
