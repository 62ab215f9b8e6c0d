import type { Database } from 'better-sqlite3';
import { ExpectedLesson, ROLL_CALL_EVENT_TYPES, RollCallEvent } from '../../domain/attendance';
import { prepared } from '../prepared';
import { defineProjection, Recorded, TableNames } from '../projection';
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
    for (const event of events) applyOne(db, t, event);
  },
});

const applyOne = (db: Database, t: TableNames<CompletenessTable>, event: Recorded<RollCallEvent>) => {
  const schoolId = event.metadata.schoolId;
  if (event.type === 'RollCallTaken') {
    const { data } = event;
    prepared(
      db,
      `INSERT INTO "${t.rollcalls}" (school_id, class_id, date, slot_code, rollcall_id, status, taken_by_id, taken_by_role, taken_at)
       VALUES (?, ?, ?, ?, ?, 'taken', ?, ?, ?)
       ON CONFLICT DO UPDATE SET status = 'taken', rollcall_id = excluded.rollcall_id`,
    ).run(
      schoolId,
      data.classOrGroupId,
      data.date,
      data.slot.code,
      event.streamId,
      data.takenBy.id,
      data.takenBy.role,
      event.metadata.recordedAt,
    );
  } else if (event.type === 'RollCallVoided')
    prepared(db, `UPDATE "${t.rollcalls}" SET status = 'voided' WHERE rollcall_id = ?`).run(event.streamId);
};

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
