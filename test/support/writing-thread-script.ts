import { join } from 'node:path';
import { WorkerScript } from '../../src/projections/worker/projection-worker';

/** The store's writing thread from its TypeScript source: what the compiled service runs, for tests. */
export const TS_WRITING_THREAD: WorkerScript = {
  filename: join(__dirname, '..', '..', 'src', 'event-store', 'sqlite', 'group-writer.thread.ts'),
  execArgv: ['--require', join(__dirname, 'register-ts.js')],
};
