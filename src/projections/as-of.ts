import BetterSqlite3, { Database } from 'better-sqlite3';
import { DomainEvent } from '../domain/shared/event';
import { EventStore, RecordedEvent } from '../event-store/event-store';
import { LiveProjections } from './live-projections';
import { ProjectionStatus } from './projection-runner';
import { eventsToApplyFor } from './events-to-apply';
import { Projection, TableNames, tableNamesFor } from './projection';

export interface AsOfView<T extends string = string> {
  /** An in-memory database holding only this view; close it when done. */
  readonly db: Database;
  readonly tables: TableNames<T>;
}

const AS_OF_BATCH_SIZE = 5_000;

/**
 * The view as it stood once the log reached `upTo` (that event included), built by the same
 * projection code as the live view, so the same queries answer the auditor's question.
 */
export async function buildAsOf<T extends string, E extends DomainEvent>(
  projection: Projection<T, E>,
  store: EventStore,
  upTo: bigint,
  options: { batchSize?: number } = {},
): Promise<AsOfView<T>> {
  const batchSize = options.batchSize ?? AS_OF_BATCH_SIZE;
  const db = new BetterSqlite3(':memory:');
  try {
    const tables = tableNamesFor(projection);
    db.transaction(() => projection.setup(db, tables))();
    const eventsToApply = eventsToApplyFor(projection);
    let checkpoint = 0n;
    while (checkpoint < upTo) {
      const limit = Math.min(batchSize, Number(upTo - checkpoint));
      const batch = (await store.readAll({ after: checkpoint, limit })).filter(
        (event) => event.position <= upTo,
      );
      if (batch.length === 0) break;
      const events = eventsToApply(batch, checkpoint);
      if (events.length > 0) db.transaction(() => projection.apply(db, tables, events))();
      checkpoint = batch[batch.length - 1].position;
    }
    return { db, tables };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies to each projection, in one go, the events of `events` it reads (after its position in `after`). */
const applyEach = (
  db: Database,
  projections: Iterable<Projection>,
  events: readonly RecordedEvent[],
  after: Readonly<Record<string, bigint>> = {},
): void => {
  for (const projection of projections) {
    const handled = eventsToApplyFor(projection)(events, after[projection.name] ?? 0n);
    if (handled.length > 0) projection.apply(db, tableNamesFor(projection), handled);
  }
};

/** Events a fold applies between two turns of the event loop. */
const FOLD_SLICE = 250;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Every projection's tables, in one in-memory database, folded from `events` (a selection of the log
 * in global order): the read models as the log stood, for the streams selected, written by the same
 * projection code as the live read models, so the same queries read them. `after` starts a
 * projection's fold after a position (a view reads only its later rows). The fold runs on the thread
 * that takes commands: it gives the event loop back between slices of events, so a roll call arriving
 * meanwhile waits for one slice, not for the whole fold. A projection gives the same rows whatever its
 * batches (the runner's batches are arbitrary too).
 */
export const foldAsOf = async (
  events: readonly RecordedEvent[],
  projections: readonly Projection[],
  after: Readonly<Record<string, bigint>> = {},
): Promise<Database> => {
  const db = new BetterSqlite3(':memory:');
  try {
    db.transaction(() => {
      for (const projection of projections) projection.setup(db, tableNamesFor(projection));
    })();
    for (let start = 0; start < events.length; start += FOLD_SLICE) {
      const slice = events.slice(start, start + FOLD_SLICE);
      db.transaction(() => applyEach(db, projections, slice, after))();
      await nextTurn();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/**
 * The read models of `foldAsOf` seen as the runner's: the views' own code asks it for tables as it
 * asks the live runner. Nothing moves in them, so nothing waits.
 */
export class AsOfProjections implements LiveProjections {
  private readonly byName: ReadonlyMap<string, Projection>;
  private changes = 0;

  constructor(projections: readonly Projection[]) {
    this.byName = new Map(projections.map((p) => [p.name, p]));
  }

  tables<T extends string = string>(name: string): TableNames<T> {
    const projection = this.byName.get(name);
    if (projection === undefined) throw new Error(`no read model ${name} as of a past moment`);
    return tableNamesFor(projection) as TableNames<T>;
  }

  changesOf(): number {
    return this.changes;
  }

  /** Applies more events to `db` (one transaction), in log order after those already folded. */
  apply(db: Database, events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    db.transaction(() => applyEach(db, this.byName.values(), events))();
    this.changes++;
  }

  async waitFor(): Promise<boolean> {
    return true;
  }

  async status(): Promise<ProjectionStatus[]> {
    return [];
  }

  async rebuild(name: string): Promise<void> {
    throw new Error(`${name} is not rebuilt as of a past moment`);
  }

  async catchUp(): Promise<void> {}

  start(): void {}

  async stop(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * Folds kept to be extended: an as-of view at a later position of the same streams starts from the
 * nearest earlier fold (its serialized database) and applies only the events since, which gives the
 * same rows as a fold from the start (projections apply in log order, whatever the batches). Bounded
 * in bytes, the least recently used dropped first; in memory only, so a restart or an erasure (run
 * with the service stopped) leaves none.
 */
export class FoldSnapshots {
  private readonly byKey = new Map<string, { position: bigint; bytes: Buffer; used: number }[]>();
  private bytes = 0;
  private clock = 0;

  constructor(
    private readonly maxBytes: number,
    /** A fold is kept when the nearest kept one of its streams is at least this many events behind it. */
    private readonly spacing: number,
  ) {}

  /** The latest fold of `key` at or before `position`. */
  nearest(key: string, position: bigint): { readonly position: bigint; readonly bytes: Buffer } | undefined {
    let best: { position: bigint; bytes: Buffer; used: number } | undefined;
    for (const snapshot of this.byKey.get(key) ?? [])
      if (snapshot.position <= position && (best === undefined || snapshot.position > best.position))
        best = snapshot;
    if (best !== undefined) best.used = ++this.clock;
    return best;
  }

  /** Keeps the fold of `key` at `position` unless one is kept close enough before it. */
  offer(
    key: string,
    position: bigint,
    eventsSinceNearest: number | undefined,
    serialize: () => Buffer,
  ): void {
    if (eventsSinceNearest !== undefined && eventsSinceNearest < this.spacing) return;
    const bytes = serialize();
    if (bytes.length > this.maxBytes) return;
    const list = this.byKey.get(key) ?? [];
    list.push({ position, bytes, used: ++this.clock });
    this.byKey.set(key, list);
    this.bytes += bytes.length;
    while (this.bytes > this.maxBytes) this.dropLeastRecentlyUsed();
  }

  private dropLeastRecentlyUsed(): void {
    let oldest: { key: string; index: number; used: number } | undefined;
    for (const [key, list] of this.byKey)
      list.forEach((s, index) => {
        if (oldest === undefined || s.used < oldest.used) oldest = { key, index, used: s.used };
      });
    if (oldest === undefined) return;
    const list = this.byKey.get(oldest.key)!;
    const [dropped] = list.splice(oldest.index, 1);
    this.bytes -= dropped.bytes.length;
    if (list.length === 0) this.byKey.delete(oldest.key);
  }
}
