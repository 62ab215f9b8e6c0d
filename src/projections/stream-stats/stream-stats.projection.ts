import type { Database } from 'better-sqlite3';
import { prepared } from '../prepared';
import { ALL_EVENT_TYPES, Projection, TableNames } from '../projection';

type StreamStatsTable = 'counts';

export interface StreamStatsRow {
  readonly category: string;
  readonly type: string;
  readonly count: number;
  readonly lastPosition: bigint;
}

/** `rollcall-0670001A-5B-…` → `rollcall`: the stream's kind, as DESIGN.md names them. */
export const streamCategory = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
};

interface Tally {
  category: string;
  type: string;
  count: number;
  lastPosition: bigint;
}

/** Events per stream category and type: a health view of the log, and the bench's rebuild workload. */
export const streamStatsProjection: Projection<StreamStatsTable> = {
  name: 'stream-stats',
  version: 1,
  tables: ['counts'],
  handles: [ALL_EVENT_TYPES],
  setup(db, tables) {
    db.exec(`
      CREATE TABLE "${tables.counts}" (
        category TEXT NOT NULL,
        type TEXT NOT NULL,
        count INTEGER NOT NULL,
        last_position INTEGER NOT NULL,
        PRIMARY KEY (category, type)
      ) STRICT, WITHOUT ROWID`);
  },
  apply(db, tables, events) {
    // Folded in memory first: one upsert per (category, type) of the batch, not one per event.
    const tallies = new Map<string, Tally>();
    for (const event of events) {
      const category = streamCategory(event.streamId);
      const key = `${category}\u0000${event.type}`;
      const tally = tallies.get(key);
      if (tally) {
        tally.count++;
        tally.lastPosition = event.position;
      } else {
        tallies.set(key, { category, type: event.type, count: 1, lastPosition: event.position });
      }
    }
    const upsert = prepared<[string, string, number, bigint]>(
      db,
      `INSERT INTO "${tables.counts}" (category, type, count, last_position) VALUES (?, ?, ?, ?)
       ON CONFLICT (category, type) DO UPDATE SET count = count + excluded.count, last_position = excluded.last_position`,
    );
    for (const tally of tallies.values())
      upsert.run(tally.category, tally.type, tally.count, tally.lastPosition);
  },
};

export const readStreamStats = (db: Database, tables: TableNames<StreamStatsTable>): StreamStatsRow[] =>
  prepared<[], { category: string; type: string; count: bigint; lastPosition: bigint }>(
    db,
    `SELECT category, type, count, last_position AS lastPosition FROM "${tables.counts}" ORDER BY category, type`,
  )
    .safeIntegers(true)
    .all()
    .map((row) => ({ ...row, count: Number(row.count) }));
