import { PeriodInput, SchoolCommand, SchoolEvent } from '../../../src/domain/structure/school';
import { KnownStructure, StudentCommand, StudentEvent } from '../../../src/domain/structure/student';

/** Named builders for the school and student streams of the structure specs. */
export const SCHOOL = '0670001A';
export const YEAR = '2026-2027';
export const YEAR_START = '2026-09-01';
export const YEAR_END = '2027-07-03';

export const TRIMESTERS: readonly PeriodInput[] = [
  { start: '2026-09-01', end: '2026-11-30' },
  { start: '2026-12-01', end: '2027-03-07' },
  { start: '2027-03-08', end: '2027-07-03' },
];

export const schoolYearDefined = (start = YEAR_START, end = YEAR_END): SchoolEvent => ({
  type: 'SchoolYearDefined',
  data: { schoolId: SCHOOL, schoolYear: YEAR, start, end },
});

export const trimestersSet = (): SchoolEvent => ({
  type: 'PeriodsSet',
  data: {
    schoolId: SCHOOL,
    schoolYear: YEAR,
    scheme: 'trimester',
    periods: [
      { id: 'T1', label: '1er trimestre', start: '2026-09-01', end: '2026-11-30' },
      { id: 'T2', label: '2e trimestre', start: '2026-12-01', end: '2027-03-07' },
      { id: 'T3', label: '3e trimestre', start: '2027-03-08', end: '2027-07-03' },
    ],
  },
});

export const classOpened = (
  classId: string,
  periodScheme: 'trimester' | 'semester' = 'trimester',
): SchoolEvent => ({
  type: 'ClassOpened',
  data: { schoolId: SCHOOL, classId, label: classId, schoolYear: YEAR, periodScheme },
});

export const groupOpened = (groupId: string, classIds: string[] = []): SchoolEvent => ({
  type: 'GroupOpened',
  data: { schoolId: SCHOOL, groupId, label: groupId, schoolYear: YEAR, classIds },
});

export const subjectDefined = (subjectId: string, label: string): SchoolEvent => ({
  type: 'SubjectDefined',
  data: { schoolId: SCHOOL, subjectId, code: subjectId, label, shortLabel: label },
});

export const teacherRecorded = (teacherId: string, lastName: string, firstName: string): SchoolEvent => ({
  type: 'TeacherRecorded',
  data: { schoolId: SCHOOL, teacherId, lastName, firstName },
});

/** `schoolCommand('OpenClass', { classId: '5B' })`: the school id is filled in. */
export const schoolCommand = <T extends SchoolCommand['type']>(
  type: T,
  data: Omit<Extract<SchoolCommand, { type: T }>['data'], 'schoolId'>,
): Extract<SchoolCommand, { type: T }> =>
  ({ type, data: { schoolId: SCHOOL, ...data } }) as unknown as Extract<SchoolCommand, { type: T }>;

export const structure = (classIds: string[], groupIds: string[] = []): KnownStructure => ({
  classIds: new Set(classIds),
  groupIds: new Set(groupIds),
});

export const STUDENT = '4521';

export const studentCommand = <T extends StudentCommand['type']>(
  type: T,
  data: Omit<Extract<StudentCommand, { type: T }>['data'], 'schoolId' | 'studentId'>,
  studentId = STUDENT,
): Extract<StudentCommand, { type: T }> =>
  ({ type, data: { schoolId: SCHOOL, studentId, ...data } }) as unknown as Extract<
    StudentCommand,
    { type: T }
  >;

const keys = (studentId = STUDENT) => ({ schoolId: SCHOOL, studentId });

export const registered = (
  lastName = 'DUPONT-MOREAU',
  firstName = 'Léa',
  studentId = STUDENT,
): StudentEvent => ({
  type: 'StudentRegistered',
  data: { ...keys(studentId), ine: '070123456AB', lastName, firstName, birthDate: '2013-04-17' },
});

export const enrolled = (classId: string, from: string, studentId = STUDENT): StudentEvent => ({
  type: 'StudentEnrolled',
  data: { ...keys(studentId), classId, from },
});

export const moved = (
  fromClassId: string,
  toClassId: string,
  on: string,
  studentId = STUDENT,
): StudentEvent => ({
  type: 'StudentMovedClass',
  data: { ...keys(studentId), fromClassId, toClassId, on },
});

export const joined = (groupId: string, from: string, studentId = STUDENT): StudentEvent => ({
  type: 'StudentJoinedGroup',
  data: { ...keys(studentId), groupId, from },
});

export const left = (groupId: string, on: string, studentId = STUDENT): StudentEvent => ({
  type: 'StudentLeftGroup',
  data: { ...keys(studentId), groupId, on },
});

export const departed = (
  on: string,
  classId: string,
  groupIds: string[] = [],
  studentId = STUDENT,
): StudentEvent => ({
  type: 'StudentDeparted',
  data: { ...keys(studentId), on, classId, groupIds },
});
