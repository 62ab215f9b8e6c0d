import { Database } from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { ProjectionRunner } from '../../src/projections';
import { RebuildDiffs } from '../../src/projections/rebuild-diff';
import { halfDaysNoted, halfDayTallyV1, halfDayTallyV2, tallyStream } from './fixtures/half-day-tally';
import { openReadModels, openStore, TempFiles, tempFiles } from './support';

const SWAPPED_AT = new Date('2026-11-27T17:00:00.000Z');
const clock = () => SWAPPED_AT;

const rebuilds = (db: Database) =>
  db
    .prepare(
      `SELECT projection, from_version, from_generation, from_position, to_version, to_generation, position,
              swapped_at, tables_changed, rows_changed, rows_kept, summary FROM projection_rebuilds ORDER BY id`,
    )
    .all();

const rebuildRows = (db: Database) =>
  db
    .prepare(
      'SELECT rebuild_id, seq, "table", school_id, student_id, key, before, after FROM projection_rebuild_rows ORDER BY rebuild_id, seq',
    )
    .all();

describe('the differences a rebuild brings, recorded at the swap', () => {
  let files: TempFiles;
  let store: SqliteEventStore;
  let db: Database;

  beforeEach(async () => {
    files = tempFiles();
    store = openStore(files.eventsPath);
    db = openReadModels(files.readModelsPath);
    await store.appendToStream(tallyStream('0670001A', '4521'), [halfDaysNoted('0670001A', '4521', 2)]);
    await store.appendToStream(tallyStream('0670001A', '4522'), [halfDaysNoted('0670001A', '4522', 1)]);
    await store.appendToStream(tallyStream('0670001A', '4521'), [halfDaysNoted('0670001A', '4521', 3)]);
    await new ProjectionRunner({ store, db, projections: [halfDayTallyV1], clock }).catchUp();
  });

  afterEach(async () => {
    await store.close();
    db.close();
    files.remove();
  });

  it('names the rows a fixed count changes, with both versions’ values', async () => {
    await new ProjectionRunner({ store, db, projections: [halfDayTallyV1, halfDayTallyV2], clock }).catchUp();

    expect(rebuilds(db)).toEqual([
      {
        projection: 'half-day-tally',
        from_version: 1,
        from_generation: 0,
        from_position: 3,
        to_version: 2,
        to_generation: 0,
        position: 3,
        swapped_at: '2026-11-27T17:00:00.000Z',
        tables_changed: 1,
        rows_changed: 1,
        rows_kept: 1,
        summary: JSON.stringify({
          tables: [
            {
              table: 'students',
              comparedBy: 'key',
              changed: 1,
              added: 0,
              removed: 0,
              columnsOnlyBefore: [],
              columnsOnlyAfter: [],
            },
          ],
          tablesOnlyBefore: [],
          tablesOnlyAfter: [],
        }),
      },
    ]);
    expect(rebuildRows(db)).toEqual([
      {
        rebuild_id: 1,
        seq: 0,
        table: 'students',
        school_id: '0670001A',
        student_id: '4521',
        key: '{"school_id":"0670001A","student_id":"4521"}',
        before: '{"school_id":"0670001A","student_id":"4521","half_days":2}',
        after: '{"school_id":"0670001A","student_id":"4521","half_days":5}',
      },
    ]);
    expect(
      db
        .prepare('SELECT rebuild_id, school_id, rows_changed, rows_kept FROM projection_rebuild_schools')
        .all(),
    ).toEqual([{ rebuild_id: 1, school_id: '0670001A', rows_changed: 1, rows_kept: 1 }]);
  });

  it('records a rebuild that changes nothing as such, with no row', async () => {
    const runner = new ProjectionRunner({ store, db, projections: [halfDayTallyV1], clock });
    await runner.rebuild('half-day-tally');

    expect(rebuilds(db)).toMatchObject([
      {
        from_version: 1,
        from_generation: 0,
        to_version: 1,
        to_generation: 1,
        tables_changed: 0,
        rows_changed: 0,
      },
    ]);
    expect(rebuildRows(db)).toEqual([]);
  });

  it('records nothing for a first build, which replaces no tables', () => {
    expect(rebuilds(db)).toEqual([]);
  });

  it('tells additions from removals, keeps the rows up to its cap and counts them all', () => {
    db.exec(`
      CREATE TABLE old_t (id TEXT PRIMARY KEY NOT NULL, school_id TEXT, n INTEGER, gone TEXT) STRICT;
      CREATE TABLE new_t (id TEXT PRIMARY KEY NOT NULL, school_id TEXT, n INTEGER, fresh TEXT) STRICT;
      INSERT INTO old_t VALUES ('a', 'S1', 1, 'x'), ('b', 'S1', 2, 'x'), ('c', 'S2', 3, 'x');
      INSERT INTO new_t VALUES ('a', 'S1', 1, 'y'), ('b', 'S1', 20, 'y'), ('d', 'S2', 4, 'y');`);
    const recorded = new RebuildDiffs(db).record({
      projection: 'toy',
      from: { version: 1, generation: 0, checkpoint: 9n, tables: { t: 'old_t' } },
      to: { version: 2, generation: 0, checkpoint: 9n, tables: { t: 'new_t' } },
      swappedAt: SWAPPED_AT,
      rowsKept: 2,
    });

    expect(recorded).toMatchObject({
      tablesChanged: 1,
      rowsChanged: 3,
      rowsKept: 2,
      tables: [
        {
          table: 't',
          comparedBy: 'key',
          changed: 1,
          added: 1,
          removed: 1,
          columnsOnlyBefore: ['gone'],
          columnsOnlyAfter: ['fresh'],
        },
      ],
    });
    const kept = rebuildRows(db) as { key: string; before: string | null; after: string | null }[];
    expect(kept).toHaveLength(2);
    expect(
      db
        .prepare(
          'SELECT school_id, rows_changed, rows_kept FROM projection_rebuild_schools ORDER BY school_id',
        )
        .all(),
    ).toEqual([
      { school_id: 'S1', rows_changed: 1, rows_kept: 1 },
      { school_id: 'S2', rows_changed: 2, rows_kept: 1 },
    ]);
  });

  it('matches rows whose key may be NULL, as SQLite lets a non-integer key be', () => {
    db.exec(`
      CREATE TABLE old_n (id TEXT PRIMARY KEY, n INTEGER);
      CREATE TABLE new_n (id TEXT PRIMARY KEY, n INTEGER);
      INSERT INTO old_n VALUES (NULL, 1), ('a', 1);
      INSERT INTO new_n VALUES (NULL, 2), ('a', 1);`);
    const recorded = new RebuildDiffs(db).record({
      projection: 'toy',
      from: { version: 1, generation: 0, checkpoint: 1n, tables: { n: 'old_n' } },
      to: { version: 2, generation: 0, checkpoint: 1n, tables: { n: 'new_n' } },
      swappedAt: SWAPPED_AT,
    });

    expect(recorded.tables).toMatchObject([{ table: 'n', changed: 1, added: 0, removed: 0 }]);
    expect(rebuildRows(db)).toMatchObject([
      { key: '{"id":null}', before: '{"id":null,"n":1}', after: '{"id":null,"n":2}' },
    ]);
  });

  it('compares tables without a key as multisets of rows', () => {
    db.exec(`
      CREATE TABLE old_m (school_id TEXT, word TEXT);
      CREATE TABLE new_m (school_id TEXT, word TEXT);
      INSERT INTO old_m VALUES ('S1', 'late'), ('S1', 'late'), ('S1', 'absent');
      INSERT INTO new_m VALUES ('S1', 'late'), ('S1', 'absent'), ('S1', 'excused');`);
    const recorded = new RebuildDiffs(db).record({
      projection: 'toy',
      from: { version: 1, generation: 0, checkpoint: 1n, tables: { m: 'old_m' } },
      to: { version: 2, generation: 0, checkpoint: 1n, tables: { m: 'new_m' } },
      swappedAt: SWAPPED_AT,
    });

    expect(recorded.tables).toEqual([
      {
        table: 'm',
        comparedBy: 'rows',
        changed: 1,
        added: 1,
        removed: 0,
        columnsOnlyBefore: [],
        columnsOnlyAfter: [],
      },
    ]);
    const kept = rebuildRows(db).map((row) => {
      const { key, before, after } = row as { key: string; before: string | null; after: string | null };
      return { key, before, after };
    });
    expect(kept).toEqual(
      expect.arrayContaining([
        {
          key: '{"copiesBefore":2,"copiesAfter":1}',
          before: '{"school_id":"S1","word":"late"}',
          after: '{"school_id":"S1","word":"late"}',
        },
        {
          key: '{"copiesBefore":0,"copiesAfter":1}',
          before: null,
          after: '{"school_id":"S1","word":"excused"}',
        },
      ]),
    );
  });
});
