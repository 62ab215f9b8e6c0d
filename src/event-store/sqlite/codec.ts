import { EventMetadata } from '../../domain/shared/event';
import { EventToAppend, RecordedEvent } from '../event-store';
import { eventIdsFor } from './event-id';
import { EventRow, EventRowWithoutMetadata } from './statements';

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

/** An event's metadata, parsed on first read, then kept. */
interface LazyMetadata {
  value(): EventMetadata;
}

/** Metadata read with the event: its text. */
class MetadataText implements LazyMetadata {
  #value: EventMetadata | undefined = undefined;

  constructor(readonly text: string) {}

  value(): EventMetadata {
    return (this.#value ??= JSON.parse(this.text) as EventMetadata);
  }
}

/** Where the metadata of events read without it is found: the log's rows never change. */
export interface MetadataSource {
  /** The metadata text of the event at `position`. */
  at(position: bigint): string;
  /** The metadata texts of the events from `first` to `last` (both included), by position. */
  between(first: bigint, last: bigint): Iterable<readonly [bigint, string]>;
}

/**
 * Read one event at a time for up to a tenth of a batch (at least 32): a row read by position costs
 * about what ten rows of a batch read at once do.
 */
const oneByOneFor = (events: number): number => Math.max(32, Math.floor(events / 10));

/**
 * The metadata of a batch read without it: an event's own row on first read, and once more than a
 * few are asked for (a tenth), the whole batch's in one read. A reader that wants the metadata of few events
 * (corrections among grades) reads little; one that wants most pays about what reading it with the
 * batch costs.
 */
class BatchMetadata {
  private asked = 0;
  private texts?: Map<bigint, string>;

  constructor(
    private readonly source: MetadataSource,
    private readonly first: bigint,
    private readonly last: bigint,
    private readonly oneByOne: number,
  ) {}

  textOf(position: bigint): string {
    if (this.texts === undefined && ++this.asked <= this.oneByOne) return this.source.at(position);
    this.texts ??= new Map(this.source.between(this.first, this.last));
    const text = this.texts.get(position);
    if (text === undefined) throw new Error(`no event at position ${position} in the log`);
    return text;
  }
}

/** Metadata of an event read without it: read from its batch's source on first use. */
class MetadataInLog implements LazyMetadata {
  #value: EventMetadata | undefined = undefined;

  constructor(
    private readonly batch: BatchMetadata,
    private readonly position: bigint,
  ) {}

  value(): EventMetadata {
    return (this.#value ??= JSON.parse(this.batch.textOf(this.position)) as EventMetadata);
  }
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
  readonly #metadata: LazyMetadata;

  // Two descriptors defined one at a time: Object.defineProperties reads its map of descriptors
  // afresh on every call, which made decoding a batch about a third slower.
  private static readonly data: PropertyDescriptor = {
    enumerable: true,
    get(this: LazyParts) {
      if (this.#data === undefined) {
        this.#data = JSON.parse(this.#dataText) as Record<string, unknown>;
        // Parsed once for good: the text would only keep a batch's memory alive twice.
        this.#dataText = '';
      }
      return this.#data;
    },
  };

  private static readonly metadata: PropertyDescriptor = {
    enumerable: true,
    get(this: LazyParts) {
      return this.#metadata.value();
    },
  };

  private constructor(event: object, dataText: string, metadata: LazyMetadata) {
    super(event);
    this.#dataText = dataText;
    this.#data = undefined;
    this.#metadata = metadata;
  }

  static attach(
    event: Omit<RecordedEvent, 'data' | 'metadata'>,
    dataText: string,
    metadata: LazyMetadata,
  ): RecordedEvent {
    new LazyParts(event, dataText, metadata);
    Object.defineProperty(event, 'data', LazyParts.data);
    return Object.defineProperty(event, 'metadata', LazyParts.metadata) as RecordedEvent;
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
  let metadata = new MetadataText('');
  return decodeEach(
    rows,
    (row) => {
      if (row[6] !== metadata.text) metadata = new MetadataText(row[6]);
      return metadata;
    },
    upcast,
  );
};

/**
 * Decodes rows read without their metadata: each event's is read from `source` the first time it is
 * asked for (see BatchMetadata), so `source` must stay open while the events are used. The events are
 * otherwise those of `decodeRows`.
 */
export const decodeRowsWithoutMetadata = (
  rows: readonly EventRowWithoutMetadata[],
  source: MetadataSource,
  upcast: ((event: RecordedEvent) => RecordedEvent) | undefined,
): RecordedEvent[] => {
  if (rows.length === 0) return [];
  const batch = new BatchMetadata(source, rows[0][0], rows[rows.length - 1][0], oneByOneFor(rows.length));
  return decodeEach(rows, (row) => new MetadataInLog(batch, row[0]), upcast);
};

/** The events of rows (position, stream id, revision, event id, type, data, …), each with its metadata. */
const decodeEach = <Row extends EventRowWithoutMetadata | EventRow>(
  rows: readonly Row[],
  metadataOf: (row: Row) => LazyMetadata,
  upcast: ((event: RecordedEvent) => RecordedEvent) | undefined,
): RecordedEvent[] => {
  const events = new Array<RecordedEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const event = LazyParts.attach(
      { id: row[3], streamId: row[1], revision: Number(row[2]), position: row[0], type: row[4] },
      row[5],
      metadataOf(row),
    );
    events[i] = upcast ? upcast(event) : event;
  }
  return events;
};
