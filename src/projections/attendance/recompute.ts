import type { Database } from 'better-sqlite3';
import {
  CountingSettingsTimeline,
  DateRange,
  alertChanges,
  countStudent,
  firstDayOfMonth,
  lastDayOfMonth,
  thresholdsForMonth,
} from '../../domain/attendance';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { entriesOf, studentStateOf } from './attendance-rows';
import { statementsFor } from './attendance-statements';
import { AttendanceTable } from './attendance-schema';

type Tables = TableNames<AttendanceTable>;

/** The event that caused a recount: alerts are stamped with its instant and position. */
export type Cause = { readonly recordedAt: string; readonly position: bigint };

export const END_OF_TIME = '9999-12-31';

type MonthTotals = {
  absent: number;
  justified: number;
  unjustified: number;
  latenesses: number;
  missed: number;
};

const refreshMonth = (
  db: Database,
  t: Tables,
  timeline: CountingSettingsTimeline,
  schoolId: string,
  studentId: string,
  month: string,
  cause: Cause,
) => {
  const s = statementsFor(db, t);
  const totals = s.monthTotals.get(
    schoolId,
    studentId,
    firstDayOfMonth(month),
    lastDayOfMonth(month),
  ) as MonthTotals;
  if (totals.absent + totals.latenesses + totals.missed === 0) s.deleteMonth.run(schoolId, studentId, month);
  else
    s.upsertMonth.run(
      schoolId,
      studentId,
      month,
      totals.absent,
      totals.justified,
      totals.unjustified,
      totals.latenesses,
      totals.missed,
    );
  refreshAlerts(db, t, timeline, schoolId, studentId, month, totals.unjustified, cause);
};

const refreshAlerts = (
  db: Database,
  t: Tables,
  timeline: CountingSettingsTimeline,
  schoolId: string,
  studentId: string,
  month: string,
  unjustified: number,
  cause: Cause,
) => {
  const s = statementsFor(db, t);
  const open = s.openAlerts.all(schoolId, studentId, month);
  const thresholds = thresholdsForMonth(timeline, month);
  const changes = alertChanges(
    open.map((a) => a.tier),
    unjustified,
    thresholds,
  );
  for (const tier of changes.raise)
    s.raiseAlert.run(
      `${schoolId}:${studentId}:${month}:${tier}:${cause.position}`,
      schoolId,
      studentId,
      month,
      tier,
      thresholds[tier],
      unjustified,
      unjustified,
      cause.recordedAt,
      cause.position,
    );
  for (const alert of open) {
    if (changes.withdraw.includes(alert.tier))
      s.withdrawAlert.run(unjustified, cause.recordedAt, cause.position, alert.alert_id);
    else s.updateAlertCount.run(unjustified, alert.alert_id);
  }
};

/**
 * Recount one student over a date range and refresh the months it touches — the only work a late
 * justification or an amended roll call costs, whatever the size of the school.
 */
export const recomputeStudent = (
  db: Database,
  t: Tables,
  timeline: CountingSettingsTimeline,
  schoolId: string,
  studentId: string,
  range: DateRange,
  cause: Cause,
): void => {
  const tallies = countStudent({
    entries: entriesOf(db, t, schoolId, studentId, range),
    attendance: studentStateOf(db, t, schoolId, studentId),
    settings: timeline,
    range,
  });
  const s = statementsFor(db, t);
  const months = new Set(tallies.map((tally) => tally.month));
  for (const row of s.monthsOfRange.all(schoolId, studentId, range.from, range.to)) months.add(row.month);
  s.deleteHalfDays.run(schoolId, studentId, range.from, range.to);
  for (const tally of tallies)
    s.insertHalfDay.run(
      schoolId,
      studentId,
      tally.date,
      tally.halfDay,
      tally.month,
      tally.classId,
      tally.mode,
      tally.absent ? 1 : 0,
      tally.justified ? 1 : 0,
      tally.latenesses,
      tally.missedSlots,
      tally.missedMinutes,
    );
  for (const month of [...months].sort()) refreshMonth(db, t, timeline, schoolId, studentId, month, cause);
};

/** After a change of counting settings: every student with something counted from that date. */
export const recomputeSchoolFrom = (
  db: Database,
  t: Tables,
  timeline: CountingSettingsTimeline,
  schoolId: string,
  from: string,
  cause: Cause,
): void => {
  const students = prepared<string[], { student_id: string }>(
    db,
    `SELECT student_id FROM "${t.half_days}" WHERE school_id = ? AND date >= ?
     UNION SELECT j.value FROM "${t.rollcalls}" r, json_each(r.absent) j WHERE r.school_id = ? AND r.date >= ?
     UNION SELECT json_extract(j.value, '$.studentId') FROM "${t.rollcalls}" r, json_each(r.late) j WHERE r.school_id = ? AND r.date >= ?
     UNION SELECT student_id FROM "${t.students}" WHERE school_id = ?`,
  ).all(schoolId, from, schoolId, from, schoolId, from, schoolId);
  for (const { student_id } of students)
    recomputeStudent(db, t, timeline, schoolId, student_id, { from, to: END_OF_TIME }, cause);
};
