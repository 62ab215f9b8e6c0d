import type { Database } from 'better-sqlite3';
import { AttendanceTotals } from '../../domain/attendance';
import { IsoDate, monthOf } from '../../domain/shared/calendar';
import { AbsenteeismAlert, AttendanceTable, schoolAlerts, studentTotals } from '../attendance';
import { TableNames } from '../projection';

/** One council student's school life over a period: the half-day counts and the alerts of its months. */
export type CouncilSchoolLife = {
  readonly studentId: string;
  readonly total: AttendanceTotals;
  readonly alerts: readonly AbsenteeismAlert[];
};

/**
 * The school-life summary of a council's students in one read on one connection (a consistent
 * snapshot, one message to a read thread instead of two per student): each student's totals over
 * `from`..`to` (the attendance counts read) and their alerts, open or withdrawn, of the months
 * the range touches.
 */
export const readCouncilSchoolLife = (
  db: Database,
  t: TableNames<AttendanceTable>,
  query: { schoolId: string; studentIds: readonly string[]; from: IsoDate; to: IsoDate },
): CouncilSchoolLife[] => {
  const { schoolId, from, to } = query;
  return query.studentIds.map((studentId) => ({
    studentId,
    total: studentTotals(db, t, { schoolId, studentId, from, to }).total,
    alerts: schoolAlerts(db, t, { schoolId, studentId, status: 'all' }).filter(
      (alert) => alert.month >= monthOf(from) && alert.month <= monthOf(to),
    ),
  }));
};
