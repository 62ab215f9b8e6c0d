import { EventMetadata } from '../../domain/shared/event';
import { EventToAppend, RecordedEvent } from '../event-store';
import { eventIdsFor } from './event-id';
import { EventRow } from './statements';

export interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export const serialize = (
  events: readonly EventToAppend[],
  commandId: string | undefined,
): SerializedEvent[] => {
  // The events of one command usually share one metadata object: serialise it once.
  let lastMetadata: EventMetadata | undefined;
  let lastMetadataJson = '';
  const ids = eventIdsFor(commandId, events.length);
  return events.map((event, index) => {
    if (event.metadata !== lastMetadata) {
      lastMetadata = event.metadata;
      lastMetadataJson = JSON.stringify(event.metadata);
    }
    return {
      id: ids[index],
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: lastMetadataJson,
    };
  });
};

interface LazyJson<T> {
  readonly text: string;
  value?: T;
}

/**
 * Decodes rows into events whose `data` and `metadata` are parsed on first read, then kept. Parsing
 * is most of the cost of a rebuild, and most projections read a few event types' data and the
 * routing keys of the rest: an event a projection skips costs no JSON.parse at all. The accessors
 * are own enumerable properties, so spreading, JSON.stringify and deep equality see plain values.
 * Consecutive events with the same metadata text (one command's events) share one parsed object,
 * as they shared one when written.
 */
export const decodeRows = (
  rows: readonly EventRow[],
  upcast: ((event: RecordedEvent) => RecordedEvent) | undefined,
): RecordedEvent[] => {
  const events = new Array<RecordedEvent>(rows.length);
  let metadata: LazyJson<EventMetadata> = { text: '' };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row[6] !== metadata.text) metadata = { text: row[6] };
    const sharedMetadata = metadata;
    const data: LazyJson<Record<string, unknown>> = { text: row[5] };
    const event: RecordedEvent = {
      id: row[3],
      streamId: row[1],
      revision: Number(row[2]),
      position: row[0],
      type: row[4],
      get data() {
        return (data.value ??= JSON.parse(data.text) as Record<string, unknown>);
      },
      get metadata() {
        return (sharedMetadata.value ??= JSON.parse(sharedMetadata.text) as EventMetadata);
      },
    };
    events[i] = upcast ? upcast(event) : event;
  }
  return events;
};
