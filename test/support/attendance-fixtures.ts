// The attendance fixtures, one file per kind; specs import them from here.
export * from './attendance/builders';
export * from './attendance/harness';
export * from './attendance/arbitraries';
export * from './attendance/oracle';
