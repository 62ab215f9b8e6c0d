export * from './read-pool';
export type { ReadArgs, ReadFunction, ReadRegistry, ReadTables, RegistreReads } from './read-registry';
export { reads } from './read-registry';
