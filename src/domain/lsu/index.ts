export * from './lsu-input';
export * from './lsu-problems';
export * from './lsu-xml';
