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

/** A base whose constructor hands back the object it is given: a subclass then adds its private fields to it. */
class OntoObject {
  constructor(target: object) {
    return target as OntoObject;
  }
}

/**
 * The lazily parsed parts of a decoded event, kept in private fields added to the plain event object
 * (its prototype stays Object.prototype, and no key is added to what spreading or deep equality see),
 * read by one getter of each kind shared by every event. An object literal with getters of its own
 * (two closures per event) is built through V8's slow path and gives every event its own accessors,
 * so that reading `event.data` in a projection was a megamorphic call; symbol-keyed state cost a
 * definition per event more.
 */
class LazyParts extends OntoObject {
  #data: Record<string, unknown> | undefined;
  #dataText: string;
  readonly #metadata: LazyJson<EventMetadata>;

  private static readonly accessors: PropertyDescriptorMap = {
    data: {
      enumerable: true,
      get(this: LazyParts) {
        if (this.#data === undefined) {
          this.#data = JSON.parse(this.#dataText) as Record<string, unknown>;
          // Parsed once for good: the text would only keep a batch's memory alive twice.
          this.#dataText = '';
        }
        return this.#data;
      },
    },
    metadata: {
      enumerable: true,
      get(this: LazyParts) {
        const metadata = this.#metadata;
        return (metadata.value ??= JSON.parse(metadata.text) as EventMetadata);
      },
    },
  };

  private constructor(event: object, dataText: string, metadata: LazyJson<EventMetadata>) {
    super(event);
    this.#dataText = dataText;
    this.#data = undefined;
    this.#metadata = metadata;
  }

  static attach(
    event: Omit<RecordedEvent, 'data' | 'metadata'>,
    dataText: string,
    metadata: LazyJson<EventMetadata>,
  ): RecordedEvent {
    new LazyParts(event, dataText, metadata);
    return Object.defineProperties(event, LazyParts.accessors) as RecordedEvent;
  }
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
    const event = LazyParts.attach(
      { id: row[3], streamId: row[1], revision: Number(row[2]), position: row[0], type: row[4] },
      row[5],
      metadata,
    );
    events[i] = upcast ? upcast(event) : event;
  }
  return events;
};
