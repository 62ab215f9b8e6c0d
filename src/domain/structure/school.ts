import { Decider } from '../shared/decider';
import { invalid } from '../shared/domain-error';
import { isSettingsEvent, SETTINGS_EVENT_TYPES, SettingsEvent } from '../settings/settings-events';
import {
  CLASSES_AND_GROUPS_EVENT_TYPES,
  ClassesAndGroups,
  ClassesAndGroupsEvent,
  evolveClassesAndGroups,
  isClassesAndGroupsEvent,
  OpenClass,
  openClass,
  OpenGroup,
  openGroup,
} from './classes-and-groups';
import {
  ClassTimetables,
  evolveClassTimetables,
  isTimetableEvent,
  setClassTimetable,
  SetClassTimetableData,
  TIMETABLE_EVENT_TYPES,
  TimetableEvent,
} from './class-timetables';
import {
  COMPETENCY_ITEM_EVENT_TYPES,
  CompetencyItemEvent,
  CompetencyItems,
  DefineCompetencyItem,
  defineCompetencyItem,
  evolveCompetencyItems,
  isCompetencyItemEvent,
  RetireCompetencyItem,
  retireCompetencyItem,
} from './competency-items';
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
import { SchoolCmd } from './school-part';
import {
  ChangeSetting,
  changeSetting,
  DefineReason,
  defineReason,
  evolveSettingsChanges,
  RetireReason,
  retireReason,
  SchoolSettingsChanges,
  settingsOn,
  SetTimetable,
  setTimetable,
} from './school-settings';
import {
  DefineSchoolYear,
  defineSchoolYear,
  evolveSchoolYears,
  isSchoolYearEvent,
  SCHOOL_YEAR_EVENT_TYPES,
  SchoolYearEvent,
  SchoolYears,
  SetPeriods,
  setPeriods,
} from './school-years';
import { decideSeveral } from './several-changes';
import {
  DefineSubject,
  defineSubject,
  evolveSubjects,
  isSubjectEvent,
  RenameSubject,
  renameSubject,
  SUBJECT_EVENT_TYPES,
  SubjectEvent,
  Subjects,
} from './subjects';
import {
  AssignTeaching,
  assignTeaching,
  evolveTeachersAndStaff,
  isTeachersAndStaffEvent,
  RecordStaffMember,
  recordStaffMember,
  RecordTeacher,
  recordTeacher,
  TEACHERS_AND_STAFF_EVENT_TYPES,
  TeachersAndStaff,
  TeachersAndStaffEvent,
  UnassignTeaching,
  unassignTeaching,
} from './teachers-and-staff';

/**
 * The `school-{uai}` stream: the school year and its periods, its structure, and its settings.
 * Each part decides and evolves in its own file; this one composes them into one decider.
 */

export type {
  ClassInfo,
  ClassOpened,
  ClassUpdated,
  GroupInfo,
  GroupOpened,
  GroupUpdated,
  OpenClass,
  OpenGroup,
} from './classes-and-groups';
export { classPeriodOn } from './classes-and-groups';
export type {
  CompetencyItem,
  CompetencyItemDefined,
  CompetencyItemRetired,
  DefineCompetencyItem,
  KnownCompetencyItem,
  RetireCompetencyItem,
} from './competency-items';
export { MAX_COMPETENCY_ITEM_LABEL_LENGTH } from './competency-items';
export { checkText } from './school-part';
export type { ChangeSetting, DefineReason, RetireReason, SetTimetable } from './school-settings';
export { settingsOn } from './school-settings';
export type {
  DefineSchoolYear,
  PeriodInput,
  PeriodsSet,
  SchoolYearDefined,
  SetPeriods,
} from './school-years';
export { currentSchoolYear, periodsOf } from './school-years';
export type {
  DefineSubject,
  RenameSubject,
  Subject,
  SubjectDefined,
  SubjectLabelSource,
  SubjectRenamed,
} from './subjects';
export { labelRank } from './subjects';
export type {
  AssignTeaching,
  RecordStaffMember,
  RecordTeacher,
  StaffFunction,
  StaffMember,
  StaffMemberRecorded,
  Teacher,
  TeacherRecorded,
  TeachingAssigned,
  TeachingAssignment,
  TeachingTarget,
  TeachingUnassigned,
  UnassignTeaching,
} from './teachers-and-staff';
export { assignmentKey, assignmentsOf, STAFF_FUNCTION_LABELS, STAFF_FUNCTIONS } from './teachers-and-staff';

export type StructureEvent =
  SchoolYearEvent | ClassesAndGroupsEvent | SubjectEvent | TeachersAndStaffEvent | CompetencyItemEvent;

export type SchoolEvent = StructureEvent | SettingsEvent | CalendarEvent | TimetableEvent;

export const STRUCTURE_EVENT_TYPES = [
  ...SCHOOL_YEAR_EVENT_TYPES,
  ...CLASSES_AND_GROUPS_EVENT_TYPES,
  ...SUBJECT_EVENT_TYPES,
  ...TEACHERS_AND_STAFF_EVENT_TYPES,
  ...COMPETENCY_ITEM_EVENT_TYPES,
] as const satisfies readonly StructureEvent['type'][];

export const SCHOOL_EVENT_TYPES: readonly SchoolEvent['type'][] = [
  ...STRUCTURE_EVENT_TYPES,
  ...SETTINGS_EVENT_TYPES,
  ...CALENDAR_EVENT_TYPES,
  ...TIMETABLE_EVENT_TYPES,
];

export interface SchoolState
  extends SchoolYears, ClassesAndGroups, Subjects, TeachersAndStaff, SchoolSettingsChanges, CompetencyItems {
  readonly schoolId?: string;
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
  competencyItems: new Map(),
  teachers: new Map(),
  staff: new Map(),
  assignments: new Map(),
  settingsChanges: [],
  closures: new Map(),
  classTimetables: new Map(),
});

export const schoolStreamId = (schoolId: string): string => `school-${schoolId}`;

export const evolveSchool = (state: SchoolState, event: SchoolEvent): SchoolState => {
  const withSchool = { ...state, schoolId: state.schoolId ?? event.data.schoolId };
  if (isSettingsEvent(event)) return { ...withSchool, ...evolveSettingsChanges(state, event) };
  if (isCalendarEvent(event)) return { ...withSchool, closures: evolveClosures(state.closures, event) };
  if (isTimetableEvent(event))
    return { ...withSchool, classTimetables: evolveClassTimetables(state.classTimetables, event) };
  if (isSchoolYearEvent(event)) return { ...withSchool, ...evolveSchoolYears(state, event) };
  if (isClassesAndGroupsEvent(event)) return { ...withSchool, ...evolveClassesAndGroups(state, event) };
  if (isSubjectEvent(event)) return { ...withSchool, ...evolveSubjects(state, event) };
  if (isTeachersAndStaffEvent(event)) return { ...withSchool, ...evolveTeachersAndStaff(state, event) };
  if (isCompetencyItemEvent(event)) return { ...withSchool, ...evolveCompetencyItems(state, event) };
  const exhaustive: never = event;
  return exhaustive;
};

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
  | DefineCompetencyItem
  | RetireCompetencyItem
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
export type ApplySchoolChanges = SchoolCmd<
  'ApplySchoolChanges',
  { readonly changes: readonly SingleSchoolCommand[] }
>;

export type SchoolCommand = SingleSchoolCommand | ApplySchoolChanges;

const decideOne = (command: SingleSchoolCommand, state: SchoolState): SchoolEvent[] => {
  if (state.schoolId !== undefined && command.data.schoolId !== state.schoolId)
    throw invalid(
      'STRUCTURE.WRONG_SCHOOL',
      `this stream belongs to ${state.schoolId}, not ${command.data.schoolId}`,
    );
  switch (command.type) {
    case 'DefineSchoolYear':
      return defineSchoolYear(command.data, state);
    case 'SetPeriods':
      return setPeriods(command.data, state);
    case 'OpenClass':
      return openClass(command.data, state);
    case 'OpenGroup':
      return openGroup(command.data, state);
    case 'DefineSubject':
      return defineSubject(command.data, state);
    case 'RenameSubject':
      return renameSubject(command.data, state);
    case 'DefineCompetencyItem':
      return defineCompetencyItem(command.data, state);
    case 'RetireCompetencyItem':
      return retireCompetencyItem(command.data, state);
    case 'RecordTeacher':
      return recordTeacher(command.data, state);
    case 'RecordStaffMember':
      return recordStaffMember(command.data, state);
    case 'AssignTeaching':
      return assignTeaching(command.data, state);
    case 'UnassignTeaching':
      return unassignTeaching(command.data, state);
    case 'ChangeSetting':
      return changeSetting(command.data, state);
    case 'SetTimetable':
      return setTimetable(command.data, state);
    case 'DefineReason':
      return defineReason(command.data, state);
    case 'RetireReason':
      return retireReason(command.data, state);
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
