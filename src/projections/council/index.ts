export * from './council.projection';
