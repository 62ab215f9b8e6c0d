import { IsoDate, maxDate, minDate } from '../settings/calendar';
import { DomainError, invalid } from '../shared/domain-error';
import { ExportedStudent, StaffExport, StructureExport, StudentsExport, SubjectsExport } from './import-file';
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
  'teachingAssigned',
  'teachingUnassigned',
  'studentsRegistered',
  'detailsCorrected',
  'enrolments',
  'moves',
  'groupJoins',
  'groupLeaves',
  'departures',
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
  /** Every event the import would append. */
  readonly eventCount: number;
}

export const isEmptyPlan = (plan: ImportPlan): boolean => plan.eventCount === 0;

export const planImport = (
  file: StructureExport,
  current: CurrentStructure,
  options: ImportOptions,
): ImportPlan => {
  const year = checkFileFitsSchool(file, current.school, options.schoolId);
  const effectiveDate = minDate(
    maxDate(options.effectiveDate ?? file.exportDate ?? options.today, year.start),
    year.end,
  );
  const context: PlanContext = { schoolId: options.schoolId, year, effectiveDate, warnings: [] };
  switch (file.format) {
    case 'siecle':
    case 'csv':
      return planStudents(file, current, context, options.departMissing ?? true);
    case 'sts':
      return finish(
        file,
        context,
        planSchool(staffChanges(file, current.school, context), current.school),
        [],
      );
    case 'nomenclature':
      return finish(file, context, planSchool(subjectChanges(file, options.schoolId), current.school), []);
    default: {
      const exhaustive: never = file;
      return exhaustive;
    }
  }
};

interface PlanContext {
  readonly schoolId: string;
  readonly year: SchoolYear;
  readonly effectiveDate: IsoDate;
  readonly warnings: string[];
}

const checkFileFitsSchool = (file: StructureExport, school: SchoolState, schoolId: string): SchoolYear => {
  if (file.schoolId !== schoolId)
    throw invalid('IMPORT.WRONG_SCHOOL', `this file is for school ${file.schoolId}, not for ${schoolId}`, {
      expected: schoolId,
      found: file.schoolId,
    });
  const year = school.currentYear ? school.years.get(school.currentYear) : undefined;
  if (!year)
    throw invalid(
      'IMPORT.NO_SCHOOL_YEAR',
      `school ${schoolId} has no school year yet: define ${file.schoolYear} with its dates before importing`,
      { found: file.schoolYear },
    );
  if (file.schoolYear !== year.schoolYear)
    throw invalid(
      'IMPORT.WRONG_YEAR',
      `this file is for the school year ${file.schoolYear}, not for ${year.schoolYear}`,
      {
        expected: year.schoolYear,
        found: file.schoolYear,
      },
    );
  return year;
};

const planSchool = (
  changes: readonly SingleSchoolCommand[],
  school: SchoolState,
): { planned?: PlannedCommand<SchoolCommand, SchoolEvent>; after: SchoolState } => {
  if (changes.length === 0) return { after: school };
  const schoolId = changes[0].data.schoolId;
  const command: SchoolCommand = { type: 'ApplySchoolChanges', data: { schoolId, changes } };
  const events = decideSchool(command, school);
  return {
    planned: events.length > 0 ? { streamId: schoolStreamId(schoolId), command, events } : undefined,
    after: events.reduce(evolveSchool, school),
  };
};

const subjectChanges = (file: SubjectsExport | StaffExport, schoolId: string): SingleSchoolCommand[] =>
  file.subjects.map(({ subjectId, code, label, shortLabel }) => ({
    type: 'DefineSubject',
    data: { schoolId, subjectId, code, label, shortLabel },
  }));

const staffChanges = (
  file: StaffExport,
  school: SchoolState,
  context: PlanContext,
): SingleSchoolCommand[] => {
  const { schoolId } = context;
  const changes: SingleSchoolCommand[] = subjectChanges(file, schoolId);
  const subjects = new Set([...school.subjects.keys(), ...file.subjects.map((s) => s.subjectId)]);
  const classes = new Set([...school.classes.keys(), ...file.classes.map((c) => c.classId)]);
  const teachersInFile = new Set(file.teachers.map((t) => t.teacherId));
  for (const teacher of file.teachers)
    changes.push({
      type: 'RecordTeacher',
      data: {
        schoolId,
        teacherId: teacher.teacherId,
        lastName: teacher.lastName,
        firstName: teacher.firstName,
      },
    });
  for (const division of file.classes)
    changes.push({ type: 'OpenClass', data: { schoolId, classId: division.classId, label: division.label } });
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
      type: 'OpenGroup',
      data: { schoolId, groupId: group.groupId, label: group.label, classIds: group.classIds },
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
      type: 'AssignTeaching',
      data: { schoolId, teacherId: service.teacherId, subjectId: service.subjectId, target: service.target },
    });
  }
  // STS lists every service of the year: an assignment it no longer has has ended.
  for (const [key, assignment] of school.assignments)
    if (!services.has(key)) changes.push({ type: 'UnassignTeaching', data: { schoolId, ...assignment } });
  return changes;
};

const planStudents = (
  file: StudentsExport,
  current: CurrentStructure,
  context: PlanContext,
  departMissing: boolean,
): ImportPlan => {
  const { schoolId } = context;
  checkUniqueStudents(file.students);
  const labels = new Map(file.classes.map((c) => [c.classId, c.label]));
  const groupsInFile = new Map(file.groups.map((g) => [g.groupId, g]));
  const classIds = new Set<string>([...file.classes.map((c) => c.classId)]);
  const groupIds = new Set<string>([...file.groups.map((g) => g.groupId)]);
  const inThisYear = file.students.filter((s) => s.exitDate === null || s.exitDate > context.year.start);
  for (const student of inThisYear) {
    if (student.classId !== null) classIds.add(student.classId);
    student.groupIds.forEach((g) => groupIds.add(g));
  }
  const schoolChanges: SingleSchoolCommand[] = [
    ...[...classIds].sort().map((classId): SingleSchoolCommand => ({
      type: 'OpenClass',
      data: { schoolId, classId, label: labels.get(classId) },
    })),
    ...[...groupIds].sort().map((groupId): SingleSchoolCommand => ({
      type: 'OpenGroup',
      data: {
        schoolId,
        groupId,
        label: groupsInFile.get(groupId)?.label,
        classIds: groupsInFile.get(groupId)?.classIds,
      },
    })),
  ];
  const { planned: school, after } = planSchool(schoolChanges, current.school);
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
      if (error instanceof DomainError)
        throw new DomainError(
          error.code,
          `${where}: ${error.message}`,
          { ...error.details, element: where },
          error.kind,
        );
      throw error;
    }
    if (events.length > 0)
      students.push({ studentId, name, streamId: studentStreamId(schoolId, studentId), command, events });
  };

  for (const exported of file.students)
    plan(
      exported.studentId,
      `${exported.lastName} ${exported.firstName}`,
      studentChanges(exported, current.students.get(exported.studentId), structure, context),
      exported.where,
    );

  if (departMissing) {
    const inFile = new Set(file.students.map((s) => s.studentId));
    for (const [studentId, state] of current.students) {
      const enrolment = currentClass(state);
      if (inFile.has(studentId) || state.status !== 'enrolled' || !enrolment) continue;
      context.warnings.push(
        `${studentId} (${describeStudent(state)}) is not in the file: recorded as left on ${maxDate(context.effectiveDate, enrolment.from)}`,
      );
      plan(
        studentId,
        describeStudent(state),
        [
          {
            type: 'RecordDeparture',
            data: { schoolId, studentId, on: maxDate(context.effectiveDate, enrolment.from) },
          },
        ],
        `student ${studentId}`,
      );
    }
  }
  return finish(file, context, { planned: school }, students);
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
      type: 'RecordDeparture',
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
    changes.push({ type: 'RecordDeparture', data: { ...keys, on: exported.exitDate } });
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
  TeachingAssigned: 'teachingAssigned',
  TeachingUnassigned: 'teachingUnassigned',
  StudentRegistered: 'studentsRegistered',
  StudentDetailsCorrected: 'detailsCorrected',
  StudentEnrolled: 'enrolments',
  StudentMovedClass: 'moves',
  StudentJoinedGroup: 'groupJoins',
  StudentLeftGroup: 'groupLeaves',
  StudentDeparted: 'departures',
};

const finish = (
  file: StructureExport,
  context: PlanContext,
  school: { planned?: PlannedCommand<SchoolCommand, SchoolEvent> },
  students: readonly PlannedStudent[],
): ImportPlan => {
  const summary = Object.fromEntries(SUMMARY_KEYS.map((key) => [key, 0])) as ImportSummary;
  const events = [...(school.planned?.events ?? []), ...students.flatMap((s) => s.events)];
  for (const event of events) {
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
    eventCount: events.length,
  };
};
