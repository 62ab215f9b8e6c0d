export * from './envelope';
export * from './key-store';
export * from './pii-protecting-store';
export * from './erase-students';
export * from './migrate-to-sealed';
