export * from './averages';
export * from './grade-values';
export * from './positioning';
export * from './rounding';
export * from './assessment';
export * from './assessment-events';
export * from './assessment-rules';
export * from './streams';
