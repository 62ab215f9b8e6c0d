import {
  AllStreamSubscription,
  AppendExpectedRevision,
  AppendResult as ClientAppendResult,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  ReadPosition,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  WrongExpectedRevisionError,
  revisionMatches,
} from '../event-store';
import {
  COMMAND_ANSWER_TYPE,
  ClientResolvedEvent,
  commandAnswerEventId,
  commandIndexStream,
  eventIdFor,
  fromCommandAnswer,
  isRegistreEvent,
  positionOf,
  requestFingerprintIn,
  requireSameRequest,
  serverStreamName,
  toClientExpectedRevision,
  toCommandAnswer,
  toEventData,
  toRecordedEvent,
  toStoreError,
  validNamespace,
} from './mapping';
import { ChainHash, GENESIS_HASH } from '../chain';
import { ChainVerification, VerificationRecord } from '../verify';
import {
  CHAIN_CHECKPOINT_STREAM,
  CHAIN_CHECKPOINT_TYPE,
  ChainCheckpoint,
  chainLinkIn,
  checkStreamEvent,
  headOf,
  headsDigest,
  isChainCheckpoint,
  linkEvents,
  StreamChainState,
} from './chain';

export interface EsdbEventStoreOptions {
  /** e.g. esdb://host:2113?tls=false, or esdb+discover://user:pass@cluster:2113 */
  readonly url: string;
  readonly upcast?: (event: RecordedEvent) => RecordedEvent;
  /**
   * Prefix of every stream this store writes and the only streams it reads back from $all, so that
   * several deployments or test runs can share one server. Default '': the store owns every user stream.
   */
  readonly namespace?: string;
}

/** $all pages: big enough to make few round trips, small enough to bound what one call holds. */
const PAGE_SIZE = 1000;
const MIN_PAGE_SIZE = 64;
const RESUBSCRIBE_DELAY_MS = 1000;
/** Appends with 'any' or 'stream_exists' recompute their links this many times when others write first. */
const CHAIN_ATTEMPTS = 5;

type Upcast = (event: RecordedEvent) => RecordedEvent;

/** A verification of every stream's chain; `headHash` is the digest of the stream heads (see ./chain.ts). */
export type EsdbChainVerification = ChainVerification & { readonly streams: number };

/**
 * The event store port on EventStoreDB / KurrentDB (gRPC client v6, server 22.6 or later).
 *
 * Positions are $all commit positions: strictly increasing, never reused, but neither dense nor
 * starting at 1. readAll, headPosition and onAppended only see this store's events: system events,
 * other namespaces and the command index below are skipped client-side, because the v6 client cannot
 * filter a read of $all on the server.
 *
 * Idempotency. A command's events get ids derived from its id, so that a resend at the same expected
 * revision is deduplicated by the server itself. Because the port also answers findCommand(commandId)
 * with no stream at hand, each command's first answer is written, after its events, as the single
 * event of its own stream `registre-command-<uuid v5 of the id>` (a lookup by stream name is the one
 * index EventStoreDB keeps for us). That stream is written with expected revision no_stream, so two
 * concurrent sends of one command agree on one answer.
 *
 * Limits, stated plainly:
 * - One command costs two appends (events, answer), a read of the answer stream before them and a
 *   read of its last event's position after them.
 * - Reading $all needs a user allowed to (an admin by default) on a secure server.
 * - The two appends are not atomic: if the process dies between them, the command has no recorded
 *   answer. A resend is then decided again against the stream, which already holds the events; the
 *   house rule that a resend changes nothing makes it append nothing. With expected revision 'any'
 *   the server's own deduplication by event id is best effort only (a bounded cache).
 * - onAppended is woken by our own appends at once and by a live subscription to $all for the
 *   others'; after a dropped connection the subscription restarts from the end, so a runner should
 *   still catch up by reading from its checkpoint rather than rely on every wake-up.
 * - Without a namespace, index streams live beside domain streams: no domain stream may be named
 *   `registre-command-...`.
 */
export class EsdbEventStore implements EventStore {
  private readonly listeners = new Set<(head: bigint) => void>();
  private subscription: AllStreamSubscription | undefined;
  private resubscribeTimer: NodeJS.Timeout | undefined;
  private lastNotified = 0n;
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly namespace: string = '',
    private readonly upcast: Upcast | undefined = undefined,
  ) {
    validNamespace(namespace);
  }

  static connect(options: EsdbEventStoreOptions): EsdbEventStore {
    return new EsdbEventStore(
      EventStoreDBClient.connectionString(options.url),
      options.namespace,
      options.upcast,
    );
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    const { commandId, requestFingerprint } = options;
    if (commandId !== undefined) {
      const seen = await this.findCommand(commandId, requestFingerprint);
      if (seen) return seen;
    }
    const name = serverStreamName(this.namespace, streamId);
    if (events.length === 0) return this.checkRevision(streamId, expected);

    let appended: ClientAppendResult;
    try {
      appended = await this.appendChained(name, streamId, events, expected, commandId, requestFingerprint);
    } catch (error) {
      if (commandId !== undefined && error instanceof WrongExpectedVersionError) {
        // A concurrent send of the same command may have written its events in between.
        const twin =
          (await this.findCommand(commandId, requestFingerprint)) ??
          (await this.answerOfTwin(name, streamId, commandId, requestFingerprint, expected, events.length));
        if (twin) return twin;
      }
      throw toStoreError(error, streamId, expected);
    }
    const result: AppendResult = {
      streamId,
      nextExpectedRevision: Number(appended.nextExpectedRevision),
      position: await this.positionOfLastEvent(name, appended, commandId, requestFingerprint),
      deduplicated: false,
    };
    const answer =
      commandId === undefined ? result : await this.recordAnswer(commandId, result, requestFingerprint);
    if (!answer.deduplicated) this.notify(answer.position);
    return answer;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const resolved = await this.readServerStream(serverStreamName(this.namespace, streamId), {
      fromRevision: BigInt(options.fromRevision ?? 0),
      ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
    });
    return this.decode(resolved);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const wanted = options.limit ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (wanted <= 0) return events;
    let cursor = options.after ?? 0n;
    for (;;) {
      const pageSize = Math.min(PAGE_SIZE, Math.max(MIN_PAGE_SIZE, wanted - events.length));
      // A forward read of $all includes the event at its starting position: hence the `<= cursor` skip.
      const page = await this.readAllPage(
        cursor === 0n ? START : { commit: cursor, prepare: cursor },
        FORWARDS,
        pageSize,
      );
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (position === undefined || position <= cursor) continue;
        const event = toRecordedEvent(resolved, this.namespace);
        if (event) events.push(this.upcast ? this.upcast(event) : event);
      }
      const last = page.length > 0 ? positionOf(page[page.length - 1]) : undefined;
      if (page.length < pageSize || events.length >= wanted || last === undefined || last <= cursor) break;
      cursor = last;
    }
    return events.length > wanted ? events.slice(0, wanted) : events;
  }

  async headPosition(): Promise<bigint> {
    let from: ReadPosition = END;
    // Our last event is usually among the very last ones: start small, grow while it is not.
    for (let pageSize = MIN_PAGE_SIZE; ; pageSize = Math.min(PAGE_SIZE, pageSize * 4)) {
      // A backward read of $all excludes the event at its starting position: pages do not overlap.
      const page = await this.readAllPage(from, BACKWARDS, pageSize);
      const head = page.find((resolved) => isRegistreEvent(resolved, this.namespace));
      if (head) return positionOf(head) ?? 0n;
      const last = page.length > 0 ? positionOf(page[page.length - 1]) : undefined;
      if (page.length < pageSize || last === undefined) return 0n;
      from = { commit: last, prepare: last };
    }
  }

  async findCommand(commandId: string, requestFingerprint?: string): Promise<AppendResult | undefined> {
    const [answer] = await this.readServerStream(commandIndexStream(this.namespace, commandId), {
      maxCount: 1,
    });
    if (!answer?.event) return undefined;
    requireSameRequest(commandId, answer.event.data, requestFingerprint);
    return fromCommandAnswer(answer.event.data);
  }

  onAppended(listener: (head: bigint) => void): () => void {
    this.listeners.add(listener);
    this.subscribe();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.unsubscribe();
    };
  }

  async ping(): Promise<void> {
    await this.readAllPage(END, BACKWARDS, 1);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.unsubscribe();
    await this.client.dispose();
  }

  /**
   * Walks $all and checks every stream's chain (see ./chain.ts), and the digest of the stream heads
   * against the last checkpoint. Holds one head per stream in memory.
   */
  async verifyChains(): Promise<EsdbChainVerification> {
    const checkpoint = await this.lastCheckpoint();
    const heads = new Map<string, StreamChainState>();
    let events = 0;
    let head = 0n;
    const summary = () => ({ events, streams: heads.size, headPosition: head, headHash: headsDigest(heads) });
    const checkpointProblem = (): EsdbChainVerification | undefined => {
      if (!checkpoint || headsDigest(heads) === checkpoint.digest) return undefined;
      return {
        outcome: 'tampered',
        ...summary(),
        problem: {
          position: BigInt(checkpoint.position),
          streamId: null,
          revision: null,
          problem: 'chain-altered',
          message: `the stream heads as of position ${checkpoint.position} no longer match the checkpoint of ${checkpoint.recordedAt}: a stream was deleted or rewritten`,
        },
      };
    };
    let checkpointSeen = false;
    let cursor = 0n;
    for (;;) {
      const page = await this.readAllPage(
        cursor === 0n ? START : { commit: cursor, prepare: cursor },
        FORWARDS,
        PAGE_SIZE,
      );
      for (const resolved of page) {
        const position = positionOf(resolved);
        if (position === undefined || position <= cursor) continue;
        cursor = position;
        const event = toRecordedEvent(resolved, this.namespace);
        if (!event) continue;
        if (checkpoint && !checkpointSeen && position > BigInt(checkpoint.position)) {
          checkpointSeen = true;
          const problem = checkpointProblem();
          if (problem) return problem;
        }
        const check = checkStreamEvent(
          heads.get(event.streamId),
          event.streamId,
          event.revision,
          event,
          chainLinkIn(resolved.event?.metadata),
        );
        if (!check.ok)
          return {
            outcome: 'tampered',
            ...summary(),
            problem: {
              position,
              streamId: event.streamId,
              revision: event.revision,
              problem: check.problem,
              message: check.message,
            },
          };
        heads.set(event.streamId, check.state);
        events++;
        head = position;
      }
      if (page.length < PAGE_SIZE) break;
    }
    if (checkpoint && !checkpointSeen) {
      const problem = checkpointProblem();
      if (problem) return problem;
    }
    return { outcome: 'intact', ...summary() };
  }

  /** After an intact verification: the heads' digest as of its position, for the next one to check. */
  async recordChainCheckpoint(verifiedAt: string, result: EsdbChainVerification): Promise<void> {
    if (result.outcome !== 'intact') return;
    const checkpoint: ChainCheckpoint = {
      recordedAt: verifiedAt,
      position: result.headPosition.toString(),
      events: result.events,
      streams: result.streams,
      digest: result.headHash,
    };
    await this.client.appendToStream(
      serverStreamName(this.namespace, CHAIN_CHECKPOINT_STREAM),
      jsonEvent({ type: CHAIN_CHECKPOINT_TYPE, data: { ...checkpoint } }),
    );
  }

  /** The last checkpoint, as the last verification that /health reports. */
  async lastVerification(): Promise<VerificationRecord | undefined> {
    const checkpoint = await this.lastCheckpoint();
    return (
      checkpoint && {
        verifiedAt: checkpoint.recordedAt,
        outcome: 'intact',
        events: checkpoint.events,
        headPosition: BigInt(checkpoint.position),
        headHash: checkpoint.digest,
      }
    );
  }

  private async lastCheckpoint(): Promise<ChainCheckpoint | undefined> {
    const [last] = await this.readServerStream(serverStreamName(this.namespace, CHAIN_CHECKPOINT_STREAM), {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    const data = last?.event?.data;
    return isChainCheckpoint(data) ? data : undefined;
  }

  /**
   * Links each event to its stream's previous one. A link depends on what the stream holds, so the
   * write is pinned to the revision the links were computed after: with 'any' or 'stream_exists', an
   * append by someone else in between makes the server refuse it, and the links are computed again.
   */
  private async appendChained(
    name: string,
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    commandId: string | undefined,
    requestFingerprint: string | undefined,
  ): Promise<ClientAppendResult> {
    const linkable = events.map((event, index) => ({ ...event, id: eventIdFor(commandId, index) }));
    for (let attempt = 1; ; attempt++) {
      const point = await this.chainPoint(name, streamId, expected);
      const links = linkEvents(streamId, point.firstRevision, point.prev, linkable);
      try {
        return await this.client.appendToStream(
          name,
          linkable.map((event, index) => toEventData(event, event.id, requestFingerprint, links[index])),
          { expectedRevision: point.expectedRevision },
        );
      } catch (error) {
        const pinnedByCaller = expected !== 'any' && expected !== 'stream_exists';
        if (!(error instanceof WrongExpectedVersionError) || pinnedByCaller || attempt >= CHAIN_ATTEMPTS)
          throw error;
      }
    }
  }

  /** Which revision the new events follow, and that revision's link. */
  private async chainPoint(
    name: string,
    streamId: string,
    expected: ExpectedRevision,
  ): Promise<{ expectedRevision: AppendExpectedRevision; firstRevision: number; prev: ChainHash }> {
    const empty = {
      expectedRevision: toClientExpectedRevision(expected),
      firstRevision: 0,
      prev: GENESIS_HASH,
    };
    if (expected === 'no_stream') return empty;
    const [last] =
      typeof expected === 'number'
        ? await this.readServerStream(name, { fromRevision: BigInt(expected), maxCount: 1 })
        : await this.readServerStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    if (!last?.event) {
      if (expected === 'stream_exists') throw new WrongExpectedRevisionError(streamId, expected, 'no_stream');
      // No such revision: the server refuses the write and says what the stream holds.
      return expected === 'any' ? { ...empty, expectedRevision: NO_STREAM } : empty;
    }
    const revision = Number(last.event.revision);
    const link = chainLinkIn(last.event.metadata);
    return {
      expectedRevision: BigInt(revision),
      firstRevision: revision + 1,
      prev: link?.hash ?? (await this.headThrough(name, streamId, revision)),
    };
  }

  /** The chain of a stream whose last events predate chains, computed from its start. */
  private async headThrough(name: string, streamId: string, revision: number): Promise<ChainHash> {
    const resolved = await this.readServerStream(name, { fromRevision: 0n, maxCount: revision + 1 });
    return headOf(
      streamId,
      resolved.flatMap((one) => {
        const event = toRecordedEvent(one, this.namespace);
        return event ? [{ revision: event.revision, event, link: chainLinkIn(one.event?.metadata) }] : [];
      }),
    );
  }

  /** An empty append writes nothing but still answers for the expected revision, as on SQLite. */
  private async checkRevision(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.readServerStream(serverStreamName(this.namespace, streamId), {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    const actual = last?.event ? Number(last.event.revision) : 'no_stream';
    if (!revisionMatches(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);
    return {
      streamId,
      nextExpectedRevision: actual === 'no_stream' ? -1 : actual,
      position: (last ? positionOf(last) : undefined) ?? 0n,
      deduplicated: false,
    };
  }

  /**
   * The append reply carries the position of the write as a whole, which for several events is not
   * documented to be the last one's $all position; reading that event back by revision is exact.
   */
  private async positionOfLastEvent(
    name: string,
    appended: ClientAppendResult,
    commandId: string | undefined,
    requestFingerprint: string | undefined,
  ): Promise<bigint> {
    const [last] = await this.readServerStream(name, {
      fromRevision: appended.nextExpectedRevision,
      maxCount: 1,
    });
    // The server answers a write of event ids it already holds as a success: those events may be
    // another request's sent under the same command id.
    if (commandId !== undefined && last?.event)
      requireSameRequest(commandId, last.event.metadata, requestFingerprint);
    const position = (last ? positionOf(last) : undefined) ?? appended.position?.commit;
    if (position === undefined) throw new Error(`EventStoreDB gave no position for the append to ${name}`);
    return position;
  }

  /**
   * Whether a concurrent send of this command wrote its events where this one was refused: knowable
   * only where the expected revision says where they stand. Its answer is then this one's too.
   */
  private async answerOfTwin(
    name: string,
    streamId: string,
    commandId: string,
    requestFingerprint: string | undefined,
    expected: ExpectedRevision,
    count: number,
  ): Promise<AppendResult | undefined> {
    const firstRevision =
      expected === 'no_stream' ? 0 : typeof expected === 'number' ? expected + 1 : undefined;
    if (firstRevision === undefined) return undefined;
    const written = await this.readServerStream(name, {
      fromRevision: BigInt(firstRevision),
      maxCount: count,
    });
    const ours =
      written.length === count && written.every((one, i) => one.event?.id === eventIdFor(commandId, i));
    const position = ours ? positionOf(written[count - 1]) : undefined;
    if (position === undefined) return undefined;
    const twinMetadata = written[0].event?.metadata;
    requireSameRequest(commandId, twinMetadata, requestFingerprint);
    const answer = await this.recordAnswer(
      commandId,
      { streamId, nextExpectedRevision: firstRevision + count - 1, position, deduplicated: false },
      requestFingerprintIn(twinMetadata),
    );
    return { ...answer, deduplicated: true };
  }

  /** Writes the command's first answer; if another send of it answered first, that answer wins. */
  private async recordAnswer(
    commandId: string,
    result: AppendResult,
    requestFingerprint: string | undefined,
  ): Promise<AppendResult> {
    try {
      await this.client.appendToStream(
        commandIndexStream(this.namespace, commandId),
        jsonEvent({
          id: commandAnswerEventId(commandId),
          type: COMMAND_ANSWER_TYPE,
          data: { ...toCommandAnswer(commandId, result, requestFingerprint) },
        }),
        { expectedRevision: NO_STREAM },
      );
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const first = await this.findCommand(commandId, requestFingerprint);
        if (first) return first;
      }
      // The events are written: failing the command now would invite a second, different attempt.
      process.emitWarning(`command ${commandId} appended but its answer was not recorded: ${String(error)}`);
      return result;
    }
  }

  private async readServerStream(
    name: string,
    options: Parameters<EventStoreDBClient['readStream']>[1],
  ): Promise<ClientResolvedEvent[]> {
    const events: ClientResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(name, options)) events.push(resolved);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  private async readAllPage(
    fromPosition: ReadPosition,
    direction: typeof FORWARDS | typeof BACKWARDS,
    maxCount: number,
  ): Promise<ClientResolvedEvent[]> {
    const events: ClientResolvedEvent[] = [];
    for await (const resolved of this.client.readAll({
      fromPosition,
      direction,
      maxCount,
      resolveLinkTos: false,
    })) {
      events.push(resolved);
    }
    return events;
  }

  private decode(resolved: readonly ClientResolvedEvent[]): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    for (const one of resolved) {
      const event = toRecordedEvent(one, this.namespace);
      if (event) events.push(this.upcast ? this.upcast(event) : event);
    }
    return events;
  }

  private subscribe(): void {
    if (this.subscription || this.closed || this.listeners.size === 0) return;
    const subscription = this.client.subscribeToAll({
      fromPosition: END,
      filter:
        this.namespace === '' ? excludeSystemEvents() : streamNameFilter({ prefixes: [this.namespace] }),
    });
    subscription.on('data', (resolved: ClientResolvedEvent) => {
      if (!isRegistreEvent(resolved, this.namespace)) return;
      const position = positionOf(resolved);
      if (position !== undefined) this.notify(position);
    });
    subscription.on('error', (error: Error) => {
      if (this.subscription !== subscription) return;
      this.subscription = undefined;
      if (this.closed || this.listeners.size === 0) return;
      process.emitWarning(`EventStoreDB subscription to $all dropped, restarting: ${error.message}`);
      this.resubscribeTimer = setTimeout(() => {
        this.resubscribeTimer = undefined;
        this.subscribe();
      }, RESUBSCRIBE_DELAY_MS);
      this.resubscribeTimer.unref();
    });
    this.subscription = subscription;
  }

  private async unsubscribe(): Promise<void> {
    if (this.resubscribeTimer) clearTimeout(this.resubscribeTimer);
    this.resubscribeTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    try {
      await subscription?.unsubscribe();
    } catch {
      // Closing a subscription that already failed has nothing left to release.
    }
  }

  /** Heads only move forward: our own wake-up and the subscription's echo of it are told once. */
  private notify(head: bigint): void {
    if (head <= this.lastNotified) return;
    this.lastNotified = head;
    for (const listener of this.listeners) {
      try {
        listener(head);
      } catch (error) {
        // A broken listener must not turn a written append into a failure for its caller.
        process.emitWarning(`onAppended listener failed: ${String(error)}`, 'EventStoreListenerWarning');
      }
    }
  }
}
