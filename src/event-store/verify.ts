import { ChainedContent, ChainHash, GENESIS_HASH, linkHash } from './chain';

/**
 * Walks a global hash chain (the SQLite log and its `event_chain`) in position order, in bounded
 * batches, and names the first place where the log was altered outside the engine. Pure over a
 * `ChainReader`: the walk and its diagnosis read nothing else.
 */
export type ChainProblemKind =
  'content-altered' | 'missing-event' | 'out-of-order' | 'inserted' | 'chain-altered';

export interface ChainProblem {
  readonly position: bigint;
  /** Null where the event is gone. */
  readonly streamId: string | null;
  readonly revision: number | null;
  readonly problem: ChainProblemKind;
  readonly message: string;
}

interface VerifiedPart {
  /** Events whose links were checked and found right (all of them when intact). */
  readonly events: number;
  /** The last position checked and found right (0n for none), and its hash. */
  readonly headPosition: bigint;
  readonly headHash: ChainHash;
}

export type ChainVerification =
  | (VerifiedPart & { readonly outcome: 'intact' })
  | (VerifiedPart & { readonly outcome: 'tampered'; readonly problem: ChainProblem });

/** An event as stored, with its global position and its chain entry (undefined when it has none). */
export interface StoredEvent extends ChainedContent {
  readonly position: bigint;
  readonly link: ChainHash | undefined;
}

export interface ChainReader {
  /** Events strictly after `after`, in position order, at most `limit`, each with its chain entry. */
  events(after: bigint, limit: number): readonly StoredEvent[];
  eventAt(position: bigint): StoredEvent | undefined;
  /**
   * An event of `streamId` that contradicts the order of (revision, position): a lower revision at a
   * later position or a higher revision at an earlier one.
   */
  outOfOrderWith(
    streamId: string,
    revision: number,
    position: bigint,
  ): { readonly position: bigint; readonly revision: number } | undefined;
  /**
   * The highest position the store ever handed out or chained (0n when none): positions are never
   * reused, so events missing at the end of the log show there.
   */
  highestPositionIssued(): bigint;
  /**
   * A fast first pass, where the store has one: every event's link checked against the stored link
   * before it (the genesis hash for the first), with no diagnosis. Intact then means the same as a
   * walk that finds nothing; otherwise the walk runs and names the problem.
   */
  checkLinks?(upTo?: bigint): LinkCheck;
}

export type LinkCheck =
  | { readonly intact: false }
  | (VerifiedPart & {
      readonly intact: true;
      /** The link at the position asked for, when the log reaches it. */
      readonly hashAt?: ChainHash;
    });

/** A head recorded elsewhere (the last intact verification): the chain must still pass through it. */
export interface KnownHead {
  readonly position: bigint;
  readonly hash: ChainHash;
  readonly recordedAt: string;
}

export interface VerifyChainOptions {
  readonly batchSize?: number;
  readonly knownHead?: KnownHead;
}

const DEFAULT_BATCH = 1_000;
/** Mismatching positions examined as the other half of a swap before calling it an edit. */
const SWAP_CANDIDATES = 64;

export function verifyChain(reader: ChainReader, options: VerifyChainOptions = {}): ChainVerification {
  const known = options.knownHead;
  const quick = reader.checkLinks?.(known?.position);
  if (quick?.intact) return afterTheLastEvent(reader, known, quick, quick.hashAt);
  return walkChain(reader, options);
}

function walkChain(reader: ChainReader, options: VerifyChainOptions): ChainVerification {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const known = options.knownHead;
  let prev = GENESIS_HASH;
  let last = 0n;
  let events = 0;
  let hashAtKnown: ChainHash | undefined;
  const tampered = (problem: ChainProblem): ChainVerification => ({
    outcome: 'tampered',
    events,
    headPosition: last,
    headHash: prev,
    problem,
  });

  for (;;) {
    const batch = reader.events(last, batchSize);
    for (const event of batch) {
      if (event.link === undefined) return tampered(inserted(event));
      if (event.position !== last + 1n) return tampered(missing(last + 1n, event.position));
      const computed = linkHash(prev, event);
      if (computed !== event.link) return tampered(diagnose(reader, event, prev, computed, batchSize));
      prev = computed;
      last = event.position;
      events++;
      if (known?.position === last) hashAtKnown = computed;
    }
    if (batch.length < batchSize) break;
  }
  return afterTheLastEvent(reader, known, { events, headPosition: last, headHash: prev }, hashAtKnown);
}

/** What the walk cannot see in the rows themselves: events removed at the end, the log rewritten. */
function afterTheLastEvent(
  reader: ChainReader,
  known: KnownHead | undefined,
  walked: VerifiedPart,
  hashAtKnown: ChainHash | undefined,
): ChainVerification {
  const { events, headPosition: last, headHash: prev } = walked;
  const tampered = (problem: ChainProblem): ChainVerification => ({
    outcome: 'tampered',
    events,
    headPosition: last,
    headHash: prev,
    problem,
  });
  const issued = reader.highestPositionIssued();
  if (issued > last)
    return tampered({
      position: last + 1n,
      streamId: null,
      revision: null,
      problem: 'missing-event',
      message: `the log ends at position ${last} but the store had handed out positions up to ${issued}: the events from position ${last + 1n} on were removed`,
    });
  if (known && known.position > 0n) {
    if (known.position > last)
      return tampered({
        position: last + 1n,
        streamId: null,
        revision: null,
        problem: 'missing-event',
        message: `the log ends at position ${last}, but the verification of ${known.recordedAt} saw it reach position ${known.position}`,
      });
    if (hashAtKnown !== known.hash)
      return tampered({
        position: known.position,
        streamId: null,
        revision: null,
        problem: 'chain-altered',
        message: `the chain at position ${known.position} no longer has the hash ${known.hash} recorded by the verification of ${known.recordedAt}: the log up to there was rewritten and rehashed`,
      });
  }
  return { outcome: 'intact', events, headPosition: last, headHash: prev };
}

/** A `registre verify` run as recorded in the file (outside the log), for /health and the next run. */
export interface VerificationRecord {
  readonly verifiedAt: string;
  readonly outcome: 'intact' | 'tampered';
  /** Events found intact (all of them when intact). */
  readonly events: number;
  readonly headPosition: bigint;
  readonly headHash: ChainHash;
  readonly problem?: ChainProblem;
}

export const verificationRecord = (verifiedAt: string, result: ChainVerification): VerificationRecord => ({
  verifiedAt,
  outcome: result.outcome,
  events: result.events,
  headPosition: result.headPosition,
  headHash: result.headHash,
  ...(result.outcome === 'tampered' ? { problem: result.problem } : {}),
});

/** The line `registre verify` prints. */
export const describeVerification = (result: ChainVerification): string =>
  result.outcome === 'intact'
    ? `intact, ${result.events} events, head hash ${result.headHash}`
    : `tampered: ${result.problem.problem} at position ${result.problem.position}: ${result.problem.message}`;

const where = (event: StoredEvent): string =>
  `position ${event.position} (stream ${event.streamId}, revision ${event.revision})`;

const inserted = (event: StoredEvent): ChainProblem => ({
  position: event.position,
  streamId: event.streamId,
  revision: event.revision,
  problem: 'inserted',
  message: `the event at ${where(event)} has no chain entry: it was written outside the engine`,
});

const missing = (position: bigint, next: bigint): ChainProblem => ({
  position,
  streamId: null,
  revision: null,
  problem: 'missing-event',
  message:
    next === position + 1n
      ? `the event at position ${position} is missing: its row was removed`
      : `the events at positions ${position} to ${next - 1n} are missing: their rows were removed`,
});

/**
 * The event at `event.position` does not hash to its chain entry. Which tampering: its chain entry
 * edited (the next link follows from the content as it is), a swap with another row (exchanging some
 * columns back makes both links right), an event moved against its stream's revision order, or else
 * its content edited.
 */
function diagnose(
  reader: ChainReader,
  event: StoredEvent,
  prev: ChainHash,
  computed: ChainHash,
  batchSize: number,
): ChainProblem {
  const at = { position: event.position, streamId: event.streamId, revision: event.revision };
  const next = reader.eventAt(event.position + 1n);
  if (next?.link !== undefined && linkHash(computed, next) === next.link)
    return {
      ...at,
      problem: 'chain-altered',
      message: `the chain entry at ${where(event)} was altered; the event itself and the next link agree`,
    };
  const swap = swapPartner(reader, event, prev, batchSize);
  if (swap)
    return {
      ...at,
      problem: 'out-of-order',
      message: `the events at positions ${event.position} and ${swap.position} were swapped (${swap.columns.map((c) => COLUMN_NAMES[c]).join(', ')} exchanged)`,
    };
  const other = reader.outOfOrderWith(event.streamId, event.revision, event.position);
  if (other)
    return {
      ...at,
      problem: 'out-of-order',
      message: `${where(event)} is out of its stream's order: revision ${other.revision} is at position ${other.position}`,
    };
  return {
    ...at,
    problem: 'content-altered',
    message: `the content of the event at ${where(event)} does not match its chain entry: it was altered`,
  };
}

const COLUMNS = ['streamId', 'revision', 'eventId', 'type', 'data', 'metadata'] as const;
type Column = (typeof COLUMNS)[number];

const exchange = (into: StoredEvent, from: StoredEvent, columns: readonly Column[]): StoredEvent => {
  const mixed: Record<string, unknown> = { ...into };
  for (const column of columns) mixed[column] = from[column];
  return mixed as unknown as StoredEvent;
};

const COLUMN_NAMES: Readonly<Record<Column, string>> = {
  streamId: 'stream id',
  revision: 'revision',
  eventId: 'event id',
  type: 'type',
  data: 'data',
  metadata: 'metadata',
};

/** Every non-empty set of columns, smallest first: a swap is named by the fewest columns that explain it. */
const subsetsOfColumns: readonly (readonly Column[])[] = Array.from(
  { length: (1 << COLUMNS.length) - 1 },
  (_, i) => COLUMNS.filter((_, bit) => ((i + 1) >> bit) & 1),
).sort((a, b) => a.length - b.length);

/** A later row whose link also breaks, such that exchanging some columns back mends both links. */
function swapPartner(
  reader: ChainReader,
  event: StoredEvent,
  prev: ChainHash,
  batchSize: number,
): { position: bigint; columns: readonly Column[] } | undefined {
  const stored = event.link;
  if (stored === undefined) return undefined;
  let candidates = 0;
  let before: StoredEvent = event;
  for (;;) {
    const batch = reader.events(before.position, batchSize);
    if (batch.length === 0) return undefined;
    for (const other of batch) {
      const link = other.link;
      const linkBefore = before.position === other.position - 1n ? before.link : undefined;
      before = other;
      if (link === undefined || linkBefore === undefined || linkHash(linkBefore, other) === link) continue;
      for (const columns of subsetsOfColumns) {
        if (
          linkHash(prev, exchange(event, other, columns)) === stored &&
          linkHash(linkBefore, exchange(other, event, columns)) === link
        )
          return { position: other.position, columns };
      }
      if (++candidates >= SWAP_CANDIDATES) return undefined;
    }
  }
}
