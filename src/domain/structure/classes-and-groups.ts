import { invalid, notFound } from '../shared/domain-error';
import { DomainEvent, eventTypeGuard } from '../shared/event';
import { Period, PERIOD_SCHEMES, periodOn, PeriodScheme } from './periods';
import { checkCode, checkText, sameJson, SchoolCmd, set, WithSchool } from './school-part';
import { periodsOf, SchoolYears, yearFor } from './school-years';
import { IsoDate } from '../shared/calendar';

/** The classes and groups of each school year, on the school stream. */

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

export type ClassOpened = DomainEvent<'ClassOpened', WithSchool<ClassInfo>>;
export type ClassUpdated = DomainEvent<'ClassUpdated', WithSchool<ClassInfo>>;
export type GroupOpened = DomainEvent<'GroupOpened', WithSchool<GroupInfo>>;
export type GroupUpdated = DomainEvent<'GroupUpdated', WithSchool<GroupInfo>>;
export type ClassesAndGroupsEvent = ClassOpened | ClassUpdated | GroupOpened | GroupUpdated;

export const CLASSES_AND_GROUPS_EVENT_TYPES = [
  'ClassOpened',
  'ClassUpdated',
  'GroupOpened',
  'GroupUpdated',
] as const satisfies readonly ClassesAndGroupsEvent['type'][];

export const isClassesAndGroupsEvent = eventTypeGuard<ClassesAndGroupsEvent>(CLASSES_AND_GROUPS_EVENT_TYPES);

export interface ClassesAndGroups {
  readonly classes: ReadonlyMap<string, ClassInfo>;
  readonly groups: ReadonlyMap<string, GroupInfo>;
}

export type OpenClass = SchoolCmd<
  'OpenClass',
  {
    readonly classId: string;
    readonly label?: string;
    readonly schoolYear?: string;
    readonly periodScheme?: PeriodScheme;
  }
>;
export type OpenGroup = SchoolCmd<
  'OpenGroup',
  {
    readonly groupId: string;
    readonly label?: string;
    readonly schoolYear?: string;
    readonly classIds?: readonly string[];
  }
>;

export const evolveClassesAndGroups = (
  part: ClassesAndGroups,
  event: ClassesAndGroupsEvent,
): ClassesAndGroups => {
  switch (event.type) {
    case 'ClassOpened':
    case 'ClassUpdated': {
      const { schoolId: _schoolId, ...info } = event.data;
      return { classes: set(part.classes, info.classId, info), groups: part.groups };
    }
    case 'GroupOpened':
    case 'GroupUpdated': {
      const { schoolId: _schoolId, ...info } = event.data;
      return { classes: part.classes, groups: set(part.groups, info.groupId, info) };
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

/** The period a class is in on `date`, under the scheme that class follows. */
export const classPeriodOn = (
  state: ClassesAndGroups & SchoolYears,
  classId: string,
  date: IsoDate,
): Period | undefined => {
  const info = state.classes.get(classId);
  return info ? periodOn(periodsOf(state, info.schoolYear, info.periodScheme), date) : undefined;
};

export const openClass = (
  data: OpenClass['data'],
  state: ClassesAndGroups & SchoolYears,
): ClassesAndGroupsEvent[] => {
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

export const openGroup = (
  data: OpenGroup['data'],
  state: ClassesAndGroups & SchoolYears,
): ClassesAndGroupsEvent[] => {
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
