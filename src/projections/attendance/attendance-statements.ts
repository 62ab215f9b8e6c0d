import type { Database, Statement } from 'better-sqlite3';
import type { AlertTier } from '../../domain/attendance';
import { TableNames } from '../projection';
import { AttendanceTable } from './attendance-schema';
import type { StudentRollCallRow } from './attendance-rows';

const STUDENT_ROLL_CALL_COLUMNS = `rollcall_id, class_id, group_kind, date, slot_code, slot_start, slot_end, half_day,
  status, register, absent, late, late_threshold, void_reason`;

export type HalfDayRow = {
  date: string;
  half_day: string;
  month: string;
  class_id: string | null;
  mode: string;
  absent: number;
  justified: number;
  latenesses: number;
  missed_slots: number;
  missed_minutes: number;
};

const HALF_DAY_COLUMNS = `date, half_day, month, class_id, mode, absent, justified, latenesses, missed_slots, missed_minutes`;

/**
 * The months of a school that hold memberships between `@fromMonth` and `@toMonth`, each found by one
 * descent of the month-first key (a skip scan), so that a student's months are then point lookups
 * rather than a walk through every student of the school.
 */
const schoolMonthsCte = (memberships: string) => `WITH RECURSIVE school_months(month) AS (
    SELECT (SELECT MIN(month) FROM "${memberships}" WHERE school_id = @schoolId AND month >= @fromMonth)
    UNION ALL
    SELECT (SELECT MIN(month) FROM "${memberships}" WHERE school_id = @schoolId AND month > school_months.month)
      FROM school_months WHERE school_months.month < @toMonth)`;

type OpenAlertRow = { alert_id: string; tier: AlertTier; current_count: number };

/**
 * Every statement the attendance projection runs on its write path, prepared once per connection
 * and table generation: a year of roll calls runs them hundreds of thousands of times.
 */
const define = (db: Database, t: TableNames<AttendanceTable>) => {
  const statement = <Params extends unknown[] = unknown[], Row = unknown>(sql: string) =>
    db.prepare(sql) as Statement<Params, Row>;
  return {
    upsertRollCall: statement(
      `INSERT INTO "${t.rollcalls}" (rollcall_id, school_id, class_id, group_kind, date, slot_code, slot_start, slot_end,
         half_day, status, version, register, absent, late, late_threshold, taken_by_id, taken_by_role, taken_at,
         taken_position, changed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'taken', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (rollcall_id) DO UPDATE SET version = excluded.version, register = excluded.register,
         absent = excluded.absent, late = excluded.late, late_threshold = excluded.late_threshold,
         changed_at = excluded.changed_at`,
    ),
    voidRollCall: statement(
      `UPDATE "${t.rollcalls}" SET status = 'voided', void_reason = ?, changed_at = ? WHERE rollcall_id = ?`,
    ),
    insertChange: statement(
      `INSERT INTO "${t.changes}" (position, rollcall_id, type, version, actor_id, actor_role, at, reason, added, removed, reverts_to)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    rollCallsOfStudent: statement<
      [{ schoolId: string; studentId: string; fromMonth: string; toMonth: string; from: string; to: string }],
      StudentRollCallRow
    >(
      // CROSS JOIN keeps the loops in this order (months, then the student's classes, then each class's
      // roll calls by its index): left to choose, SQLite walked every membership of the school.
      `${schoolMonthsCte(t.memberships)},
       classes(id) AS (
         SELECT DISTINCT m.class_id FROM school_months CROSS JOIN "${t.memberships}" m
          WHERE m.school_id = @schoolId AND m.month = school_months.month AND m.student_id = @studentId
            AND school_months.month <= @toMonth)
       SELECT ${STUDENT_ROLL_CALL_COLUMNS} FROM classes CROSS JOIN "${t.rollcalls}" r
        WHERE r.school_id = @schoolId AND r.class_id = classes.id AND r.date BETWEEN @from AND @to
        ORDER BY date, slot_start, rollcall_id`,
    ),
    rollCallsOfClassOn: statement<[string, string, string], StudentRollCallRow>(
      `SELECT ${STUDENT_ROLL_CALL_COLUMNS} FROM "${t.rollcalls}" WHERE school_id = ? AND class_id = ? AND date = ?`,
    ),
    classesOfStudent: statement<[string, string, string], { class_id: string }>(
      `SELECT class_id FROM "${t.memberships}" WHERE school_id = ? AND student_id = ? AND month = ?`,
    ),
    classesOfSchool: statement<[string, string], { student_id: string; class_id: string }>(
      `SELECT student_id, class_id FROM "${t.memberships}" WHERE school_id = ? AND month = ?`,
    ),
    monthsOfStudent: statement<
      [{ schoolId: string; studentId: string; fromMonth: string; toMonth: string }],
      { month: string }
    >(
      `${schoolMonthsCte(t.memberships)}
       SELECT month FROM school_months WHERE month <= @toMonth AND EXISTS (
         SELECT 1 FROM "${t.memberships}" m
          WHERE m.school_id = @schoolId AND m.month = school_months.month AND m.student_id = @studentId)`,
    ),
    halfDaysOfStudent: statement<[string, string, string, string], HalfDayRow>(
      `SELECT ${HALF_DAY_COLUMNS} FROM "${t.half_days}" WHERE school_id = ? AND student_id = ? AND date BETWEEN ? AND ?`,
    ),
    halfDaysOfSchool: statement<[string, string, string], HalfDayRow & { student_id: string }>(
      `SELECT student_id, ${HALF_DAY_COLUMNS} FROM "${t.half_days}" WHERE school_id = ? AND date BETWEEN ? AND ?`,
    ),
    studentsMissingLessonsOn: statement<[string, string, string], { student_id: string }>(
      `SELECT student_id FROM "${t.half_days}" WHERE school_id = ? AND date = ? AND half_day = ? AND missed_slots > 0`,
    ),
    studentState: statement<[string, string], { state: string }>(
      `SELECT state FROM "${t.students}" WHERE school_id = ? AND student_id = ?`,
    ),
    saveStudentState: statement(
      `INSERT INTO "${t.students}" (school_id, student_id, state) VALUES (?, ?, ?)
       ON CONFLICT (school_id, student_id) DO UPDATE SET state = excluded.state`,
    ),
    monthsOfRange: statement<[string, string, string, string], { month: string }>(
      `SELECT DISTINCT month FROM "${t.half_days}" WHERE school_id = ? AND student_id = ? AND date BETWEEN ? AND ?`,
    ),
    deleteHalfDay: statement(
      `DELETE FROM "${t.half_days}" WHERE school_id = ? AND student_id = ? AND date = ? AND half_day = ?`,
    ),
    writeHalfDay: statement(
      `INSERT OR REPLACE INTO "${t.half_days}" (school_id, student_id, date, half_day, month, class_id, mode, absent,
         justified, latenesses, missed_slots, missed_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteMonth: statement(`DELETE FROM "${t.months}" WHERE school_id = ? AND student_id = ? AND month = ?`),
    upsertMonth: statement(
      `INSERT INTO "${t.months}" (school_id, student_id, month, half_days_absent, justified, unjustified, latenesses, missed_minutes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (school_id, student_id, month) DO UPDATE SET half_days_absent = excluded.half_days_absent,
         justified = excluded.justified, unjustified = excluded.unjustified, latenesses = excluded.latenesses,
         missed_minutes = excluded.missed_minutes`,
    ),
    openAlerts: statement<[string, string, string], OpenAlertRow>(
      `SELECT alert_id, tier, current_count FROM "${t.alerts}"
        WHERE school_id = ? AND student_id = ? AND month = ? AND status = 'open'`,
    ),
    openAlertsOfSchool: statement<[string, string], OpenAlertRow & { student_id: string }>(
      `SELECT student_id, alert_id, tier, current_count FROM "${t.alerts}"
        WHERE school_id = ? AND status = 'open' AND month = ?`,
    ),
    raiseAlert: statement(
      `INSERT INTO "${t.alerts}" (alert_id, school_id, student_id, month, tier, threshold, status, count_at_raise,
         current_count, raised_at, raised_position) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
    ),
    withdrawAlert: statement(
      `UPDATE "${t.alerts}" SET status = 'withdrawn', current_count = ?, withdrawn_at = ?, withdrawn_position = ? WHERE alert_id = ?`,
    ),
    updateAlertCount: statement(`UPDATE "${t.alerts}" SET current_count = ? WHERE alert_id = ?`),
  };
};

export type AttendanceStatements = ReturnType<typeof define>;

const cache = new WeakMap<Database, Map<string, AttendanceStatements>>();

export const statementsFor = (db: Database, t: TableNames<AttendanceTable>): AttendanceStatements => {
  let byTables = cache.get(db);
  if (!byTables) cache.set(db, (byTables = new Map()));
  let statements = byTables.get(t.rollcalls);
  if (!statements) byTables.set(t.rollcalls, (statements = define(db, t)));
  return statements;
};
