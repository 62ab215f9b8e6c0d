import { DateRange, alertChanges, thresholdsForMonth, tiersReached } from '../../domain/attendance';
import { prepared } from '../prepared';
import { AttendanceWriters, Cause } from './attendance-writers';
import { ReadCache } from './read-cache';
import { END_OF_TIME, RecountScheduler } from './recount-scheduler';
import { StudentMonth } from './student-month';
import { IsoDate, datesBetween, monthOf } from '../../domain/shared/calendar';

/** What one batch of the attendance projection works with: what it read, when it counts, how it writes. */
export type AttendanceBatch = {
  readonly cache: ReadCache;
  readonly recounts: RecountScheduler;
  readonly writers: AttendanceWriters;
};

const refreshAlerts = (work: AttendanceBatch, studentMonth: StudentMonth, cause: Cause) => {
  const { schoolId, studentId, month } = studentMonth;
  const unjustified = studentMonth.unjustified();
  const thresholds = thresholdsForMonth(work.cache.timeline(schoolId), month);
  const open = [...studentMonth.openAlerts];
  const changes = alertChanges(
    open.map((a) => a.tier),
    unjustified,
    thresholds,
  );
  for (const tier of changes.raise)
    work.writers.raiseAlert(
      studentMonth,
      {
        alertId: `${schoolId}:${studentId}:${month}:${tier}:${cause.position}`,
        tier,
        count: unjustified,
        storedCount: unjustified,
      },
      thresholds[tier],
      cause,
    );
  for (const alert of open) {
    if (changes.withdraw.includes(alert.tier))
      work.writers.withdrawAlert(studentMonth, alert, unjustified, cause);
    else alert.count = unjustified;
  }
};

/**
 * Recount one student over a date range and refresh the alerts of the months it touches — the only
 * work a late justification or an amended roll call costs, whatever the size of the school.
 */
export const recomputeStudent = (
  work: AttendanceBatch,
  schoolId: string,
  studentId: string,
  range: DateRange,
  cause: Cause,
): void => {
  for (const month of [...work.recounts.recount(schoolId, studentId, range)].sort())
    refreshAlerts(work, work.cache.studentMonth(schoolId, studentId, month), cause);
};

/**
 * A month's alerts cannot change while no threshold lies between the fewest and the most unjustified
 * half-days it can have with its postponed dates counted as none or all absent: each day's roll calls
 * (seven for a student absent all day) and a justification with its decision are then counted once,
 * when the day is settled.
 */
const alertsCannotChange = (work: AttendanceBatch, studentMonth: StudentMonth, dates: readonly IsoDate[]) => {
  const thresholds = thresholdsForMonth(work.cache.timeline(studentMonth.schoolId), studentMonth.month);
  const { atLeast, atMost } = studentMonth.unjustifiedBoundsWith(dates);
  const reached = tiersReached(atLeast, thresholds);
  return (
    reached.length === tiersReached(atMost, thresholds).length &&
    reached.length === studentMonth.openAlerts.length &&
    studentMonth.openAlerts.every((alert) => reached.includes(alert.tier))
  );
};

/** A fact over more days than this is counted at once: the bounds would rarely let it wait. */
const POSTPONED_AT_ONCE = 7;

/** An event changed what is known about a student over a range: count it now, or once alerts may change. */
export const recountStudent = (
  work: AttendanceBatch,
  schoolId: string,
  studentId: string,
  range: DateRange,
  cause: Cause,
): void => {
  const month = monthOf(range.from);
  const dates =
    range.from === range.to
      ? [range.from]
      : monthOf(range.to) === month && range.to > range.from
        ? datesBetween(range.from, range.to)
        : [];
  if (dates.length > 0 && dates.length <= POSTPONED_AT_ONCE) {
    const studentMonth = work.cache.studentMonth(schoolId, studentId, month);
    if (alertsCannotChange(work, studentMonth, dates)) return work.recounts.postpone(studentMonth, dates);
    // Counting the dates already waiting narrows the bounds: these may wait on their own.
    work.recounts.settle(studentMonth);
    if (alertsCannotChange(work, studentMonth, dates)) return work.recounts.postpone(studentMonth, dates);
  }
  recomputeStudent(work, schoolId, studentId, range, cause);
};

/** After a change of counting settings: every student with something counted from that date. */
export const recomputeSchoolFrom = (
  work: AttendanceBatch,
  schoolId: string,
  from: string,
  cause: Cause,
): void => {
  work.recounts.flush();
  const { db, t } = work.cache;
  const students = prepared<string[], { student_id: string }>(
    db,
    `SELECT student_id FROM "${t.half_days}" WHERE school_id = ? AND date >= ?
     UNION SELECT j.value FROM "${t.rollcalls}" r, json_each(r.absent) j WHERE r.school_id = ? AND r.date >= ?
     UNION SELECT json_extract(j.value, '$.studentId') FROM "${t.rollcalls}" r, json_each(r.late) j WHERE r.school_id = ? AND r.date >= ?
     UNION SELECT student_id FROM "${t.students}" WHERE school_id = ?`,
  ).all(schoolId, from, schoolId, from, schoolId, from, schoolId);
  for (const { student_id } of students)
    recomputeStudent(work, schoolId, student_id, { from, to: END_OF_TIME }, cause);
};
