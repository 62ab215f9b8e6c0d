export * from './assessments.projection';
export * from './assessments.queries';
export * from './period-rows';
