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

/**
 * Parses each JSON column once per row, except that consecutive events with the same metadata text
 * (the events of one command) share one parsed metadata object, as they shared one when written:
 * parsing is most of the cost of a rebuild.
 */
export const decodeRows = (
  rows: readonly EventRow[],
  upcast: ((event: RecordedEvent) => RecordedEvent) | undefined,
): RecordedEvent[] => {
  const events = new Array<RecordedEvent>(rows.length);
  let metadataJson: string | undefined;
  let metadata = {} as EventMetadata;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row[6] !== metadataJson) {
      metadataJson = row[6];
      metadata = JSON.parse(metadataJson) as EventMetadata;
    }
    const event: RecordedEvent = {
      id: row[3],
      streamId: row[1],
      revision: Number(row[2]),
      position: row[0],
      type: row[4],
      data: JSON.parse(row[5]) as Record<string, unknown>,
      metadata,
    };
    events[i] = upcast ? upcast(event) : event;
  }
  return events;
};
