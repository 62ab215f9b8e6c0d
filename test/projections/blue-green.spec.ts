import { Database } from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { Projection, ProjectionRunner, readStreamStats, streamStatsProjection } from '../../src/projections';
import {
  appendEach,
  checkpointsOf,
  openReadModels,
  openStore,
  rowsOf,
  tableExists,
  TempFiles,
  tempFiles,
} from './support';

/** Version 2 of stream-stats: same rows, and a hook to look at the live tables from inside the build. */
const streamStatsV2 = (duringApply: () => void): Projection<'counts'> => ({
  ...streamStatsProjection,
  version: 2,
  apply(db, tables, events) {
    streamStatsProjection.apply(db, tables, events);
    duringApply();
  },
});

const withHook = (duringApply: () => void): Projection<'counts'> => ({
  ...streamStatsProjection,
  apply(db, tables, events) {
    streamStatsProjection.apply(db, tables, events);
    duringApply();
  },
});

describe('blue/green versions and rebuilds', () => {
  let files: TempFiles;
  let store: SqliteEventStore;
  let db: Database;

  beforeEach(async () => {
    files = tempFiles();
    store = openStore(files.eventsPath);
    db = openReadModels(files.readModelsPath);
    await appendEach(store, 'rollcall-0670001A-5B-2026-09-01-M1', 'RollCallTaken', 6);
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 4);
    await new ProjectionRunner({ store, db, projections: [streamStatsProjection] }).catchUp();
  });

  afterEach(async () => {
    await store.close();
    db.close();
    files.remove();
  });

  it('builds a new version beside the live one, which answers queries until the swap', async () => {
    const v1Tables = { counts: 'rm_stream_stats_v1_counts' };
    const v1Rows = rowsOf(db, v1Tables);
    const seenDuringBuild: { tables: unknown; rows: unknown }[] = [];
    const runner: ProjectionRunner = new ProjectionRunner({
      store,
      db,
      batchSize: 3,
      projections: [
        streamStatsV2(() =>
          seenDuringBuild.push({
            tables: runner.tables('stream-stats'),
            rows: rowsOf(db, runner.tables('stream-stats')),
          }),
        ),
      ],
    });
    expect((await runner.status())[0]).toMatchObject({
      version: 2,
      liveVersion: 1,
      status: 'building',
      lag: 0,
    });

    await runner.catchUp();

    expect(seenDuringBuild).toHaveLength(4);
    for (const seen of seenDuringBuild) expect(seen).toEqual({ tables: v1Tables, rows: v1Rows });
    expect(runner.tables('stream-stats')).toEqual({ counts: 'rm_stream_stats_v2_counts' });
    expect(rowsOf(db, runner.tables('stream-stats'))).toEqual(v1Rows);
    expect(tableExists(db, 'rm_stream_stats_v1_counts')).toBe(false);
    expect(checkpointsOf(db, 'stream-stats')).toEqual([
      { version: 2, generation: 0, status: 'live', checkpoint: 10 },
    ]);
    expect((await runner.status())[0]).toMatchObject({ version: 2, liveVersion: 2, status: 'live' });
  });

  it('keeps the live version current during the build when its previous definition is given', async () => {
    await appendEach(store, 'attendance-0670001A-s2', 'AbsenceReported', 2);
    const liveDuringBuild: number[] = [];
    const runner: ProjectionRunner = new ProjectionRunner({
      store,
      db,
      batchSize: 4,
      projections: [
        streamStatsProjection,
        streamStatsV2(() => {
          const rows = readStreamStats(db, runner.tables('stream-stats'));
          liveDuringBuild.push(rows.reduce((sum, row) => sum + row.count, 0));
        }),
      ],
    });

    await runner.catchUp();

    // The first pass reads positions 1-4 for v2, then 11-12 for v1: v1 is current from the second batch on.
    expect(liveDuringBuild).toEqual([10, 12, 12]);
    expect(checkpointsOf(db, 'stream-stats')).toEqual([
      { version: 2, generation: 0, status: 'live', checkpoint: 12 },
    ]);
  });

  it('leaves frozen a live version whose code is gone, and waitFor waits for the swap', async () => {
    await appendEach(store, 'attendance-0670001A-s2', 'AbsenceReported', 1);
    const liveDuringBuild: { counted: number; elevenSeen: boolean }[] = [];
    let elevenSeen = false;
    const runner: ProjectionRunner = new ProjectionRunner({
      store,
      db,
      batchSize: 5,
      projections: [
        streamStatsV2(() =>
          liveDuringBuild.push({
            counted: readStreamStats(db, runner.tables('stream-stats')).reduce((n, row) => n + row.count, 0),
            elevenSeen,
          }),
        ),
      ],
    });
    const seenEleven = runner.waitFor('stream-stats', 11n, 5_000);
    void seenEleven.then(() => (elevenSeen = true));

    await runner.catchUp();

    expect(liveDuringBuild).toEqual([1, 2, 3].map(() => ({ counted: 10, elevenSeen: false })));
    await expect(seenEleven).resolves.toBe(true);
    expect(readStreamStats(db, runner.tables('stream-stats')).reduce((n, row) => n + row.count, 0)).toBe(11);
  });

  it('rebuilds into fresh tables while the old rows answer, then gives the same rows', async () => {
    const before = rowsOf(db, { counts: 'rm_stream_stats_v1_counts' });
    const seenDuringRebuild: unknown[] = [];
    const runner: ProjectionRunner = new ProjectionRunner({
      store,
      db,
      batchSize: 4,
      projections: [withHook(() => seenDuringRebuild.push(runner.tables('stream-stats')))],
    });

    await runner.rebuild('stream-stats');

    expect(seenDuringRebuild).toEqual([
      { counts: 'rm_stream_stats_v1_counts' },
      { counts: 'rm_stream_stats_v1_counts' },
      { counts: 'rm_stream_stats_v1_counts' },
    ]);
    expect(runner.tables('stream-stats')).toEqual({ counts: 'rm_stream_stats_v1_r1_counts' });
    expect(rowsOf(db, runner.tables('stream-stats'))).toEqual(before);
    expect(tableExists(db, 'rm_stream_stats_v1_counts')).toBe(false);

    await runner.rebuild('stream-stats');
    expect(runner.tables('stream-stats')).toEqual({ counts: 'rm_stream_stats_v1_r2_counts' });
    expect(rowsOf(db, runner.tables('stream-stats'))).toEqual(before);
  });

  it('resumes an interrupted rebuild after a restart', async () => {
    const before = rowsOf(db, { counts: 'rm_stream_stats_v1_counts' });
    const interrupted: ProjectionRunner = new ProjectionRunner({
      store,
      db,
      batchSize: 3,
      projections: [withHook(() => void interrupted.stop())],
    });

    await expect(interrupted.rebuild('stream-stats')).rejects.toThrow(/stopped before the rebuild/);
    expect(checkpointsOf(db, 'stream-stats')).toEqual([
      { version: 1, generation: 0, status: 'live', checkpoint: 10 },
      { version: 1, generation: 1, status: 'building', checkpoint: 3 },
    ]);

    const restarted = new ProjectionRunner({ store, db, projections: [streamStatsProjection] });
    expect((await restarted.status())[0]).toMatchObject({
      status: 'building',
      build: { generation: 1, checkpoint: '3' },
    });
    await restarted.catchUp();

    expect(restarted.tables('stream-stats')).toEqual({ counts: 'rm_stream_stats_v1_r1_counts' });
    expect(rowsOf(db, restarted.tables('stream-stats'))).toEqual(before);
  });

  it('drops an unfinished build of a version that is no longer in the code', async () => {
    const abandoned: ProjectionRunner = new ProjectionRunner({
      store,
      db,
      batchSize: 3,
      projections: [streamStatsV2(() => void abandoned.stop())],
    });
    await abandoned.catchUp();
    expect(tableExists(db, 'rm_stream_stats_v2_counts')).toBe(true);

    const rolledBack = new ProjectionRunner({ store, db, projections: [streamStatsProjection] });

    expect(tableExists(db, 'rm_stream_stats_v2_counts')).toBe(false);
    expect(checkpointsOf(db, 'stream-stats')).toEqual([
      { version: 1, generation: 0, status: 'live', checkpoint: 10 },
    ]);
    expect((await rolledBack.status())[0]).toMatchObject({ status: 'live', liveVersion: 1 });
  });
});
