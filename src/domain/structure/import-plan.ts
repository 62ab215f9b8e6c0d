import { DomainError, conflict, invalid } from '../shared/domain-error';
import { settingProblem } from '../settings/validation';
import { runSteps, Steps } from '../shared/steps';
import {
  ExportedStudent,
  NotImported,
  StaffExport,
  StructureExport,
  StudentsExport,
  SubjectsExport,
} from './import-file';
import { SchoolYear } from './periods';
import {
  assignmentKey,
  decideSchool,
  evolveSchool,
  SchoolCommand,
  SchoolEvent,
  SchoolState,
  schoolStreamId,
  SingleSchoolCommand,
} from './school';
import {
  currentClass,
  decideStudent,
  initialStudentState,
  KnownStructure,
  openGroups,
  SingleStudentCommand,
  StudentCommand,
  StudentEvent,
  StudentState,
  studentStreamId,
} from './student';
import { IsoDate, maxDate, minDate } from '../shared/calendar';

/**
 * From what a file says and what the streams already hold, the commands an import sends. The plan
 * runs the deciders themselves, so it predicts exactly the events the import will append: a
 * re-import of the same file plans nothing, a later export plans only its differences.
 */

export interface CurrentStructure {
  readonly school: SchoolState;
  /** Every student of the school known so far, by student id. */
  readonly students: ReadonlyMap<string, StudentState>;
}

export interface ImportOptions {
  /** The school the import is for (from the caller's token or the command line). */
  readonly schoolId: string;
  /** Date from which moves, group changes and departures of missing students take effect. */
  readonly effectiveDate?: IsoDate;
  /** Today in Europe/Paris: the effective date when neither the caller nor the file gives one. */
  readonly today: IsoDate;
  /** Students enrolled here but missing from a students export have left (default true). */
  readonly departMissing?: boolean;
  /** Let a students file record more students as left than the departure guard allows. */
  readonly allowMassDeparture?: boolean;
  /** Share of the enrolled students a file may record as left (default `MASS_DEPARTURE.share`). */
  readonly maxDepartureShare?: number;
}

/**
 * A students file is the whole list: a student missing from it has left. A file cut to one class
 * (or one student) would then record the whole school as left, so a file that departs more than
 * `share` of the students enrolled before it (and more than `floor`, so that a small school is not
 * blocked by a few leavers) is refused unless the caller allows it explicitly.
 */
export const MASS_DEPARTURE = { share: 0.1, floor: 5 } as const;

export interface DepartureGuard {
  /** Students the plan records as left because the file no longer lists them. */
  readonly missing: number;
  /** Students enrolled in a class before the import. */
  readonly enrolled: number;
  readonly share: number;
  /** The most departures of missing students a file may bring without the caller's consent. */
  readonly threshold: number;
  readonly allowed: boolean;
  /** The import (not a dry run) is refused. */
  readonly refuses: boolean;
}

export interface PlannedCommand<C, E> {
  readonly streamId: string;
  readonly command: C;
  readonly events: readonly E[];
}

export interface PlannedStudent extends PlannedCommand<StudentCommand, StudentEvent> {
  readonly studentId: string;
  /** `LAST First`, for people reading the plan. */
  readonly name: string;
}

export const SUMMARY_KEYS = [
  'classesOpened',
  'classesUpdated',
  'groupsOpened',
  'groupsUpdated',
  'subjectsDefined',
  'teachersRecorded',
  'staffRecorded',
  'teachingAssigned',
  'teachingUnassigned',
  'studentsRegistered',
  'detailsCorrected',
  'enrolments',
  'moves',
  'groupJoins',
  'groupLeaves',
  'departures',
  'schoolNamed',
] as const;
export type ImportSummary = Record<(typeof SUMMARY_KEYS)[number], number>;

export interface ImportPlan {
  readonly format: StructureExport['format'];
  readonly schoolId: string;
  readonly schoolYear: string;
  readonly effectiveDate: IsoDate;
  readonly school?: PlannedCommand<SchoolCommand, SchoolEvent>;
  readonly students: readonly PlannedStudent[];
  readonly summary: ImportSummary;
  /** Records the import skipped, and why. */
  readonly warnings: readonly string[];
  /** Everything the file holds that Registre does not import, each with its element and why. */
  readonly notImported: readonly NotImported[];
  /** For a students file: how many students it records as left for missing, against the guard. */
  readonly departureGuard?: DepartureGuard;
  /** Every event the import would append. */
  readonly eventCount: number;
}

export const isEmptyPlan = (plan: ImportPlan): boolean => plan.eventCount === 0;

/** Refuses to write a plan that departs more students than the guard allows (a dry run shows it). */
export const refuseMassDeparture = (plan: ImportPlan): void => {
  const guard = plan.departureGuard;
  if (!guard?.refuses) return;
  throw conflict(
    'IMPORT.TOO_MANY_DEPARTURES',
    `this file would record ${guard.missing} of the ${guard.enrolled} enrolled students as left (they are missing from it), more than ${guard.threshold} (${Math.round(guard.share * 100)} %): send the whole school's file, or allow the departures explicitly`,
    {
      departures: guard.missing,
      enrolled: guard.enrolled,
      share: guard.share,
      threshold: guard.threshold,
    },
  );
};

export const planImport = (
  file: StructureExport,
  current: CurrentStructure,
  options: ImportOptions,
): ImportPlan => runSteps(planImportSteps(file, current, options));

/**
 * planImport in steps: it yields after each student it plans (and a few times on the way), so that
 * the thread serving HTTP can answer other requests while it plans 10,000 students. The same plan.
 */
export function* planImportSteps(
  file: StructureExport,
  current: CurrentStructure,
  options: ImportOptions,
): Steps<ImportPlan> {
  const year = checkFileFitsSchool(file, current.school, options.schoolId);
  const effectiveDate = minDate(
    maxDate(options.effectiveDate ?? file.exportDate ?? options.today, year.start),
    year.end,
  );
  const context: PlanContext = {
    schoolId: options.schoolId,
    year,
    effectiveDate,
    warnings: [],
    notImported: [],
  };
  switch (file.format) {
    case 'siecle':
    case 'csv':
      return yield* planStudents(file, current, context, options);
    case 'sts':
      context.notImported.push(...file.notImported);
      return finish(
        file,
        context,
        planSchool(staffChanges(file, current.school, context), current.school),
        [],
      );
    case 'nomenclature':
      return finish(
        file,
        context,
        planSchool(subjectChanges(file, options.schoolId, 'nomenclature'), current.school),
        [],
      );
    default: {
      const exhaustive: never = file;
      return exhaustive;
    }
  }
}

interface PlanContext {
  readonly schoolId: string;
  readonly year: SchoolYear;
  readonly effectiveDate: IsoDate;
  readonly warnings: string[];
  readonly notImported: NotImported[];
}

/** A change to the school stream and the element of the file it comes from. */
interface SchoolChange {
  readonly change: SingleSchoolCommand;
  readonly where: string;
}

const checkFileFitsSchool = (file: StructureExport, school: SchoolState, schoolId: string): SchoolYear => {
  if (file.schoolId !== schoolId)
    throw invalid('IMPORT.WRONG_SCHOOL', `this file is for school ${file.schoolId}, not for ${schoolId}`, {
      expected: schoolId,
      found: file.schoolId,
    });
  if (school.years.size === 0)
    throw invalid(
      'IMPORT.NO_SCHOOL_YEAR',
      `school ${schoolId} has no school year yet: define ${file.schoolYear} with its dates before importing`,
      { found: file.schoolYear },
    );
  // Any declared year: in June, next year's files are imported while this year still runs.
  const year = school.years.get(file.schoolYear);
  if (!year) {
    const declared = [...school.years.keys()].sort();
    throw invalid(
      'IMPORT.WRONG_YEAR',
      `this file is for the school year ${file.schoolYear}, which the school has not declared (declared: ${declared.join(', ')})`,
      { expected: declared, found: file.schoolYear },
    );
  }
  return year;
};

/**
 * Classes and groups are known by their code whatever the year: a file for this year, imported once
 * next year's file has opened the same codes, leaves them in next year rather than moving them back
 * and forth at each import.
 */
const alreadyInALaterYear = ({ change }: SchoolChange, school: SchoolState): boolean => {
  if (change.type !== 'OpenClass' && change.type !== 'OpenGroup') return false;
  const known =
    change.type === 'OpenClass'
      ? school.classes.get(change.data.classId)
      : school.groups.get(change.data.groupId);
  return (
    known !== undefined && change.data.schoolYear !== undefined && known.schoolYear > change.data.schoolYear
  );
};

const planSchool = (
  allChanges: readonly SchoolChange[],
  school: SchoolState,
): { planned?: PlannedCommand<SchoolCommand, SchoolEvent>; after: SchoolState } => {
  const changes = allChanges.filter((change) => !alreadyInALaterYear(change, school));
  if (changes.length === 0) return { after: school };
  const schoolId = changes[0].change.data.schoolId;
  const command: SchoolCommand = {
    type: 'ApplySchoolChanges',
    data: { schoolId, changes: changes.map((c) => c.change) },
  };
  let events: SchoolEvent[];
  try {
    events = decideSchool(command, school);
  } catch (error) {
    const index = error instanceof DomainError ? error.details.change : undefined;
    if (!(error instanceof DomainError) || typeof index !== 'number' || !changes[index]) throw error;
    throw locatedAt(error, changes[index].where);
  }
  return {
    planned: events.length > 0 ? { streamId: schoolStreamId(schoolId), command, events } : undefined,
    after: events.reduce(evolveSchool, school),
  };
};

/** A decider's refusal, said of the element of the file it comes from rather than of "change 3". */
const locatedAt = (error: DomainError, where: string): DomainError =>
  new DomainError(
    error.code,
    `${where}: ${error.message.replace(/^change \d+ \([A-Za-z]+\): /, '')}`,
    { ...error.details, element: where },
    error.kind,
  );

const subjectChanges = (
  file: SubjectsExport | StaffExport,
  schoolId: string,
  source: 'nomenclature' | 'sts',
): SchoolChange[] =>
  file.subjects.map(({ subjectId, code, label, shortLabel, where }) => ({
    change: { type: 'DefineSubject', data: { schoolId, subjectId, code, label, shortLabel, source } },
    where,
  }));

const staffChanges = (file: StaffExport, school: SchoolState, context: PlanContext): SchoolChange[] => {
  const { schoolId } = context;
  const schoolYear = context.year.schoolYear;
  const changes: SchoolChange[] = subjectChanges(file, schoolId, 'sts');
  // The name STS-web gives names the school until it chooses its own: never over a name it set.
  const named = school.settingsChanges.some(
    (e) => e.type === 'SettingChanged' && e.data.key === 'schoolName',
  );
  if (file.schoolName !== undefined && !named) {
    const problem = settingProblem('schoolName', file.schoolName.name);
    if (problem === undefined)
      changes.push({
        change: {
          type: 'ChangeSetting',
          data: {
            schoolId,
            key: 'schoolName',
            value: file.schoolName.name,
            effectiveFrom: context.year.start,
          },
        },
        where: file.schoolName.where,
      });
    else context.warnings.push(`${file.schoolName.where}: the school's name is not imported: ${problem}`);
  }
  const subjects = new Set([...school.subjects.keys(), ...file.subjects.map((s) => s.subjectId)]);
  const classes = new Set([...school.classes.keys(), ...file.classes.map((c) => c.classId)]);
  const teachersInFile = new Set(file.teachers.map((t) => t.teacherId));
  for (const teacher of file.teachers)
    changes.push({
      change: {
        type: 'RecordTeacher',
        data: {
          schoolId,
          teacherId: teacher.teacherId,
          lastName: teacher.lastName,
          firstName: teacher.firstName,
        },
      },
      where: teacher.where,
    });
  for (const member of file.staff)
    changes.push({
      change: {
        type: 'RecordStaffMember',
        data: {
          schoolId,
          staffId: member.staffId,
          lastName: member.lastName,
          firstName: member.firstName,
          function: member.function,
        },
      },
      where: member.where,
    });
  for (const division of file.classes)
    changes.push({
      change: {
        type: 'OpenClass',
        data: { schoolId, classId: division.classId, label: division.label, schoolYear },
      },
      where: division.where,
    });
  for (const group of file.groups) {
    const unknown = group.classIds?.find((classId) => !classes.has(classId));
    if (unknown !== undefined)
      throw invalid(
        'IMPORT.UNKNOWN_CLASS',
        `${group.where}: the group ${group.groupId} names the class ${unknown}, which is neither in the file nor in the school`,
        {
          element: group.where,
        },
      );
    changes.push({
      change: {
        type: 'OpenGroup',
        data: { schoolId, groupId: group.groupId, label: group.label, classIds: group.classIds, schoolYear },
      },
      where: group.where,
    });
  }
  const services = new Map(file.services.map((s) => [assignmentKey(s), s]));
  for (const service of services.values()) {
    if (!subjects.has(service.subjectId))
      throw invalid(
        'IMPORT.UNKNOWN_SUBJECT',
        `${service.where}: the subject ${service.subjectId} is in no MATIERE of the file nor of the school`,
        {
          element: service.where,
        },
      );
    if (!teachersInFile.has(service.teacherId) && !school.teachers.has(service.teacherId))
      throw invalid(
        'IMPORT.UNKNOWN_TEACHER',
        `${service.where}: the teacher ${service.teacherId} is in no INDIVIDU of the file`,
        {
          element: service.where,
        },
      );
    changes.push({
      change: {
        type: 'AssignTeaching',
        data: {
          schoolId,
          teacherId: service.teacherId,
          subjectId: service.subjectId,
          target: service.target,
        },
      },
      where: service.where,
    });
  }
  // STS lists every service of the year: an assignment it no longer has has ended.
  for (const [key, assignment] of school.assignments)
    if (!services.has(key))
      changes.push({
        change: { type: 'UnassignTeaching', data: { schoolId, ...assignment } },
        where: `teaching of ${assignment.teacherId} in ${assignment.subjectId}, ${assignment.target.kind} ${assignment.target.id}`,
      });
  return changes;
};

function* planStudents(
  file: StudentsExport,
  current: CurrentStructure,
  context: PlanContext,
  options: ImportOptions,
): Steps<ImportPlan> {
  const { schoolId } = context;
  const schoolYear = context.year.schoolYear;
  checkUniqueStudents(file.students);
  yield;
  warnSharedIne(file.students, current.students, context.warnings);
  yield;
  const classesInFile = new Map(file.classes.map((c) => [c.classId, c]));
  const groupsInFile = new Map(file.groups.map((g) => [g.groupId, g]));
  const classWhere = new Map(file.classes.map((c) => [c.classId, c.where]));
  const groupWhere = new Map(file.groups.map((g) => [g.groupId, g.where]));
  const inThisYear = file.students.filter((s) => s.exitDate === null || s.exitDate > context.year.start);
  for (const student of inThisYear) {
    if (student.classId !== null && !classWhere.has(student.classId))
      classWhere.set(student.classId, `class ${student.classId} of ${student.where}`);
    if (student.classId === null && student.exitDate === null)
      for (const groupId of student.groupIds)
        context.notImported.push({
          element: `group ${groupId} of ${student.where}`,
          reason: `${student.studentId} has no class: a group without a class is not joined`,
        });
    for (const groupId of student.groupIds)
      if (!groupWhere.has(groupId)) groupWhere.set(groupId, `group ${groupId} of ${student.where}`);
  }
  const schoolChanges: SchoolChange[] = [
    ...[...classWhere.keys()].sort().map((classId): SchoolChange => ({
      change: {
        type: 'OpenClass',
        data: { schoolId, classId, label: classesInFile.get(classId)?.label, schoolYear },
      },
      where: classWhere.get(classId) ?? classId,
    })),
    ...[...groupWhere.keys()].sort().map((groupId): SchoolChange => ({
      change: {
        type: 'OpenGroup',
        data: {
          schoolId,
          groupId,
          label: groupsInFile.get(groupId)?.label,
          classIds: groupsInFile.get(groupId)?.classIds,
          schoolYear,
        },
      },
      where: groupWhere.get(groupId) ?? groupId,
    })),
  ];
  yield;
  const { planned: school, after } = planSchool(schoolChanges, current.school);
  yield;
  const structure: KnownStructure = {
    classIds: new Set(after.classes.keys()),
    groupIds: new Set(after.groups.keys()),
  };

  const students: PlannedStudent[] = [];
  const plan = (studentId: string, name: string, changes: SingleStudentCommand[], where: string) => {
    if (changes.length === 0) return;
    const command: StudentCommand = { type: 'ApplyStudentChanges', data: { schoolId, studentId, changes } };
    let events: StudentEvent[];
    try {
      events = decideStudent(command, current.students.get(studentId) ?? initialStudentState());
    } catch (error) {
      throw error instanceof DomainError ? locatedAt(error, where) : error;
    }
    if (events.length > 0)
      students.push({ studentId, name, streamId: studentStreamId(schoolId, studentId), command, events });
  };

  for (const exported of file.students) {
    plan(
      exported.studentId,
      `${exported.lastName} ${exported.firstName}`,
      studentChanges(exported, current.students.get(exported.studentId), structure, context),
      exported.where,
    );
    yield;
  }

  let missing = 0;
  if (options.departMissing ?? true) {
    const inFile = new Set(file.students.map((s) => s.studentId));
    for (const [studentId, state] of current.students) {
      const enrolment = currentClass(state);
      if (inFile.has(studentId) || state.status !== 'enrolled' || !enrolment) continue;
      missing += 1;
      context.warnings.push(
        `${studentId} (${describeStudent(state)}) is not in the file: recorded as left on ${maxDate(context.effectiveDate, enrolment.from)}`,
      );
      plan(
        studentId,
        describeStudent(state),
        [
          {
            type: 'RecordSchoolDeparture',
            data: { schoolId, studentId, on: maxDate(context.effectiveDate, enrolment.from) },
          },
        ],
        `student ${studentId}`,
      );
      yield;
    }
  }
  const enrolled = [...current.students.values()].filter(
    (state) => state.status === 'enrolled' && currentClass(state) !== undefined,
  ).length;
  const share = options.maxDepartureShare ?? MASS_DEPARTURE.share;
  const threshold = Math.max(Math.floor(share * enrolled), MASS_DEPARTURE.floor);
  const allowed = options.allowMassDeparture === true;
  const departureGuard: DepartureGuard = {
    missing,
    enrolled,
    share,
    threshold,
    allowed,
    refuses: missing > threshold && !allowed,
  };
  yield;
  return finish(file, context, { planned: school }, students, departureGuard);
}

/** One INE under two SIECLE ids is a data-entry fault in SIECLE: the import goes on, and says so. */
const warnSharedIne = (
  students: readonly ExportedStudent[],
  known: ReadonlyMap<string, StudentState>,
  warnings: string[],
): void => {
  const byIne = new Map<string, { studentId: string; where: string }>();
  for (const [studentId, state] of known) {
    const ine = state.details?.ine;
    if (ine) byIne.set(ine, { studentId, where: `student ${studentId} of the school` });
  }
  const inFile = new Set(students.map((s) => s.studentId));
  for (const [ine, holder] of byIne) if (inFile.has(holder.studentId)) byIne.delete(ine);
  for (const student of students) {
    const ine = student.ine?.trim().toUpperCase();
    if (!ine) continue;
    const first = byIne.get(ine);
    if (first && first.studentId !== student.studentId)
      warnings.push(
        `${student.where}: the INE ${ine} of student ${student.studentId} is also that of student ${first.studentId} (${first.where}): one of them is wrong in SIECLE`,
      );
    else if (!first) byIne.set(ine, { studentId: student.studentId, where: student.where });
  }
};

const checkUniqueStudents = (students: readonly ExportedStudent[]): void => {
  const seen = new Map<string, ExportedStudent>();
  for (const student of students) {
    const first = seen.get(student.studentId);
    if (first)
      throw invalid(
        'IMPORT.DUPLICATE_STUDENT',
        `${student.where}: student ${student.studentId} appears a second time (first at ${first.where})`,
        {
          element: student.where,
        },
      );
    seen.set(student.studentId, student);
  }
};

const studentChanges = (
  exported: ExportedStudent,
  state: StudentState | undefined,
  structure: KnownStructure,
  { schoolId, year, effectiveDate, warnings }: PlanContext,
): SingleStudentCommand[] => {
  const { studentId } = exported;
  const keys = { schoolId, studentId };
  const known = state && state.status !== 'none' ? state : undefined;
  if (!known && exported.exitDate !== null && exported.exitDate <= year.start) {
    warnings.push(
      `${exported.where}: ${exported.firstName} ${exported.lastName} left on ${exported.exitDate}, before this year: skipped`,
    );
    return [];
  }
  const changes: SingleStudentCommand[] = [
    {
      type: 'RegisterStudent',
      data: {
        ...keys,
        ine: exported.ine,
        lastName: exported.lastName,
        firstName: exported.firstName,
        birthDate: exported.birthDate,
        schoolYearStart: year.start,
      },
    },
  ];
  if (known?.status === 'departed' && exported.exitDate !== null) {
    if (known.departedOn !== exported.exitDate)
      warnings.push(
        `${exported.where}: the file says ${studentId} left on ${exported.exitDate}, the school recorded ${known.departedOn}: kept`,
      );
    return changes;
  }
  if (exported.classId === null) {
    const kept = known ? currentClass(known) : undefined;
    if (exported.exitDate === null)
      warnings.push(
        `${exported.where}: ${studentId} has no class in the file: ${kept ? `left in ${kept.classId}` : 'not enrolled'}`,
      );
    return changes;
  }
  const enrolment = known ? currentClass(known) : undefined;
  let since: IsoDate;
  if (!enrolment) {
    const entry = maxDate(exported.entryDate ?? effectiveDate, year.start);
    since = known?.departedOn !== undefined ? maxDate(entry, known.departedOn) : entry;
    if (exported.exitDate !== null && exported.exitDate <= since) {
      warnings.push(
        `${exported.where}: ${studentId} left on ${exported.exitDate}, before the enrolment would start: not enrolled`,
      );
      return changes;
    }
    changes.push({
      type: 'EnrolStudent',
      data: { ...keys, classId: exported.classId, from: since, structure },
    });
  } else if (exported.exitDate !== null) {
    changes.push({
      type: 'RecordSchoolDeparture',
      data: { ...keys, on: maxDate(exported.exitDate, enrolment.from) },
    });
    return changes;
  } else {
    since = maxDate(effectiveDate, enrolment.from);
    if (enrolment.classId !== exported.classId)
      changes.push({
        type: 'MoveStudent',
        data: { ...keys, toClassId: exported.classId, on: since, structure },
      });
  }
  const open = known ? openGroups(known) : [];
  const wanted = new Set(exported.groupIds);
  for (const membership of open)
    if (!wanted.has(membership.groupId))
      changes.push({
        type: 'LeaveGroup',
        data: { ...keys, groupId: membership.groupId, on: maxDate(since, membership.from) },
      });
  for (const groupId of [...wanted].sort())
    if (!open.some((m) => m.groupId === groupId))
      changes.push({ type: 'JoinGroup', data: { ...keys, groupId, from: since, structure } });
  if (exported.exitDate !== null)
    changes.push({ type: 'RecordSchoolDeparture', data: { ...keys, on: exported.exitDate } });
  return changes;
};

const describeStudent = (state: StudentState): string =>
  state.details ? `${state.details.lastName} ${state.details.firstName}` : (state.studentId ?? '?');

const SUMMARY_OF: Partial<Record<SchoolEvent['type'] | StudentEvent['type'], keyof ImportSummary>> = {
  ClassOpened: 'classesOpened',
  ClassUpdated: 'classesUpdated',
  GroupOpened: 'groupsOpened',
  GroupUpdated: 'groupsUpdated',
  SubjectDefined: 'subjectsDefined',
  TeacherRecorded: 'teachersRecorded',
  StaffMemberRecorded: 'staffRecorded',
  TeachingAssigned: 'teachingAssigned',
  TeachingUnassigned: 'teachingUnassigned',
  StudentRegistered: 'studentsRegistered',
  StudentDetailsCorrected: 'detailsCorrected',
  StudentEnrolled: 'enrolments',
  StudentMovedClass: 'moves',
  StudentJoinedGroup: 'groupJoins',
  StudentLeftGroup: 'groupLeaves',
  StudentDeparted: 'departures',
  // The only setting an import changes: the school's name, from STS-web.
  SettingChanged: 'schoolNamed',
};

const finish = (
  file: StructureExport,
  context: PlanContext,
  school: { planned?: PlannedCommand<SchoolCommand, SchoolEvent> },
  students: readonly PlannedStudent[],
  departureGuard?: DepartureGuard,
): ImportPlan => {
  const summary = Object.fromEntries(SUMMARY_KEYS.map((key) => [key, 0])) as ImportSummary;
  let eventCount = 0;
  // Counted in place: 30,000 student events are not copied into one array.
  for (const events of [school.planned?.events ?? [], ...students.map((s) => s.events)])
    for (const event of events) {
      eventCount += 1;
      const key = SUMMARY_OF[event.type];
      if (key) summary[key] += 1;
    }
  return {
    format: file.format,
    schoolId: context.schoolId,
    schoolYear: context.year.schoolYear,
    effectiveDate: context.effectiveDate,
    school: school.planned,
    students,
    summary,
    warnings: context.warnings,
    notImported: context.notImported,
    ...(departureGuard ? { departureGuard } : {}),
    eventCount,
  };
};
