export * from './closed-periods.projection';
