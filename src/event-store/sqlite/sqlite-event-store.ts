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
  ReadAllOptions,
  prefixEnd,
  ReadStreamOptions,
  RecordedEvent,
  StreamSelection,
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
import { EventRow, NO_LIMIT, prepareStatements, Statements } from './statements';
import { AppendOutcome, AppendRequest, commandSeen, fromWire, GroupWriter } from './group-writer';
import { WritingThread } from './writing-thread';
import type { WorkerScript } from '../../projections/worker/projection-worker';
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
  /**
   * Group commits written on a thread of their own (its own connection to the file), so that their
   * fsync does not hold the thread taking requests: the service's store. `true` for the compiled
   * entry point; tests running TypeScript give the .ts file and a loader. Absent: written inline.
   */
  readonly writingThread?: true | WorkerScript;
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
  /** Writes the groups inline, when there is no writing thread. */
  private readonly writer: GroupWriter;
  /** The group being written on the writing thread; the next waits for it. */
  private writing: Promise<void> | undefined;

  private constructor(
    private readonly db: Database,
    readonly path: string,
    private readonly upcast: ((event: RecordedEvent) => RecordedEvent) | undefined,
    private readonly watchIntervalMs: number,
    private readonly thread: WritingThread | undefined,
  ) {
    this.statements = prepareStatements(db);
    this.writer = new GroupWriter(db);
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const db = new BetterSqlite3(options.path);
    try {
      applyPragmas(db, options.synchronous ?? 'full', options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
      migrate(db);
      const thread =
        options.writingThread !== undefined && options.path !== ':memory:'
          ? new WritingThread(
              {
                path: options.path,
                synchronous: options.synchronous ?? 'full',
                busyTimeoutMs: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
              },
              ...(options.writingThread === true ? [] : [options.writingThread]),
            )
          : undefined;
      return new SqliteEventStore(
        db,
        options.path,
        options.upcast,
        options.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS,
        thread,
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
    // Every append queued is written and answered first (appends arriving meanwhile too).
    this.flush();
    while (this.writing) {
      await this.writing;
      this.flush();
    }
    this.closed = true;
    await this.thread?.close();
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
    return commandSeen(this.statements, commandId, requestFingerprint);
  }

  /**
   * Writes every queued append in one transaction; each promise settles only after COMMIT. With a
   * writing thread, the group goes there and the appends queued meanwhile form the next one.
   */
  private flush(): void {
    if (this.scheduledFlush) clearImmediate(this.scheduledFlush);
    this.scheduledFlush = undefined;
    if (this.thread) {
      this.sendGroup(this.thread);
      return;
    }
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.writer.write(group);
    } catch (error) {
      for (const pending of group) pending.reject(error);
      return;
    }
    this.settle(group, outcomes);
  }

  private sendGroup(thread: WritingThread): void {
    if (this.writing || this.queue.length === 0) return;
    const group = this.queue;
    this.queue = [];
    const requests = group.map(
      ({ streamId, events, expectedRevision, commandId, requestFingerprint }): AppendRequest => ({
        streamId,
        events,
        expectedRevision,
        commandId,
        requestFingerprint,
      }),
    );
    this.writing = thread.write(requests).then(
      (outcomes) => {
        this.writing = undefined;
        this.settle(
          group,
          outcomes.map((outcome) => (outcome.ok ? outcome : { ok: false, error: fromWire(outcome.error) })),
        );
        this.flushSoon();
      },
      (error: unknown) => {
        this.writing = undefined;
        for (const pending of group) pending.reject(error);
        this.flushSoon();
      },
    );
  }

  private flushSoon(): void {
    if (this.queue.length > 0 && !this.closed) this.scheduledFlush ??= setImmediate(() => this.flush());
  }

  /** Answers a written group's appends, then wakes the listeners once with the new head. */
  private settle(group: readonly PendingAppend[], outcomes: readonly AppendOutcome[]): void {
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
