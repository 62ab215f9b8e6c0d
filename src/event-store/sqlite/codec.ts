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
  text: string;
  value?: T;
}

const DATA = Symbol('data');
const METADATA = Symbol('metadata');

type DecodedEvent = RecordedEvent & {
  readonly [DATA]: LazyJson<Record<string, unknown>>;
  readonly [METADATA]: LazyJson<EventMetadata>;
};

/**
 * One getter of each kind for every event, its state in a non-enumerable symbol property: an object
 * literal with getters of its own (two closures per event) is built through V8's slow path and gives
 * every event its own accessors, so that reading `event.data` in a projection is a megamorphic call.
 */
const ACCESSORS: PropertyDescriptorMap = {
  data: {
    enumerable: true,
    get(this: DecodedEvent) {
      const data = this[DATA];
      if (data.value === undefined) {
        data.value = JSON.parse(data.text) as Record<string, unknown>;
        // Parsed once for good: the text would only keep a batch's memory alive twice.
        data.text = '';
      }
      return data.value;
    },
  },
  metadata: {
    enumerable: true,
    get(this: DecodedEvent) {
      const metadata = this[METADATA];
      return (metadata.value ??= JSON.parse(metadata.text) as EventMetadata);
    },
  },
};

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
    const event = {
      id: row[3],
      streamId: row[1],
      revision: Number(row[2]),
      position: row[0],
      type: row[4],
    };
    Object.defineProperty(event, DATA, { value: { text: row[5] } });
    Object.defineProperty(event, METADATA, { value: metadata });
    Object.defineProperties(event, ACCESSORS);
    const decoded = event as unknown as RecordedEvent;
    events[i] = upcast ? upcast(decoded) : decoded;
  }
  return events;
};
