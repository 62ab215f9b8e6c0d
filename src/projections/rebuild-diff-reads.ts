import type { Database } from 'better-sqlite3';
import { prepared } from './prepared';
import { TableNames } from './projection';

export interface RebuildsQuery {
  readonly schoolId: string;
  /** Only the rebuilds that changed this student's rows, each with those rows. */
  readonly studentId?: string;
  /** Rebuilds recorded before this one (a page's cursor): newest first. */
  readonly beforeId?: number;
  readonly limit: number;
  /** Rows listed per rebuild when a student is asked for. */
  readonly rowsPerRebuild?: number;
}

export interface RebuildRow {
  readonly table: string;
  readonly studentId: string | null;
  readonly key: Record<string, unknown>;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
}

export interface RecordedRebuild {
  readonly id: number;
  readonly projection: string;
  readonly from: { readonly version: number; readonly generation: number; readonly position: string };
  readonly to: { readonly version: number; readonly generation: number; readonly position: string };
  readonly swappedAt: string;
  /** Rows of the school (or of the student) the rebuild changed. */
  readonly rowsChanged: number;
  /** False when the rebuild changed more rows than it kept: the rows listed are the first ones only. */
  readonly allRowsKept: boolean;
  /** Logical tables whose rows changed (any school's). */
  readonly tables: readonly string[];
  readonly rows?: readonly RebuildRow[];
}

interface StoredRebuild {
  id: number;
  projection: string;
  from_version: number;
  from_generation: number;
  from_position: string;
  to_version: number;
  to_generation: number;
  position: string;
  swapped_at: string;
  total_changed: number;
  total_kept: number;
  summary: string;
  rows_changed: number;
}

interface StoredRow {
  table: string;
  student_id: string | null;
  key: string;
  before: string | null;
  after: string | null;
}

const REBUILD_COLUMNS = `r.id, r.projection, r.from_version, r.from_generation, CAST(r.from_position AS TEXT) AS from_position,
  r.to_version, r.to_generation, CAST(r.position AS TEXT) AS position, r.swapped_at,
  r.rows_changed AS total_changed, r.rows_kept AS total_kept, r.summary`;

const DEFAULT_ROWS_PER_REBUILD = 100;

/** The runner creates these tables when it starts; a read that comes first finds no rebuild. */
const recorded = (db: Database): boolean =>
  prepared<[], number>(
    db,
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('projection_rebuilds', 'projection_rebuild_schools', 'projection_rebuild_rows')",
  )
    .pluck()
    .get() === 3;

const changedTables = (summary: string): string[] => {
  const parsed = JSON.parse(summary) as {
    tables?: { table: string; changed: number; added: number; removed: number }[];
  };
  return (parsed.tables ?? [])
    .filter((table) => table.changed + table.added + table.removed > 0)
    .map((table) => table.table);
};

const parsed = (json: string | null): Record<string, unknown> | null =>
  json === null ? null : (JSON.parse(json) as Record<string, unknown>);

const toRebuild = (row: StoredRebuild, rows?: RebuildRow[]): RecordedRebuild => ({
  id: row.id,
  projection: row.projection,
  from: { version: row.from_version, generation: row.from_generation, position: row.from_position },
  to: { version: row.to_version, generation: row.to_generation, position: row.position },
  swappedAt: row.swapped_at,
  rowsChanged: row.rows_changed,
  allRowsKept: row.total_kept === row.total_changed,
  tables: changedTables(row.summary),
  ...(rows !== undefined && { rows }),
});

/**
 * The rebuilds that changed a school's rows, newest first; with a student, those that changed the
 * student's rows, each with the rows as both versions held them.
 */
export const readRebuilds = (
  db: Database,
  _tables: TableNames<never>,
  query: RebuildsQuery,
): RecordedRebuild[] => {
  if (!recorded(db)) return [];
  const before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
  if (query.studentId === undefined) {
    return prepared<[string, number, number], StoredRebuild>(
      db,
      `SELECT ${REBUILD_COLUMNS}, s.rows_changed
         FROM projection_rebuild_schools s JOIN projection_rebuilds r ON r.id = s.rebuild_id
        WHERE s.school_id = ? AND s.rebuild_id < ? ORDER BY s.rebuild_id DESC LIMIT ?`,
    )
      .all(query.schoolId, before, query.limit)
      .map((row) => toRebuild(row));
  }
  const { schoolId, studentId } = query;
  const rebuilds = prepared<[string, string, number, number], StoredRebuild>(
    db,
    `SELECT ${REBUILD_COLUMNS}, c.rows_changed
       FROM (SELECT rebuild_id, count(*) AS rows_changed FROM projection_rebuild_rows
              WHERE school_id = ? AND student_id = ? AND rebuild_id < ?
              GROUP BY rebuild_id ORDER BY rebuild_id DESC LIMIT ?) c
       JOIN projection_rebuilds r ON r.id = c.rebuild_id
      ORDER BY r.id DESC`,
  ).all(schoolId, studentId, before, query.limit);
  const rowsOf = prepared<[number, string, string, number], StoredRow>(
    db,
    `SELECT "table", student_id, key, before, after FROM projection_rebuild_rows
      WHERE rebuild_id = ? AND school_id = ? AND student_id = ? ORDER BY seq LIMIT ?`,
  );
  return rebuilds.map((rebuild) =>
    toRebuild(
      rebuild,
      rowsOf
        .all(rebuild.id, schoolId, studentId, query.rowsPerRebuild ?? DEFAULT_ROWS_PER_REBUILD)
        .map((row) => ({
          table: row.table,
          studentId: row.student_id,
          key: parsed(row.key) ?? {},
          before: parsed(row.before),
          after: parsed(row.after),
        })),
    ),
  );
};
