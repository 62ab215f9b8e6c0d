import { Decider } from '../shared/decider';
import { ClosedSpan } from '../shared/closed-periods';
import { conflict, forbidden, invalid, notFound } from '../shared/domain-error';
import { Actor, DomainEvent } from '../shared/event';
import { checkText } from './school-part';
import { decideSeveral } from './several-changes';
import { IsoDate, isIsoDate } from '../shared/calendar';

/**
 * The `student-{uai}-{studentId}` stream: registration, enrolment in one class at a time and in
 * any number of groups, each with dates, and departure. Intervals are `[from, until)`: `until` is
 * the first day the student is no longer there, so a move on D puts the student in the old class
 * until D-1 and in the new one from D.
 */

export type StudentDetails = {
  readonly ine: string | null;
  readonly lastName: string;
  readonly firstName: string;
  readonly birthDate: IsoDate | null;
};

export interface Membership {
  readonly from: IsoDate;
  /** First day outside; absent while the membership is open. */
  readonly until?: IsoDate;
}

export interface ClassMembership extends Membership {
  readonly classId: string;
}

export interface GroupMembership extends Membership {
  readonly groupId: string;
}

type Keys = { readonly schoolId: string; readonly studentId: string };

export type StudentRegistered = DomainEvent<'StudentRegistered', Keys & StudentDetails>;
export type StudentDetailsCorrected = DomainEvent<'StudentDetailsCorrected', Keys & StudentDetails>;
export type StudentEnrolled = DomainEvent<
  'StudentEnrolled',
  Keys & { readonly classId: string; readonly from: IsoDate }
>;
export type StudentMovedClass = DomainEvent<
  'StudentMovedClass',
  Keys & { readonly fromClassId: string; readonly toClassId: string; readonly on: IsoDate }
>;
export type StudentJoinedGroup = DomainEvent<
  'StudentJoinedGroup',
  Keys & { readonly groupId: string; readonly from: IsoDate }
>;
export type StudentLeftGroup = DomainEvent<
  'StudentLeftGroup',
  Keys & { readonly groupId: string; readonly on: IsoDate }
>;
/** Closes the class and every open group on `on`; carries them so that no projection has to look them up. */
export type StudentDeparted = DomainEvent<
  'StudentDeparted',
  Keys & { readonly on: IsoDate; readonly classId: string; readonly groupIds: readonly string[] }
>;

export type StudentEvent =
  | StudentRegistered
  | StudentDetailsCorrected
  | StudentEnrolled
  | StudentMovedClass
  | StudentJoinedGroup
  | StudentLeftGroup
  | StudentDeparted;

export const STUDENT_EVENT_TYPES = [
  'StudentRegistered',
  'StudentDetailsCorrected',
  'StudentEnrolled',
  'StudentMovedClass',
  'StudentJoinedGroup',
  'StudentLeftGroup',
  'StudentDeparted',
] as const satisfies readonly StudentEvent['type'][];

export interface StudentState {
  readonly status: 'none' | 'registered' | 'enrolled' | 'departed';
  readonly schoolId?: string;
  readonly studentId?: string;
  readonly details?: StudentDetails;
  readonly classes: readonly ClassMembership[];
  readonly groups: readonly GroupMembership[];
  readonly departedOn?: IsoDate;
}

export const initialStudentState = (): StudentState => ({ status: 'none', classes: [], groups: [] });

export const studentStreamId = (schoolId: string, studentId: string): string =>
  `student-${schoolId}-${studentId}`;

const closeOpen = <M extends Membership>(
  memberships: readonly M[],
  on: IsoDate,
  match: (m: M) => boolean = () => true,
): M[] => memberships.map((m) => (m.until === undefined && match(m) ? { ...m, until: on } : m));

export const evolveStudent = (state: StudentState, event: StudentEvent): StudentState => {
  switch (event.type) {
    case 'StudentRegistered':
    case 'StudentDetailsCorrected': {
      const { schoolId, studentId, ...details } = event.data;
      return {
        ...state,
        schoolId,
        studentId,
        details,
        status: state.status === 'none' ? 'registered' : state.status,
      };
    }
    case 'StudentEnrolled':
      return {
        ...state,
        status: 'enrolled',
        departedOn: undefined,
        classes: [...state.classes, { classId: event.data.classId, from: event.data.from }],
      };
    case 'StudentMovedClass':
      return {
        ...state,
        classes: [
          ...closeOpen(state.classes, event.data.on),
          { classId: event.data.toClassId, from: event.data.on },
        ],
      };
    case 'StudentJoinedGroup':
      return { ...state, groups: [...state.groups, { groupId: event.data.groupId, from: event.data.from }] };
    case 'StudentLeftGroup':
      return {
        ...state,
        groups: closeOpen(state.groups, event.data.on, (m) => m.groupId === event.data.groupId),
      };
    case 'StudentDeparted':
      return {
        ...state,
        status: 'departed',
        departedOn: event.data.on,
        classes: closeOpen(state.classes, event.data.on),
        groups: closeOpen(state.groups, event.data.on),
      };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Queries other areas call

const covers = (m: Membership, date: IsoDate): boolean =>
  m.from <= date && (m.until === undefined || date < m.until);

/** The class the student belonged to on `date`, if any. */
export const classOn = (state: StudentState, date: IsoDate): string | undefined =>
  state.classes.find((m) => covers(m, date))?.classId;

export const groupsOn = (state: StudentState, date: IsoDate): readonly string[] =>
  state.groups.filter((m) => covers(m, date)).map((m) => m.groupId);

export const currentClass = (state: StudentState): ClassMembership | undefined =>
  state.classes.find((m) => m.until === undefined);

/**
 * The classes the student was in on `date` or after: a group joined or left from that date changes
 * the group's roll calls and grades those classes' councils count for the student.
 */
const classesFrom = (state: StudentState, date: IsoDate): string[] => [
  ...new Set(state.classes.filter((m) => m.until === undefined || m.until > date).map((m) => m.classId)),
];

export const openGroups = (state: StudentState): readonly GroupMembership[] =>
  state.groups.filter((m) => m.until === undefined);

// ---------------------------------------------------------------------------------------------
// Commands

/** What the handler knows about the school when it sends the command (read from the school stream). */
export interface KnownStructure {
  readonly classIds: ReadonlySet<string>;
  readonly groupIds: ReadonlySet<string>;
}

type Cmd<T extends string, D> = { readonly type: T; readonly data: Keys & D };

/**
 * What the handler adds to a change of class so that it is checked against the councils already
 * held (DOMAIN.md, "Class council"): the closed periods of the school's classes, by class, and who
 * sends it with which reason. Left out (an import), nothing is checked.
 */
export type PostCouncilInputs = {
  readonly closedPeriods?: ReadonlyMap<string, readonly ClosedSpan[]>;
  readonly actor?: Actor;
  readonly reason?: string;
};

export type RegisterStudent = Cmd<
  'RegisterStudent',
  {
    readonly ine?: string | null;
    readonly lastName: string;
    readonly firstName: string;
    readonly birthDate?: IsoDate | null;
    /** First day of the school year the student is registered for: the birth date must fit it. */
    readonly schoolYearStart?: IsoDate;
  }
>;
export type EnrolStudent = Cmd<
  'EnrolStudent',
  { readonly classId: string; readonly from: IsoDate; readonly structure: KnownStructure } & PostCouncilInputs
>;
export type MoveStudent = Cmd<
  'MoveStudent',
  { readonly toClassId: string; readonly on: IsoDate; readonly structure: KnownStructure } & PostCouncilInputs
>;
export type JoinGroup = Cmd<
  'JoinGroup',
  { readonly groupId: string; readonly from: IsoDate; readonly structure: KnownStructure } & PostCouncilInputs
>;
export type LeaveGroup = Cmd<
  'LeaveGroup',
  { readonly groupId: string; readonly on: IsoDate } & PostCouncilInputs
>;
export type RecordSchoolDeparture = Cmd<
  'RecordSchoolDeparture',
  { readonly on: IsoDate } & PostCouncilInputs
>;

export type SingleStudentCommand =
  RegisterStudent | EnrolStudent | MoveStudent | JoinGroup | LeaveGroup | RecordSchoolDeparture;

/** Several changes to one student written as one append (an import): all of them or none. */
export type ApplyStudentChanges = Cmd<
  'ApplyStudentChanges',
  { readonly changes: readonly SingleStudentCommand[] }
>;

export type StudentCommand = SingleStudentCommand | ApplyStudentChanges;

const INE = /^[0-9A-Z]{11}$/;

const checkDate = (value: unknown, field: string): IsoDate => {
  if (!isIsoDate(value))
    throw invalid('STRUCTURE.DATE_INVALID', `${field} must be a date YYYY-MM-DD, got ${String(value)}`, {
      field,
    });
  return value;
};

/**
 * A birth date is plausible when the student is between 2 and 30 (completed years) on the first
 * day of the school year: wide enough for a toddler class and for adults in a lycée's evening or
 * BTS classes, narrow enough to catch a year typed wrong (1013, 2103) or a date swapped with another.
 */
export const PLAUSIBLE_AGE = { min: 2, max: 30 } as const;

/** Completed years between two dates. */
export const ageOn = (birthDate: IsoDate, date: IsoDate): number => {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
};

export const checkPlausibleBirthDate = (birthDate: IsoDate, schoolYearStart: IsoDate): void => {
  const age = ageOn(birthDate, schoolYearStart);
  if (age < PLAUSIBLE_AGE.min || age > PLAUSIBLE_AGE.max)
    throw invalid(
      'STRUCTURE.BIRTH_DATE_IMPLAUSIBLE',
      `a student born on ${birthDate} would be ${age} on ${schoolYearStart}: a student is between ${PLAUSIBLE_AGE.min} and ${PLAUSIBLE_AGE.max} on the first day of the school year`,
      { field: 'birthDate', birthDate, age, on: schoolYearStart, ...PLAUSIBLE_AGE },
    );
};

const name = (state: StudentState): string =>
  state.details
    ? `${state.details.firstName} ${state.details.lastName}`
    : `student ${state.studentId ?? ''}`.trim();

const requireRegistered = (state: StudentState, studentId: string): void => {
  if (state.status === 'none')
    throw notFound('STRUCTURE.STUDENT_UNKNOWN', `no student ${studentId} is registered in this school`, {
      field: 'studentId',
    });
};

const requireNotDeparted = (state: StudentState): void => {
  if (state.status === 'departed')
    throw invalid('STRUCTURE.STUDENT_DEPARTED', `${name(state)} left the school on ${state.departedOn}`, {
      departedOn: state.departedOn,
    });
};

const registerStudent = ({ data }: RegisterStudent, state: StudentState): StudentEvent[] => {
  const lastName = checkText(data.lastName, 'lastName');
  const firstName = checkText(data.firstName, 'firstName');
  if (lastName === '')
    throw invalid('STRUCTURE.NAME_REQUIRED', 'a student needs a last name', { field: 'lastName' });
  if (firstName === '')
    throw invalid('STRUCTURE.NAME_REQUIRED', 'a student needs a first name', { field: 'firstName' });
  const ine = data.ine?.trim().toUpperCase() || null;
  if (ine !== null && !INE.test(ine))
    throw invalid('STRUCTURE.INE_INVALID', `an INE has 11 letters or digits, got ${ine}`, { field: 'ine' });
  const birthDate = data.birthDate ? checkDate(data.birthDate, 'birthDate') : null;
  if (birthDate !== null && data.schoolYearStart !== undefined && birthDate !== state.details?.birthDate)
    checkPlausibleBirthDate(birthDate, data.schoolYearStart);
  const details: StudentDetails = { ine, lastName, firstName, birthDate };
  const keys = { schoolId: data.schoolId, studentId: data.studentId };
  if (state.status === 'none') return [{ type: 'StudentRegistered', data: { ...keys, ...details } }];
  const known = state.details;
  if (
    known &&
    known.ine === ine &&
    known.lastName === lastName &&
    known.firstName === firstName &&
    known.birthDate === birthDate
  )
    return [];
  return [{ type: 'StudentDetailsCorrected', data: { ...keys, ...details } }];
};

/**
 * A change of class effective on `on` changes who was in the class from that day: when a closed
 * period of a class it involves ends on or after `on`, the change touches what that council saw. It
 * is then the principal's, with a reason, and the council view lists it as a post-council correction.
 */
const checkEnrolmentPeriodOpen = (
  data: PostCouncilInputs,
  classIds: readonly string[],
  on: IsoDate,
  change: 'class' | 'group' = 'class',
): void => {
  if (data.actor === undefined || data.closedPeriods === undefined) return;
  for (const classId of classIds) {
    const span = (data.closedPeriods.get(classId) ?? []).find((s) => on <= s.to);
    if (span === undefined) continue;
    const details = { classId, periodId: span.periodId, closedFrom: span.from, closedTo: span.to };
    if (data.actor.role !== 'principal')
      throw forbidden(
        'STRUCTURE.PERIOD_CLOSED',
        change === 'class'
          ? `the council of ${classId} for ${span.periodId} was held: only the principal changes who was in the class then`
          : `the council of ${classId} for ${span.periodId} was held: only the principal changes the groups its students were in then`,
        details,
      );
    if (data.reason === undefined || data.reason.trim() === '')
      throw conflict(
        'STRUCTURE.REASON_REQUIRED',
        `the council of ${classId} for ${span.periodId} was held: a change of ${change} on ${on} needs a reason`,
        { field: 'reason', ...details },
      );
  }
};

const enrolStudent = ({ data }: EnrolStudent, state: StudentState): StudentEvent[] => {
  requireRegistered(state, data.studentId);
  const from = checkDate(data.from, 'from');
  if (!data.structure.classIds.has(data.classId))
    throw notFound('STRUCTURE.CLASS_UNKNOWN', `no class ${data.classId} in this school`, {
      field: 'classId',
    });
  const current = currentClass(state);
  if (current?.classId === data.classId) return [];
  if (current)
    throw invalid(
      'STRUCTURE.ALREADY_ENROLLED',
      `${name(state)} is enrolled in ${current.classId} since ${current.from}: move the student instead`,
      { classId: current.classId },
    );
  if (state.departedOn !== undefined && from < state.departedOn)
    throw invalid(
      'STRUCTURE.ENROLMENT_BEFORE_DEPARTURE',
      `${name(state)} left on ${state.departedOn}; a new enrolment starts on or after it`,
      {
        field: 'from',
      },
    );
  checkEnrolmentPeriodOpen(data, [data.classId], from);
  return [
    {
      type: 'StudentEnrolled',
      data: { schoolId: data.schoolId, studentId: data.studentId, classId: data.classId, from },
    },
  ];
};

const moveStudent = ({ data }: MoveStudent, state: StudentState): StudentEvent[] => {
  requireRegistered(state, data.studentId);
  requireNotDeparted(state);
  const on = checkDate(data.on, 'on');
  if (!data.structure.classIds.has(data.toClassId))
    throw notFound('STRUCTURE.CLASS_UNKNOWN', `no class ${data.toClassId} in this school`, {
      field: 'toClassId',
    });
  const current = currentClass(state);
  if (!current)
    throw invalid('STRUCTURE.NOT_ENROLLED', `${name(state)} is not enrolled in any class`, {
      field: 'studentId',
    });
  if (current.classId === data.toClassId) return [];
  if (on < current.from)
    throw invalid(
      'STRUCTURE.MOVE_BEFORE_ENROLMENT',
      `${name(state)} is in ${current.classId} from ${current.from}; a move cannot take effect before, on ${on}`,
      { field: 'on' },
    );
  checkEnrolmentPeriodOpen(data, [current.classId, data.toClassId], on);
  return [
    {
      type: 'StudentMovedClass',
      data: {
        schoolId: data.schoolId,
        studentId: data.studentId,
        fromClassId: current.classId,
        toClassId: data.toClassId,
        on,
      },
    },
  ];
};

const joinGroup = ({ data }: JoinGroup, state: StudentState): StudentEvent[] => {
  requireRegistered(state, data.studentId);
  requireNotDeparted(state);
  const from = checkDate(data.from, 'from');
  if (!data.structure.groupIds.has(data.groupId))
    throw notFound('STRUCTURE.GROUP_UNKNOWN', `no group ${data.groupId} in this school`, {
      field: 'groupId',
    });
  if (openGroups(state).some((m) => m.groupId === data.groupId)) return [];
  const lastLeft = state.groups.filter((m) => m.groupId === data.groupId && m.until !== undefined).at(-1);
  if (lastLeft?.until !== undefined && from < lastLeft.until)
    throw invalid(
      'STRUCTURE.GROUP_DATES_OVERLAP',
      `${name(state)} was in ${data.groupId} until ${lastLeft.until}`,
      { field: 'from' },
    );
  checkEnrolmentPeriodOpen(data, classesFrom(state, from), from, 'group');
  return [
    {
      type: 'StudentJoinedGroup',
      data: { schoolId: data.schoolId, studentId: data.studentId, groupId: data.groupId, from },
    },
  ];
};

const leaveGroup = ({ data }: LeaveGroup, state: StudentState): StudentEvent[] => {
  requireRegistered(state, data.studentId);
  const on = checkDate(data.on, 'on');
  const membership = openGroups(state).find((m) => m.groupId === data.groupId);
  if (!membership) return [];
  if (on < membership.from)
    throw invalid(
      'STRUCTURE.LEAVE_BEFORE_JOIN',
      `${name(state)} joined ${data.groupId} on ${membership.from}, after ${on}`,
      { field: 'on' },
    );
  checkEnrolmentPeriodOpen(data, classesFrom(state, on), on, 'group');
  return [
    {
      type: 'StudentLeftGroup',
      data: { schoolId: data.schoolId, studentId: data.studentId, groupId: data.groupId, on },
    },
  ];
};

const recordSchoolDeparture = ({ data }: RecordSchoolDeparture, state: StudentState): StudentEvent[] => {
  requireRegistered(state, data.studentId);
  const on = checkDate(data.on, 'on');
  if (state.status === 'departed') {
    if (state.departedOn === on) return [];
    throw invalid('STRUCTURE.ALREADY_DEPARTED', `${name(state)} already left on ${state.departedOn}`, {
      field: 'on',
    });
  }
  const current = currentClass(state);
  if (!current)
    throw invalid('STRUCTURE.NOT_ENROLLED', `${name(state)} is not enrolled in any class`, {
      field: 'studentId',
    });
  if (on < current.from)
    throw invalid(
      'STRUCTURE.DEPARTURE_BEFORE_ENROLMENT',
      `${name(state)} is in ${current.classId} from ${current.from}, after ${on}`,
      {
        field: 'on',
      },
    );
  checkEnrolmentPeriodOpen(data, [current.classId], on);
  const groupIds = openGroups(state).map((m) => m.groupId);
  return [
    {
      type: 'StudentDeparted',
      data: { schoolId: data.schoolId, studentId: data.studentId, on, classId: current.classId, groupIds },
    },
  ];
};

const decideOne = (command: SingleStudentCommand, state: StudentState): StudentEvent[] => {
  switch (command.type) {
    case 'RegisterStudent':
      return registerStudent(command, state);
    case 'EnrolStudent':
      return enrolStudent(command, state);
    case 'MoveStudent':
      return moveStudent(command, state);
    case 'JoinGroup':
      return joinGroup(command, state);
    case 'LeaveGroup':
      return leaveGroup(command, state);
    case 'RecordSchoolDeparture':
      return recordSchoolDeparture(command, state);
    default: {
      const exhaustive: never = command;
      return exhaustive;
    }
  }
};

export const decideStudent = (command: StudentCommand, state: StudentState): StudentEvent[] =>
  command.type === 'ApplyStudentChanges'
    ? decideSeveral(command.data.changes, state, decideOne, evolveStudent)
    : decideOne(command, state);

export const studentDecider: Decider<StudentCommand, StudentState, StudentEvent> = {
  initialState: initialStudentState,
  evolve: evolveStudent,
  decide: decideStudent,
};
