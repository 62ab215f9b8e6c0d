import { reads as registreReads } from '../../src/projections/read-pool';
import { RegistreReads } from '../../src/projections/read-pool/read-registry';
import { blockFor } from './test-reads';

/** How long a class day holds its thread under these reads. */
export const SLOW_READ_MS = 1_500;

/** The service's reads with a class day as slow as a year of data would make it. Loaded by name (`reads`) by the threads. */
export const reads: RegistreReads = {
  ...registreReads,
  classDay: (...args) => {
    blockFor(SLOW_READ_MS);
    return registreReads.classDay(...args);
  },
};
