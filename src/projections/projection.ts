import type { Database } from 'better-sqlite3';
import { DomainEvent } from '../domain/shared/event';
import { RecordedEvent } from '../event-store/event-store';

/** Physical table names of one version of a projection, by logical name. */
export type TableNames<T extends string = string> = Readonly<Record<T, string>>;

/** An event of the union `E` as the log holds it; narrowing on `type` narrows `data`. */
export type Recorded<E extends DomainEvent = DomainEvent> = E extends DomainEvent
  ? RecordedEvent<E['data']> & { readonly type: E['type'] }
  : never;

/**
 * A read model over its own SQLite tables, typed by the union `E` of the events it reads. The runner
 * calls `apply` with a batch of events (only the types listed in `handles`) inside the transaction
 * that also moves the projection's checkpoint. Bumping `version` makes the runner rebuild into fresh
 * tables while the old ones keep answering.
 */
export interface Projection<T extends string = string, E extends DomainEvent = DomainEvent> {
  readonly name: string;
  readonly version: number;
  /** Logical table names; the runner maps them to `rm_<name>_v<version>_<table>`. */
  readonly tables: readonly T[];
  /**
   * Event types this projection reads; every other event only moves the checkpoint.
   * `[ALL_EVENT_TYPES]` reads every event (an audit trail, statistics over the whole log).
   */
  readonly handles: readonly E['type'][];
  /**
   * Most events per transaction that suit this projection when it reads alone (a rebuild, a new
   * version), where fewer than the runner's batch do better. Projections read together take the
   * largest batch any of them accepts.
   */
  readonly batchSize?: number;
  /**
   * `'few events'`: the projection reads the metadata of few of the events it handles (who corrected
   * a grade, and when). When every projection a batch is read for says so, the runner reads the
   * batch without metadata, and the store reads an event's the first time it is asked for. Default
   * `'most events'`.
   */
  readonly readsMetadataOf?: 'most events' | 'few events';
  /** Create this version's tables and indexes (called once per version, in a transaction). */
  setup(db: Database, tables: TableNames<T>): void;
  /**
   * Apply events in global order. Must be deterministic: a rebuild gives the same rows. A method, so
   * that any projection fits the runner's list of `Projection`s: what it is handed is decided by
   * `handles` alone, in `eventsToApplyFor`.
   */
  apply(db: Database, tables: TableNames<T>, events: readonly Recorded<E>[]): void;
}

export const ALL_EVENT_TYPES = '*';

/** Satisfied when `Listed` names every type of `Union`; otherwise the error names the ones left out. */
type ListsEvery<Union extends string, Listed extends string> = [Exclude<Union, Listed>] extends [never]
  ? unknown
  : { readonly eventTypesNotInHandles: Exclude<Union, Listed> };

/**
 * A projection over exactly the events of `E`: a type of `E` missing from `handles`, or a type in
 * `handles` that `E` does not have, does not compile. Curried because TypeScript cannot infer
 * `handles` while `E` is given: `defineProjection<RollCallEvent>()({ handles: [...], ... })`.
 */
export const defineProjection =
  <E extends DomainEvent>() =>
  <T extends string, const H extends readonly E['type'][]>(
    projection: Projection<T, E> & { readonly handles: H } & ListsEvery<E['type'], H[number]>,
  ): Projection<T, E> =>
    projection;

/**
 * A rebuild of the same version goes into a new generation of tables (`_r<generation>`), so the rows
 * being replaced keep answering until the swap.
 */
export const physicalTableName = (
  projection: string,
  version: number,
  table: string,
  generation = 0,
): string =>
  `rm_${projection.replace(/[^a-zA-Z0-9]/g, '_')}_v${version}${generation === 0 ? '' : `_r${generation}`}_${table}`;

export const tableNamesFor = <T extends string>(
  projection: Pick<Projection<T>, 'name' | 'version' | 'tables'>,
  version = projection.version,
  generation = 0,
): TableNames<T> =>
  Object.fromEntries(
    projection.tables.map((t) => [t, physicalTableName(projection.name, version, t, generation)]),
  ) as Record<T, string>;
