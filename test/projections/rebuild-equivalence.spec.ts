import BetterSqlite3, { Database } from 'better-sqlite3';
import fc from 'fast-check';
import {
  auditTrailProjection,
  buildAsOf,
  Projection,
  ProjectionRunner,
  streamStatsProjection,
} from '../../src/projections';
import { anEvent, openReadModels, openStore, recordingProjection, rowsOf, tempFiles } from './support';

const STREAMS = [
  'rollcall-0670001A-5B-2026-09-01-M1',
  'rollcall-0670001A-5B-2026-09-01-M2',
  'attendance-0670001A-s1',
  'attendance-0670001A-s2',
  'assessment-0670001A-a1',
  'school-0670001A',
  'orphan',
];
const TYPES = ['RollCallTaken', 'RollCallAmended', 'AbsenceReported', 'AbsenceJustified', 'GradeRecorded'];

const projections = (): Projection[] => [
  streamStatsProjection,
  auditTrailProjection,
  recordingProjection({ name: 'justifications', handles: ['AbsenceJustified', 'RollCallAmended'] }),
];

type Step =
  | { readonly kind: 'append'; readonly stream: string; readonly types: string[] }
  | { readonly kind: 'catchUp'; readonly batchSize: number; readonly replayWithStaleRunner: boolean };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      stream: fc.constantFrom(...STREAMS),
      types: fc.array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('catchUp' as const),
      batchSize: fc.integer({ min: 1, max: 7 }),
      replayWithStaleRunner: fc.boolean(),
    }),
  },
);

const allRows = (db: Database, runner: ProjectionRunner) =>
  Object.fromEntries(projections().map(({ name }) => [name, rowsOf(db, runner.tables(name))]));

describe('rebuilding from zero', () => {
  it('gives exactly the rows of the runner that caught up step by step, whatever the batches', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArbitrary, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 50 }),
        async (steps, rebuildBatchSize) => {
          const files = tempFiles();
          const store = openStore(files.eventsPath);
          const live = openReadModels(files.readModelsPath);
          // A second connection to the same file: a runner there keeps the checkpoints it read at construction.
          const staleConnection = openReadModels(files.readModelsPath);
          const fresh = new BetterSqlite3(':memory:');
          try {
            const runnerWith = (db: Database, batchSize: number) =>
              new ProjectionRunner({ store, db, projections: projections(), batchSize });
            let stale = runnerWith(staleConnection, 3);
            for (const step of steps) {
              if (step.kind === 'append') {
                await store.appendToStream(
                  step.stream,
                  step.types.map((type) => anEvent(type)),
                );
                continue;
              }
              await runnerWith(live, step.batchSize).catchUp();
              if (step.replayWithStaleRunner) await stale.catchUp();
              stale = runnerWith(staleConnection, step.batchSize);
            }
            const caughtUp = runnerWith(live, 4);
            await caughtUp.catchUp();
            const rebuilt = runnerWith(fresh, rebuildBatchSize);
            await rebuilt.catchUp();

            expect(allRows(live, caughtUp)).toEqual(allRows(fresh, rebuilt));
            const head = await store.headPosition();
            for (const projection of projections()) {
              const asOf = await buildAsOf(projection, store, head, { batchSize: rebuildBatchSize });
              expect(rowsOf(asOf.db, asOf.tables)).toEqual(rowsOf(live, caughtUp.tables(projection.name)));
              asOf.db.close();
            }
          } finally {
            await store.close();
            live.close();
            staleConnection.close();
            fresh.close();
            files.remove();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
