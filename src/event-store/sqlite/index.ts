export { SqliteEventStore } from './sqlite-event-store';
export type { SqliteEventStoreOptions, SqliteEventStoreStats } from './sqlite-event-store';
export { eventIdFor, EVENT_ID_NAMESPACE } from './event-id';
