import { DateRange, alertChanges, thresholdsForMonth, tiersReached } from '../../domain/attendance';
import { prepared } from '../prepared';
import { StudentMonth } from './student-month';
import { Cause, END_OF_TIME, WorkingSet } from './working-set';
import { IsoDate, datesBetween, monthOf } from '../../domain/shared/calendar';

const refreshAlerts = (work: WorkingSet, studentMonth: StudentMonth, cause: Cause) => {
  const { schoolId, studentId, month } = studentMonth;
  const unjustified = studentMonth.unjustified();
  const thresholds = thresholdsForMonth(work.timeline(schoolId), month);
  const open = [...studentMonth.openAlerts];
  const changes = alertChanges(
    open.map((a) => a.tier),
    unjustified,
    thresholds,
  );
  for (const tier of changes.raise)
    work.raiseAlert(
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
    if (changes.withdraw.includes(alert.tier)) work.withdrawAlert(studentMonth, alert, unjustified, cause);
    else alert.count = unjustified;
  }
};

/**
 * Recount one student over a date range and refresh the alerts of the months it touches — the only
 * work a late justification or an amended roll call costs, whatever the size of the school.
 */
export const recomputeStudent = (
  work: WorkingSet,
  schoolId: string,
  studentId: string,
  range: DateRange,
  cause: Cause,
): void => {
  for (const month of [...work.recount(schoolId, studentId, range)].sort())
    refreshAlerts(work, work.studentMonth(schoolId, studentId, month), cause);
};

/**
 * A month's alerts cannot change while no threshold lies between the fewest and the most unjustified
 * half-days it can have with its postponed dates counted as none or all absent: each day's roll calls
 * (seven for a student absent all day) and a justification with its decision are then counted once,
 * when the day is settled.
 */
const alertsCannotChange = (work: WorkingSet, studentMonth: StudentMonth, dates: readonly IsoDate[]) => {
  const thresholds = thresholdsForMonth(work.timeline(studentMonth.schoolId), studentMonth.month);
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
  work: WorkingSet,
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
    const studentMonth = work.studentMonth(schoolId, studentId, month);
    if (alertsCannotChange(work, studentMonth, dates)) return work.postpone(studentMonth, dates);
    // Counting the dates already waiting narrows the bounds: these may wait on their own.
    work.settle(studentMonth);
    if (alertsCannotChange(work, studentMonth, dates)) return work.postpone(studentMonth, dates);
  }
  recomputeStudent(work, schoolId, studentId, range, cause);
};

/** After a change of counting settings: every student with something counted from that date. */
export const recomputeSchoolFrom = (work: WorkingSet, schoolId: string, from: string, cause: Cause): void => {
  work.flush();
  const { db, t } = work;
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
