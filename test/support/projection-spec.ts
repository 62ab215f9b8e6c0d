import BetterSqlite3, { Database } from 'better-sqlite3';
import { EventMetadata } from '../../src/domain/shared/event';
import { EventToAppend } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { Projection, ProjectionRunner, TableNames } from '../../src/projections';
import { TEST_NOW } from './clock';
import { tempDir } from './temp-db';

/**
 * given(events).then(query, expected) / .thenRows(table, expectedRows) for a projection, in the
 * style of Emmett's projection specs: literal events in, literal rows out, through the real store
 * and the real `ProjectionRunner` on SQLite files in a temp dir.
 *
 *   const spec = projectionSpec(attendanceProjection);
 *   await spec
 *     .given(inStream(rollCallStreamId(...), rollCallTaken({ absent: ['s01'] })))
 *     .then((db, t) => monthCounts(db, t, { schoolId, month: '2026-11' }), [{ studentId: 's01', ... }]);
 *
 * The helper fills what the store and the command handling would: the global position and the
 * stream revision (the order given), and the metadata a case does not state (one command per
 * event, the CPE of the fixture school, one minute apart from `recordedFrom`).
 */

/** An event as a stream holds it, metadata optional: what the helper does not find, it fills. */
export type GivenEvent = {
  readonly streamId: string;
  readonly type: string;
  readonly data: object;
  readonly metadata?: Partial<EventMetadata>;
};

type StreamlessEvent = Omit<GivenEvent, 'streamId'>;

/** Events of one stream, in order. */
export const inStream = (streamId: string, ...events: readonly StreamlessEvent[]): GivenEvent[] =>
  events.map((event) => ({ streamId, ...event }));

/** The same metadata on every event given (a reason, another actor). */
export const withMetadata = (metadata: Partial<EventMetadata>, events: readonly GivenEvent[]): GivenEvent[] =>
  events.map((event) => ({ ...event, metadata: { ...event.metadata, ...metadata } }));

export type ProjectionSpecOptions = {
  /** Other projections fed by the same runner, as the application registers them together. */
  readonly alongside?: readonly Projection[];
  /** Prepares the read-model database before the runner sets its tables up. */
  readonly setup?: (db: Database) => void;
  /** Metadata every event gets unless it states its own. */
  readonly metadata?: Partial<EventMetadata>;
  /** `recordedAt` of the first event given; each next one is a minute later. */
  readonly recordedFrom?: string;
};

const DEFAULT_METADATA = {
  actor: { id: 'cpe-1', role: 'cpe' },
  schoolId: '0670001A',
  schemaVersion: 1,
} as const;

const toAppend = (event: GivenEvent, index: number, options: ProjectionSpecOptions): EventToAppend => {
  const commandId = `given-${index + 1}`;
  const recordedFrom = Date.parse(options.recordedFrom ?? '2026-11-16T07:00:00.000Z');
  return {
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: {
      commandId,
      correlationId: commandId,
      causationId: commandId,
      recordedAt: new Date(recordedFrom + index * 60_000).toISOString(),
      ...DEFAULT_METADATA,
      ...options.metadata,
      ...event.metadata,
    },
  };
};

type Row = Record<string, unknown>;

/** Rows in one order whatever order SQLite returns them in, so that a spec states a set. */
const inStableOrder = (rows: readonly Row[]): Row[] =>
  [...rows].sort((a, b) => {
    const left = JSON.stringify(a);
    const right = JSON.stringify(b);
    return left < right ? -1 : left > right ? 1 : 0;
  });

export const projectionSpec = <T extends string>(
  projection: Projection<T>,
  options: ProjectionSpecOptions = {},
) => ({
  given: (...events: (GivenEvent | readonly GivenEvent[])[]) => {
    const history = events.flat() as GivenEvent[];

    const run = async (check: (db: Database, tables: TableNames<T>) => void): Promise<void> => {
      const dir = tempDir('registre-projection-spec-');
      const store = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
      const db = new BetterSqlite3(dir.file('read-models.db'));
      let runner: ProjectionRunner | undefined;
      try {
        db.pragma('journal_mode = WAL');
        options.setup?.(db);
        for (const [index, event] of history.entries())
          await store.appendToStream(event.streamId, [toAppend(event, index, options)]);
        runner = new ProjectionRunner({
          store,
          db,
          projections: [projection, ...(options.alongside ?? [])],
          clock: () => new Date(TEST_NOW),
        });
        await runner.catchUp();
        check(db, runner.tables<T>(projection.name));
      } finally {
        await runner?.stop();
        db.close();
        await store.close();
        dir.remove();
      }
    };

    return {
      /** What a query over the projection's tables answers, compared whole. */
      then: <R>(query: (db: Database, tables: TableNames<T>) => R, expected: R): Promise<void> =>
        run((db, tables) => expect(query(db, tables)).toEqual(expected)),
      /** Every row of one of the projection's tables, compared whole, in any order. */
      thenRows: (table: T, expected: readonly Row[]): Promise<void> =>
        run((db, tables) => {
          const rows = db.prepare(`SELECT * FROM "${tables[table]}"`).all() as Row[];
          expect(inStableOrder(rows)).toEqual(inStableOrder(expected));
        }),
    };
  },
});
