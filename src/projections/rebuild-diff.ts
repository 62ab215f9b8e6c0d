import type { Database } from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { TableNames } from './projection';

/** Rows kept per rebuild; past it only the counts are kept (a fix that changes a whole year says so in figures). */
export const REBUILD_ROWS_KEPT = 10_000;

/** One physical copy of a projection as the swap sees it. */
export interface RebuildSide {
  readonly version: number;
  readonly generation: number;
  /** The log position its rows include. */
  readonly checkpoint: bigint;
  readonly tables: TableNames;
}

export interface RebuildToCompare {
  readonly projection: string;
  /** The tables answering until the swap. */
  readonly from: RebuildSide;
  /** The build taking their place. */
  readonly to: RebuildSide;
  /** When the swap happened, from the runner's clock. */
  readonly swappedAt: Date;
  readonly rowsKept?: number;
}

/** What one logical table's two versions disagree on. */
export interface TableDifference {
  readonly table: string;
  /** `key`: rows matched by primary key; `rows`: no common key, compared as multisets of rows. */
  readonly comparedBy: 'key' | 'rows';
  readonly changed: number;
  readonly added: number;
  readonly removed: number;
  readonly columnsOnlyBefore: readonly string[];
  readonly columnsOnlyAfter: readonly string[];
}

export interface RebuildDifferences {
  readonly id: number;
  readonly tablesChanged: number;
  readonly rowsChanged: number;
  readonly rowsKept: number;
  /** Logical tables only one version has: their rows are not compared. */
  readonly tablesOnlyBefore: readonly string[];
  readonly tablesOnlyAfter: readonly string[];
  readonly tables: readonly TableDifference[];
  readonly compareMs: number;
}

const quoted = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;
const text = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** JSON cannot hold a BLOB: such a cell is shown as its hex. */
const jsonCell = (alias: string, column: string): string =>
  `CASE typeof(${alias}.${quoted(column)}) WHEN 'blob' THEN hex(${alias}.${quoted(column)}) ELSE ${alias}.${quoted(column)} END`;

const jsonObject = (alias: string, columns: readonly string[]): string =>
  `json_object(${columns.map((column) => `${text(column)}, ${jsonCell(alias, column)}`).join(', ')})`;

interface ColumnInfo {
  readonly name: string;
  readonly pk: number;
  readonly notnull: number;
  readonly type: string;
}

const columnsOf = (db: Database, table: string): ColumnInfo[] =>
  db.prepare<[], ColumnInfo>(`SELECT name, pk, "notnull", type FROM pragma_table_info(${text(table)})`).all();

const keyOf = (columns: readonly ColumnInfo[]): string[] =>
  columns
    .filter((column) => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((column) => column.name);

const keyNeverNull = (
  after: readonly ColumnInfo[],
  before: readonly ColumnInfo[],
  key: readonly string[],
): boolean =>
  key.every((name) =>
    [after, before].every((columns) =>
      columns.some(
        (column) =>
          column.name === name &&
          // An INTEGER PRIMARY KEY is the rowid: never NULL, whatever it declares.
          (column.notnull === 1 || (key.length === 1 && column.type.toUpperCase() === 'INTEGER')),
      ),
    ),
  );

/** Marks which side of the full join a difference comes from; no projection names a column so. */
const SIDE = 'registre_rebuild_side';
const COPIES = 'registre_rebuild_copies';

/** `rows`: each difference as JSON (key, before, after) with its school and student; `kinds`: only its kind and school, to count. */
type Selecting = 'rows' | 'kinds';

/**
 * Rows that differ, set-wise, by the primary key both versions index: rows in both whose values
 * differ (a join on the key), rows of one only (an anti-join each way). Only the differing rows are
 * turned into JSON, and only those kept: comparing two identical tables costs a scan of each and a
 * key lookup per row. (EXCEPT both ways, then a join, gave the same answer at 3.5 times the cost: it
 * sorts whole rows.)
 */
const keyedDifferenceSql = (
  before: string,
  after: string,
  columns: readonly string[],
  key: readonly string[],
  keyNeverNull: boolean,
  routing: { school: boolean; student: boolean },
  selecting: Selecting,
): string => {
  // `IS` matches NULL keys too; `=` where none can be NULL, the plainer plan.
  const equals = keyNeverNull ? '=' : 'IS';
  const joined = key.map((column) => `b.${quoted(column)} ${equals} a.${quoted(column)}`).join(' AND ');
  const same = columns.map((column) => `b.${quoted(column)} IS a.${quoted(column)}`).join(' AND ');
  const routed = (alias: string) =>
    `${routing.school ? `${alias}.school_id` : 'NULL'} AS school_id, ${routing.student ? `${alias}.student_id` : 'NULL'} AS student_id`;
  const select = (kind: string, keyFrom: string, beforeJson: string, afterJson: string) =>
    selecting === 'kinds'
      ? `SELECT '${kind}' AS kind, ${routing.school ? `${keyFrom}.school_id` : 'NULL'} AS school_id`
      : `SELECT ${jsonObject(keyFrom, key)} AS key, ${beforeJson} AS before, ${afterJson} AS after, ${routed(keyFrom)}`;
  return `
    ${select('changed', 'b', jsonObject('b', columns), jsonObject('a', columns))}
      FROM ${quoted(before)} b JOIN ${quoted(after)} a ON ${joined} WHERE NOT (${same})
    UNION ALL
    ${select('removed', 'b', jsonObject('b', columns), 'NULL')}
      FROM ${quoted(before)} b WHERE NOT EXISTS (SELECT 1 FROM ${quoted(after)} a WHERE ${joined})
    UNION ALL
    ${select('added', 'a', 'NULL', jsonObject('a', columns))}
      FROM ${quoted(after)} a WHERE NOT EXISTS (SELECT 1 FROM ${quoted(before)} b WHERE ${joined})`;
};

/** Without a common key: rows grouped with their number of copies, then compared the same way. */
const multisetDifferenceSql = (
  before: string,
  after: string,
  columns: readonly string[],
  routing: { school: boolean; student: boolean },
): string => {
  const list = columns.map(quoted).join(', ');
  // Rows equal but for their number of copies are one difference, not an addition and a removal.
  const sameRow = columns.map((column) => `b.${quoted(column)} IS a.${quoted(column)}`).join(' AND ');
  const grouped = (table: string) =>
    `SELECT 1 AS ${SIDE}, ${list}, count(*) AS ${COPIES} FROM ${quoted(table)} GROUP BY ${list}`;
  const either = (column: string) => `coalesce(b.${quoted(column)}, a.${quoted(column)})`;
  return `
    WITH o AS (${grouped(before)}), n AS (${grouped(after)}),
         b AS (SELECT * FROM o EXCEPT SELECT * FROM n),
         a AS (SELECT * FROM n EXCEPT SELECT * FROM o)
    SELECT json_object('copiesBefore', coalesce(b.${COPIES}, 0), 'copiesAfter', coalesce(a.${COPIES}, 0)) AS key,
           CASE WHEN b.${SIDE} IS NULL THEN NULL ELSE ${jsonObject('b', columns)} END AS before,
           CASE WHEN a.${SIDE} IS NULL THEN NULL ELSE ${jsonObject('a', columns)} END AS after,
           ${routing.school ? either('school_id') : 'NULL'} AS school_id,
           ${routing.student ? either('student_id') : 'NULL'} AS student_id
      FROM b FULL JOIN a ON ${sameRow}`;
};

const kindsOf = (rowsSql: string): string =>
  `SELECT CASE WHEN before IS NULL THEN 'added' WHEN after IS NULL THEN 'removed' ELSE 'changed' END AS kind, school_id
     FROM (${rowsSql})`;

/**
 * The differences a rebuild brings, recorded at the swap: the tables the runner owns in the
 * read-model file say which rows of which view changed because the code that builds them changed,
 * with both versions' values, so that the trail can tell such a change from a new fact.
 */
export class RebuildDiffs {
  constructor(private readonly db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS projection_rebuilds (
        id INTEGER PRIMARY KEY,
        projection TEXT NOT NULL,
        from_version INTEGER NOT NULL,
        from_generation INTEGER NOT NULL,
        from_position INTEGER NOT NULL,
        to_version INTEGER NOT NULL,
        to_generation INTEGER NOT NULL,
        position INTEGER NOT NULL,
        swapped_at TEXT NOT NULL,
        tables_changed INTEGER NOT NULL,
        rows_changed INTEGER NOT NULL,
        rows_kept INTEGER NOT NULL,
        compare_ms REAL NOT NULL,
        summary TEXT NOT NULL
      ) STRICT;
      CREATE TABLE IF NOT EXISTS projection_rebuild_schools (
        rebuild_id INTEGER NOT NULL REFERENCES projection_rebuilds (id),
        school_id TEXT NOT NULL,
        rows_changed INTEGER NOT NULL,
        rows_kept INTEGER NOT NULL,
        PRIMARY KEY (school_id, rebuild_id)
      ) STRICT;
      CREATE TABLE IF NOT EXISTS projection_rebuild_rows (
        rebuild_id INTEGER NOT NULL REFERENCES projection_rebuilds (id),
        seq INTEGER NOT NULL,
        "table" TEXT NOT NULL,
        school_id TEXT,
        student_id TEXT,
        key TEXT NOT NULL,
        before TEXT,
        after TEXT,
        PRIMARY KEY (rebuild_id, seq)
      ) STRICT;
      CREATE INDEX IF NOT EXISTS projection_rebuild_rows_student
        ON projection_rebuild_rows (school_id, student_id, rebuild_id, seq);
    `);
  }

  /** Compares the two versions table by logical name and records what differs; call it before the old tables go. */
  record(rebuild: RebuildToCompare): RebuildDifferences {
    const started = performance.now();
    const rowsKeptAtMost = rebuild.rowsKept ?? REBUILD_ROWS_KEPT;
    const { from, to } = rebuild;
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO projection_rebuilds (projection, from_version, from_generation, from_position, to_version,
             to_generation, position, swapped_at, tables_changed, rows_changed, rows_kept, compare_ms, summary)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, '{}')`,
        )
        .run(
          rebuild.projection,
          from.version,
          from.generation,
          from.checkpoint,
          to.version,
          to.generation,
          to.checkpoint,
          rebuild.swappedAt.toISOString(),
        ).lastInsertRowid,
    );
    const bySchool = new Map<string, number>();
    const tables: TableDifference[] = [];
    let rowsChanged = 0;
    let rowsKept = 0;
    for (const [logical, beforeTable] of Object.entries(from.tables)) {
      const afterTable = to.tables[logical];
      if (afterTable === undefined) continue;
      const beforeColumns = columnsOf(this.db, beforeTable);
      const afterColumns = columnsOf(this.db, afterTable);
      const beforeNames = new Set(beforeColumns.map((column) => column.name));
      const afterNames = new Set(afterColumns.map((column) => column.name));
      const common = afterColumns.map((column) => column.name).filter((name) => beforeNames.has(name));
      const columnsOnlyBefore = [...beforeNames].filter((name) => !afterNames.has(name));
      const columnsOnlyAfter = [...afterNames].filter((name) => !beforeNames.has(name));
      if (common.length === 0) continue;
      const key = keyOf(afterColumns);
      const keyed =
        key.length > 0 &&
        key.every((column) => beforeNames.has(column)) &&
        keyOf(beforeColumns).join('\u0000') === key.join('\u0000');
      const routing = { school: common.includes('school_id'), student: common.includes('student_id') };
      const rowsSql = keyed
        ? keyedDifferenceSql(
            beforeTable,
            afterTable,
            common,
            key,
            keyNeverNull(afterColumns, beforeColumns, key),
            routing,
            'rows',
          )
        : multisetDifferenceSql(beforeTable, afterTable, common, routing);
      const kindsSql = keyed
        ? keyedDifferenceSql(
            beforeTable,
            afterTable,
            common,
            key,
            keyNeverNull(afterColumns, beforeColumns, key),
            routing,
            'kinds',
          )
        : kindsOf(rowsSql);
      let changed = 0;
      let added = 0;
      let removed = 0;
      for (const { kind, school_id, n } of this.db
        .prepare<[], { kind: 'changed' | 'added' | 'removed'; school_id: string | null; n: number }>(
          `SELECT kind, school_id, count(*) AS n FROM (${kindsSql}) GROUP BY kind, school_id`,
        )
        .all()) {
        if (kind === 'added') added += n;
        else if (kind === 'removed') removed += n;
        else changed += n;
        if (school_id !== null) bySchool.set(school_id, (bySchool.get(school_id) ?? 0) + n);
      }
      // Only the rows kept are turned into JSON: a fix that changes a whole year costs a count past them.
      const keeping = Math.min(changed + added + removed, rowsKeptAtMost - rowsKept);
      if (keeping > 0) {
        this.db
          .prepare(
            `INSERT INTO projection_rebuild_rows (rebuild_id, seq, "table", school_id, student_id, key, before, after)
             SELECT ?, ? + row_number() OVER () - 1, ?, school_id, student_id, key, before, after
               FROM (SELECT * FROM (${rowsSql}) LIMIT ?)`,
          )
          .run(id, rowsKept, logical, keeping);
        rowsKept += keeping;
      }
      const differing = changed + added + removed;
      rowsChanged += differing;
      if (differing > 0 || columnsOnlyBefore.length > 0 || columnsOnlyAfter.length > 0) {
        tables.push({
          table: logical,
          comparedBy: keyed ? 'key' : 'rows',
          changed,
          added,
          removed,
          columnsOnlyBefore,
          columnsOnlyAfter,
        });
      }
    }
    const insertSchool = this.db.prepare(
      `INSERT INTO projection_rebuild_schools (rebuild_id, school_id, rows_changed, rows_kept)
       VALUES (?, ?, ?, (SELECT count(*) FROM projection_rebuild_rows WHERE rebuild_id = ? AND school_id = ?))`,
    );
    for (const [school, rows] of bySchool) insertSchool.run(id, school, rows, id, school);
    const tablesOnlyBefore = Object.keys(from.tables).filter((table) => to.tables[table] === undefined);
    const tablesOnlyAfter = Object.keys(to.tables).filter((table) => from.tables[table] === undefined);
    const compareMs = performance.now() - started;
    const tablesChanged = tables.filter((table) => table.changed + table.added + table.removed > 0).length;
    this.db
      .prepare(
        'UPDATE projection_rebuilds SET tables_changed = ?, rows_changed = ?, rows_kept = ?, compare_ms = ?, summary = ? WHERE id = ?',
      )
      .run(
        tablesChanged,
        rowsChanged,
        rowsKept,
        compareMs,
        JSON.stringify({ tables, tablesOnlyBefore, tablesOnlyAfter }),
        id,
      );
    return { id, tablesChanged, rowsChanged, rowsKept, tablesOnlyBefore, tablesOnlyAfter, tables, compareMs };
  }
}

const hasRebuildTables = (db: Database): boolean =>
  db
    .prepare<[], number>(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'projection_rebuild_rows'",
    )
    .pluck()
    .get() === 1;

/** The id of the last rebuild recorded (0 when none was). */
export const lastRebuildId = (db: Database): number =>
  hasRebuildTables(db)
    ? (db.prepare<[], number | null>('SELECT max(id) FROM projection_rebuilds').pluck().get() ?? 0)
    : 0;

/**
 * Erasing students (RGPD) rebuilds the read models that held their data: the rows those rebuilds
 * changed are the students' personal data before and after, and the rows earlier rebuilds kept of
 * them hold it too. Both are forgotten (the rebuilds' records and counts stay), before the file is
 * compacted.
 */
export const forgetRebuildRows = (
  db: Database,
  erasure: {
    readonly afterRebuildId: number;
    readonly schoolId: string;
    readonly studentIds: readonly string[];
  },
): void => {
  if (!hasRebuildTables(db)) return;
  db.transaction(() => {
    db.prepare<[number]>('DELETE FROM projection_rebuild_rows WHERE rebuild_id > ?').run(
      erasure.afterRebuildId,
    );
    const forget = db.prepare<[string, string]>(
      'DELETE FROM projection_rebuild_rows WHERE school_id = ? AND student_id = ?',
    );
    for (const studentId of erasure.studentIds) forget.run(erasure.schoolId, studentId);
  })();
};
