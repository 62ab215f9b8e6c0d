import { join } from 'node:path';
import { WorkerScript } from '../../src/projections/worker/projection-worker';

/** The projection worker from its TypeScript source: what `serve` runs compiled, for tests. */
export const TS_PROJECTION_WORKER: WorkerScript = {
  filename: join(__dirname, '..', '..', 'src', 'projections', 'worker', 'projection-worker.thread.ts'),
  execArgv: ['--require', join(__dirname, 'register-ts.js')],
};
