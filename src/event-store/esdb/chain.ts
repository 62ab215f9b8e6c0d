import { hash } from 'node:crypto';
import { ChainedContent, ChainHash, GENESIS_HASH, linkHash } from '../chain';
import type { ChainProblemKind } from '../verify';

/**
 * Tamper evidence on EventStoreDB, pure. Concurrent writers cannot share one global chain, so each
 * stream carries its own: every event's server-side metadata holds `{ prev, hash }`, where `prev` is
 * the link of the stream's previous revision (GENESIS_HASH before revision 0) and `hash` is
 * linkHash(prev, the event) with no global position. What a per-stream chain cannot see — a whole
 * stream deleted, or rewritten and rehashed — is caught against checkpoints: a digest of every
 * stream's head as of a $all position, written by `registre verify` to a stream of its own.
 */
export const CHAIN_KEY = 'registreChain';

/** Where checkpoints of the stream heads go (behind the store's namespace). */
export const CHAIN_CHECKPOINT_STREAM = 'registre-chain-checkpoint';
export const CHAIN_CHECKPOINT_TYPE = 'ChainCheckpointed';

export interface StreamLink {
  readonly prev: ChainHash;
  readonly hash: ChainHash;
}

export interface LinkableEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  /** The port's metadata: without the chain link nor the request fingerprint. */
  readonly metadata: unknown;
}

/** JSON text as the server stores it and hands it back (parse then stringify keeps key order and numbers). */
export const streamContent = (streamId: string, revision: number, event: LinkableEvent): ChainedContent => ({
  position: null,
  streamId,
  revision,
  eventId: event.id,
  type: event.type,
  data: JSON.stringify(event.data),
  metadata: JSON.stringify(event.metadata),
});

/** The links of events appended at `firstRevision` on, after a stream whose last link is `prev`. */
export const linkEvents = (
  streamId: string,
  firstRevision: number,
  prev: ChainHash,
  events: readonly LinkableEvent[],
): StreamLink[] => {
  const links: StreamLink[] = [];
  let previous = prev;
  events.forEach((event, index) => {
    const link = {
      prev: previous,
      hash: linkHash(previous, streamContent(streamId, firstRevision + index, event)),
    };
    links.push(link);
    previous = link.hash;
  });
  return links;
};

const isHash = (value: unknown): value is ChainHash =>
  typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

/** The link stored in an event's server-side metadata, if it has a well-formed one. */
export const chainLinkIn = (metadata: unknown): StreamLink | undefined => {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const link = (metadata as Record<string, unknown>)[CHAIN_KEY] as Partial<StreamLink> | undefined;
  return link && isHash(link.prev) && isHash(link.hash) ? { prev: link.prev, hash: link.hash } : undefined;
};

/** A stream's chain as far as it was walked. `chained`: whether its links have started (older events have none). */
export interface StreamChainState {
  readonly revision: number;
  readonly hash: ChainHash;
  readonly chained: boolean;
}

export type StreamCheck =
  | { readonly ok: true; readonly state: StreamChainState }
  | { readonly ok: false; readonly problem: ChainProblemKind; readonly message: string };

/**
 * One event of a stream, read in revision order, against the stream's state so far. Events written
 * before chains existed (no link, none before them) are folded in as they are: the chain starts over
 * them, and proves nothing about them.
 */
export const checkStreamEvent = (
  state: StreamChainState | undefined,
  streamId: string,
  revision: number,
  event: LinkableEvent,
  link: StreamLink | undefined,
): StreamCheck => {
  const expected = state ? state.revision + 1 : 0;
  const where = `stream ${streamId}, revision ${revision}`;
  if (revision !== expected)
    return {
      ok: false,
      problem: 'missing-event',
      message: `${where} follows revision ${expected - 1}: revision ${expected} is missing`,
    };
  const prev = state?.hash ?? GENESIS_HASH;
  const computed = linkHash(prev, streamContent(streamId, revision, event));
  if (!link) {
    if (state?.chained)
      return {
        ok: false,
        problem: 'inserted',
        message: `${where} has no chain link though the revisions before it do`,
      };
    return { ok: true, state: { revision, hash: computed, chained: false } };
  }
  if (link.prev !== prev)
    return {
      ok: false,
      problem: 'chain-altered',
      message: `${where} does not link to the revision before it`,
    };
  if (link.hash !== computed)
    return {
      ok: false,
      problem: 'content-altered',
      message: `the content of ${where} does not match its chain link`,
    };
  return { ok: true, state: { revision, hash: computed, chained: true } };
};

/**
 * The link a new event follows: the last stored link of the stream's events in revision order,
 * computed over events that have none (written before chains existed).
 */
export const headOf = (
  streamId: string,
  events: readonly { readonly revision: number; readonly event: LinkableEvent; readonly link?: StreamLink }[],
): ChainHash =>
  events.reduce(
    (prev, { revision, event, link }) =>
      link?.hash ?? linkHash(prev, streamContent(streamId, revision, event)),
    GENESIS_HASH,
  );

/** A checkpoint: how many streams, and a digest of every stream's head, as of a $all position. */
export interface ChainCheckpoint {
  readonly recordedAt: string;
  /** Decimal $all position: the heads are those of the events up to it. */
  readonly position: string;
  readonly events: number;
  readonly streams: number;
  readonly digest: ChainHash;
}

/** sha256 over the heads sorted by stream id, one `streamId revision hash` line each. */
export const headsDigest = (heads: ReadonlyMap<string, StreamChainState>): ChainHash =>
  hash(
    'sha256',
    [...heads.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([streamId, head]) => `${JSON.stringify(streamId)} ${head.revision} ${head.hash}\n`)
      .join(''),
    'hex',
  );

export const checkpointOf = (
  heads: ReadonlyMap<string, StreamChainState>,
  events: number,
  position: bigint,
  recordedAt: string,
): ChainCheckpoint => ({
  recordedAt,
  position: position.toString(),
  events,
  streams: heads.size,
  digest: headsDigest(heads),
});

export const isChainCheckpoint = (data: unknown): data is ChainCheckpoint => {
  const c = data as Partial<ChainCheckpoint> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.recordedAt === 'string' &&
    typeof c.position === 'string' &&
    /^\d+$/.test(c.position) &&
    typeof c.events === 'number' &&
    typeof c.streams === 'number' &&
    isHash(c.digest)
  );
};
