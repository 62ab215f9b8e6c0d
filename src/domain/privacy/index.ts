export * from './pii-fields';
export * from './erasure';
