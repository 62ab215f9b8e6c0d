import type { Database } from 'better-sqlite3';
import { EventMetadata } from '../../domain/shared/event';
import { prepared } from '../prepared';
import { ALL_EVENT_TYPES, Projection, TableNames } from '../projection';

export type AuditTrailTable = 'entries' | 'students';

/** Who did what, when and why: one row per event of the log. */
export interface AuditTrailEntry {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly actorId: string | null;
  readonly actorRole: string | null;
  readonly schoolId: string | null;
  readonly recordedAt: string | null;
  readonly commandId: string | null;
  readonly correlationId: string | null;
  readonly reason: string | null;
}

/** The part of a school's work a role reads: a CPE's is its roll calls and its students' attendance streams. */
export type AuditArea = 'attendance';

export interface AuditTrailQuery {
  readonly schoolId: string;
  /** Entries strictly after this position (paging). */
  readonly after?: bigint;
  /** The whole of a correction campaign, or of one command's consequences. */
  readonly correlationId?: string;
  /** The events of one stream. */
  readonly streamId?: string;
  /** The events about one student: their own streams, and the roll calls that listed them absent or late. */
  readonly studentId?: string;
  /** Only the entries of that area (role visibility, applied by the index, not after a scan). */
  readonly area?: AuditArea;
  /** The events about one class or group: its roll calls, assessments, reports, council, enrolments in it. */
  readonly classId?: string;
  /** The events one person recorded. */
  readonly actorId?: string;
  /** The events of one type (e.g. `GradeCorrected`). */
  readonly type?: string;
  /** The events of one kind of stream: `rollcall`, `attendance`, `assessment`, `report`, `council`, `student`, `school`. */
  readonly category?: string;
  /** Only the corrections: events recorded with a reason. */
  readonly correctionsOnly?: boolean;
  /** Recorded at or after this instant (UTC, as recorded). */
  readonly recordedFrom?: string;
  /** Recorded at or before this instant. */
  readonly recordedTo?: string;
  readonly limit?: number;
}

type Row = [bigint, string, number, string, ...(string | null)[]];

/** The class or group an event is about, by its routing keys. */
export const classConcerned = (data: unknown): string | null => {
  if (!isRecord(data)) return null;
  if (typeof data.classOrGroupId === 'string') return data.classOrGroupId;
  if (typeof data.classId === 'string') return data.classId;
  if (typeof data.groupId === 'string') return data.groupId;
  return null;
};

const AREA_STREAMS: Readonly<Record<AuditArea, readonly string[]>> = {
  attendance: ['rollcall', 'attendance'],
};

/** The area of an event: by its stream's category, and only when the stream is of the event's own school. */
export const auditAreaOf = (streamId: string, schoolId: string | null): AuditArea | null => {
  if (schoolId === null) return null;
  for (const [area, categories] of Object.entries(AREA_STREAMS) as [AuditArea, readonly string[]][])
    if (categories.some((category) => streamId.startsWith(`${category}-${schoolId}-`))) return area;
  return null;
};

const STUDENT_STREAMS = ['student', 'attendance'];

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null;

const idsIn = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap((item) =>
        typeof item === 'string'
          ? [item]
          : isRecord(item) && typeof item.studentId === 'string'
            ? [item.studentId]
            : [],
      )
    : [];

const listed = (list: unknown): string[] =>
  isRecord(list) ? [...idsIn(list.absent), ...idsIn(list.late)] : [];

/**
 * The students an event is about: the owner of a `student-` or `attendance-` stream, those a roll
 * call lists — absent or late when taken, added or removed when amended, every one when voided —
 * and those a bulk entry of grades or levels names.
 */
export const studentsConcerned = (streamId: string, schoolId: string | null, data: unknown): string[] => {
  const found = new Set<string>();
  if (schoolId !== null)
    for (const category of STUDENT_STREAMS) {
      const prefix = `${category}-${schoolId}-`;
      if (streamId.startsWith(prefix) && streamId.length > prefix.length)
        found.add(streamId.slice(prefix.length));
    }
  if (isRecord(data)) {
    if (typeof data.studentId === 'string') found.add(data.studentId);
    for (const id of idsIn(data.studentIds)) found.add(id);
    // A whole class's grades or levels, recorded in one command: each student graded is concerned.
    for (const id of idsIn(data.grades)) found.add(id);
    for (const id of idsIn(data.levels)) found.add(id);
    const changed = 'added' in data || 'removed' in data;
    for (const id of changed ? [...listed(data.added), ...listed(data.removed)] : listed(data)) found.add(id);
  }
  return [...found];
};

export const auditTrailProjection: Projection<AuditTrailTable> = {
  name: 'audit-trail',
  version: 3,
  tables: ['entries', 'students'],
  handles: [ALL_EVENT_TYPES],
  setup(db, tables) {
    const { entries, students } = tables;
    db.exec(`
      CREATE TABLE "${entries}" (
        position INTEGER PRIMARY KEY,
        stream_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        type TEXT NOT NULL,
        actor_id TEXT,
        actor_role TEXT,
        school_id TEXT,
        recorded_at TEXT,
        command_id TEXT,
        correlation_id TEXT,
        reason TEXT,
        area TEXT,
        class_id TEXT
      ) STRICT;
      CREATE INDEX "${entries}_school" ON "${entries}" (school_id, position);
      CREATE INDEX "${entries}_stream" ON "${entries}" (school_id, stream_id, position);
      CREATE INDEX "${entries}_correlation" ON "${entries}" (school_id, correlation_id, position);
      CREATE INDEX "${entries}_area" ON "${entries}" (school_id, area, position);
      CREATE INDEX "${entries}_recorded" ON "${entries}" (school_id, recorded_at, position);
      CREATE INDEX "${entries}_class" ON "${entries}" (school_id, class_id, position);
      CREATE INDEX "${entries}_actor" ON "${entries}" (school_id, actor_id, position);
      CREATE TABLE "${students}" (
        school_id TEXT NOT NULL,
        student_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (school_id, student_id, position)
      ) STRICT, WITHOUT ROWID;`);
  },
  apply(db, tables, events) {
    const insert = prepared<Row>(
      db,
      `INSERT INTO "${tables.entries}" (position, stream_id, revision, type, actor_id, actor_role, school_id,
         recorded_at, command_id, correlation_id, reason, area, class_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertStudent = prepared<[string, string, bigint]>(
      db,
      `INSERT OR IGNORE INTO "${tables.students}" (school_id, student_id, position) VALUES (?, ?, ?)`,
    );
    for (const event of events) {
      // An old or malformed event still gets its row: an audit trail that stops at a bad event would hide what follows.
      const metadata: Partial<EventMetadata> = event.metadata ?? {};
      const schoolId = metadata.schoolId ?? null;
      insert.run(
        event.position,
        event.streamId,
        event.revision,
        event.type,
        metadata.actor?.id ?? null,
        metadata.actor?.role ?? null,
        schoolId,
        metadata.recordedAt ?? null,
        metadata.commandId ?? null,
        metadata.correlationId ?? null,
        metadata.reason ?? null,
        auditAreaOf(event.streamId, schoolId),
        schoolId === null ? null : classConcerned(event.data),
      );
      if (schoolId !== null)
        for (const studentId of studentsConcerned(event.streamId, schoolId, event.data))
          insertStudent.run(schoolId, studentId, event.position);
    }
  },
};

const COLUMNS = `e.position, e.stream_id AS streamId, e.revision, e.type, e.actor_id AS actorId, e.actor_role AS actorRole,
  e.school_id AS schoolId, e.recorded_at AS recordedAt, e.command_id AS commandId, e.correlation_id AS correlationId,
  e.reason`;

type StoredEntry = Omit<AuditTrailEntry, 'revision'> & { revision: bigint };

/**
 * One page of a school's trail in log order. Each filter has its index, and the most selective one
 * given drives the read (named with INDEXED BY, so that no plan ever falls back to the school's
 * whole trail): a student, then a stream, then a campaign, then an area.
 */
export const auditTrailSql = (
  tables: TableNames<AuditTrailTable>,
  query: Omit<AuditTrailQuery, 'after' | 'limit'>,
) => {
  const { entries, students } = tables;
  const filters: [string, ...string[]][] = [];
  if (query.streamId !== undefined) filters.push(['e.stream_id = ?', query.streamId]);
  if (query.correlationId !== undefined) filters.push(['e.correlation_id = ?', query.correlationId]);
  if (query.area !== undefined) filters.push(['e.area = ?', query.area]);
  if (query.classId !== undefined) filters.push(['e.class_id = ?', query.classId]);
  if (query.actorId !== undefined) filters.push(['e.actor_id = ?', query.actorId]);
  if (query.type !== undefined) filters.push(['e.type = ?', query.type]);
  if (query.category !== undefined)
    filters.push([
      '(e.stream_id = ? OR instr(e.stream_id, ?) = 1)',
      `${query.category}-${query.schoolId}`,
      `${query.category}-${query.schoolId}-`,
    ]);
  if (query.correctionsOnly === true) filters.push(['e.reason IS NOT NULL']);
  if (query.recordedFrom !== undefined) filters.push(['e.recorded_at >= ?', query.recordedFrom]);
  if (query.recordedTo !== undefined) filters.push(['e.recorded_at <= ?', query.recordedTo]);
  const where = filters.map(([condition]) => ` AND ${condition}`).join('');
  const values = filters.flatMap(([, ...value]) => value);
  if (query.studentId !== undefined)
    return {
      sql: `SELECT ${COLUMNS} FROM "${students}" s JOIN "${entries}" e ON e.position = s.position
             WHERE s.school_id = ? AND s.student_id = ? AND s.position > ?${where} ORDER BY s.position LIMIT ?`,
      keys: [query.schoolId, query.studentId],
      values,
    };
  const index =
    query.streamId !== undefined
      ? 'stream'
      : query.correlationId !== undefined
        ? 'correlation'
        : query.classId !== undefined
          ? 'class'
          : query.actorId !== undefined
            ? 'actor'
            : query.area !== undefined
              ? 'area'
              : 'school';
  return {
    sql: `SELECT ${COLUMNS} FROM "${entries}" e INDEXED BY "${entries}_${index}"
           WHERE e.school_id = ? AND e.position > ?${where} ORDER BY e.position LIMIT ?`,
    keys: [query.schoolId],
    values,
  };
};

export const readAuditTrail = (
  db: Database,
  tables: TableNames<AuditTrailTable>,
  query: AuditTrailQuery,
): AuditTrailEntry[] => {
  const { sql, keys, values } = auditTrailSql(tables, query);
  const statement = prepared<(string | bigint | number)[], StoredEntry>(db, sql).safeIntegers(true);
  const rows = statement.all(...keys, query.after ?? 0n, ...values, query.limit ?? 100);
  return rows.map((row) => ({ ...row, revision: Number(row.revision) }));
};

/**
 * The log as a school's trail stood at an instant: the position of the last event of the school
 * recorded at or before it (0 when none was). Events are recorded in log order to within a clock
 * tick, so the log up to that position is what had been recorded by then.
 */
export const positionAt = (
  db: Database,
  tables: TableNames<AuditTrailTable>,
  schoolId: string,
  instant: string,
): string =>
  (
    prepared<[string, string], bigint | undefined>(
      db,
      `SELECT position FROM "${tables.entries}" INDEXED BY "${tables.entries}_recorded"
        WHERE school_id = ? AND recorded_at <= ? ORDER BY recorded_at DESC, position DESC LIMIT 1`,
    )
      .pluck()
      .safeIntegers(true)
      .get(schoolId, instant) ?? 0n
  ).toString();
