import { randomUUID } from 'node:crypto';
import { EventMetadata } from '../../src/domain/shared/event';
import { EventToAppend } from '../../src/event-store/event-store';

/** Names unique to one test run, so that suites can share a server (EventStoreDB) without clashing. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID()}`;

export const metadataFor = (commandId: string = randomUUID()): EventMetadata => ({
  commandId,
  correlationId: commandId,
  causationId: commandId,
  actor: { id: 'cpe-1', role: 'cpe' },
  schoolId: '0670001A',
  recordedAt: '2026-09-01T08:05:00.000Z',
  schemaVersion: 1,
});

export const anEvent = (
  type = 'AbsenceRecorded',
  data: object = { studentId: 's1', date: '2026-09-01', slot: 'M1' },
  commandId?: string,
): EventToAppend => ({ type, data, metadata: metadataFor(commandId) });

/** `count` events of one command, numbered in their data. */
export const eventsOf = (commandId: string, count: number, type = 'AbsenceRecorded'): EventToAppend[] =>
  Array.from({ length: count }, (_, index) => anEvent(type, { index }, commandId));
