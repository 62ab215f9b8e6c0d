import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database } from 'better-sqlite3';
import { readModelsPathFor } from '../src/config';
import { openReadModelDb } from '../src/event-store/create-store';
import { SqliteEventStore } from '../src/event-store/sqlite';
import { attendanceProjection } from '../src/projections/attendance';
import { Projection } from '../src/projections/projection';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { buildLogOfSchoolYear, schoolYearOf } from './attendance-setup';

/**
 * What comparing a rebuild with the tables it replaces costs beside the rebuild itself: the
 * attendance projection over a generated school year, rebuilt identical (nothing to record), then
 * replaced by a v2 that counts differently (it leaves out the absences reported on one attendance
 * stream in ten), so that many rows differ.
 *
 *   node -r ./test/support/register-ts.js bench/rebuild-diff.bench.ts [students]
 */
const students = Number(process.argv[2] ?? 1_000);

const leftOut = (streamId: string): boolean =>
  streamId.startsWith('attendance-') && streamId.charCodeAt(streamId.length - 1) % 10 === 0;

const countedDifferently: Projection = {
  ...attendanceProjection,
  version: attendanceProjection.version + 1,
  apply(db, tables, events) {
    attendanceProjection.apply(
      db,
      tables,
      events.filter((event) => !(event.type === 'AbsenceReported' && leftOut(event.streamId))) as never,
    );
  },
};

/** The worst case: a v3 whose every roll-call row differs from v2's (past the rows kept, only counted). */
const everyRollCallDifferent: Projection = {
  ...countedDifferently,
  version: countedDifferently.version + 1,
  apply(db, tables, events) {
    countedDifferently.apply(db, tables, events);
    db.prepare(`UPDATE "${tables.rollcalls}" SET void_reason = 'v3' WHERE void_reason IS NULL`).run();
  },
};

const lastRebuild = (db: Database) =>
  db
    .prepare(
      'SELECT to_version, to_generation, tables_changed, rows_changed, rows_kept, compare_ms FROM projection_rebuilds ORDER BY id DESC LIMIT 1',
    )
    .get() as { compare_ms: number } | undefined;

const main = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'registre-rebuild-diff-'));
  try {
    const path = join(dir, 'registre.db');
    await buildLogOfSchoolYear(path, schoolYearOf(students));
    const store = SqliteEventStore.open({ path, synchronous: 'normal' });
    const db = openReadModelDb({ readModelsPath: readModelsPathFor(path) });
    console.log(`school year of ${students} students: ${await store.headPosition()} events`);
    const timed = async (what: string, run: () => Promise<void>) => {
      const started = performance.now();
      await run();
      const total = performance.now() - started;
      const recorded = lastRebuild(db);
      const compared = recorded?.compare_ms ?? 0;
      console.log(
        `${what}: ${Math.round(total)} ms in all, comparison ${Math.round(compared)} ms (${((compared / total) * 100).toFixed(1)} %) ${JSON.stringify(recorded ?? null)}`,
      );
    };
    const runner = new ProjectionRunner({
      store,
      db,
      projections: [attendanceProjection],
      batchSize: 10_000,
    });
    await timed('first build (nothing to compare)', () => runner.catchUp());
    const live = runner.tables(attendanceProjection.name);
    console.log(
      'rows:',
      JSON.stringify(
        Object.fromEntries(
          Object.entries(live).map(([logical, physical]) => [
            logical,
            db.prepare(`SELECT count(*) FROM "${physical}"`).pluck().get(),
          ]),
        ),
      ),
    );
    await timed('identical rebuild', () => runner.rebuild(attendanceProjection.name));
    const fixed = new ProjectionRunner({
      store,
      db,
      projections: [attendanceProjection, countedDifferently],
      batchSize: 10_000,
    });
    await timed('v2 counting differently', () => fixed.catchUp());
    const everyRow = new ProjectionRunner({
      store,
      db,
      projections: [countedDifferently, everyRollCallDifferent],
      batchSize: 10_000,
    });
    await timed('v3 changing every roll-call row', () => everyRow.catchUp());
    await store.close();
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

void main();
