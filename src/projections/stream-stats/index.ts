export * from './stream-stats.projection';
