export * from './averages';
export * from './grade-values';
export * from './positioning';
export * from './rounding';
