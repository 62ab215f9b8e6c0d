import type { Database } from 'better-sqlite3';
import { AssessmentPeriod } from '../../domain/assessment';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import {
  EnrolmentsTable,
  MemberDuring,
  readMembersDuring,
  readMembershipsOf,
  StudentMembershipRows,
} from '../structure';
import { AssessmentRow, AssessmentsTable } from './assessments.projection';
import { readAssessments, readReportsOf, ReportRow } from './assessments.queries';

export type PeriodRowsTables = TableNames<AssessmentsTable | EnrolmentsTable>;

/** Whose results: the students of a class or group during the period, or one student. */
export type PeriodRowsOf =
  | { readonly kind: 'class' | 'group'; readonly id: string }
  | { readonly kind: 'student'; readonly studentId: string };

export type PeriodRows = {
  readonly members: readonly MemberDuring[];
  readonly memberships: readonly StudentMembershipRows[];
  /** The assessments of the period (and subject) of every class and group those students were in. */
  readonly assessments: readonly AssessmentRow[];
  readonly reports: readonly ReportRow[];
};

const overlaps = (m: { from: string; until: string | null }, period: AssessmentPeriod): boolean =>
  m.from <= period.end && (m.until === null || m.until > period.start);

/**
 * Everything a period's grade views compute from, in one read on one connection (a consistent
 * snapshot): the students, their memberships, the assessments of every class and group they were in
 * during the period — a student who moved brings the grades of the old class — and their reports.
 */
export const readPeriodRows = (
  db: Database,
  t: PeriodRowsTables,
  schoolId: string,
  of: PeriodRowsOf,
  period: AssessmentPeriod,
  subjectId: string | null,
): PeriodRows => {
  const members =
    of.kind === 'student'
      ? prepared<[string, string], MemberDuring & { spans: never[] }>(
          db,
          `SELECT student_id AS studentId, last_name AS lastName, first_name AS firstName
           FROM "${t.students}" WHERE school_id = ? AND student_id = ?`,
        )
          .all(schoolId, of.studentId)
          .map((s) => ({ ...s, spans: [] }))
      : readMembersDuring(db, t, schoolId, of.kind, of.id, period.start, period.end);
  const studentIds = members.map((m) => m.studentId);
  const memberships = readMembershipsOf(db, t, schoolId, studentIds);
  const places = new Set<string>(of.kind === 'student' ? [] : [of.id]);
  const classes = new Set<string>(of.kind === 'class' ? [of.id] : []);
  for (const m of memberships) {
    for (const c of m.classes)
      if (overlaps(c, period)) {
        places.add(c.classId);
        classes.add(c.classId);
      }
    for (const g of m.groups) if (overlaps(g, period)) places.add(g.groupId);
  }
  return {
    members,
    memberships,
    assessments: readAssessments(db, t, schoolId, {
      classOrGroupIds: [...places].sort(),
      periodId: period.id,
      ...(subjectId !== null ? { subjectId } : {}),
    }),
    reports: readReportsOf(
      db,
      t,
      schoolId,
      [...classes].sort(),
      studentIds,
      period.id,
      subjectId ?? undefined,
    ),
  };
};
