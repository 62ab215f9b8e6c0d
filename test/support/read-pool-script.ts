import { join } from 'node:path';
import { ReadRegistrySource, RegistreReads } from '../../src/projections/read-pool';
import { WorkerScript } from '../../src/projections/worker/projection-worker';
import { TestReads, testReads } from './test-reads';
import { reads as slowClassDayReads } from './slow-class-day-reads';

/** A read thread from its TypeScript source: what `serve` runs compiled, for tests. */
export const TS_READ_THREAD: WorkerScript = {
  filename: join(__dirname, '..', '..', 'src', 'projections', 'read-pool', 'read-pool.thread.ts'),
  execArgv: ['--require', join(__dirname, 'register-ts.js')],
};

/** The service's reads and a few for the pool's own specs (slow, crashing), loaded by the threads from test-reads.ts. */
export const TEST_READS: ReadRegistrySource<TestReads> = {
  reads: testReads,
  module: join(__dirname, 'test-reads.ts'),
};

/** The service's reads with a class day that holds its thread SLOW_READ_MS. */
export const SLOW_CLASS_DAY_READS: ReadRegistrySource<RegistreReads> = {
  reads: slowClassDayReads,
  module: join(__dirname, 'slow-class-day-reads.ts'),
};
