export * from './council.projection';
export * from './council-reads';
