import { DomainError } from '../domain/shared/domain-error';
import { EventMetadata } from '../domain/shared/event';
import type { VerificationRecord } from './verify';

/**
 * The event store port, shaped like EventStoreDB's client so that the SQLite default and the
 * EventStoreDB adapter fit behind it. Global positions start at 1 and are never reused.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface EventToAppend {
  readonly type: string;
  readonly data: object;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<D = Record<string, unknown>> {
  /** Unique id of the event (derived from the command id where one is given). */
  readonly id: string;
  readonly streamId: string;
  /** 0-based revision of the event inside its stream. */
  readonly revision: number;
  /** Position in the global log, strictly increasing, never reused. */
  readonly position: bigint;
  readonly type: string;
  readonly data: D;
  readonly metadata: EventMetadata;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
  /**
   * A command's id: if a command with this id was already appended, nothing is written and the
   * first result is returned with `deduplicated: true`.
   */
  readonly commandId?: string;
  /**
   * What the command's request was (a hash of route and body), stored with its first answer: the same
   * command id sent again with another fingerprint is refused with IdempotencyKeyReusedError.
   */
  readonly requestFingerprint?: string;
}

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the last event of the stream after the append (-1 if the stream is still empty). */
  readonly nextExpectedRevision: number;
  /**
   * Global position of the last event written; when nothing was written, of the stream's last event
   * (0n for a stream still empty), so that `?minPosition=` still reads at least what was decided on.
   */
  readonly position: bigint;
  readonly deduplicated: boolean;
}

export interface ReadStreamOptions {
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this position (default 0n: from the start). */
  readonly after?: bigint;
  readonly limit?: number;
  /**
   * When each event's metadata is read: with the events (default), or from the log the first time
   * it is asked for, for a reader that looks at the metadata of few of the events it reads (a
   * projection that needs it for corrections only). The events are the same either way, but with
   * `'on-first-read'` the store must still be open when their metadata is first read. A store may
   * read it with the events regardless.
   */
  readonly metadata?: 'with-events' | 'on-first-read';
}

/** Which streams an as-of view folds: whole categories by id prefix, or named streams. */
export interface StreamSelection {
  /** Every stream whose id starts with one of these (e.g. `rollcall-0750001A-5B-`). */
  readonly prefixes: readonly string[];
  /** These streams by exact id. */
  readonly streams: readonly string[];
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Events of one stream in revision order; [] for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of every stream in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * The events of the selected streams up to `upTo` (included), in global order: what an as-of view
   * folds instead of the whole log. Optional: a store without it is read whole (`readSelected`).
   */
  readSelected?(selection: StreamSelection, upTo: bigint): Promise<RecordedEvent[]>;
  /** Position of the last event in the log (0n when empty). */
  headPosition(): Promise<bigint>;
  /**
   * The first result of a command already appended, if any. Rejects with IdempotencyKeyReusedError
   * when both that first append and this call carry a request fingerprint and the two differ.
   */
  findCommand(commandId: string, requestFingerprint?: string): Promise<AppendResult | undefined>;
  /** Called after every append that wrote something, with the new head position. Returns unsubscribe. */
  onAppended(listener: (head: bigint) => void): () => void;
  /**
   * The last `registre verify` of this store's hash chain, if any was recorded (the SQLite file keeps
   * them; a store that records none leaves this out).
   */
  lastVerification?(): Promise<VerificationRecord | undefined>;
  /** Store reachable and answering. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Current revision of the stream, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(
      'STORE.WRONG_EXPECTED_REVISION',
      `stream ${streamId} is at revision ${String(actual)}, expected ${String(expected)}`,
      { streamId, expectedRevision: String(expected), currentRevision: actual },
      'conflict',
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** A command id (Idempotency-Key) already used by a different request: refused, nothing written. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(
    readonly commandId: string,
    /** The client's own key, when known: what the answer names. */
    readonly idempotencyKey?: string,
  ) {
    super(
      'IDEMPOTENCY.KEY_REUSED',
      idempotencyKey === undefined
        ? `command ${commandId} was already sent with a different request`
        : `Idempotency-Key ${idempotencyKey} was already used for a different request; send this one under a new key`,
      { field: 'Idempotency-Key', idempotencyKey: idempotencyKey ?? commandId },
      'unprocessable',
    );
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** Whether a command id's first request and this one may be the same (unknown fingerprints match). */
export const sameRequest = (first: string | null | undefined, again: string | undefined): boolean =>
  first === null || first === undefined || again === undefined || first === again;

export const revisionMatches = (expected: ExpectedRevision, actual: number | 'no_stream'): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
};

/** The first string after every string that starts with `prefix` (its last code unit moved up by one). */
export const prefixEnd = (prefix: string): string =>
  prefix.length === 0
    ? '\uffff'
    : prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

const SELECTED_PAGE = 5_000;

/**
 * The selected streams' events up to `upTo`, in global order: through the store's own index when it
 * has one, else by reading the log up to `upTo` (EventStoreDB: correct, slower).
 */
export async function readSelected(
  store: EventStore,
  selection: StreamSelection,
  upTo: bigint,
): Promise<RecordedEvent[]> {
  if (store.readSelected !== undefined) return store.readSelected(selection, upTo);
  const streams = new Set(selection.streams);
  const found: RecordedEvent[] = [];
  let after = 0n;
  while (after < upTo) {
    const page = await store.readAll({ after, limit: SELECTED_PAGE });
    if (page.length === 0) break;
    for (const event of page)
      if (
        event.position <= upTo &&
        (streams.has(event.streamId) ||
          selection.prefixes.some((prefix) => event.streamId.startsWith(prefix)))
      )
        found.push(event);
    after = page[page.length - 1].position;
  }
  return found;
}

/**
 * The events at these positions of these streams (entries of the trail), in global order: one read
 * of their streams, not one read of the log per event.
 */
export async function readEventsAt(
  store: EventStore,
  entries: readonly { readonly position: bigint; readonly streamId: string }[],
): Promise<RecordedEvent[]> {
  if (entries.length === 0) return [];
  const wanted = new Set(entries.map((e) => e.position));
  const upTo = entries.reduce((max, e) => (e.position > max ? e.position : max), 0n);
  const streams = [...new Set(entries.map((e) => e.streamId))];
  return (await readSelected(store, { prefixes: [], streams }, upTo)).filter((e) => wanted.has(e.position));
}
