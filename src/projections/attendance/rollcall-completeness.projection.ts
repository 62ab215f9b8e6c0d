import type { Database } from 'better-sqlite3';
import { ExpectedLesson, ROLL_CALL_EVENT_TYPES, RollCallEvent, TakenRollCall } from '../../domain/attendance';
import { prepared } from '../prepared';
import { defineProjection, TableNames } from '../projection';
import { IsoDate } from '../../domain/shared/calendar';

type CompletenessTable = 'rollcalls';

/**
 * Which roll calls were taken (and which voided), so that the CPE can chase the lessons that have
 * none: the expected lessons come from the timetable, supplied to the query.
 */
export const rollCallCompletenessProjection = defineProjection<RollCallEvent>()({
  name: 'rollcall-completeness',
  version: 1,
  tables: ['rollcalls'],
  handles: [...ROLL_CALL_EVENT_TYPES],
  setup(db, t) {
    db.exec(`
      CREATE TABLE "${t.rollcalls}" (
        school_id TEXT NOT NULL,
        class_id TEXT NOT NULL,
        date TEXT NOT NULL,
        slot_code TEXT NOT NULL,
        rollcall_id TEXT NOT NULL,
        status TEXT NOT NULL,
        taken_by_id TEXT NOT NULL,
        taken_by_role TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        PRIMARY KEY (school_id, date, class_id, slot_code)
      ) STRICT, WITHOUT ROWID;`);
  },
  apply(db, t, events) {
    const taken: (string | null)[] = [];
    const writeTaken = () => {
      for (let at = 0; at < taken.length; at += TAKEN_PER_INSERT * TAKEN_COLUMNS) {
        const chunk = taken.slice(at, at + TAKEN_PER_INSERT * TAKEN_COLUMNS);
        insertTaken(db, t, chunk.length / TAKEN_COLUMNS).run(...chunk);
      }
      taken.length = 0;
    };
    for (const event of events) {
      if (event.type === 'RollCallTaken') {
        const { data } = event;
        taken.push(
          event.metadata.schoolId,
          data.classOrGroupId,
          data.date,
          data.slot.code,
          event.streamId,
          data.takenBy.id,
          data.takenBy.role,
          event.metadata.recordedAt,
        );
      } else if (event.type === 'RollCallVoided') {
        // In log order: the roll calls taken before the void are written first.
        writeTaken();
        prepared(db, `UPDATE "${t.rollcalls}" SET status = 'voided' WHERE rollcall_id = ?`).run(
          event.streamId,
        );
      }
    }
    writeTaken();
  },
});

const TAKEN_COLUMNS = 8;
/** Roll calls per multi-row INSERT: one statement for a morning's roll calls of a school rather than one each. */
const TAKEN_PER_INSERT = 100;

const insertTaken = (db: Database, t: TableNames<CompletenessTable>, count: number) =>
  prepared<(string | null)[]>(
    db,
    `INSERT INTO "${t.rollcalls}" (school_id, class_id, date, slot_code, rollcall_id, status, taken_by_id, taken_by_role, taken_at)
     VALUES ${Array.from({ length: count }, () => "(?, ?, ?, ?, ?, 'taken', ?, ?, ?)").join(', ')}
     ON CONFLICT DO UPDATE SET status = 'taken', rollcall_id = excluded.rollcall_id`,
  );

/**
 * The roll calls taken between two dates — on `dates` only when given (the weekdays of a short
 * range): each date is one range of the primary key.
 */
export const takenRollCalls = (
  db: Database,
  t: TableNames<CompletenessTable>,
  query: { schoolId: string; from: IsoDate; to: IsoDate; dates?: readonly IsoDate[] },
): TakenRollCall[] => {
  const columns = `class_id AS classOrGroupId, date, slot_code AS slotCode, taken_by_id AS takenBy`;
  return query.dates === undefined
    ? prepared<[string, string, string], TakenRollCall>(
        db,
        `SELECT ${columns} FROM "${t.rollcalls}" WHERE school_id = ? AND date BETWEEN ? AND ? AND status = 'taken'`,
      ).all(query.schoolId, query.from, query.to)
    : prepared<[string, string], TakenRollCall>(
        db,
        `SELECT ${columns} FROM "${t.rollcalls}"
          WHERE school_id = ? AND date IN (SELECT value FROM json_each(?)) AND status = 'taken'`,
      ).all(query.schoolId, JSON.stringify(query.dates));
};

/** The classes and groups with at least one roll call taken between two dates. */
export const classesCalled = (
  db: Database,
  t: TableNames<CompletenessTable>,
  query: { schoolId: string; from: IsoDate; to: IsoDate },
): string[] =>
  prepared<[string, string, string], { class_id: string }>(
    db,
    `SELECT DISTINCT class_id FROM "${t.rollcalls}" WHERE school_id = ? AND date BETWEEN ? AND ? AND status = 'taken'`,
  )
    .all(query.schoolId, query.from, query.to)
    .map((row) => row.class_id);

export type CompletenessLine = {
  readonly expected: number;
  readonly taken: number;
  readonly missing: number;
};

export type RollCallCompleteness = {
  readonly expected: number;
  readonly taken: number;
  /** Lessons without a roll call that counts (never taken, or voided and not taken again). */
  readonly missing: readonly (ExpectedLesson & { readonly voided: boolean })[];
  readonly byTeacher: Readonly<Record<string, CompletenessLine>>;
  readonly byClass: Readonly<Record<string, CompletenessLine>>;
  /** Roll calls taken for a lesson the timetable does not have (a replacement, a timetable change). */
  readonly unexpected: readonly {
    classOrGroupId: string;
    date: IsoDate;
    slotCode: string;
    takenBy: string;
  }[];
};

const line = (lines: Record<string, CompletenessLine>, key: string, taken: boolean) => {
  const current = lines[key] ?? { expected: 0, taken: 0, missing: 0 };
  lines[key] = {
    expected: current.expected + 1,
    taken: current.taken + (taken ? 1 : 0),
    missing: current.missing + (taken ? 0 : 1),
  };
};

/** Compares the expected lessons of a range with the roll calls taken, per teacher and per class. */
export const rollCallCompleteness = (
  db: Database,
  t: TableNames<CompletenessTable>,
  query: { schoolId: string; from: IsoDate; to: IsoDate; expected: readonly ExpectedLesson[] },
): RollCallCompleteness => {
  const rows = prepared<
    [string, string, string],
    { class_id: string; date: string; slot_code: string; status: string; taken_by_id: string }
  >(
    db,
    `SELECT class_id, date, slot_code, status, taken_by_id FROM "${t.rollcalls}" WHERE school_id = ? AND date BETWEEN ? AND ?`,
  ).all(query.schoolId, query.from, query.to);
  const key = (classOrGroupId: string, date: string, slotCode: string) =>
    `${classOrGroupId}|${date}|${slotCode}`;
  const recorded = new Map(rows.map((row) => [key(row.class_id, row.date, row.slot_code), row]));
  const expectedKeys = new Set<string>();
  const missing: (ExpectedLesson & { voided: boolean })[] = [];
  const byTeacher: Record<string, CompletenessLine> = {};
  const byClass: Record<string, CompletenessLine> = {};
  let taken = 0;
  for (const lesson of query.expected) {
    if (lesson.date < query.from || lesson.date > query.to) continue;
    const id = key(lesson.classOrGroupId, lesson.date, lesson.slotCode);
    expectedKeys.add(id);
    const row = recorded.get(id);
    const counts = row?.status === 'taken';
    if (counts) taken++;
    else missing.push({ ...lesson, voided: row?.status === 'voided' });
    line(byTeacher, lesson.teacherId, counts);
    line(byClass, lesson.classOrGroupId, counts);
  }
  return {
    expected: expectedKeys.size,
    taken,
    missing,
    byTeacher,
    byClass,
    unexpected: rows
      .filter(
        (row) => row.status === 'taken' && !expectedKeys.has(key(row.class_id, row.date, row.slot_code)),
      )
      .map((row) => ({
        classOrGroupId: row.class_id,
        date: row.date,
        slotCode: row.slot_code,
        takenBy: row.taken_by_id,
      })),
  };
};
