import { invalid, notFound } from '../shared/domain-error';
import { DomainEvent, eventTypeGuard } from '../shared/event';
import { ClassesAndGroups } from './classes-and-groups';
import { checkCode, checkText, sameJson, SchoolCmd, set, WithSchool, without } from './school-part';
import { Subjects } from './subjects';

/** The teachers, the staff who are not teachers, and who teaches what to whom, on the school stream. */

export type Teacher = {
  readonly teacherId: string;
  readonly lastName: string;
  readonly firstName: string;
};

/** STS-web FONCTION codes of the staff who are not teachers: EDU (CPE), DIR (direction). */
export const STAFF_FUNCTIONS = ['EDU', 'DIR'] as const;
export type StaffFunction = (typeof STAFF_FUNCTIONS)[number];
export const STAFF_FUNCTION_LABELS: Readonly<Record<StaffFunction, string>> = {
  EDU: 'CPE',
  DIR: 'direction',
};

export type StaffMember = {
  readonly staffId: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly function: StaffFunction;
};

export interface TeachingTarget {
  readonly kind: 'class' | 'group';
  readonly id: string;
}

export type TeachingAssignment = {
  readonly teacherId: string;
  readonly subjectId: string;
  readonly target: TeachingTarget;
};

export type StaffMemberRecorded = DomainEvent<'StaffMemberRecorded', WithSchool<StaffMember>>;
export type TeacherRecorded = DomainEvent<'TeacherRecorded', WithSchool<Teacher>>;
export type TeachingAssigned = DomainEvent<'TeachingAssigned', WithSchool<TeachingAssignment>>;
export type TeachingUnassigned = DomainEvent<'TeachingUnassigned', WithSchool<TeachingAssignment>>;
export type TeachersAndStaffEvent =
  TeacherRecorded | StaffMemberRecorded | TeachingAssigned | TeachingUnassigned;

export const TEACHERS_AND_STAFF_EVENT_TYPES = [
  'TeacherRecorded',
  'StaffMemberRecorded',
  'TeachingAssigned',
  'TeachingUnassigned',
] as const satisfies readonly TeachersAndStaffEvent['type'][];

export const isTeachersAndStaffEvent = eventTypeGuard<TeachersAndStaffEvent>(TEACHERS_AND_STAFF_EVENT_TYPES);

export interface TeachersAndStaff {
  readonly teachers: ReadonlyMap<string, Teacher>;
  /** Known staff who are not teachers (CPE, direction), by STS id. */
  readonly staff: ReadonlyMap<string, StaffMember>;
  /** By `assignmentKey`. */
  readonly assignments: ReadonlyMap<string, TeachingAssignment>;
}

export type RecordTeacher = SchoolCmd<'RecordTeacher', Teacher>;
export type RecordStaffMember = SchoolCmd<'RecordStaffMember', StaffMember>;
export type AssignTeaching = SchoolCmd<'AssignTeaching', TeachingAssignment>;
export type UnassignTeaching = SchoolCmd<'UnassignTeaching', TeachingAssignment>;

export const assignmentKey = (a: TeachingAssignment): string =>
  `${a.teacherId}\u0000${a.subjectId}\u0000${a.target.kind}\u0000${a.target.id}`;

export const evolveTeachersAndStaff = (
  part: TeachersAndStaff,
  event: TeachersAndStaffEvent,
): TeachersAndStaff => {
  const { teachers, staff, assignments } = part;
  switch (event.type) {
    case 'TeacherRecorded': {
      const { schoolId: _schoolId, ...teacher } = event.data;
      return { teachers: set(teachers, teacher.teacherId, teacher), staff, assignments };
    }
    case 'StaffMemberRecorded': {
      const { schoolId: _schoolId, ...member } = event.data;
      return { teachers, staff: set(staff, member.staffId, member), assignments };
    }
    case 'TeachingAssigned': {
      const { schoolId: _schoolId, ...assignment } = event.data;
      return { teachers, staff, assignments: set(assignments, assignmentKey(assignment), assignment) };
    }
    case 'TeachingUnassigned':
      return { teachers, staff, assignments: without(assignments, assignmentKey(event.data)) };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

export const assignmentsOf = (part: TeachersAndStaff, teacherId: string): readonly TeachingAssignment[] =>
  [...part.assignments.values()].filter((a) => a.teacherId === teacherId);

const personName = (data: { lastName?: string; firstName?: string }, id: string, who: string) => {
  const lastName = checkText(data.lastName, 'lastName');
  const firstName = checkText(data.firstName, 'firstName');
  if (lastName === '')
    throw invalid('STRUCTURE.NAME_REQUIRED', `${who} ${id} needs a last name`, { field: 'lastName' });
  return { lastName, firstName };
};

export const recordTeacher = (data: RecordTeacher['data'], state: TeachersAndStaff): TeacherRecorded[] => {
  const teacherId = checkCode(data.teacherId, 'teacherId', 'teacher');
  const teacher: Teacher = { teacherId, ...personName(data, teacherId, 'teacher') };
  const known = state.teachers.get(teacherId);
  return known && sameJson(known, teacher)
    ? []
    : [{ type: 'TeacherRecorded', data: { schoolId: data.schoolId, ...teacher } }];
};

export const recordStaffMember = (
  data: RecordStaffMember['data'],
  state: TeachersAndStaff,
): StaffMemberRecorded[] => {
  const staffId = checkCode(data.staffId, 'staffId', 'staff member');
  if (!STAFF_FUNCTIONS.includes(data.function))
    throw invalid('STRUCTURE.STAFF_FUNCTION_INVALID', `function must be ${STAFF_FUNCTIONS.join(' or ')}`, {
      field: 'function',
    });
  const member: StaffMember = {
    staffId,
    ...personName(data, staffId, 'staff member'),
    function: data.function,
  };
  const known = state.staff.get(staffId);
  return known && sameJson(known, member)
    ? []
    : [{ type: 'StaffMemberRecorded', data: { schoolId: data.schoolId, ...member } }];
};

const checkAssignment = (
  assignment: TeachingAssignment,
  state: TeachersAndStaff & Subjects & ClassesAndGroups,
): TeachingAssignment => {
  if (!state.teachers.has(assignment.teacherId))
    throw notFound('STRUCTURE.TEACHER_UNKNOWN', `no teacher ${assignment.teacherId} in this school`, {
      field: 'teacherId',
    });
  if (!state.subjects.has(assignment.subjectId))
    throw notFound('STRUCTURE.SUBJECT_UNKNOWN', `no subject ${assignment.subjectId} in this school`, {
      field: 'subjectId',
    });
  const { kind, id } = assignment.target ?? {};
  if (kind !== 'class' && kind !== 'group')
    throw invalid('STRUCTURE.TARGET_INVALID', "target.kind must be 'class' or 'group'", {
      field: 'target.kind',
    });
  if (!(kind === 'class' ? state.classes : state.groups).has(id))
    throw notFound(
      kind === 'class' ? 'STRUCTURE.CLASS_UNKNOWN' : 'STRUCTURE.GROUP_UNKNOWN',
      `no ${kind} ${id} in this school`,
      {
        field: 'target.id',
      },
    );
  return { teacherId: assignment.teacherId, subjectId: assignment.subjectId, target: { kind, id } };
};

export const assignTeaching = (
  data: AssignTeaching['data'],
  state: TeachersAndStaff & Subjects & ClassesAndGroups,
): TeachingAssigned[] => {
  const assignment = checkAssignment(data, state);
  return state.assignments.has(assignmentKey(assignment))
    ? []
    : [{ type: 'TeachingAssigned', data: { schoolId: data.schoolId, ...assignment } }];
};

export const unassignTeaching = (
  data: UnassignTeaching['data'],
  state: TeachersAndStaff,
): TeachingUnassigned[] => {
  const known = state.assignments.get(assignmentKey(data));
  return known ? [{ type: 'TeachingUnassigned', data: { schoolId: data.schoolId, ...known } }] : [];
};
