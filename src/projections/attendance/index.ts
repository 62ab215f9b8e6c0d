export * from './attendance.projection';
export * from './attendance.queries';
export { ATTENDANCE_TABLES } from './attendance-schema';
export type { AttendanceTable } from './attendance-schema';
export { COUNTING_SETTING_KEYS } from './attendance-rows';
export * from './rollcall-completeness.projection';
export * from './completeness.reads';
