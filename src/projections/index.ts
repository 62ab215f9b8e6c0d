export * from './projection';
export type { TableGeneration, TableGenerationKey, TableGenerationStatus } from './projection-registry';
export * from './projection-runner';
export * from './prepared';
export * from './as-of';
export * from './stream-stats';
export * from './audit-trail';
