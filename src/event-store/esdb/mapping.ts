import {
  ANY,
  AppendExpectedRevision,
  CurrentRevision,
  JSONEventData,
  NO_STREAM,
  STREAM_EXISTS,
  WrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';
import { v5 } from 'uuid';
import { EventMetadata } from '../../domain/shared/event';
import {
  AppendResult,
  EventToAppend,
  ExpectedRevision,
  IdempotencyKeyReusedError,
  RecordedEvent,
  WrongExpectedRevisionError,
  sameRequest,
} from '../event-store';
import { EVENT_ID_NAMESPACE, eventIdFor } from '../sqlite/event-id';
import { CHAIN_CHECKPOINT_STREAM, CHAIN_KEY, StreamLink } from './chain';

/**
 * Pure translations between the port and @eventstore/db-client, kept apart from the I/O so that they
 * can be tested without a server.
 */
export { EVENT_ID_NAMESPACE, eventIdFor };

/** Streams holding one command's first answer: see EsdbEventStore.findCommand. */
export const COMMAND_INDEX_PREFIX = 'registre-command-';
export const COMMAND_ANSWER_TYPE = 'CommandAnswered';

export const toClientExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new RangeError(`expected revision must be a revision (integer >= 0), got ${String(expected)}`);
      }
      return BigInt(expected);
  }
};

export const fromClientCurrentRevision = (current: CurrentRevision): number | 'no_stream' =>
  current === NO_STREAM ? 'no_stream' : Number(current);

/** The client's concurrency failure becomes the port's; any other error is left as it is. */
export const toStoreError = (error: unknown, streamId: string, expected: ExpectedRevision): unknown =>
  error instanceof WrongExpectedVersionError
    ? new WrongExpectedRevisionError(streamId, expected, fromClientCurrentRevision(error.actualVersion))
    : error;

/**
 * The request fingerprint rides in the server-side metadata of a command's events, so that a concurrent
 * send of the same command id finds it on the events themselves; it is taken off again on read.
 */
export const REQUEST_FINGERPRINT_KEY = 'registreRequestFingerprint';

export const toEventData = (
  event: EventToAppend,
  id: string,
  requestFingerprint?: string,
  link?: StreamLink,
): JSONEventData =>
  jsonEvent({
    id,
    type: event.type,
    data: { ...event.data },
    metadata: {
      ...event.metadata,
      ...(requestFingerprint !== undefined ? { [REQUEST_FINGERPRINT_KEY]: requestFingerprint } : {}),
      ...(link !== undefined ? { [CHAIN_KEY]: link } : {}),
    },
  });

/** The fingerprint stored in an event's metadata or a command answer, if any. */
export const requestFingerprintIn = (stored: unknown): string | undefined => {
  const value = isPlainObject(stored) ? stored[REQUEST_FINGERPRINT_KEY] : undefined;
  return typeof value === 'string' ? value : undefined;
};

/** Refuses a command id whose first request (as stored) was not this one. */
export const requireSameRequest = (
  commandId: string,
  stored: unknown,
  requestFingerprint: string | undefined,
): void => {
  if (!sameRequest(requestFingerprintIn(stored), requestFingerprint))
    throw new IdempotencyKeyReusedError(commandId);
};

/**
 * A namespace prefixes every stream name on the server, so that several Registre deployments (or test
 * runs) can share one cluster. Names starting with '$' are the server's own.
 */
export const validNamespace = (namespace: string): string => {
  if (namespace.startsWith('$')) throw new RangeError(`namespace must not start with '$' (got ${namespace})`);
  return namespace;
};

export const serverStreamName = (namespace: string, streamId: string): string => `${namespace}${streamId}`;

/** The port's stream id for a server stream name, or undefined when the stream is not one of ours. */
export const registreStreamId = (namespace: string, serverName: string): string | undefined => {
  if (serverName.startsWith('$') || !serverName.startsWith(namespace)) return undefined;
  const streamId = serverName.slice(namespace.length);
  return streamId.startsWith(COMMAND_INDEX_PREFIX) || streamId === CHAIN_CHECKPOINT_STREAM
    ? undefined
    : streamId;
};

export const commandIndexStream = (namespace: string, commandId: string): string =>
  serverStreamName(namespace, `${COMMAND_INDEX_PREFIX}${v5(commandId, EVENT_ID_NAMESPACE)}`);

/** Fixed per command, so that writing a command's answer twice is deduplicated by the server too. */
export const commandAnswerEventId = (commandId: string): string =>
  v5(`${commandId}:answer`, EVENT_ID_NAMESPACE);

/** The part of a client event this adapter reads: fits the client's ResolvedEvent and AllStreamResolvedEvent. */
export interface ClientResolvedEvent {
  readonly event?: {
    readonly streamId: string;
    readonly id: string;
    readonly revision: bigint;
    readonly type: string;
    readonly isJson: boolean;
    readonly data: unknown;
    readonly metadata: unknown;
    readonly position?: { readonly commit: bigint; readonly prepare: bigint };
  };
  readonly commitPosition?: bigint;
}

/** Position in $all: the commit position, which equals the prepare position for every gRPC append. */
export const positionOf = (resolved: ClientResolvedEvent): bigint | undefined =>
  resolved.event?.position?.commit ?? resolved.commitPosition;

/** Whether an event read from the server belongs to this store's log (not a system, foreign or index event). */
export const isRegistreEvent = (resolved: ClientResolvedEvent, namespace: string): boolean =>
  resolved.event !== undefined &&
  !resolved.event.type.startsWith('$') &&
  registreStreamId(namespace, resolved.event.streamId) !== undefined;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** The port's event for a Registre event read from the server; undefined for any other event. */
export const toRecordedEvent = (
  resolved: ClientResolvedEvent,
  namespace: string,
): RecordedEvent | undefined => {
  const event = resolved.event;
  if (event === undefined || !isRegistreEvent(resolved, namespace)) return undefined;
  const streamId = registreStreamId(namespace, event.streamId) as string;
  const position = positionOf(resolved);
  if (position === undefined) {
    throw new Error(
      `EventStoreDB returned event ${event.id} of ${event.streamId} without its position (server older than 22.6?)`,
    );
  }
  if (!event.isJson || !isPlainObject(event.data) || !isPlainObject(event.metadata)) {
    throw new Error(
      `event ${event.id} of ${event.streamId} is not a Registre event: JSON data and metadata expected`,
    );
  }
  const { [REQUEST_FINGERPRINT_KEY]: _fingerprint, [CHAIN_KEY]: _link, ...metadata } = event.metadata;
  return {
    id: event.id,
    streamId,
    revision: Number(event.revision),
    position,
    type: event.type,
    data: event.data,
    metadata: metadata as unknown as EventMetadata,
  };
};

export interface CommandAnswer {
  readonly commandId: string;
  readonly streamId: string;
  readonly nextExpectedRevision: number;
  /** Decimal: JSON has no bigint. */
  readonly position: string;
  readonly [REQUEST_FINGERPRINT_KEY]?: string;
}

export const toCommandAnswer = (
  commandId: string,
  result: AppendResult,
  requestFingerprint?: string,
): CommandAnswer => ({
  commandId,
  streamId: result.streamId,
  nextExpectedRevision: result.nextExpectedRevision,
  position: result.position.toString(),
  ...(requestFingerprint !== undefined ? { [REQUEST_FINGERPRINT_KEY]: requestFingerprint } : {}),
});

export const fromCommandAnswer = (data: unknown): AppendResult => {
  const answer = data as Partial<CommandAnswer> | null;
  if (
    !isPlainObject(answer) ||
    typeof answer.streamId !== 'string' ||
    typeof answer.nextExpectedRevision !== 'number' ||
    typeof answer.position !== 'string' ||
    !/^\d+$/.test(answer.position)
  ) {
    throw new Error(`malformed command answer: ${JSON.stringify(data)}`);
  }
  return {
    streamId: answer.streamId,
    nextExpectedRevision: answer.nextExpectedRevision,
    position: BigInt(answer.position),
    deduplicated: true,
  };
};
