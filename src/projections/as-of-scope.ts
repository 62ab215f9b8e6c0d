import type { Database } from 'better-sqlite3';
import { AssessmentsTable } from './assessment';
import { prepared } from './prepared';
import { TableNames } from './projection';
import { EnrolmentsTable } from './structure';

/** What an as-of view is about: classes (their council, reports and students) and students. */
export interface AsOfSubject {
  readonly classIds?: readonly string[];
  readonly groupIds?: readonly string[];
  readonly studentIds?: readonly string[];
  /** Every student of the school. */
  readonly wholeSchool?: boolean;
}

/** The ids whose streams an as-of view folds. */
export interface AsOfScope {
  /** The subject's students and every student ever in one of its classes. */
  readonly studentIds: string[];
  /** The subject's classes, and every class and group those students were ever in. */
  readonly classOrGroupIds: string[];
  /** Every assessment ever set to one of those classes or groups. */
  readonly assessmentIds: string[];
}

/**
 * The scope of an as-of view, read from the live read models: who was ever in the classes, where
 * they ever were, and what was assessed there. Enrolments and assessments only ever gain rows
 * (a correction ends a membership or cancels an assessment, it does not remove the row), so the
 * live scope holds every stream the view needed at any earlier moment.
 */
export const readAsOfScope = (
  db: Database,
  t: TableNames<EnrolmentsTable | AssessmentsTable>,
  schoolId: string,
  subject: AsOfSubject,
): AsOfScope => {
  const students = new Set(subject.studentIds ?? []);
  const inClass = prepared<[string, string], string>(
    db,
    `SELECT DISTINCT student_id FROM "${t.class_memberships}" WHERE school_id = ? AND class_id = ?`,
  ).pluck();
  const inGroup = prepared<[string, string], string>(
    db,
    `SELECT DISTINCT student_id FROM "${t.group_memberships}" WHERE school_id = ? AND group_id = ?`,
  ).pluck();
  const everyone = prepared<[string], string>(
    db,
    `SELECT student_id FROM "${t.students}" WHERE school_id = ?`,
  ).pluck();
  if (subject.wholeSchool === true) for (const id of everyone.all(schoolId)) students.add(id);
  for (const classId of subject.classIds ?? [])
    for (const id of inClass.all(schoolId, classId)) students.add(id);
  for (const groupId of subject.groupIds ?? [])
    for (const id of inGroup.all(schoolId, groupId)) students.add(id);
  const places = new Set([...(subject.classIds ?? []), ...(subject.groupIds ?? [])]);
  const classesOf = prepared<[string, string], string>(
    db,
    `SELECT class_id FROM "${t.class_memberships}" WHERE school_id = ? AND student_id = ?`,
  ).pluck();
  const groupsOf = prepared<[string, string], string>(
    db,
    `SELECT group_id FROM "${t.group_memberships}" WHERE school_id = ? AND student_id = ?`,
  ).pluck();
  for (const id of students) {
    for (const classId of classesOf.all(schoolId, id)) places.add(classId);
    for (const groupId of groupsOf.all(schoolId, id)) places.add(groupId);
  }
  const assessedIn = prepared<[string, string], string>(
    db,
    `SELECT assessment_id FROM "${t.assessments}" WHERE school_id = ? AND class_or_group_id = ?`,
  ).pluck();
  const assessments = new Set<string>();
  for (const place of places) for (const id of assessedIn.all(schoolId, place)) assessments.add(id);
  return {
    studentIds: [...students].sort(),
    classOrGroupIds: [...places].sort(),
    assessmentIds: [...assessments].sort(),
  };
};
