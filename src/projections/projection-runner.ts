import type { Database } from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { EventStore, RecordedEvent } from '../event-store/event-store';
import { EventsToApply, eventsToApplyFor } from './events-to-apply';
import { LiveProjections } from './live-projections';
import { Patience, PositionWaiters } from './position-waiters';
import { Projection, TableNames, tableNamesFor } from './projection';
import {
  dropTables,
  ProjectionRegistry,
  TableGeneration,
  TableGenerationKey,
  TableGenerationStatus,
} from './projection-registry';
import { RebuildDiffs } from './rebuild-diff';
import { systemClock } from '../system-clock';

export interface ProjectionLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** The read-model database; the runner keeps its `projections` table there. */
  readonly db: Database;
  /**
   * Every projection to keep up to date. Passing the previous definition of a projection next to
   * the new one (same name, lower version) keeps the live tables current while the new version
   * builds; without it they answer queries frozen at their checkpoint until the swap.
   */
  readonly projections: readonly Projection[];
  /** Events read per transaction; large batches make rebuilds fast, each one blocks the event loop once. */
  readonly batchSize?: number;
  /**
   * When set, each batch is sized to take about this long (read and applied), up to `batchSize`:
   * a runner that fell behind takes as many events as it can per transaction, yet moves its
   * checkpoint often enough that queries waiting for a position see progress, and a status call
   * to its thread is answered within about this time.
   */
  readonly batchTargetMs?: number;
  readonly logger?: ProjectionLogger;
  readonly clock?: () => Date;
  /**
   * After an append, how long to wait for more before catching up (default 0). Under a burst of
   * commands a few milliseconds gather many group commits into one read-model transaction, which
   * leaves the event loop to the commands; a query that asks for a position still wakes it at once.
   */
  readonly wakeDelayMs?: number;
  /** What wakes the runner after `start()` (default: the store's own appends). */
  readonly wakeOn?: (wake: () => void) => () => void;
  /** Called after every step that moved a checkpoint, swapped a build or created or dropped tables. */
  readonly onProgress?: () => void;
  /**
   * How tables that no longer answer queries are dropped (default: at once). Another thread that
   * still holds their names gets the time to learn the new ones first.
   */
  readonly retire?: (drop: () => void) => void;
}

export interface BuildStatus {
  readonly version: number;
  readonly generation: number;
  readonly checkpoint: string;
  readonly lag: number;
}

export interface ProjectionStatus {
  readonly name: string;
  /** Version of the code. */
  readonly version: number;
  /** Version answering queries, null until the first build reaches the head. */
  readonly liveVersion: number | null;
  /** Checkpoint of the tables that answer queries. */
  readonly checkpoint: string;
  readonly head: string;
  /** Positions between the head and `checkpoint`. */
  readonly lag: number;
  /** `building` while a new version or a rebuild is being built next to the live tables. */
  readonly status: TableGenerationStatus;
  readonly build?: BuildStatus;
  readonly lastError?: string;
}

export class ProjectionApplyError extends Error {
  constructor(
    readonly projection: string,
    readonly version: number,
    readonly generation: number,
    /** Checkpoint the projection stays at: nothing of the failing batch was kept. */
    readonly checkpoint: bigint,
    cause: unknown,
  ) {
    super(
      `projection ${projection} v${version} failed after position ${checkpoint}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'ProjectionApplyError';
  }
}

/** One physical copy being fed: the definition that writes it (absent when its code is gone), its tables and checkpoint. */
interface Target {
  readonly key: TableGenerationKey;
  readonly projection: Projection | undefined;
  readonly tables: TableNames;
  readonly select: EventsToApply;
  checkpoint: bigint;
  lastError?: string;
}

interface Entry {
  readonly name: string;
  readonly definitions: ReadonlyMap<number, Projection>;
  /** The highest version given: the one queries should end up on. */
  readonly current: Projection;
  live?: Target;
  building?: Target;
}

interface Failure {
  readonly target: Target;
  readonly error: ProjectionApplyError;
}

const DEFAULT_BATCH_SIZE = 5_000;
/** A time-sized batch never goes below this: the per-transaction cost stays small beside the events'. */
const MIN_TIMED_BATCH = 200;

const lastPositionOf = (batch: readonly RecordedEvent[]): bigint => batch[batch.length - 1].position;

/**
 * Feeds projections from the global log. Each batch is applied and the checkpoint moved in one
 * transaction, behind one guard (events at or before the stored checkpoint are skipped), so a crash
 * neither loses nor applies an event twice. A new version or a rebuild is built into fresh tables
 * while the live ones keep answering, and swapped in one transaction once it reaches the head.
 */
export class ProjectionRunner implements LiveProjections {
  private readonly store: EventStore;
  private readonly db: Database;
  private readonly registry: ProjectionRegistry;
  private readonly batchSize: number;
  private readonly batchTargetMs?: number;
  /** Events per read: `batchSize`, or what takes about `batchTargetMs` at the speed last measured. */
  private batchLimit: number;
  private readonly logger?: ProjectionLogger;
  private readonly entries = new Map<string, Entry>();
  private readonly changes = new Map<string, number>();
  private readonly waiters = new PositionWaiters();
  private loop?: Promise<void>;
  private wokenDuringRun = false;
  private stopping = false;
  private unsubscribe?: () => void;
  private readonly wakeDelayMs: number;
  private wakeTimer?: NodeJS.Timeout;
  private readonly wakeOn: (wake: () => void) => () => void;
  private readonly onProgress: () => void;
  private readonly retire: (drop: () => void) => void;
  private readonly clock: () => Date;
  private readonly rebuildDiffs: RebuildDiffs;
  /** Nested in the batch's transaction, better-sqlite3 runs it as a savepoint. */
  private readonly inSavepoint: <R>(work: () => R) => R;

  constructor(options: ProjectionRunnerOptions) {
    this.store = options.store;
    this.db = options.db;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
    }
    this.batchTargetMs = options.batchTargetMs;
    this.batchLimit =
      this.batchTargetMs === undefined ? this.batchSize : Math.min(this.batchSize, MIN_TIMED_BATCH);
    this.logger = options.logger;
    this.wakeDelayMs = options.wakeDelayMs ?? 0;
    this.wakeOn = options.wakeOn ?? ((wake) => this.store.onAppended(wake));
    this.onProgress = options.onProgress ?? (() => undefined);
    this.retire = options.retire ?? ((drop) => drop());
    this.registry = new ProjectionRegistry(this.db, options.clock);
    this.clock = options.clock ?? (() => systemClock.now());
    this.rebuildDiffs = new RebuildDiffs(this.db);
    const savepoint = this.db.transaction((work: () => unknown) => work());
    this.inSavepoint = <R>(work: () => R) => savepoint(work) as R;
    for (const [name, definitions] of groupByName(options.projections)) {
      this.entries.set(name, this.open(name, definitions));
    }
  }

  /** Physical tables of the version that answers queries (the one being built until a first build completes). */
  tables<T extends string = string>(name: string): TableNames<T> {
    const entry = this.entry(name);
    return (entry.live ?? (entry.building as Target)).tables as TableNames<T>;
  }

  /**
   * A number that moves whenever the tables answering queries for `name` may have changed: events
   * applied to them, a build swapped in, a rebuild started. Bumped in the same synchronous step as
   * the write, so a cache of what they said, kept with this number, is stale exactly when it moved.
   */
  changesOf(name: string): number {
    return this.changes.get(name) ?? 0;
  }

  /** Every projection name, in the order given. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Checkpoint of the tables answering queries for `name`; undefined until a first build is live. */
  liveCheckpointOf(name: string): bigint | undefined {
    return this.entry(name).live?.checkpoint;
  }

  /** Reads the log until every projection is at the head. One run at a time: a call during a run extends it. */
  catchUp(): Promise<void> {
    if (this.loop) {
      this.wokenDuringRun = true;
      return this.loop;
    }
    this.loop = this.runLoop();
    return this.loop;
  }

  /** Catches up now and whenever something is appended, until `stop()`. */
  start(): void {
    if (this.unsubscribe) return;
    this.stopping = false;
    this.unsubscribe = this.wakeOn(() => this.wakeSoon());
    this.wake();
  }

  /** Stops listening and lets the batch in progress commit. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.stopping = true;
    await this.loop?.catch(() => undefined);
    this.stopping = false;
  }

  close(): Promise<void> {
    this.waiters.release();
    return this.stop();
  }

  /** Once started, catches up now rather than after the wake delay (a query is waiting for a position). */
  nudge(): void {
    if (this.unsubscribe) this.wake();
  }

  /** Builds the current version again from position 0 into fresh tables; resolves once they are live. */
  async rebuild(name: string): Promise<void> {
    const entry = this.entry(name);
    if (entry.building) this.drop(entry.building);
    const generation =
      Math.max(...this.registry.generationsOf(name).map((stored) => stored.generation), -1) + 1;
    const target = this.create(entry.current, generation);
    entry.building = target;
    this.logger?.info(
      { projection: name, version: entry.current.version, generation },
      'projection rebuild started',
    );
    try {
      await this.catchUp();
    } catch (error) {
      if (entry.building === target) throw error;
    }
    if (entry.building === target) {
      throw new Error(`the runner stopped before the rebuild of ${name} reached the head`);
    }
  }

  /** True as soon as the live tables of `name` include `position`; false once `patience` runs out. */
  waitFor(name: string, position: bigint, patience: Patience): Promise<boolean> {
    const entry = this.entry(name);
    if (this.isLiveAt(entry, position)) return Promise.resolve(true);
    const reached = this.waiters.wait(name, position, patience, entry.live?.checkpoint);
    this.nudge();
    return reached;
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const lag = (checkpoint: bigint) => Number(head > checkpoint ? head - checkpoint : 0n);
    return [...this.entries.values()].map((entry) => {
      const shown = entry.live ?? (entry.building as Target);
      const { building } = entry;
      const lastError = entry.live?.lastError ?? building?.lastError;
      return {
        name: entry.name,
        version: entry.current.version,
        liveVersion: entry.live?.key.version ?? null,
        checkpoint: shown.checkpoint.toString(),
        head: head.toString(),
        lag: lag(shown.checkpoint),
        status: building ? 'building' : 'live',
        ...(building && {
          build: {
            version: building.key.version,
            generation: building.key.generation,
            checkpoint: building.checkpoint.toString(),
            lag: lag(building.checkpoint),
          },
        }),
        ...(lastError !== undefined && { lastError }),
      };
    });
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`unknown projection ${name}`);
    return entry;
  }

  /** Loads the recorded table generations of one projection and starts building its code version if it is not live. */
  private open(name: string, definitions: ReadonlyMap<number, Projection>): Entry {
    const current = definitions.get(Math.max(...definitions.keys())) as Projection;
    const entry: Entry = { name, definitions, current };
    const stored = this.registry.generationsOf(name);
    const live = stored.find((generation) => generation.status === 'live');
    const building = stored.find((generation) => generation.status === 'building');
    if (live) entry.live = this.targetFor(live, definitions.get(live.version));
    if (building?.version === current.version) {
      entry.building = this.targetFor(building, current);
    } else if (building) {
      this.drop(this.targetFor(building, undefined));
    }
    if (!entry.building && live?.version !== current.version) {
      if (live && live.version > current.version) {
        this.logger?.warn(
          { projection: name, liveVersion: live.version, version: current.version },
          'projection code is older than its live version: building it again',
        );
      }
      entry.building = this.create(current, 0);
      this.logger?.info({ projection: name, version: current.version }, 'projection version build started');
    }
    return entry;
  }

  private targetFor(stored: TableGeneration, projection: Projection | undefined): Target {
    return {
      key: { name: stored.name, version: stored.version, generation: stored.generation },
      projection,
      tables: stored.tables,
      select: projection ? eventsToApplyFor(projection) : () => [],
      checkpoint: stored.checkpoint,
    };
  }

  private create(projection: Projection, generation: number): Target {
    const created: TableGeneration = {
      name: projection.name,
      version: projection.version,
      generation,
      status: 'building',
      checkpoint: 0n,
      tables: tableNamesFor(projection, projection.version, generation),
    };
    this.db.transaction(() => {
      dropTables(this.db, created.tables);
      projection.setup(this.db, created.tables);
      this.registry.add(created);
    })();
    this.changed(projection.name);
    this.onProgress();
    return this.targetFor(created, projection);
  }

  private drop(target: Target): void {
    this.registry.remove(target.key);
    this.changed(target.key.name);
    this.retireTables(target.tables);
  }

  private retireTables(tables: TableNames): void {
    this.retire(() => this.db.transaction(() => dropTables(this.db, tables))());
  }

  private changed(name: string): void {
    this.changes.set(name, this.changesOf(name) + 1);
  }

  private wakeSoon(): void {
    if (this.wakeDelayMs === 0) return this.wake();
    this.wakeTimer ??= setTimeout(() => {
      this.wakeTimer = undefined;
      this.wake();
    }, this.wakeDelayMs);
  }

  private wake(): void {
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (this.loop) {
      this.wokenDuringRun = true;
      return;
    }
    this.catchUp().catch((error: unknown) =>
      this.logger?.error({ err: error }, 'projection catch-up stopped; it resumes at the next append'),
    );
  }

  private async runLoop(): Promise<void> {
    try {
      for (;;) {
        this.wokenDuringRun = false;
        const failures = await this.runToHead();
        if (this.wokenDuringRun && !this.stopping) continue;
        if (failures.length > 0) throw failures[0].error;
        return;
      }
    } finally {
      // In the same synchronous step as the last check of `wokenDuringRun`, so that no wake is lost.
      this.loop = undefined;
    }
  }

  /** Targets that can move: a live version whose code is gone stays frozen until its replacement is swapped in. */
  private activeTargets(): Target[] {
    const targets: Target[] = [];
    for (const entry of this.entries.values()) {
      if (entry.live?.projection) targets.push(entry.live);
      if (entry.building) targets.push(entry.building);
    }
    return targets;
  }

  /**
   * Each pass gives every target at most one batch; targets at nearby checkpoints share the read, and
   * one far behind (a build from zero) does not hold back those at the head.
   */
  private async runToHead(): Promise<Failure[]> {
    const failures = new Map<Target, Failure>();
    let behind = true;
    while (behind && !this.stopping) {
      behind = false;
      const reachedHead = new Set<Target>();
      let pending = this.activeTargets()
        .filter((target) => !failures.has(target))
        .sort((a, b) => (a.checkpoint < b.checkpoint ? -1 : a.checkpoint > b.checkpoint ? 1 : 0));
      while (pending.length > 0 && !this.stopping) {
        const limit = this.limitFor(pending);
        const started = performance.now();
        const batch = await this.store.readAll({
          after: pending[0].checkpoint,
          limit,
          ...(pending.every(readsLittleMetadata) && { metadata: 'on-first-read' as const }),
        });
        if (batch.length === 0) {
          pending.forEach((target) => reachedHead.add(target));
          break;
        }
        const last = lastPositionOf(batch);
        const covered = pending.filter((target) => target.checkpoint < last);
        pending = pending.filter((target) => target.checkpoint >= last);
        for (const failure of this.applyBatch(batch, covered)) failures.set(failure.target, failure);
        this.sizeNextBatch(batch.length, performance.now() - started);
        if (batch.length < limit) covered.forEach((target) => reachedHead.add(target));
        else behind = true;
        this.notifyWaiters();
        await yieldToEventLoop();
      }
      this.swapBuildsAtHead(reachedHead, failures);
    }
    return [...failures.values()];
  }

  /**
   * Events for the next read: the runner's batch, or less where every target that the read starts
   * from asks for fewer (`Projection.batchSize`); a target without a preference takes the runner's.
   */
  private limitFor(pending: readonly Target[]): number {
    const start = pending[0].checkpoint;
    let wanted = 0;
    for (const target of pending) {
      if (target.checkpoint !== start) break;
      wanted = Math.max(wanted, target.projection?.batchSize ?? this.batchLimit);
    }
    return Math.max(1, Math.min(this.batchLimit, wanted));
  }

  /** From the speed of the batch just applied: as many events as take about `batchTargetMs`. */
  private sizeNextBatch(events: number, elapsedMs: number): void {
    // A batch of a few events says more about the transaction's fixed cost than about the speed.
    if (this.batchTargetMs === undefined || events < MIN_TIMED_BATCH / 2) return;
    const fits = Math.round((events / Math.max(elapsedMs, 1)) * this.batchTargetMs);
    this.batchLimit = Math.min(this.batchSize, Math.max(MIN_TIMED_BATCH, fits));
  }

  /** One transaction for the batch; each target in its own savepoint, so one failing projection holds back no other. */
  private applyBatch(batch: readonly RecordedEvent[], targets: readonly Target[]): Failure[] {
    const failures: Failure[] = [];
    const moved: [Target, bigint][] = [];
    this.db.transaction(() => {
      for (const target of targets) {
        try {
          const checkpoint = this.applyTo(target, batch);
          if (checkpoint !== undefined) moved.push([target, checkpoint]);
        } catch (cause) {
          const { name, version, generation } = target.key;
          failures.push({
            target,
            error: new ProjectionApplyError(name, version, generation, target.checkpoint, cause),
          });
        }
      }
    })();
    for (const [target, checkpoint] of moved) {
      target.checkpoint = checkpoint;
      target.lastError = undefined;
    }
    for (const { target, error } of failures) {
      target.lastError = error.message;
      this.logger?.error(
        { projection: target.key.name, version: target.key.version, err: error.cause },
        error.message,
      );
    }
    return failures;
  }

  /** The position guard: reads the stored checkpoint inside the transaction and applies only what lies after it. */
  private applyTo(target: Target, batch: readonly RecordedEvent[]): bigint | undefined {
    return this.inSavepoint(() => {
      const stored = this.registry.checkpointOf(target.key);
      if (stored === undefined) return undefined;
      const last = lastPositionOf(batch);
      if (stored >= last) return stored;
      const events = target.select(batch, stored);
      if (events.length > 0 && target.projection) {
        this.changed(target.key.name);
        target.projection.apply(this.db, target.tables, events);
      }
      this.registry.moveCheckpoint(target.key, last);
      return last;
    });
  }

  private swapBuildsAtHead(reachedHead: ReadonlySet<Target>, failures: ReadonlyMap<Target, Failure>): void {
    for (const entry of this.entries.values()) {
      const { building, live } = entry;
      if (!building || !reachedHead.has(building) || failures.has(building)) continue;
      if (live && live.checkpoint > building.checkpoint) continue;
      this.db.transaction(() => {
        if (live) this.recordDifferences(entry.name, live, building);
        if (live) this.registry.remove(live.key);
        this.registry.markLive(building.key);
      })();
      entry.live = building;
      entry.building = undefined;
      this.changed(entry.name);
      if (live) this.retireTables(live.tables);
      this.logger?.info(
        {
          projection: entry.name,
          version: building.key.version,
          generation: building.key.generation,
          checkpoint: building.checkpoint.toString(),
        },
        'projection swapped in',
      );
    }
    this.notifyWaiters();
  }

  /**
   * Which rows the swap changes and how, recorded in the swap's transaction while both versions
   * exist: the trail can then tell a figure changed by a fix in the code from one changed by a fact.
   * A comparison that fails is logged and does not hold back the swap.
   */
  private recordDifferences(name: string, live: Target, building: Target): void {
    try {
      const recorded = this.inSavepoint(() =>
        this.rebuildDiffs.record({
          projection: name,
          from: { ...live.key, checkpoint: live.checkpoint, tables: live.tables },
          to: { ...building.key, checkpoint: building.checkpoint, tables: building.tables },
          swappedAt: this.clock(),
        }),
      );
      this.logger?.info(
        {
          projection: name,
          from: live.key.version,
          to: building.key.version,
          tablesChanged: recorded.tablesChanged,
          rowsChanged: recorded.rowsChanged,
          compareMs: Math.round(recorded.compareMs),
        },
        'projection rebuild compared with the tables it replaces',
      );
    } catch (error) {
      this.logger?.warn({ projection: name, err: error }, 'projection rebuild could not be compared');
    }
  }

  private isLiveAt(entry: Entry, position: bigint): boolean {
    return entry.live !== undefined && entry.live.checkpoint >= position;
  }

  private notifyWaiters(): void {
    this.onProgress();
    this.waiters.settle((name) => this.entry(name).live?.checkpoint);
  }
}

/** A target whose projection reads the metadata of few events, or that applies nothing (its code is gone). */
const readsLittleMetadata = (target: Target): boolean =>
  target.projection === undefined || target.projection.readsMetadataOf === 'few events';

const groupByName = (projections: readonly Projection[]): Map<string, Map<number, Projection>> => {
  const byName = new Map<string, Map<number, Projection>>();
  for (const projection of projections) {
    const versions = byName.get(projection.name) ?? new Map<number, Projection>();
    if (!Number.isInteger(projection.version) || projection.version < 1) {
      throw new RangeError(`projection ${projection.name}: version must be a positive integer`);
    }
    if (versions.has(projection.version)) {
      throw new Error(`projection ${projection.name} v${projection.version} is given twice`);
    }
    versions.set(projection.version, projection);
    byName.set(projection.name, versions);
  }
  return byName;
};
