import type { Database } from 'better-sqlite3';
import { Level } from '../../domain/assessment';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import {
  ASSESSMENT_COLUMNS,
  AssessmentRow,
  AssessmentsTable,
  rowOf,
  StoredAssessmentRow,
} from './assessments.projection';

type Tables = TableNames<AssessmentsTable>;

export const readAssessment = (
  db: Database,
  t: Tables,
  schoolId: string,
  assessmentId: string,
): AssessmentRow | undefined => {
  const stored = prepared<[string, string], StoredAssessmentRow>(
    db,
    `SELECT ${ASSESSMENT_COLUMNS} FROM "${t.assessments}" WHERE school_id = ? AND assessment_id = ?`,
  ).get(schoolId, assessmentId);
  return stored === undefined ? undefined : rowOf(stored);
};

export type AssessmentFilter = {
  /** Classes and groups whose assessments are read. */
  readonly classOrGroupIds: readonly string[];
  readonly periodId: string;
  /** Every subject when left out. */
  readonly subjectId?: string;
};

/**
 * The assessments of some classes and groups in one period (and one subject), cancelled ones
 * included, by date then id: one indexed range per class or group.
 */
export const readAssessments = (
  db: Database,
  t: Tables,
  schoolId: string,
  filter: AssessmentFilter,
): AssessmentRow[] =>
  prepared<[string, string, string, string | null, string | null], StoredAssessmentRow>(
    db,
    `SELECT ${ASSESSMENT_COLUMNS} FROM "${t.assessments}"
     WHERE school_id = ? AND class_or_group_id IN (SELECT value FROM json_each(?)) AND period_id = ?
       AND (? IS NULL OR subject_id = ?)
     ORDER BY date, assessment_id`,
  )
    .all(
      schoolId,
      JSON.stringify(filter.classOrGroupIds),
      filter.periodId,
      filter.subjectId ?? null,
      filter.subjectId ?? null,
    )
    .map(rowOf);

export type ReportRow = {
  readonly classId: string;
  readonly periodId: string;
  readonly subjectId: string;
  readonly studentId: string;
  /** The teacher's final positioning, null when not set. */
  readonly positioning: Level | null;
  /** The suggestion the teacher saw when deciding. */
  readonly suggested: Level | null;
  readonly positioningBy: string | null;
  readonly appreciation: string | null;
  readonly appreciationBy: string | null;
};

const REPORT_COLUMNS = `class_id AS classId, period_id AS periodId, subject_id AS subjectId, student_id AS studentId,
  positioning, suggested, positioning_by AS positioningBy, appreciation, appreciation_by AS appreciationBy`;

/** Positionings and appreciations of a class in one period (and one subject), by subject then student. */
export const readClassReports = (
  db: Database,
  t: Tables,
  schoolId: string,
  classId: string,
  periodId: string,
  subjectId?: string,
): ReportRow[] =>
  prepared<[string, string, string, string | null, string | null], ReportRow>(
    db,
    `SELECT ${REPORT_COLUMNS} FROM "${t.reports}"
     WHERE school_id = ? AND class_id = ? AND period_id = ? AND (? IS NULL OR subject_id = ?)
     ORDER BY subject_id, student_id`,
  ).all(schoolId, classId, periodId, subjectId ?? null, subjectId ?? null);

/** One student's positionings and appreciations of one period, in whichever class they were written. */
export const readStudentReports = (
  db: Database,
  t: Tables,
  schoolId: string,
  studentId: string,
  periodId: string,
): ReportRow[] =>
  prepared<[string, string, string], ReportRow>(
    db,
    `SELECT ${REPORT_COLUMNS} FROM "${t.reports}" WHERE school_id = ? AND student_id = ? AND period_id = ?
     ORDER BY subject_id, class_id`,
  ).all(schoolId, studentId, periodId);

/** Positionings and appreciations of some students in one period (and one subject), whichever class holds them. */
export const readReportsOf = (
  db: Database,
  t: Tables,
  schoolId: string,
  studentIds: readonly string[],
  periodId: string,
  subjectId?: string,
): ReportRow[] =>
  prepared<[string, string, string, string | null, string | null], ReportRow>(
    db,
    `SELECT ${REPORT_COLUMNS} FROM "${t.reports}"
     WHERE school_id = ? AND student_id IN (SELECT value FROM json_each(?)) AND period_id = ?
       AND (? IS NULL OR subject_id = ?)
     ORDER BY student_id, subject_id, class_id`,
  ).all(schoolId, JSON.stringify(studentIds), periodId, subjectId ?? null, subjectId ?? null);
