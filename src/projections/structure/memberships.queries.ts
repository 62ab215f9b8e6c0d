import type { Database } from 'better-sqlite3';
import { byFrenchName } from '../../domain/shared/french-order';
import { IsoDate } from '../../domain/shared/calendar';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { EnrolmentsTable } from './enrolments.projection';

type Enrolments = TableNames<EnrolmentsTable>;

export type MemberDuring = {
  readonly studentId: string;
  readonly lastName: string;
  readonly firstName: string;
  /** The student's memberships of this class or group that overlap the range, in order. */
  readonly spans: readonly { readonly from: IsoDate; readonly until: IsoDate | null }[];
};

/**
 * The students of a class or group at any time from `from` to `to` (both included), by name in
 * French order, with
 * the spans they were in it: a period's grade book lists the students who left or came during it.
 */
export const readMembersDuring = (
  db: Database,
  t: Enrolments,
  schoolId: string,
  kind: 'class' | 'group',
  classOrGroupId: string,
  from: IsoDate,
  to: IsoDate,
): MemberDuring[] => {
  const table = kind === 'class' ? t.class_memberships : t.group_memberships;
  const column = kind === 'class' ? 'class_id' : 'group_id';
  const rows = prepared<
    [string, string, string, string],
    { studentId: string; lastName: string; firstName: string; from: string; until: string | null }
  >(
    db,
    `SELECT m.student_id AS studentId, s.last_name AS lastName, s.first_name AS firstName,
            m.from_date AS "from", m.until_date AS until
     FROM "${table}" m JOIN "${t.students}" s ON s.school_id = m.school_id AND s.student_id = m.student_id
     WHERE m.school_id = ? AND m.${column} = ? AND m.from_date <= ? AND (m.until_date IS NULL OR m.until_date > ?)
     ORDER BY s.last_name, s.first_name, m.student_id, m.from_date`,
  ).all(schoolId, classOrGroupId, to, from);
  const members = new Map<string, MemberDuring & { spans: { from: IsoDate; until: IsoDate | null }[] }>();
  for (const { studentId, lastName, firstName, from: start, until } of rows) {
    const member = members.get(studentId) ?? { studentId, lastName, firstName, spans: [] };
    member.spans.push({ from: start, until });
    members.set(studentId, member);
  }
  return [...members.values()].sort(byFrenchName('studentId'));
};

export type StudentMembershipRows = {
  readonly studentId: string;
  readonly classes: readonly {
    readonly classId: string;
    readonly from: IsoDate;
    readonly until: IsoDate | null;
  }[];
  readonly groups: readonly {
    readonly groupId: string;
    readonly from: IsoDate;
    readonly until: IsoDate | null;
  }[];
};

/**
 * The class and group memberships of some students, in the order they were opened: one primary-key
 * range per student (an `IN (json_each…)` list leaves SQLite to guess, and it scanned).
 */
export const readMembershipsOf = (
  db: Database,
  t: Enrolments,
  schoolId: string,
  studentIds: readonly string[],
): StudentMembershipRows[] => {
  const classes = prepared<[string, string], { classId: string; from: string; until: string | null }>(
    db,
    `SELECT class_id AS classId, from_date AS "from", until_date AS until
     FROM "${t.class_memberships}" WHERE school_id = ? AND student_id = ? ORDER BY opened_at`,
  );
  const groups = prepared<[string, string], { groupId: string; from: string; until: string | null }>(
    db,
    `SELECT group_id AS groupId, from_date AS "from", until_date AS until
     FROM "${t.group_memberships}" WHERE school_id = ? AND student_id = ? ORDER BY opened_at`,
  );
  return studentIds.map((studentId) => ({
    studentId,
    classes: classes.all(schoolId, studentId),
    groups: groups.all(schoolId, studentId),
  }));
};
