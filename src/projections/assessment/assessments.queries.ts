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
  StoredReportEntry,
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
 * included, by date then id: one range of the class index per class or group. Named: without
 * statistics SQLite prefers the primary key's `school_id` prefix, and scans the school's assessments.
 */
export const readAssessments = (
  db: Database,
  t: Tables,
  schoolId: string,
  filter: AssessmentFilter,
): AssessmentRow[] => {
  const bySubject = prepared<[string, string, string, string], StoredAssessmentRow>(
    db,
    `SELECT ${ASSESSMENT_COLUMNS} FROM "${t.assessments}" INDEXED BY "${t.assessments}_by_class"
     WHERE school_id = ? AND class_or_group_id = ? AND period_id = ? AND subject_id = ?`,
  );
  const all = prepared<[string, string, string], StoredAssessmentRow>(
    db,
    `SELECT ${ASSESSMENT_COLUMNS} FROM "${t.assessments}" INDEXED BY "${t.assessments}_by_class"
     WHERE school_id = ? AND class_or_group_id = ? AND period_id = ?`,
  );
  const rows = [...new Set(filter.classOrGroupIds)].flatMap((id) =>
    filter.subjectId === undefined
      ? all.all(schoolId, id, filter.periodId)
      : bySubject.all(schoolId, id, filter.periodId, filter.subjectId),
  );
  return rows
    .sort((a, b) =>
      a.date !== b.date
        ? a.date < b.date
          ? -1
          : 1
        : a.assessment_id < b.assessment_id
          ? -1
          : a.assessment_id > b.assessment_id
            ? 1
            : 0,
    )
    .map(rowOf);
};

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

type StoredReport = { class_id: string; period_id: string; subject_id: string; students: string };

const reportRowsOf = (stored: readonly StoredReport[], studentIds?: ReadonlySet<string>): ReportRow[] =>
  stored.flatMap((report) =>
    Object.entries(JSON.parse(report.students) as Record<string, StoredReportEntry>)
      .filter(([studentId]) => studentIds === undefined || studentIds.has(studentId))
      .map(([studentId, entry]) => ({
        classId: report.class_id,
        periodId: report.period_id,
        subjectId: report.subject_id,
        studentId,
        positioning: entry[0],
        suggested: entry[1],
        positioningBy: entry[2],
        appreciation: entry[3],
        appreciationBy: entry[4],
      })),
  );

const byReportKey = (a: ReportRow, b: ReportRow): number =>
  a.subjectId !== b.subjectId
    ? a.subjectId < b.subjectId
      ? -1
      : 1
    : a.studentId !== b.studentId
      ? a.studentId < b.studentId
        ? -1
        : 1
      : a.classId < b.classId
        ? -1
        : a.classId > b.classId
          ? 1
          : 0;

const readReportRows = (
  db: Database,
  t: Tables,
  schoolId: string,
  classId: string,
  periodId: string,
  subjectId: string | undefined,
): StoredReport[] =>
  subjectId === undefined
    ? prepared<[string, string, string], StoredReport>(
        db,
        `SELECT class_id, period_id, subject_id, students FROM "${t.reports}"
         WHERE school_id = ? AND class_id = ? AND period_id = ?`,
      ).all(schoolId, classId, periodId)
    : prepared<[string, string, string, string], StoredReport>(
        db,
        `SELECT class_id, period_id, subject_id, students FROM "${t.reports}"
         WHERE school_id = ? AND class_id = ? AND period_id = ? AND subject_id = ?`,
      ).all(schoolId, classId, periodId, subjectId);

/** Positionings and appreciations of a class in one period (and one subject), by subject then student. */
export const readClassReports = (
  db: Database,
  t: Tables,
  schoolId: string,
  classId: string,
  periodId: string,
  subjectId?: string,
): ReportRow[] =>
  reportRowsOf(readReportRows(db, t, schoolId, classId, periodId, subjectId)).sort(byReportKey);

/**
 * Positionings and appreciations of some students in one period (and one subject), from the reports
 * of the classes they were in: by subject, student, then class.
 */
export const readReportsOf = (
  db: Database,
  t: Tables,
  schoolId: string,
  classIds: readonly string[],
  studentIds: readonly string[],
  periodId: string,
  subjectId?: string,
): ReportRow[] => {
  const students = new Set(studentIds);
  return [...new Set(classIds)]
    .flatMap((classId) =>
      reportRowsOf(readReportRows(db, t, schoolId, classId, periodId, subjectId), students),
    )
    .sort(byReportKey);
};
