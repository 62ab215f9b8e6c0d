import type { Database } from 'better-sqlite3';
import {
  classDay,
  classTotals,
  lessonCompleteness,
  lessonsExpected,
  rollCallCompleteness,
  rollCallHistory,
  schoolAlerts,
  studentLedger,
  studentTotals,
} from '../attendance';
import { readAssessment, readAssessments, readClassReports, readPeriodRows } from '../assessment';
import { positionAt, readAuditTrail } from '../audit-trail';
import { readAsOfScope } from '../as-of-scope';
import { readClosedPeriods, readCouncil, readCouncilSchoolLife, readPostCouncilEntries } from '../council';
import {
  hasClassOrGroup,
  readClasses,
  readClassTimetables,
  readClosures,
  readCompetencyItems,
  readEnrolmentHistory,
  readGroups,
  readSchoolYears,
  readSettingsHistory,
  readSettingsOn,
  readStudentIds,
  readStudentsOfClassOn,
  readStudentsOfGroupOn,
  readTeaching,
} from '../structure';
import { TableNames } from '../projection';
import { readRebuilds } from '../rebuild-diff-reads';

/**
 * A read as the pool runs it: a connection, the physical tables of the live version, plain
 * arguments; a plain answer (it crosses threads by structured clone). `never` accepts every
 * query function whatever its own tables and arguments.
 */
export type ReadFunction = (db: Database, tables: never, ...args: never[]) => unknown;

/** Named reads; a worker thread loads the module that exports them as `reads`. */
export type ReadRegistry = Readonly<Record<string, ReadFunction>>;

export type ReadTables<F> = F extends (db: Database, tables: infer T, ...args: never[]) => unknown
  ? T extends TableNames
    ? T
    : never
  : never;

export type ReadArgs<F> = F extends (db: Database, tables: never, ...args: infer A) => unknown ? A : never;

/** The reads the API's views run off the command thread. */
export const reads = {
  classDay,
  lessonCompleteness,
  lessonsExpected,
  classTotals,
  rollCallCompleteness,
  rollCallHistory,
  schoolAlerts,
  studentLedger,
  studentTotals,
  readAuditTrail,
  positionAt,
  readAsOfScope,
  readAssessment,
  readAssessments,
  readClassReports,
  readPeriodRows,
  readCouncil,
  readClosedPeriods,
  readCouncilSchoolLife,
  readPostCouncilEntries,
  hasClassOrGroup,
  readClasses,
  readClassTimetables,
  readClosures,
  readCompetencyItems,
  readEnrolmentHistory,
  readGroups,
  readSchoolYears,
  readSettingsHistory,
  readSettingsOn,
  readStudentIds,
  readStudentsOfClassOn,
  readStudentsOfGroupOn,
  readTeaching,
  readRebuilds,
} satisfies ReadRegistry;

export type RegistreReads = typeof reads;
