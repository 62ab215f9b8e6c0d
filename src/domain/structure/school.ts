import { IsoDate, isIsoDate, isSchoolYear } from '../settings/calendar';
import { Reason, SchoolSettings, SettingKey, TimetableSlot } from '../settings/settings';
import {
  applySettingsChange,
  isSettingsEvent,
  SETTINGS_EVENT_TYPES,
  SettingsEvent,
  settingsInForce,
} from '../settings/settings-events';
import { validateSlots } from '../settings/timetable';
import { validateReason, validSetting } from '../settings/validation';
import { Decider } from '../shared/decider';
import { invalid, notFound } from '../shared/domain-error';
import { DomainEvent } from '../shared/event';
import { describeUnsafeCharacter, unsafeCharacterIn } from '../shared/text';
import {
  CALENDAR_EVENT_TYPES,
  CalendarEvent,
  declareClosure,
  DeclareClosureData,
  evolveClosures,
  isCalendarEvent,
  KnownClosure,
  withdrawClosure,
  WithdrawClosureData,
} from './closures';
import {
  ClassTimetables,
  evolveClassTimetables,
  isTimetableEvent,
  setClassTimetable,
  SetClassTimetableData,
  TIMETABLE_EVENT_TYPES,
  TimetableEvent,
} from './class-timetables';
import { decideSeveral } from './several-changes';
import {
  defaultPeriodLabel,
  Period,
  PERIOD_SCHEMES,
  periodOn,
  PeriodScheme,
  SchoolYear,
  validatePeriods,
} from './periods';

/** The `school-{uai}` stream: the school year and its periods, its structure, and its settings. */

export type ClassInfo = {
  readonly classId: string;
  readonly label: string;
  readonly schoolYear: string;
  readonly periodScheme: PeriodScheme;
};

export type GroupInfo = {
  readonly groupId: string;
  readonly label: string;
  readonly schoolYear: string;
  /** The classes whose students make up the group (STS "divisions d'appartenance"). */
  readonly classIds: readonly string[];
};

/**
 * Who gave a subject its label. A label is only replaced by a source of the same or a higher rank:
 * the school's own rename > SIECLE's Nomenclature (LIBELLE_EDITION) > STS-web. Subjects defined
 * before sources were recorded have none, the lowest rank.
 */
export type SubjectLabelSource = 'school' | 'nomenclature' | 'sts';
const LABEL_RANK: Readonly<Record<SubjectLabelSource, number>> = { sts: 1, nomenclature: 2, school: 3 };
export const labelRank = (source: SubjectLabelSource | undefined): number =>
  source === undefined ? 0 : LABEL_RANK[source];

export type Subject = {
  readonly subjectId: string;
  /** Short management code (SIECLE "code gestion", e.g. `AGL1`). */
  readonly code: string;
  readonly label: string;
  readonly shortLabel: string;
  /** Absent on events written before label sources existed. */
  readonly labelSource?: SubjectLabelSource;
};

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

type WithSchool<D> = { readonly schoolId: string } & D;

export type SchoolYearDefined = DomainEvent<'SchoolYearDefined', WithSchool<SchoolYear>>;
export type PeriodsSet = DomainEvent<
  'PeriodsSet',
  WithSchool<{
    readonly schoolYear: string;
    readonly scheme: PeriodScheme;
    readonly periods: readonly Period[];
  }>
>;
export type ClassOpened = DomainEvent<'ClassOpened', WithSchool<ClassInfo>>;
export type ClassUpdated = DomainEvent<'ClassUpdated', WithSchool<ClassInfo>>;
export type GroupOpened = DomainEvent<'GroupOpened', WithSchool<GroupInfo>>;
export type GroupUpdated = DomainEvent<'GroupUpdated', WithSchool<GroupInfo>>;
export type SubjectDefined = DomainEvent<'SubjectDefined', WithSchool<Subject>>;
/** The school's own label: no import replaces it. */
export type SubjectRenamed = DomainEvent<
  'SubjectRenamed',
  WithSchool<{ readonly subjectId: string; readonly label: string; readonly shortLabel: string }>
>;
export type StaffMemberRecorded = DomainEvent<'StaffMemberRecorded', WithSchool<StaffMember>>;
export type TeacherRecorded = DomainEvent<'TeacherRecorded', WithSchool<Teacher>>;
export type TeachingAssigned = DomainEvent<'TeachingAssigned', WithSchool<TeachingAssignment>>;
export type TeachingUnassigned = DomainEvent<'TeachingUnassigned', WithSchool<TeachingAssignment>>;

export type StructureEvent =
  | SchoolYearDefined
  | PeriodsSet
  | ClassOpened
  | ClassUpdated
  | GroupOpened
  | GroupUpdated
  | SubjectDefined
  | SubjectRenamed
  | TeacherRecorded
  | StaffMemberRecorded
  | TeachingAssigned
  | TeachingUnassigned;

export type SchoolEvent = StructureEvent | SettingsEvent | CalendarEvent | TimetableEvent;

export const STRUCTURE_EVENT_TYPES = [
  'SchoolYearDefined',
  'PeriodsSet',
  'ClassOpened',
  'ClassUpdated',
  'GroupOpened',
  'GroupUpdated',
  'SubjectDefined',
  'SubjectRenamed',
  'TeacherRecorded',
  'StaffMemberRecorded',
  'TeachingAssigned',
  'TeachingUnassigned',
] as const satisfies readonly StructureEvent['type'][];

export const SCHOOL_EVENT_TYPES: readonly SchoolEvent['type'][] = [
  ...STRUCTURE_EVENT_TYPES,
  ...SETTINGS_EVENT_TYPES,
  ...CALENDAR_EVENT_TYPES,
  ...TIMETABLE_EVENT_TYPES,
];

export interface SchoolState {
  readonly schoolId?: string;
  readonly years: ReadonlyMap<string, SchoolYear>;
  /** The year that started last: the one imports and new classes belong to. */
  readonly currentYear?: string;
  /** By `${schoolYear}/${scheme}`. */
  readonly periods: ReadonlyMap<string, readonly Period[]>;
  readonly classes: ReadonlyMap<string, ClassInfo>;
  readonly groups: ReadonlyMap<string, GroupInfo>;
  readonly subjects: ReadonlyMap<string, Subject>;
  readonly teachers: ReadonlyMap<string, Teacher>;
  /** Known staff who are not teachers (CPE, direction), by STS id. */
  readonly staff: ReadonlyMap<string, StaffMember>;
  /** By `assignmentKey`. */
  readonly assignments: ReadonlyMap<string, TeachingAssignment>;
  /** In recorded order; read through `settingsOn`. */
  readonly settingsChanges: readonly SettingsEvent[];
  /** Every closure declared, withdrawn ones included, by id. */
  readonly closures: ReadonlyMap<string, KnownClosure>;
  /** The weekly lessons of each class and group, every declaration kept with its effective date. */
  readonly classTimetables: ClassTimetables;
}

export const initialSchoolState = (): SchoolState => ({
  years: new Map(),
  periods: new Map(),
  classes: new Map(),
  groups: new Map(),
  subjects: new Map(),
  teachers: new Map(),
  staff: new Map(),
  assignments: new Map(),
  settingsChanges: [],
  closures: new Map(),
  classTimetables: new Map(),
});

export const schoolStreamId = (schoolId: string): string => `school-${schoolId}`;

export const assignmentKey = (a: TeachingAssignment): string =>
  `${a.teacherId}\u0000${a.subjectId}\u0000${a.target.kind}\u0000${a.target.id}`;

const periodsKey = (schoolYear: string, scheme: PeriodScheme): string => `${schoolYear}/${scheme}`;

const set = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> =>
  new Map(map).set(key, value);
const without = <K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> => {
  const copy = new Map(map);
  copy.delete(key);
  return copy;
};

export const evolveSchool = (state: SchoolState, event: SchoolEvent): SchoolState => {
  const withSchool = { ...state, schoolId: state.schoolId ?? event.data.schoolId };
  if (isSettingsEvent(event)) return { ...withSchool, settingsChanges: [...state.settingsChanges, event] };
  if (isCalendarEvent(event)) return { ...withSchool, closures: evolveClosures(state.closures, event) };
  if (isTimetableEvent(event))
    return { ...withSchool, classTimetables: evolveClassTimetables(state.classTimetables, event) };
  switch (event.type) {
    case 'SchoolYearDefined': {
      const { schoolId: _schoolId, ...year } = event.data;
      const years = set(state.years, year.schoolYear, year);
      const current = state.currentYear ? years.get(state.currentYear) : undefined;
      return {
        ...withSchool,
        years,
        currentYear: !current || year.start >= current.start ? year.schoolYear : state.currentYear,
      };
    }
    case 'PeriodsSet':
      return {
        ...withSchool,
        periods: set(state.periods, periodsKey(event.data.schoolYear, event.data.scheme), event.data.periods),
      };
    case 'ClassOpened':
    case 'ClassUpdated': {
      const { schoolId: _schoolId, ...info } = event.data;
      return { ...withSchool, classes: set(state.classes, info.classId, info) };
    }
    case 'GroupOpened':
    case 'GroupUpdated': {
      const { schoolId: _schoolId, ...info } = event.data;
      return { ...withSchool, groups: set(state.groups, info.groupId, info) };
    }
    case 'SubjectDefined': {
      const { schoolId: _schoolId, ...subject } = event.data;
      return { ...withSchool, subjects: set(state.subjects, subject.subjectId, subject) };
    }
    case 'SubjectRenamed': {
      const known = state.subjects.get(event.data.subjectId);
      const { subjectId, label, shortLabel } = event.data;
      const subject: Subject = {
        subjectId,
        code: known?.code ?? subjectId,
        label,
        shortLabel,
        labelSource: 'school',
      };
      return { ...withSchool, subjects: set(state.subjects, subjectId, subject) };
    }
    case 'TeacherRecorded': {
      const { schoolId: _schoolId, ...teacher } = event.data;
      return { ...withSchool, teachers: set(state.teachers, teacher.teacherId, teacher) };
    }
    case 'StaffMemberRecorded': {
      const { schoolId: _schoolId, ...member } = event.data;
      return { ...withSchool, staff: set(state.staff, member.staffId, member) };
    }
    case 'TeachingAssigned': {
      const { schoolId: _schoolId, ...assignment } = event.data;
      return { ...withSchool, assignments: set(state.assignments, assignmentKey(assignment), assignment) };
    }
    case 'TeachingUnassigned':
      return { ...withSchool, assignments: without(state.assignments, assignmentKey(event.data)) };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Queries other areas call

export const settingsOn = (state: SchoolState, date: IsoDate): SchoolSettings =>
  settingsInForce(state.settingsChanges, date);

export const currentSchoolYear = (state: SchoolState): SchoolYear | undefined =>
  state.currentYear ? state.years.get(state.currentYear) : undefined;

export const periodsOf = (state: SchoolState, schoolYear: string, scheme: PeriodScheme): readonly Period[] =>
  state.periods.get(periodsKey(schoolYear, scheme)) ?? [];

/** The period a class is in on `date`, under the scheme that class follows. */
export const classPeriodOn = (state: SchoolState, classId: string, date: IsoDate): Period | undefined => {
  const info = state.classes.get(classId);
  return info ? periodOn(periodsOf(state, info.schoolYear, info.periodScheme), date) : undefined;
};

export const assignmentsOf = (state: SchoolState, teacherId: string): readonly TeachingAssignment[] =>
  [...state.assignments.values()].filter((a) => a.teacherId === teacherId);

// ---------------------------------------------------------------------------------------------
// Commands

type Cmd<T extends string, D> = { readonly type: T; readonly data: WithSchool<D> };

export interface PeriodInput {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly label?: string;
}

export type DefineSchoolYear = Cmd<
  'DefineSchoolYear',
  SchoolYear & { readonly periods?: Partial<Record<PeriodScheme, readonly PeriodInput[]>> }
>;
export type SetPeriods = Cmd<
  'SetPeriods',
  { readonly schoolYear?: string; readonly scheme: PeriodScheme; readonly periods: readonly PeriodInput[] }
>;
export type OpenClass = Cmd<
  'OpenClass',
  {
    readonly classId: string;
    readonly label?: string;
    readonly schoolYear?: string;
    readonly periodScheme?: PeriodScheme;
  }
>;
export type OpenGroup = Cmd<
  'OpenGroup',
  {
    readonly groupId: string;
    readonly label?: string;
    readonly schoolYear?: string;
    readonly classIds?: readonly string[];
  }
>;
export type DefineSubject = Cmd<
  'DefineSubject',
  {
    readonly subjectId: string;
    readonly code?: string;
    readonly label: string;
    readonly shortLabel?: string;
    /** Which import defines it; absent when the school defines it itself. */
    readonly source?: Exclude<SubjectLabelSource, 'school'>;
  }
>;
export type RenameSubject = Cmd<
  'RenameSubject',
  { readonly subjectId: string; readonly label: string; readonly shortLabel?: string }
>;
export type RecordTeacher = Cmd<'RecordTeacher', Teacher>;
export type RecordStaffMember = Cmd<'RecordStaffMember', StaffMember>;
export type AssignTeaching = Cmd<'AssignTeaching', TeachingAssignment>;
export type UnassignTeaching = Cmd<'UnassignTeaching', TeachingAssignment>;
export type ChangeSetting = Cmd<
  'ChangeSetting',
  { readonly key: SettingKey; readonly value: unknown; readonly effectiveFrom: IsoDate }
>;
export type SetTimetable = Cmd<
  'SetTimetable',
  { readonly slots: readonly TimetableSlot[]; readonly effectiveFrom: IsoDate }
>;
export type DefineReason = Cmd<'DefineReason', { readonly reason: Reason; readonly effectiveFrom: IsoDate }>;
export type RetireReason = Cmd<'RetireReason', { readonly code: string; readonly effectiveFrom: IsoDate }>;
export type DeclareClosure = { readonly type: 'DeclareClosure'; readonly data: DeclareClosureData };
export type WithdrawClosure = { readonly type: 'WithdrawClosure'; readonly data: WithdrawClosureData };
export type SetClassTimetable = { readonly type: 'SetClassTimetable'; readonly data: SetClassTimetableData };

export type SingleSchoolCommand =
  | DefineSchoolYear
  | SetPeriods
  | OpenClass
  | OpenGroup
  | DefineSubject
  | RenameSubject
  | RecordTeacher
  | RecordStaffMember
  | AssignTeaching
  | UnassignTeaching
  | ChangeSetting
  | SetTimetable
  | DefineReason
  | RetireReason
  | DeclareClosure
  | WithdrawClosure
  | SetClassTimetable;

/** Several changes to the school written as one append (an import): all of them or none. */
export type ApplySchoolChanges = Cmd<
  'ApplySchoolChanges',
  { readonly changes: readonly SingleSchoolCommand[] }
>;

export type SchoolCommand = SingleSchoolCommand | ApplySchoolChanges;

// Codes end up in stream ids and URLs: printable characters, no slash.
const STRUCTURE_CODE = /^[^/\\]{1,40}$/;
const hasControlCharacter = (value: string): boolean => [...value].some((c) => c.charCodeAt(0) < 0x20);

const checkCode = (value: unknown, field: string, what: string): string => {
  if (
    typeof value !== 'string' ||
    value.trim() !== value ||
    !STRUCTURE_CODE.test(value) ||
    hasControlCharacter(value)
  )
    throw invalid(
      'STRUCTURE.CODE_INVALID',
      `${what} ${JSON.stringify(value)} is not a valid code: 1 to 40 characters, no slash, no surrounding spaces`,
      { field },
    );
  return value;
};

/** A name or label: trimmed, and free of control characters and bidirectional overrides. */
export const checkText = (value: string | undefined, field: string): string => {
  const text = value?.trim() ?? '';
  const unsafe = unsafeCharacterIn(text);
  if (unsafe)
    throw invalid('STRUCTURE.TEXT_UNSAFE', `${field} ${describeUnsafeCharacter(unsafe)}`, {
      field,
      codePoint: unsafe.codePoint,
    });
  return text;
};

const checkEffectiveDate = (date: unknown): IsoDate => {
  if (!isIsoDate(date))
    throw invalid(
      'SETTINGS.EFFECTIVE_DATE_INVALID',
      `effectiveFrom must be a date YYYY-MM-DD, got ${String(date)}`,
      {
        field: 'effectiveFrom',
      },
    );
  return date;
};

const yearFor = (state: SchoolState, schoolYear: string | undefined): SchoolYear => {
  const label = schoolYear ?? state.currentYear;
  const year = label ? state.years.get(label) : undefined;
  if (!year)
    throw notFound(
      'STRUCTURE.SCHOOL_YEAR_UNKNOWN',
      label ? `the school year ${label} is not defined` : 'no school year is defined yet: define one first',
      { field: 'schoolYear' },
    );
  return year;
};

const toPeriods = (scheme: PeriodScheme, inputs: readonly PeriodInput[]): Period[] =>
  inputs.map((input, index) => {
    const id = (scheme === 'trimester' ? 'T' : 'S') + String(index + 1);
    return { id, label: input.label?.trim() || defaultPeriodLabel(id), start: input.start, end: input.end };
  });

const samePeriods = (a: readonly Period[], b: readonly Period[]): boolean =>
  a.length === b.length &&
  a.every(
    (p, i) => p.id === b[i].id && p.label === b[i].label && p.start === b[i].start && p.end === b[i].end,
  );

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const defineSchoolYear = ({ data }: DefineSchoolYear, state: SchoolState): SchoolEvent[] => {
  const { schoolId, schoolYear, start, end } = data;
  if (!isSchoolYear(schoolYear))
    throw invalid(
      'STRUCTURE.SCHOOL_YEAR_INVALID',
      `a school year is written 2026-2027, got ${String(schoolYear)}`,
      {
        field: 'schoolYear',
      },
    );
  for (const [field, value] of [
    ['start', start],
    ['end', end],
  ] as const)
    if (!isIsoDate(value))
      throw invalid(
        'STRUCTURE.SCHOOL_YEAR_DATES_INVALID',
        `${field} must be a date YYYY-MM-DD, got ${String(value)}`,
        {
          field,
        },
      );
  const [firstYear, secondYear] = schoolYear.split('-');
  if (end <= start || start.slice(0, 4) !== firstYear || end.slice(0, 4) !== secondYear)
    throw invalid(
      'STRUCTURE.SCHOOL_YEAR_DATES_INVALID',
      `the school year ${schoolYear} starts in ${firstYear} and ends in ${secondYear}, after it starts; got ${start} to ${end}`,
      { field: 'start' },
    );
  const year: SchoolYear = { schoolYear, start, end };
  const known = state.years.get(schoolYear);
  const events: SchoolEvent[] =
    known && sameJson(known, year) ? [] : [{ type: 'SchoolYearDefined', data: { schoolId, ...year } }];
  for (const scheme of PERIOD_SCHEMES) {
    const given = data.periods?.[scheme];
    if (given) {
      const periods = toPeriods(scheme, given);
      validatePeriods(year, scheme, periods);
      if (!samePeriods(periodsOf(state, schoolYear, scheme), periods))
        events.push({ type: 'PeriodsSet', data: { schoolId, schoolYear, scheme, periods } });
    } else if (periodsOf(state, schoolYear, scheme).length > 0) {
      // New dates must still be tiled by the periods already defined, or come with new periods.
      validatePeriods(year, scheme, periodsOf(state, schoolYear, scheme));
    }
  }
  return events;
};

const setPeriods = ({ data }: SetPeriods, state: SchoolState): SchoolEvent[] => {
  if (!PERIOD_SCHEMES.includes(data.scheme))
    throw invalid('STRUCTURE.PERIOD_SCHEME_INVALID', `scheme must be ${PERIOD_SCHEMES.join(' or ')}`, {
      field: 'scheme',
    });
  const year = yearFor(state, data.schoolYear);
  const periods = toPeriods(data.scheme, data.periods);
  validatePeriods(year, data.scheme, periods);
  if (samePeriods(periodsOf(state, year.schoolYear, data.scheme), periods)) return [];
  return [
    {
      type: 'PeriodsSet',
      data: { schoolId: data.schoolId, schoolYear: year.schoolYear, scheme: data.scheme, periods },
    },
  ];
};

const openClass = ({ data }: OpenClass, state: SchoolState): SchoolEvent[] => {
  const classId = checkCode(data.classId, 'classId', 'class');
  if (state.groups.has(classId))
    throw invalid('STRUCTURE.CODE_TAKEN', `${classId} is already a group: a class needs its own code`, {
      field: 'classId',
    });
  const scheme = data.periodScheme ?? state.classes.get(classId)?.periodScheme ?? 'trimester';
  if (!PERIOD_SCHEMES.includes(scheme))
    throw invalid('STRUCTURE.PERIOD_SCHEME_INVALID', `periodScheme must be ${PERIOD_SCHEMES.join(' or ')}`, {
      field: 'periodScheme',
    });
  const year = yearFor(state, data.schoolYear);
  const known = state.classes.get(classId);
  const info: ClassInfo = {
    classId,
    label: checkText(data.label, 'label') || known?.label || classId,
    schoolYear: year.schoolYear,
    periodScheme: scheme,
  };
  if (known && sameJson(known, info)) return [];
  const type = known && known.schoolYear === info.schoolYear ? 'ClassUpdated' : 'ClassOpened';
  return [{ type, data: { schoolId: data.schoolId, ...info } }];
};

const openGroup = ({ data }: OpenGroup, state: SchoolState): SchoolEvent[] => {
  const groupId = checkCode(data.groupId, 'groupId', 'group');
  if (state.classes.has(groupId))
    throw invalid('STRUCTURE.CODE_TAKEN', `${groupId} is already a class: a group needs its own code`, {
      field: 'groupId',
    });
  const known = state.groups.get(groupId);
  const classIds = [...new Set(data.classIds ?? known?.classIds ?? [])].sort();
  classIds.forEach((classId, index) => {
    if (!state.classes.has(classId))
      throw notFound(
        'STRUCTURE.CLASS_UNKNOWN',
        `group ${groupId} names the class ${classId}, which does not exist`,
        {
          field: `classIds[${index}]`,
        },
      );
  });
  const year = yearFor(state, data.schoolYear);
  const info: GroupInfo = {
    groupId,
    label: checkText(data.label, 'label') || known?.label || groupId,
    schoolYear: year.schoolYear,
    classIds,
  };
  if (known && sameJson(known, info)) return [];
  const type = known && known.schoolYear === info.schoolYear ? 'GroupUpdated' : 'GroupOpened';
  return [{ type, data: { schoolId: data.schoolId, ...info } }];
};

const defineSubject = ({ data }: DefineSubject, state: SchoolState): SchoolEvent[] => {
  const subjectId = checkCode(data.subjectId, 'subjectId', 'subject');
  const label = checkText(data.label, 'label');
  if (label === '')
    throw invalid('STRUCTURE.SUBJECT_LABEL_REQUIRED', `subject ${subjectId} needs a label`, {
      field: 'label',
    });
  const labelSource: SubjectLabelSource = data.source ?? 'school';
  const known = state.subjects.get(subjectId);
  // An import never relabels a subject a higher source named: alternate imports relabel nothing.
  if (known && labelRank(known.labelSource) > labelRank(labelSource)) return [];
  const subject: Subject = {
    subjectId,
    code: checkText(data.code, 'code') || subjectId,
    label,
    shortLabel: checkText(data.shortLabel, 'shortLabel') || label,
    labelSource,
  };
  return known && sameSubject(known, subject) && labelRank(known.labelSource) >= labelRank(labelSource)
    ? []
    : [{ type: 'SubjectDefined', data: { schoolId: data.schoolId, ...subject } }];
};

const sameSubject = (a: Subject, b: Subject): boolean =>
  a.code === b.code && a.label === b.label && a.shortLabel === b.shortLabel;

const renameSubject = ({ data }: RenameSubject, state: SchoolState): SchoolEvent[] => {
  const known = state.subjects.get(data.subjectId);
  if (!known)
    throw notFound('STRUCTURE.SUBJECT_UNKNOWN', `no subject ${data.subjectId} in this school`, {
      field: 'subjectId',
    });
  const label = checkText(data.label, 'label');
  if (label === '')
    throw invalid('STRUCTURE.SUBJECT_LABEL_REQUIRED', `subject ${known.subjectId} needs a label`, {
      field: 'label',
    });
  const shortLabel = checkText(data.shortLabel, 'shortLabel') || label;
  if (known.labelSource === 'school' && known.label === label && known.shortLabel === shortLabel) return [];
  return [
    {
      type: 'SubjectRenamed',
      data: { schoolId: data.schoolId, subjectId: known.subjectId, label, shortLabel },
    },
  ];
};

const personName = (data: { lastName?: string; firstName?: string }, id: string, who: string) => {
  const lastName = checkText(data.lastName, 'lastName');
  const firstName = checkText(data.firstName, 'firstName');
  if (lastName === '')
    throw invalid('STRUCTURE.NAME_REQUIRED', `${who} ${id} needs a last name`, { field: 'lastName' });
  return { lastName, firstName };
};

const recordTeacher = ({ data }: RecordTeacher, state: SchoolState): SchoolEvent[] => {
  const teacherId = checkCode(data.teacherId, 'teacherId', 'teacher');
  const teacher: Teacher = { teacherId, ...personName(data, teacherId, 'teacher') };
  const known = state.teachers.get(teacherId);
  return known && sameJson(known, teacher)
    ? []
    : [{ type: 'TeacherRecorded', data: { schoolId: data.schoolId, ...teacher } }];
};

const recordStaffMember = ({ data }: RecordStaffMember, state: SchoolState): SchoolEvent[] => {
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

const checkAssignment = (assignment: TeachingAssignment, state: SchoolState): TeachingAssignment => {
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

const assignTeaching = ({ data }: AssignTeaching, state: SchoolState): SchoolEvent[] => {
  const assignment = checkAssignment(data, state);
  return state.assignments.has(assignmentKey(assignment))
    ? []
    : [{ type: 'TeachingAssigned', data: { schoolId: data.schoolId, ...assignment } }];
};

const unassignTeaching = ({ data }: UnassignTeaching, state: SchoolState): SchoolEvent[] => {
  const known = state.assignments.get(assignmentKey(data));
  return known ? [{ type: 'TeachingUnassigned', data: { schoolId: data.schoolId, ...known } }] : [];
};

const changeSetting = ({ data }: ChangeSetting, state: SchoolState): SchoolEvent[] => {
  const effectiveFrom = checkEffectiveDate(data.effectiveFrom);
  const setting = validSetting(data.key, data.value);
  const before = settingsOn(state, effectiveFrom);
  if (sameJson(before[setting.key], setting.value)) return [];
  const event: SettingsEvent = {
    type: 'SettingChanged',
    data: { schoolId: data.schoolId, effectiveFrom, ...setting },
  };
  const after = applySettingsChange(before, event);
  if (after.persistentAbsenteeismThreshold <= after.absenteeismThreshold)
    throw invalid(
      'SETTINGS.THRESHOLD_TIERS_INVERTED',
      `the persistent absenteeism threshold (${after.persistentAbsenteeismThreshold}) must be higher than the first threshold (${after.absenteeismThreshold}) on ${effectiveFrom}`,
      { field: 'value', key: setting.key },
    );
  return [event];
};

const setTimetable = ({ data }: SetTimetable, state: SchoolState): SchoolEvent[] => {
  const effectiveFrom = checkEffectiveDate(data.effectiveFrom);
  validateSlots(data.slots);
  const slots = data.slots.map(({ code, start, end }) => ({ code, start, end }));
  if (sameJson(settingsOn(state, effectiveFrom).slots, slots)) return [];
  return [{ type: 'TimetableSet', data: { schoolId: data.schoolId, effectiveFrom, slots } }];
};

const defineReason = ({ data }: DefineReason, state: SchoolState): SchoolEvent[] => {
  const effectiveFrom = checkEffectiveDate(data.effectiveFrom);
  validateReason(data.reason);
  const { code, label, legitimate, countsAsAbsence, schoolResponsibility } = data.reason;
  const reason: Reason = { code, label: label.trim(), legitimate, countsAsAbsence, schoolResponsibility };
  const known = settingsOn(state, effectiveFrom).reasons.find((r) => r.code === code);
  if (known && sameJson(known, reason)) return [];
  return [{ type: 'ReasonDefined', data: { schoolId: data.schoolId, effectiveFrom, reason } }];
};

const retireReason = ({ data }: RetireReason, state: SchoolState): SchoolEvent[] => {
  const effectiveFrom = checkEffectiveDate(data.effectiveFrom);
  if (!settingsOn(state, effectiveFrom).reasons.some((r) => r.code === data.code))
    throw notFound('SETTINGS.REASON_UNKNOWN', `no reason ${data.code} is in force on ${effectiveFrom}`, {
      field: 'code',
    });
  return [{ type: 'ReasonRetired', data: { schoolId: data.schoolId, effectiveFrom, code: data.code } }];
};

const decideOne = (command: SingleSchoolCommand, state: SchoolState): SchoolEvent[] => {
  if (state.schoolId !== undefined && command.data.schoolId !== state.schoolId)
    throw invalid(
      'STRUCTURE.WRONG_SCHOOL',
      `this stream belongs to ${state.schoolId}, not ${command.data.schoolId}`,
    );
  switch (command.type) {
    case 'DefineSchoolYear':
      return defineSchoolYear(command, state);
    case 'SetPeriods':
      return setPeriods(command, state);
    case 'OpenClass':
      return openClass(command, state);
    case 'OpenGroup':
      return openGroup(command, state);
    case 'DefineSubject':
      return defineSubject(command, state);
    case 'RenameSubject':
      return renameSubject(command, state);
    case 'RecordTeacher':
      return recordTeacher(command, state);
    case 'RecordStaffMember':
      return recordStaffMember(command, state);
    case 'AssignTeaching':
      return assignTeaching(command, state);
    case 'UnassignTeaching':
      return unassignTeaching(command, state);
    case 'ChangeSetting':
      return changeSetting(command, state);
    case 'SetTimetable':
      return setTimetable(command, state);
    case 'DefineReason':
      return defineReason(command, state);
    case 'RetireReason':
      return retireReason(command, state);
    case 'DeclareClosure':
      return declareClosure(command.data, state.closures);
    case 'WithdrawClosure':
      return withdrawClosure(command.data, state.closures);
    case 'SetClassTimetable':
      return setClassTimetable(command.data, state.classTimetables, {
        classIds: new Set(state.classes.keys()),
        groupIds: new Set(state.groups.keys()),
        teacherIds: new Set(state.teachers.keys()),
        subjectIds: new Set(state.subjects.keys()),
        slotsOn: (date) => settingsOn(state, date).slots,
      });
    default: {
      const exhaustive: never = command;
      return exhaustive;
    }
  }
};

export const decideSchool = (command: SchoolCommand, state: SchoolState): SchoolEvent[] =>
  command.type === 'ApplySchoolChanges'
    ? decideSeveral(command.data.changes, state, decideOne, evolveSchool)
    : decideOne(command, state);

export const schoolDecider: Decider<SchoolCommand, SchoolState, SchoolEvent> = {
  initialState: initialSchoolState,
  evolve: evolveSchool,
  decide: decideSchool,
};
