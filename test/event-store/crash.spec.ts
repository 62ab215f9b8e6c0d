import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { seededRandom } from '../../src/demo/seeded-random';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { tempDir, TempDir } from '../support/temp-db';
import { testSeed } from '../support/test-seed';
import { anEvent } from './events';

const WRITER = join(__dirname, 'fixtures', 'crash-writer.js');
const EVENTS_PER_COMMAND = 3;

/** The kill delays come from this seed; the scheduling of the child around them is the machine's own. */
const SEED = testSeed('event-store crash test');

/** Runs the writer, kills it with SIGKILL 200–800 ms after it is ready, returns the acknowledged command ids. */
const runWriterAndKill = (path: string, run: number, killAfterMs: number): Promise<string[]> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killTimer === undefined && stdout.startsWith('ready\n')) {
        killTimer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL')
        return reject(new Error(`writer ended on its own (${String(_code)}): ${stderr}`));
      // A line cut short by the kill was never fully acknowledged: only complete lines count.
      const lines = stdout.split('\n').slice(0, -1);
      resolve(lines.filter((line) => line !== 'ready'));
    });
  });

describe('SqliteEventStore after a writer is killed mid-flight', () => {
  let dir: TempDir;

  beforeAll(() => {
    dir = tempDir('registre-es-crash-');
  });

  afterAll(() => dir.remove());

  it.each([1, 2, 3])(
    'keeps every acknowledged command whole and no command in part (run %i on the same file)',
    (run) =>
      SEED.run(async () => {
        const path = dir.file('events.db');
        // Drawn per run, so that `-t 'run 2'` replays run 2 alone with the same delay.
        const killAfterMs = 200 + Math.floor(seededRandom(SEED.seed + run)() * 600);

        const acknowledged = await runWriterAndKill(path, run, killAfterMs);

        const store = SqliteEventStore.open({ path });
        try {
          const log = await store.readAll();
          const eventsPerCommand = new Map<string, number>();
          for (const event of log.filter((e) => e.type === 'CrashTested')) {
            const commandId = event.metadata.commandId;
            eventsPerCommand.set(commandId, (eventsPerCommand.get(commandId) ?? 0) + 1);
          }
          expect(acknowledged.length).toBeGreaterThan(0);
          for (const commandId of acknowledged) {
            expect([commandId, eventsPerCommand.get(commandId)]).toEqual([commandId, EVENTS_PER_COMMAND]);
            expect(await store.findCommand(commandId)).toBeDefined();
          }
          const partial = [...eventsPerCommand].filter(([, count]) => count !== EVENTS_PER_COMMAND);
          expect(partial).toEqual([]);
          for (let i = 1; i < log.length; i++) expect(log[i].position).toBeGreaterThan(log[i - 1].position);

          const head = await store.headPosition();
          const after = await store.appendToStream(`after-crash-${run}`, [anEvent()], {
            expectedRevision: 'no_stream',
          });
          expect(after.position).toBeGreaterThan(head);
        } finally {
          await store.close();
        }
      }),
  );
});
