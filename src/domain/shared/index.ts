export * from './decider';
export * from './domain-error';
export * from './event';
export * from './text';
export * from './csv';
export * from './uai';
export * from './calendar';
export * from './records';
