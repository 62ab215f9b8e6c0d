import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  IdempotencyKeyReusedError,
  ReadAllOptions,
  prefixEnd,
  ReadStreamOptions,
  RecordedEvent,
  StreamSelection,
  revisionMatches,
  sameRequest,
  WrongExpectedRevisionError,
} from '../event-store';
import { decodeRows, decodeRowsWithoutMetadata, MetadataSource, SerializedEvent, serialize } from './codec';
import {
  applyPragmas,
  ConnectionSettings,
  DEFAULT_BUSY_TIMEOUT_MS,
  migrate,
  readSettings,
  SynchronousMode,
} from './schema';
import { EventRow, LINKS_PER_INSERT, NO_LIMIT, prepareStatements, Statements } from './statements';
import { ChainHash, GENESIS_HASH, hashFromBytes, LinkHasher } from '../chain';
import { ChainVerification, VerificationRecord, verificationRecord, verifyChain } from '../verify';
import { knownHead, lastVerification, recordVerification, SqliteChainReader } from './chain-store';
import { releaseLinkCheckConnections } from './chain-check';

export interface SqliteEventStoreOptions {
  readonly path: string;
  /** 'full' (default) survives power loss; 'normal' may lose the last commits on power loss, never corrupts. */
  readonly synchronous?: SynchronousMode;
  /** How long a write waits for another process holding the file's write lock (default 5 s). */
  readonly busyTimeoutMs?: number;
  /** Brings old event versions up to date on read; the log itself is never rewritten. */
  readonly upcast?: (event: RecordedEvent) => RecordedEvent;
  /**
   * While someone listens to onAppended, how often to look for appends by other connections — a CLI
   * import in another process — with one `PRAGMA data_version` (default 250 ms; 0: never).
   */
  readonly watchIntervalMs?: number;
}

const DEFAULT_WATCH_INTERVAL_MS = 250;

export interface SqliteEventStoreStats {
  /** Transactions committed by group commit: one fsync each. */
  readonly commits: number;
  /** Appends answered from those transactions, deduplicated and refused ones included. */
  readonly appends: number;
}

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly SerializedEvent[];
  readonly expectedRevision: ExpectedRevision;
  readonly commandId: string | undefined;
  readonly requestFingerprint: string | undefined;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

/**
 * The default event store: one SQLite file in WAL mode, one writer. Appends are group-committed:
 * every append queued while the event loop is busy is written in the next single transaction (one
 * fsync), each inside its own savepoint so that a conflict answers that append alone.
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: Statements;
  private readonly listeners = new Set<(head: bigint) => void>();
  private queue: PendingAppend[] = [];
  private scheduledFlush: NodeJS.Immediate | undefined;
  private closed = false;
  private commits = 0;
  private appends = 0;
  private watchTimer: NodeJS.Timeout | undefined;
  private dataVersion = 0;
  private lastNotified = 0n;
  /** The chain's last link, read at the start of each group commit (other processes may append too). */
  private chainHead: ChainHash = GENESIS_HASH;
  private readonly links = new LinkHasher();

  private constructor(
    private readonly db: Database,
    readonly path: string,
    private readonly upcast: ((event: RecordedEvent) => RecordedEvent) | undefined,
    private readonly watchIntervalMs: number,
  ) {
    this.statements = prepareStatements(db);
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new BetterSqlite3(options.path);
    try {
      applyPragmas(db, options.synchronous ?? 'full', options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
      migrate(db);
      return new SqliteEventStore(
        db,
        options.path,
        options.upcast,
        options.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS,
      );
    } catch (error) {
      db.close();
      throw error;
    }
  }

  get stats(): SqliteEventStoreStats {
    return { commits: this.commits, appends: this.appends };
  }

  /** Durability settings in force on the writing connection, read back from SQLite. */
  settings(): ConnectionSettings {
    return readSettings(this.db);
  }

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error(`event store ${this.path} is closed`));
    let serialized: SerializedEvent[];
    try {
      serialized = serialize(events, options.commandId);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({
        streamId,
        events: serialized,
        expectedRevision: options.expectedRevision ?? 'any',
        commandId: options.commandId,
        requestFingerprint: options.requestFingerprint,
        resolve,
        reject,
      });
      this.scheduledFlush ??= setImmediate(() => this.flush());
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    const rows =
      options.maxCount === undefined
        ? this.statements.readWholeStream.all(streamId, from)
        : this.statements.readStream.all(streamId, from, options.maxCount);
    return decodeRows(rows, this.upcast);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0n;
    const limit = options.limit ?? NO_LIMIT;
    if (options.metadata === 'on-first-read') {
      const rows = this.statements.readAllWithoutMetadata.all(after, limit);
      return decodeRowsWithoutMetadata(rows, this.metadataSource, this.upcast);
    }
    return decodeRows(this.statements.readAll.all(after, limit), this.upcast);
  }

  /** Where events read without their metadata find it. */
  private readonly metadataSource: MetadataSource = {
    at: (position) => {
      const text = this.statements.metadataAt.get(position);
      if (text === undefined) throw new Error(`no event at position ${position} in the log`);
      return text;
    },
    between: (first, last) => this.statements.metadataBetween.all(first, last),
  };

  async readSelected(selection: StreamSelection, upTo: bigint): Promise<RecordedEvent[]> {
    const numbers = new Set<bigint>();
    for (const prefix of selection.prefixes)
      for (const [streamNum] of this.statements.streamsInRange.all(prefix, prefixEnd(prefix)))
        numbers.add(streamNum);
    for (const streamNum of this.statements.streamNumbers.all(JSON.stringify(selection.streams)))
      numbers.add(streamNum);
    const rows: EventRow[] = [];
    for (const streamNum of numbers)
      for (const row of this.statements.streamUpTo.all(streamNum, upTo)) rows.push(row);
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return decodeRows(rows, this.upcast);
  }

  async headPosition(): Promise<bigint> {
    return this.statements.headPosition.get() ?? 0n;
  }

  async findCommand(commandId: string, requestFingerprint?: string): Promise<AppendResult | undefined> {
    return this.findCommandNow(commandId, requestFingerprint);
  }

  onAppended(listener: (head: bigint) => void): () => void {
    this.listeners.add(listener);
    this.watchOtherWriters();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatching();
    };
  }

  async ping(): Promise<void> {
    this.statements.ping.get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.listeners.clear();
    this.stopWatching();
    // The link check's connections to the file closed first: the store's is then the last one, and
    // folds the WAL into the file as it closes.
    if (this.path !== ':memory:') releaseLinkCheckConnections(this.path);
    this.db.close();
  }

  /**
   * Walks the whole hash chain in one read transaction (a consistent snapshot, appends may go on),
   * checked against the head the last intact verification recorded.
   */
  verifyChain(options: { readonly batchSize?: number } = {}): ChainVerification {
    this.flush();
    const reader = new SqliteChainReader(this.db, this.path === ':memory:' ? '' : this.path);
    const known = knownHead(this.db);
    this.db.exec('BEGIN');
    try {
      return verifyChain(reader, { ...options, ...(known ? { knownHead: known } : {}) });
    } finally {
      this.db.exec('COMMIT');
    }
  }

  /** Records a verification's outcome in the file (outside the log): /health shows the last one. */
  recordVerification(verifiedAt: string, result: ChainVerification): VerificationRecord {
    const record = verificationRecord(verifiedAt, result);
    recordVerification(this.db, record);
    return record;
  }

  async lastVerification(): Promise<VerificationRecord | undefined> {
    return lastVerification(this.db);
  }

  private findCommandNow(
    commandId: string,
    requestFingerprint: string | undefined,
  ): AppendResult | undefined {
    const row = this.statements.findCommand.get(commandId);
    if (!row) return undefined;
    if (!sameRequest(row[3], requestFingerprint)) throw new IdempotencyKeyReusedError(commandId);
    return { streamId: row[0], position: row[1], nextExpectedRevision: Number(row[2]), deduplicated: true };
  }

  /** Writes every queued append in one transaction; each promise settles only after COMMIT. */
  private flush(): void {
    if (this.scheduledFlush) clearImmediate(this.scheduledFlush);
    this.scheduledFlush = undefined;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;

    const outcomes: Outcome[] = [];
    try {
      this.statements.begin.run();
      const tail = this.statements.chainTail.get();
      this.chainHead = tail ? hashFromBytes(tail[1]) : GENESIS_HASH;
      for (const pending of group) outcomes.push(this.appendInSavepoint(pending));
      this.statements.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const pending of group) pending.reject(error);
      return;
    }
    this.commits++;
    this.appends += group.length;

    let head = 0n;
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (!outcome.ok) return pending.reject(outcome.error);
      if (!outcome.result.deduplicated && outcome.result.position > head) head = outcome.result.position;
      pending.resolve(outcome.result);
    });
    if (head > 0n) this.notify(head);
  }

  private appendInSavepoint(pending: PendingAppend): Outcome {
    this.statements.savepoint.run();
    const chainHead = this.chainHead;
    try {
      const result = this.appendNow(pending);
      this.statements.release.run();
      return { ok: true, result };
    } catch (error) {
      // SQLite may have rolled back the whole transaction (disk full, I/O error): then the group fails.
      if (!this.db.inTransaction) throw error;
      this.chainHead = chainHead;
      this.statements.rollbackTo.run();
      this.statements.release.run();
      return { ok: false, error };
    }
  }

  private appendNow({
    streamId,
    events,
    expectedRevision,
    commandId,
    requestFingerprint,
  }: PendingAppend): AppendResult {
    if (commandId !== undefined) {
      const seen = this.findCommandNow(commandId, requestFingerprint);
      if (seen) return seen;
    }
    const stream = this.statements.findStream.get(streamId);
    const actual = stream ? Number(stream[1]) : 'no_stream';
    if (!revisionMatches(expectedRevision, actual)) {
      throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
    }
    const firstRevision = actual === 'no_stream' ? 0 : actual + 1;
    if (events.length === 0) {
      const position = stream ? (this.statements.positionOfRevision.get(stream[0], stream[1]) ?? 0n) : 0n;
      return { streamId, nextExpectedRevision: firstRevision - 1, position, deduplicated: false };
    }
    const lastRevision = firstRevision + events.length - 1;
    let streamNum: bigint;
    if (stream) {
      streamNum = stream[0];
      this.statements.updateStream.run(lastRevision, streamNum);
    } else {
      streamNum = this.statements.insertStream.run(streamId, lastRevision).lastInsertRowid as bigint;
    }
    const positions = new Array<bigint>(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      positions[i] = this.statements.insertEvent.run(
        streamNum,
        firstRevision + i,
        event.id,
        event.type,
        event.data,
        event.metadata,
      ).lastInsertRowid as bigint;
    }
    const position = positions[events.length - 1];
    // Hashed after the inserts rather than between them: each loop keeps its own data in the caches.
    const hashes = Buffer.allocUnsafe(32 * events.length);
    let chainHead = this.chainHead;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      chainHead = this.links.link(
        chainHead,
        positions[i],
        firstRevision + i,
        streamId,
        event.id,
        event.type,
        event.data,
        event.metadata,
      );
      hashes.write(chainHead, 32 * i, 'hex');
    }
    this.insertLinks(positions, hashes);
    this.chainHead = chainHead;
    if (commandId !== undefined)
      this.statements.insertCommand.run(
        commandId,
        streamId,
        position,
        lastRevision,
        requestFingerprint ?? null,
      );
    return { streamId, nextExpectedRevision: lastRevision, position, deduplicated: false };
  }

  /** The links of one append's events, a few statements for all when their positions follow each other. */
  private insertLinks(positions: readonly bigint[], hashes: Buffer): void {
    const count = positions.length;
    const first = positions[0];
    if (count > 1 && positions[count - 1] - first === BigInt(count - 1)) {
      let done = 0;
      for (; done + LINKS_PER_INSERT <= count; done += LINKS_PER_INSERT)
        this.statements.insertManyLinks.run({
          first: first + BigInt(done),
          hashes: hashes.subarray(32 * done, 32 * (done + LINKS_PER_INSERT)),
        });
      if (done < count)
        this.statements.insertLinks.run({
          first: first + BigInt(done),
          hashes: hashes.subarray(32 * done),
          count: count - done,
        });
      return;
    }
    for (let i = 0; i < count; i++)
      this.statements.insertLink.run(positions[i], hashes.subarray(32 * i, 32 * (i + 1)));
  }

  /**
   * Appends by other connections to the file (a CLI import, another process) wake the listeners too.
   * One timer for the whole store, and a pragma that reads no page unless the file changed: our own
   * commits do not move `data_version`, so the requests' path costs nothing.
   */
  private watchOtherWriters(): void {
    if (this.watchTimer !== undefined || this.watchIntervalMs <= 0 || this.closed) return;
    this.dataVersion = this.statements.dataVersion.get() as number;
    this.watchTimer = setInterval(() => this.checkOtherWriters(), this.watchIntervalMs);
    this.watchTimer.unref();
  }

  private stopWatching(): void {
    clearInterval(this.watchTimer);
    this.watchTimer = undefined;
  }

  private checkOtherWriters(): void {
    try {
      const version = this.statements.dataVersion.get() as number;
      if (version === this.dataVersion) return;
      this.dataVersion = version;
      const head = this.statements.headPosition.get() ?? 0n;
      if (head > this.lastNotified) this.notify(head);
    } catch (error) {
      process.emitWarning(`watching ${this.path} for other writers failed: ${String(error)}`);
    }
  }

  private notify(head: bigint): void {
    if (head > this.lastNotified) this.lastNotified = head;
    for (const listener of this.listeners) {
      try {
        listener(head);
      } catch (error) {
        // A broken listener must not turn a committed append into a failure for its caller.
        process.emitWarning(`onAppended listener failed: ${String(error)}`, 'EventStoreListenerWarning');
      }
    }
  }
}
