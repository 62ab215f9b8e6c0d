export * from './streams';
export * from './council';
export * from './post-council';
