import type { Database } from 'better-sqlite3';
import {
  ExpectedLesson,
  ROLL_CALL_EVENT_TYPES,
  RollCallEvent,
  WeeklyLessonTally,
} from '../../domain/attendance';
import { prepared } from '../prepared';
import { defineProjection, Recorded, TableNames } from '../projection';
import { IsoDate, Weekday, weekdayOf } from '../../domain/shared/calendar';

type CompletenessTable = 'rollcalls' | 'dates';

/**
 * Which roll calls were taken (and which voided), so that the CPE can chase the lessons that have
 * none: the expected lessons come from the timetable, supplied to the query.
 */
export const rollCallCompletenessProjection = defineProjection<RollCallEvent>()({
  name: 'rollcall-completeness',
  // 2: each roll call's weekday (1 is Monday) kept for the weekly pattern, and an index by class so that
  //    whether a class was called in a window is one lookup; a void finds its row by key (issue #10).
  // 3: each date's change stamp (the position of the last roll call taken or voided on it), so that a
  //    read thread knows whether a window changed since it last answered it (issue #10).
  version: 3,
  tables: ['rollcalls', 'dates'],
  handles: [...ROLL_CALL_EVENT_TYPES],
  setup(db, t) {
    db.exec(`
      CREATE TABLE "${t.rollcalls}" (
        school_id TEXT NOT NULL,
        class_id TEXT NOT NULL,
        date TEXT NOT NULL,
        weekday INTEGER NOT NULL,
        slot_code TEXT NOT NULL,
        rollcall_id TEXT NOT NULL,
        status TEXT NOT NULL,
        taken_by_id TEXT NOT NULL,
        taken_by_role TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        PRIMARY KEY (school_id, date, class_id, slot_code)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX "${t.rollcalls}_class" ON "${t.rollcalls}" (school_id, class_id, date, status);
      CREATE TABLE "${t.dates}" (
        school_id TEXT NOT NULL,
        date TEXT NOT NULL,
        stamp INTEGER NOT NULL,
        PRIMARY KEY (school_id, date)
      ) STRICT, WITHOUT ROWID;`);
  },
  apply(db, t, events) {
    // A batch of a rebuild holds hundreds of roll calls of the same few dates: each date's stamp is
    // written once, with the batch's last position on it (the batch is one transaction).
    const stamps = new Map<string, { schoolId: string; date: IsoDate; position: bigint }>();
    for (const event of events) {
      applyOne(db, t, event);
      // An amendment changes no row here: only what changes one moves the date's stamp.
      if (event.type === 'RollCallTaken' || event.type === 'RollCallVoided') {
        const { schoolId } = event.metadata;
        const { date } = event.data;
        stamps.set(`${schoolId}|${date}`, { schoolId, date, position: event.position });
      }
    }
    for (const { schoolId, date, position } of stamps.values())
      prepared(
        db,
        `INSERT INTO "${t.dates}" (school_id, date, stamp) VALUES (?, ?, ?)
         ON CONFLICT DO UPDATE SET stamp = excluded.stamp`,
      ).run(schoolId, date, position);
  },
});

const applyOne = (db: Database, t: TableNames<CompletenessTable>, event: Recorded<RollCallEvent>) => {
  const schoolId = event.metadata.schoolId;
  if (event.type === 'RollCallTaken') {
    const { data } = event;
    prepared(
      db,
      `INSERT INTO "${t.rollcalls}" (school_id, class_id, date, weekday, slot_code, rollcall_id, status, taken_by_id,
         taken_by_role, taken_at)
       VALUES (?, ?, ?, ?, ?, ?, 'taken', ?, ?, ?)
       ON CONFLICT DO UPDATE SET status = 'taken', rollcall_id = excluded.rollcall_id`,
    ).run(
      schoolId,
      data.classOrGroupId,
      data.date,
      weekdayOf(data.date),
      data.slot.code,
      event.streamId,
      data.takenBy.id,
      data.takenBy.role,
      event.metadata.recordedAt,
    );
  } else if (event.type === 'RollCallVoided')
    prepared(
      db,
      `UPDATE "${t.rollcalls}" SET status = 'voided'
        WHERE school_id = ? AND date = ? AND class_id = ? AND slot_code = ? AND rollcall_id = ?`,
    ).run(schoolId, event.data.date, event.data.classOrGroupId, event.data.slot.code, event.streamId);
};

const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/**
 * What the roll calls taken between two dates (on `dates` only when given: the weekdays of a short
 * range) say about each weekly lesson, counted by SQLite: the window's thousands of roll calls come
 * back as one row per lesson and taker. A lesson has one roll call a date, so its roll calls in a
 * window are as many as the weeks it was called in.
 */
export const weeklyTallies = (
  db: Database,
  t: TableNames<'rollcalls'>,
  query: { schoolId: string; from: IsoDate; to: IsoDate; dates?: readonly IsoDate[] },
): WeeklyLessonTally[] => {
  const window =
    query.dates === undefined ? 'date BETWEEN ? AND ?' : 'date IN (SELECT value FROM json_each(?))';
  // As one JSON array: a month's tallies are a thousand rows, parsed faster so than as row objects.
  const rows = JSON.parse(
    prepared<string[], string>(
      db,
      `SELECT json_group_array(json_array(class_id, weekday, slot_code, taken_by_id, calls)) FROM (
         SELECT class_id, weekday, slot_code, taken_by_id, COUNT(*) AS calls FROM "${t.rollcalls}"
          WHERE school_id = ? AND ${window} AND status = 'taken'
          GROUP BY class_id, weekday, slot_code, taken_by_id)`,
    )
      .pluck()
      .get(
        ...(query.dates === undefined
          ? [query.schoolId, query.from, query.to]
          : [query.schoolId, JSON.stringify(query.dates)]),
      ) ?? '[]',
  ) as [classId: string, weekday: number, slotCode: string, takenBy: string, calls: number][];
  const lessons = new Map<
    string,
    { classOrGroupId: string; weekday: Weekday; slotCode: string; weeks: number; takers: Map<string, number> }
  >();
  for (const [classId, weekdayNumber, slotCode, takenBy, calls] of rows) {
    const weekday = WEEKDAYS[weekdayNumber - 1];
    const key = `${classId}|${weekday}|${slotCode}`;
    let lesson = lessons.get(key);
    if (!lesson)
      lessons.set(
        key,
        (lesson = {
          classOrGroupId: classId,
          weekday,
          slotCode,
          weeks: 0,
          takers: new Map(),
        }),
      );
    lesson.weeks += calls;
    lesson.takers.set(takenBy, calls);
  }
  return [...lessons.values()];
};

/** Those of `among` (classes and groups) with at least one roll call taken between two dates: one lookup each. */
export const classesCalled = (
  db: Database,
  t: TableNames<'rollcalls'>,
  query: { schoolId: string; from: IsoDate; to: IsoDate; among: readonly string[] },
): string[] =>
  prepared<[string, string, string, string], { classOrGroupId: string }>(
    db,
    `SELECT value AS classOrGroupId FROM json_each(?) WHERE EXISTS (
       SELECT 1 FROM "${t.rollcalls}" INDEXED BY "${t.rollcalls}_class"
        WHERE school_id = ? AND class_id = value AND date BETWEEN ? AND ? AND status = 'taken')`,
  )
    .all(JSON.stringify(query.among), query.schoolId, query.from, query.to)
    .map((row) => row.classOrGroupId);

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

type Tally = { expected: number; taken: number; missing: number };

const line = (lines: Record<string, Tally>, key: string, taken: boolean) => {
  const tally = (lines[key] ??= { expected: 0, taken: 0, missing: 0 });
  tally.expected++;
  if (taken) tally.taken++;
  else tally.missing++;
};

/** Compares the expected lessons of a range with the roll calls taken, per teacher and per class. */
export const rollCallCompleteness = (
  db: Database,
  t: TableNames<'rollcalls'>,
  query: { schoolId: string; from: IsoDate; to: IsoDate; expected: readonly ExpectedLesson[] },
): RollCallCompleteness => {
  // A month of a school is thousands of roll calls: one JSON array from SQLite parses about three
  // times faster than as many row objects (issue #10).
  const rows = JSON.parse(
    prepared<[string, string, string], string>(
      db,
      `SELECT json_group_array(json_array(class_id, date, slot_code, status, taken_by_id)) FROM "${t.rollcalls}"
        WHERE school_id = ? AND date BETWEEN ? AND ?`,
    )
      .pluck()
      .get(query.schoolId, query.from, query.to) ?? '[]',
  ) as [classId: string, date: IsoDate, slotCode: string, status: string, takenBy: string][];
  const key = (classOrGroupId: string, date: string, slotCode: string) =>
    `${classOrGroupId}|${date}|${slotCode}`;
  const recorded = new Map(rows.map((row) => [key(row[0], row[1], row[2]), row[3]]));
  const expectedKeys = new Set<string>();
  const missing: (ExpectedLesson & { voided: boolean })[] = [];
  const byTeacher: Record<string, Tally> = {};
  const byClass: Record<string, Tally> = {};
  let taken = 0;
  for (const lesson of query.expected) {
    if (lesson.date < query.from || lesson.date > query.to) continue;
    const id = key(lesson.classOrGroupId, lesson.date, lesson.slotCode);
    expectedKeys.add(id);
    const status = recorded.get(id);
    const counts = status === 'taken';
    if (counts) taken++;
    else missing.push({ ...lesson, voided: status === 'voided' });
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
        ([classId, date, slotCode, status]) =>
          status === 'taken' && !expectedKeys.has(key(classId, date, slotCode)),
      )
      .map(([classOrGroupId, date, slotCode, , takenBy]) => ({ classOrGroupId, date, slotCode, takenBy })),
  };
};
