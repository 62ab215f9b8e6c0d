import BetterSqlite3, { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RollCallEvent } from '../../src/domain/attendance';
import { DomainEvent, Role } from '../../src/domain/shared/event';
import { EventToAppend, RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { defineProjection, Projection, Recorded, TableNames } from '../../src/projections';
import { eventsToApplyFor } from '../../src/projections/events-to-apply';

export interface TempFiles {
  readonly dir: string;
  readonly eventsPath: string;
  readonly readModelsPath: string;
  remove(): void;
}

export const tempFiles = (): TempFiles => {
  const dir = mkdtempSync(join(tmpdir(), 'registre-projections-'));
  return {
    dir,
    eventsPath: join(dir, 'events.db'),
    readModelsPath: join(dir, 'read-models.db'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};

export const openStore = (path: string): SqliteEventStore =>
  SqliteEventStore.open({ path, synchronous: 'normal' });

export const openReadModels = (path: string): Database => {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
};

export interface EventOptions {
  readonly schoolId?: string;
  readonly actorId?: string;
  readonly role?: Role;
  readonly correlationId?: string;
  readonly reason?: string;
  readonly data?: Record<string, unknown>;
}

let commandCounter = 0;

/** An event as command handling would append it, with the metadata auditors read. */
export const anEvent = (type: string, options: EventOptions = {}): EventToAppend => {
  const commandId = `cmd-${++commandCounter}`;
  return {
    type,
    data: options.data ?? { n: commandCounter },
    metadata: {
      commandId,
      correlationId: options.correlationId ?? commandId,
      causationId: commandId,
      actor: { id: options.actorId ?? 'cpe-1', role: options.role ?? 'cpe' },
      schoolId: options.schoolId ?? '0670001A',
      recordedAt: new Date(Date.UTC(2026, 8, 1) + commandCounter * 1000).toISOString(),
      schemaVersion: 1,
      ...(options.reason !== undefined && { reason: options.reason }),
    },
  };
};

/** Appends `count` events of `type` to `streamId`, one append each; returns the last position. */
export const appendEach = async (
  store: SqliteEventStore,
  streamId: string,
  type: string,
  count: number,
): Promise<bigint> => {
  let position = 0n;
  for (let i = 0; i < count; i++) position = (await store.appendToStream(streamId, [anEvent(type)])).position;
  return position;
};

type Cell = string | number | null;

const toCell = (value: unknown): Cell =>
  typeof value === 'bigint'
    ? value.toString()
    : Buffer.isBuffer(value)
      ? value.toString('hex')
      : (value as Cell);

/** Every row of every table of a projection, by logical name, in a stable order: what two builds must agree on. */
export const rowsOf = (db: Database, tables: TableNames): Record<string, Cell[][]> =>
  Object.fromEntries(
    Object.entries(tables).map(([logical, physical]) => {
      const rows = db.prepare(`SELECT * FROM "${physical}"`).raw().safeIntegers(true).all() as unknown[][];
      const cells = rows.map((row) => row.map(toCell));
      cells.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      return [logical, cells];
    }),
  );

export const tableExists = (db: Database, table: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;

export const checkpointsOf = (
  db: Database,
  name: string,
): { version: number; generation: number; status: string; checkpoint: number }[] =>
  db
    .prepare(
      'SELECT version, generation, status, checkpoint FROM projections WHERE name = ? ORDER BY version, generation',
    )
    .all(name) as { version: number; generation: number; status: string; checkpoint: number }[];

/**
 * A projection recording every handled event in one table, whose `apply` can be made to fail or to
 * observe the world from inside a batch (what queries see while a build runs).
 */
export const recordingProjection = (options: {
  name?: string;
  version?: number;
  handles?: readonly string[];
  failOn?: string;
  duringApply?: (events: readonly { position: bigint; type: string }[]) => void;
}): Projection<'events'> => ({
  name: options.name ?? 'recording',
  version: options.version ?? 1,
  tables: ['events'],
  handles: options.handles ?? ['*'],
  setup(db, tables) {
    db.exec(
      `CREATE TABLE "${tables.events}" (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, type TEXT NOT NULL) STRICT`,
    );
  },
  apply(db, tables, events) {
    const insert = db.prepare(`INSERT INTO "${tables.events}" (position, stream_id, type) VALUES (?, ?, ?)`);
    for (const event of events) {
      insert.run(event.position, event.streamId, event.type);
      if (event.type === options.failOn) throw new Error(`refusing ${event.type} at ${event.position}`);
    }
    options.duringApply?.(events);
  },
});

/** Hands a projection the events of a batch as the runner does: those it handles, typed as its own. */
export const applyAsTheRunnerDoes = <T extends string, E extends DomainEvent>(
  projection: Projection<T, E>,
  db: Database,
  tables: TableNames<T>,
  batch: readonly RecordedEvent[],
): void => projection.apply(db, tables, eventsToApplyFor(projection)(batch, 0n));

/** A projection over the roll call's events that keeps, outside its tables, every event it is handed. */
export const rollCallWatcher = (handed: Recorded<RollCallEvent>[]) =>
  defineProjection<RollCallEvent>()({
    name: 'roll-call-watcher',
    version: 1,
    tables: ['seen'],
    handles: ['RollCallTaken', 'RollCallAmended', 'RollCallVoided'],
    setup(db, t) {
      db.exec(`CREATE TABLE "${t.seen}" (position INTEGER PRIMARY KEY) STRICT`);
    },
    apply(_db, _t, events) {
      handed.push(...events);
    },
  });

/** Roll calls (positions 1 and 5) among events of other streams; returns the head. */
export const appendRollCallsAmongOtherEvents = async (store: SqliteEventStore): Promise<bigint> => {
  await appendEach(store, 'rollcall-0670001A-5B-2026-09-01-M1', 'RollCallTaken', 1);
  await appendEach(store, 'student-0670001A-s1', 'StudentRegistered', 2);
  await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 1);
  await appendEach(store, 'rollcall-0670001A-5B-2026-09-01-M1', 'RollCallVoided', 1);
  return appendEach(store, 'school-0670001A', 'SettingChanged', 1);
};
