import type { Database } from 'better-sqlite3';
import { byFrenchName } from '../../domain/shared/french-order';
import { SocleComponent } from '../../domain/assessment/positioning';
import { SchoolSettings } from '../../domain/settings/settings';
import { SettingsEvent, settingsInForce } from '../../domain/settings/settings-events';
import { Period, PeriodScheme } from '../../domain/structure/periods';
import {
  ClassInfo,
  GroupInfo,
  StaffMember,
  Subject,
  Teacher,
  TeachingAssignment,
} from '../../domain/structure/school';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { EnrolmentsTable } from './enrolments.projection';
import { SchoolSettingsTable } from './school-settings.projection';
import { SchoolStructureTable } from './school-structure.projection';
import { IsoDate } from '../../domain/shared/calendar';

type Structure = TableNames<SchoolStructureTable>;
type Enrolments = TableNames<EnrolmentsTable>;
type Settings = TableNames<SchoolSettingsTable>;

export const readClasses = (db: Database, t: Structure, schoolId: string): ClassInfo[] =>
  prepared<[string], ClassInfo>(
    db,
    `SELECT class_id AS classId, label, school_year AS schoolYear, period_scheme AS periodScheme
     FROM "${t.classes}" WHERE school_id = ? ORDER BY class_id`,
  ).all(schoolId);

export const readGroups = (db: Database, t: Structure, schoolId: string): GroupInfo[] =>
  prepared<[string], Omit<GroupInfo, 'classIds'> & { classIds: string }>(
    db,
    `SELECT group_id AS groupId, label, school_year AS schoolYear, class_ids AS classIds
     FROM "${t.groups}" WHERE school_id = ? ORDER BY group_id`,
  )
    .all(schoolId)
    .map((row) => ({ ...row, classIds: JSON.parse(row.classIds) as string[] }));

export const hasClassOrGroup = (
  db: Database,
  t: Structure,
  schoolId: string,
  kind: 'class' | 'group',
  id: string,
): boolean =>
  prepared<[string, string], { found: number }>(
    db,
    kind === 'class'
      ? `SELECT 1 AS found FROM "${t.classes}" WHERE school_id = ? AND class_id = ?`
      : `SELECT 1 AS found FROM "${t.groups}" WHERE school_id = ? AND group_id = ?`,
  ).get(schoolId, id) !== undefined;

export interface SchoolYearView {
  readonly schoolYear: string;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly periods: Partial<Record<PeriodScheme, Period[]>>;
}

export const readSchoolYears = (db: Database, t: Structure, schoolId: string): SchoolYearView[] => {
  const periods = prepared<[string], Period & { schoolYear: string; scheme: PeriodScheme }>(
    db,
    `SELECT school_year AS schoolYear, scheme, period_id AS id, label, start_date AS start, end_date AS end
     FROM "${t.periods}" WHERE school_id = ? ORDER BY school_year, scheme, start_date`,
  ).all(schoolId);
  return prepared<[string], { schoolYear: string; start: string; end: string }>(
    db,
    `SELECT school_year AS schoolYear, start_date AS start, end_date AS end FROM "${t.years}" WHERE school_id = ? ORDER BY start_date`,
  )
    .all(schoolId)
    .map((year) => {
      const byScheme: Partial<Record<PeriodScheme, Period[]>> = {};
      for (const { schoolYear, scheme, ...period } of periods)
        if (schoolYear === year.schoolYear) (byScheme[scheme] ??= []).push(period);
      return { ...year, periods: byScheme };
    });
};

/** The start and end of each school year, without their periods: what a decision compares a date with. */
export const readSchoolYearRanges = (
  db: Database,
  t: Structure,
  schoolId: string,
): { readonly start: IsoDate; readonly end: IsoDate }[] =>
  prepared<[string], { start: string; end: string }>(
    db,
    `SELECT start_date AS start, end_date AS end FROM "${t.years}" WHERE school_id = ? ORDER BY start_date`,
  ).all(schoolId);

export interface TeachingView {
  readonly subjects: Subject[];
  readonly teachers: Teacher[];
  /** Staff who are not teachers: CPE (EDU) and direction (DIR), as STS-web lists them. */
  readonly staff: StaffMember[];
  readonly assignments: TeachingAssignment[];
}

export const readTeaching = (db: Database, t: Structure, schoolId: string): TeachingView => ({
  subjects: prepared<[string], Subject>(
    db,
    `SELECT subject_id AS subjectId, code, label, short_label AS shortLabel, label_source AS labelSource FROM "${t.subjects}" WHERE school_id = ? ORDER BY subject_id`,
  )
    .all(schoolId)
    .map(({ labelSource, ...subject }) => (labelSource ? { ...subject, labelSource } : subject)),
  teachers: prepared<[string], Teacher>(
    db,
    `SELECT teacher_id AS teacherId, last_name AS lastName, first_name AS firstName FROM "${t.teachers}" WHERE school_id = ?`,
  )
    .all(schoolId)
    .sort(byFrenchName('teacherId')),
  staff: prepared<[string], StaffMember>(
    db,
    `SELECT staff_id AS staffId, last_name AS lastName, first_name AS firstName, function FROM "${t.staff}" WHERE school_id = ?`,
  )
    .all(schoolId)
    .sort(byFrenchName('staffId')),
  assignments: prepared<
    [string],
    { teacherId: string; subjectId: string; kind: 'class' | 'group'; id: string }
  >(
    db,
    `SELECT teacher_id AS teacherId, subject_id AS subjectId, target_kind AS kind, target_id AS id
     FROM "${t.assignments}" WHERE school_id = ? ORDER BY teacher_id, subject_id, target_kind, target_id`,
  )
    .all(schoolId)
    .map(({ teacherId, subjectId, kind, id }) => ({ teacherId, subjectId, target: { kind, id } })),
});

export interface CompetencyItemView {
  readonly itemId: string;
  readonly subjectId: string;
  readonly label: string;
  readonly socleComponent: SocleComponent | null;
  readonly retired: boolean;
}

/** The school's competency items, retired ones included and marked, by subject then item id. */
export const readCompetencyItems = (
  db: Database,
  t: Structure,
  schoolId: string,
  subjectId?: string,
): CompetencyItemView[] =>
  prepared<[string, string | null, string | null], Omit<CompetencyItemView, 'retired'> & { retired: number }>(
    db,
    `SELECT item_id AS itemId, subject_id AS subjectId, label, socle_component AS socleComponent, retired
     FROM "${t.competency_items}" WHERE school_id = ? AND (? IS NULL OR subject_id = ?)
     ORDER BY subject_id, item_id`,
  )
    .all(schoolId, subjectId ?? null, subjectId ?? null)
    .map((row) => ({ ...row, retired: row.retired === 1 }));

export interface StudentOnDate {
  readonly studentId: string;
  readonly ine: string | null;
  readonly lastName: string;
  readonly firstName: string;
  readonly birthDate: IsoDate | null;
  /** The membership that covers the date. */
  readonly from: IsoDate;
  readonly until: IsoDate | null;
}

const membersOn = (
  db: Database,
  t: Enrolments,
  table: 'class_memberships' | 'group_memberships',
  column: string,
) =>
  prepared<[string, string, string, string], StudentOnDate>(
    db,
    `SELECT s.student_id AS studentId, s.ine, s.last_name AS lastName, s.first_name AS firstName, s.birth_date AS birthDate,
            m.from_date AS "from", m.until_date AS until
     FROM "${t[table]}" m JOIN "${t.students}" s ON s.school_id = m.school_id AND s.student_id = m.student_id
     WHERE m.school_id = ? AND m.${column} = ? AND m.from_date <= ? AND (m.until_date IS NULL OR m.until_date > ?)`,
  );

/** The students who belonged to a class on `date` (moves and departures included). */
export const readStudentsOfClassOn = (
  db: Database,
  t: Enrolments,
  schoolId: string,
  classId: string,
  date: IsoDate,
): StudentOnDate[] =>
  membersOn(db, t, 'class_memberships', 'class_id')
    .all(schoolId, classId, date, date)
    .sort(byFrenchName('studentId'));

export const readStudentsOfGroupOn = (
  db: Database,
  t: Enrolments,
  schoolId: string,
  groupId: string,
  date: IsoDate,
): StudentOnDate[] =>
  membersOn(db, t, 'group_memberships', 'group_id')
    .all(schoolId, groupId, date, date)
    .sort(byFrenchName('studentId'));

/**
 * Every membership of a class or group, with its dates: what a command checks a list against, read
 * once per class and filtered by date in memory (each roll call asks for another date). A
 * membership always follows its student's registration on the student's own stream, so no join is
 * needed.
 */
export const readMembershipSpans = (
  db: Database,
  t: Enrolments,
  schoolId: string,
  kind: 'class' | 'group',
  classOrGroupId: string,
): { studentId: string; from: IsoDate; until: IsoDate | null }[] =>
  prepared<[string, string], { studentId: string; from: IsoDate; until: IsoDate | null }>(
    db,
    kind === 'class'
      ? `SELECT student_id AS studentId, from_date AS "from", until_date AS until FROM "${t.class_memberships}"
          WHERE school_id = ? AND class_id = ?`
      : `SELECT student_id AS studentId, from_date AS "from", until_date AS until FROM "${t.group_memberships}"
          WHERE school_id = ? AND group_id = ?`,
  ).all(schoolId, classOrGroupId);

export interface EnrolmentHistory {
  readonly studentId: string;
  readonly ine: string | null;
  readonly lastName: string;
  readonly firstName: string;
  readonly birthDate: IsoDate | null;
  readonly status: 'registered' | 'enrolled' | 'departed';
  readonly departedOn: IsoDate | null;
  readonly classes: { readonly classId: string; readonly from: IsoDate; readonly until: IsoDate | null }[];
  readonly groups: { readonly groupId: string; readonly from: IsoDate; readonly until: IsoDate | null }[];
}

export const readEnrolmentHistory = (
  db: Database,
  t: Enrolments,
  schoolId: string,
  studentId: string,
): EnrolmentHistory | undefined => {
  const student = prepared<[string, string], Omit<EnrolmentHistory, 'classes' | 'groups'>>(
    db,
    `SELECT student_id AS studentId, ine, last_name AS lastName, first_name AS firstName, birth_date AS birthDate,
            status, departed_on AS departedOn
     FROM "${t.students}" WHERE school_id = ? AND student_id = ?`,
  ).get(schoolId, studentId);
  if (!student) return undefined;
  const classes = prepared<[string, string], EnrolmentHistory['classes'][number]>(
    db,
    `SELECT class_id AS classId, from_date AS "from", until_date AS until FROM "${t.class_memberships}"
     WHERE school_id = ? AND student_id = ? ORDER BY opened_at`,
  ).all(schoolId, studentId);
  const groups = prepared<[string, string], EnrolmentHistory['groups'][number]>(
    db,
    `SELECT group_id AS groupId, from_date AS "from", until_date AS until FROM "${t.group_memberships}"
     WHERE school_id = ? AND student_id = ? ORDER BY opened_at`,
  ).all(schoolId, studentId);
  return { ...student, classes, groups };
};

/** Every student the school has had: the ids an import compares its file with. */
export const readStudentIds = (db: Database, t: Enrolments, schoolId: string): string[] =>
  prepared<[string], { studentId: string }>(
    db,
    `SELECT student_id AS studentId FROM "${t.students}" WHERE school_id = ? ORDER BY student_id`,
  )
    .all(schoolId)
    .map((row) => row.studentId);

export interface SettingsOnDate {
  readonly date: IsoDate;
  /** Date of the latest change in force on `date` (null: the defaults). */
  readonly since: IsoDate | null;
  readonly settings: SchoolSettings;
}

export const readSettingsChanges = (db: Database, t: Settings, schoolId: string): SettingsEvent[] =>
  prepared<[string], { type: SettingsEvent['type']; data: string }>(
    db,
    `SELECT type, data FROM "${t.changes}" WHERE school_id = ? ORDER BY position`,
  )
    .all(schoolId)
    .map((row) => ({ type: row.type, data: JSON.parse(row.data) }) as SettingsEvent);

export interface SettingsChangeView {
  readonly position: string;
  readonly type: SettingsEvent['type'];
  readonly effectiveFrom: IsoDate;
  readonly change: Omit<SettingsEvent['data'], 'schoolId' | 'effectiveFrom'>;
  readonly recordedAt: string;
  readonly actorId: string;
}

/** Every settings change in recorded order: what changed, from when, who recorded it and when. */
export const readSettingsHistory = (db: Database, t: Settings, schoolId: string): SettingsChangeView[] =>
  prepared<
    [string],
    {
      position: bigint;
      type: SettingsEvent['type'];
      effectiveFrom: string;
      data: string;
      recordedAt: string;
      actorId: string;
    }
  >(
    db,
    `SELECT position, type, effective_from AS effectiveFrom, data, recorded_at AS recordedAt, actor_id AS actorId
     FROM "${t.changes}" WHERE school_id = ? ORDER BY position`,
  )
    .safeIntegers(true)
    .all(schoolId)
    .map(({ position, data, ...row }) => {
      const {
        schoolId: _schoolId,
        effectiveFrom: _effectiveFrom,
        ...change
      } = JSON.parse(data) as SettingsEvent['data'];
      return { ...row, position: position.toString(), change };
    });

export const readSettingsOn = (
  db: Database,
  t: Settings,
  schoolId: string,
  date: IsoDate,
): SettingsOnDate => {
  const changes = readSettingsChanges(db, t, schoolId);
  const since = changes
    .map((change) => change.data.effectiveFrom)
    .filter((from) => from <= date)
    .sort()
    .at(-1);
  return { date, since: since ?? null, settings: settingsInForce(changes, date) };
};
