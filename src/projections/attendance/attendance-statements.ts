import type { Database, Statement } from 'better-sqlite3';
import { TableNames } from '../projection';
import { AttendanceTable } from './attendance-schema';
import type { RollCallRow, StudentRollCallRow } from './attendance-rows';

/**
 * Every statement the attendance projection runs on its write path, prepared once per connection
 * and table generation: a year of roll calls runs them millions of times.
 */
const define = (db: Database, t: TableNames<AttendanceTable>) => {
  const statement = <Params extends unknown[] = unknown[], Row = unknown>(sql: string) =>
    db.prepare(sql) as unknown as Statement<Params, Row>;
  return {
    rollCall: statement<[string], RollCallRow>(`SELECT * FROM "${t.rollcalls}" WHERE rollcall_id = ?`),
    upsertRollCall: statement(
      `INSERT INTO "${t.rollcalls}" (rollcall_id, school_id, class_id, group_kind, date, slot_code, slot_start, slot_end,
         half_day, status, version, register, absent, late, late_threshold, taken_by_id, taken_by_role, taken_at, changed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'taken', ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
    addMembership: statement(
      `INSERT OR IGNORE INTO "${t.memberships}" (school_id, student_id, month, class_id) VALUES (?, ?, ?, ?)`,
    ),
    rollCallsOfStudent: statement<
      [{ schoolId: string; studentId: string; fromMonth: string; toMonth: string; from: string; to: string }],
      StudentRollCallRow
    >(
      `SELECT rollcall_id, class_id, group_kind, date, slot_code, slot_start, slot_end, half_day, status, register, absent,
              late, late_threshold, void_reason FROM "${t.rollcalls}"
        WHERE school_id = @schoolId AND date BETWEEN @from AND @to AND class_id IN (
          SELECT class_id FROM "${t.memberships}"
           WHERE school_id = @schoolId AND student_id = @studentId AND month BETWEEN @fromMonth AND @toMonth)
        ORDER BY date, slot_start`,
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
    deleteHalfDays: statement(
      `DELETE FROM "${t.half_days}" WHERE school_id = ? AND student_id = ? AND date BETWEEN ? AND ?`,
    ),
    insertHalfDay: statement(
      `INSERT INTO "${t.half_days}" (school_id, student_id, date, half_day, month, class_id, mode, absent, justified,
         latenesses, missed_slots, missed_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    monthTotals: statement<
      [string, string, string, string],
      { absent: number; justified: number; unjustified: number; latenesses: number; missed: number }
    >(
      `SELECT COALESCE(SUM(absent), 0) AS absent,
              COALESCE(SUM(absent * justified), 0) AS justified,
              COALESCE(SUM(absent * (1 - justified)), 0) AS unjustified,
              COALESCE(SUM(latenesses), 0) AS latenesses,
              COALESCE(SUM(missed_minutes), 0) AS missed
         FROM "${t.half_days}" WHERE school_id = ? AND student_id = ? AND date BETWEEN ? AND ?`,
    ),
    deleteMonth: statement(`DELETE FROM "${t.months}" WHERE school_id = ? AND student_id = ? AND month = ?`),
    upsertMonth: statement(
      `INSERT INTO "${t.months}" (school_id, student_id, month, half_days_absent, justified, unjustified, latenesses, missed_minutes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (school_id, student_id, month) DO UPDATE SET half_days_absent = excluded.half_days_absent,
         justified = excluded.justified, unjustified = excluded.unjustified, latenesses = excluded.latenesses,
         missed_minutes = excluded.missed_minutes`,
    ),
    openAlerts: statement<[string, string, string], { alert_id: string; tier: 'monthly' | 'persistent' }>(
      `SELECT alert_id, tier FROM "${t.alerts}" WHERE school_id = ? AND student_id = ? AND month = ? AND status = 'open'`,
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
