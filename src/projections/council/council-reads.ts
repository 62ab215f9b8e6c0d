import type { Database } from 'better-sqlite3';
import { AttendanceTotals } from '../../domain/attendance';
import { IsoDate, monthOf } from '../../domain/shared/calendar';
import { AbsenteeismAlert, AttendanceTable, schoolAlerts, studentTotals } from '../attendance';
import { studentStateOf } from '../attendance/attendance-rows';
import { AuditTrailTable, readAuditTrail } from '../audit-trail';
import { TableNames } from '../projection';

/** One council student's school life over a period: the half-day counts and the alerts of its months. */
export type CouncilSchoolLife = {
  readonly studentId: string;
  readonly total: AttendanceTotals;
  readonly alerts: readonly AbsenteeismAlert[];
  /** Justifications covering a day of the range that still await the CPE's decision. */
  readonly pendingJustifications: readonly {
    readonly justificationId: string;
    readonly from: IsoDate;
    readonly to: IsoDate;
  }[];
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
    pendingJustifications: Object.values(studentStateOf(db, t, schoolId, studentId).justifications)
      .filter((j) => j.decision === 'pending' && j.voided === null && j.from.date <= to && j.to.date >= from)
      .map((j) => ({ justificationId: j.id, from: j.from.date, to: j.to.date }))
      .sort((a, b) =>
        a.from < b.from ? -1 : a.from > b.from ? 1 : a.justificationId < b.justificationId ? -1 : 1,
      ),
  }));
};

/** A change recorded with a reason after a council was held, about one of its students. */
export type PostCouncilEntry = {
  readonly studentId: string;
  readonly position: string;
  readonly streamId: string;
  readonly type: string;
  readonly actorId: string | null;
  readonly actorRole: string | null;
  readonly recordedAt: string | null;
  readonly correlationId: string | null;
  readonly reason: string;
};

/** At most this many per student: a view, not an export of the trail (the audit route pages the rest). */
const POST_COUNCIL_LIMIT = 200;

/**
 * What was changed with a reason about each student after `after` (the hold's position): one
 * indexed range of the audit trail's student index per student. Which of them touch the council's
 * period is the view's to decide, from their streams.
 */
export const readPostCouncilEntries = (
  db: Database,
  t: TableNames<AuditTrailTable>,
  query: { schoolId: string; studentIds: readonly string[]; after: string },
): PostCouncilEntry[] =>
  query.studentIds.flatMap((studentId) =>
    readAuditTrail(db, t, {
      schoolId: query.schoolId,
      studentId,
      after: BigInt(query.after),
      limit: POST_COUNCIL_LIMIT,
    })
      .filter((entry): entry is typeof entry & { reason: string } => entry.reason !== null)
      .map((entry) => ({
        studentId,
        position: entry.position.toString(),
        streamId: entry.streamId,
        type: entry.type,
        actorId: entry.actorId,
        actorRole: entry.actorRole,
        recordedAt: entry.recordedAt,
        correlationId: entry.correlationId,
        reason: entry.reason,
      })),
  );
