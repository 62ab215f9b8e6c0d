import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Database } from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import {
  auditTrailProjection,
  buildAsOf,
  Projection,
  ProjectionRunner,
  streamStatsProjection,
  TableNames,
} from '../../src/projections';
import { testSeed } from '../support/test-seed';
import { openReadModels, openStore, rowsOf, tempFiles } from './support';

const CHILD = join(__dirname, 'fixtures', 'append-and-project.js');

const streamStatsAt = (version: number): Projection => ({ ...streamStatsProjection, version });

/**
 * Seeds the child's appends and batch size and the kill delays; the scheduling of the child around
 * them is the machine's own, so a replay reproduces the inputs, not always the very instant of the kill.
 */
const SEED = testSeed('projection crash test');

/** Starts the child, lets it append and project for a seeded while, then kills it without warning. */
const runAndKill = async (
  eventsPath: string,
  readModelsPath: string,
  seed: number,
  version: number,
  killAfterMs: number,
) => {
  const child = spawn(process.execPath, [CHILD, eventsPath, readModelsPath, String(seed), String(version)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    void exited.then(() => reject(new Error(`child exited before it was ready: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, killAfterMs));
  child.kill('SIGKILL');
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  expect({ code, signal, stderr }).toEqual({ code: null, signal: 'SIGKILL', stderr: '' });
};

interface StoredGeneration {
  name: string;
  version: number;
  checkpoint: bigint;
  tables: string;
}

/** Every table generation the killed process left must hold exactly the view of the log up to its checkpoint. */
const expectGenerationsMatchTheirCheckpoints = async (db: Database, store: SqliteEventStore) => {
  const generations = db
    .prepare('SELECT name, version, checkpoint, tables FROM projections')
    .safeIntegers(true)
    .all() as StoredGeneration[];
  expect(generations.length).toBeGreaterThanOrEqual(2);
  const head = await store.headPosition();
  for (const generation of generations) {
    expect(generation.checkpoint).toBeLessThanOrEqual(head);
    const projection =
      generation.name === 'audit-trail' ? auditTrailProjection : streamStatsAt(Number(generation.version));
    const asOf = await buildAsOf(projection, store, generation.checkpoint);
    const tables = JSON.parse(generation.tables) as TableNames;
    expect(rowsOf(db, tables)).toEqual(rowsOf(asOf.db, asOf.tables));
    asOf.db.close();
  }
};

describe('a runner killed at a random moment', () => {
  it(
    'resumes without losing or doubling an event, through a version build too',
    () =>
      SEED.run(async () => {
        const files = tempFiles();
        try {
          for (const version of [1, 1, 2, 2]) {
            // The child's own generator (an LCG) wants a seed in [1, 2^31).
            const childSeed = 1 + Math.floor(SEED.random() * (2 ** 31 - 2));
            const killAfterMs = 20 + Math.floor(SEED.random() * 300);
            await runAndKill(files.eventsPath, files.readModelsPath, childSeed, version, killAfterMs);

            const store = openStore(files.eventsPath);
            const db = openReadModels(files.readModelsPath);
            try {
              await expectGenerationsMatchTheirCheckpoints(db, store);

              const projections = [streamStatsAt(version), auditTrailProjection];
              const runner = new ProjectionRunner({ store, db, projections });
              await runner.catchUp();
              const head = await store.headPosition();
              expect(head).toBeGreaterThan(0n);
              for (const projection of projections) {
                const asOf = await buildAsOf(projection, store, head);
                expect(rowsOf(db, runner.tables(projection.name))).toEqual(rowsOf(asOf.db, asOf.tables));
                asOf.db.close();
              }
              expect((await runner.status()).map((status) => [status.liveVersion, status.lag])).toEqual([
                [version, 0],
                [3, 0],
              ]);
            } finally {
              await store.close();
              db.close();
            }
          }
        } finally {
          files.remove();
        }
      }),
    60_000,
  );
});
