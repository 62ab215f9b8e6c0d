import { WEEKDAY_NAMES, WeekdayName } from '../settings/lesson-half-days';
import { TimetableSlot } from '../settings/settings';
import { invalid, notFound } from '../shared/domain-error';
import { DomainEvent, eventTypeGuard } from '../shared/event';
import { IsoDate, isIsoDate, Weekday } from '../shared/calendar';

/**
 * The weekly lessons of a class or group — which weekday, which slot, which teacher — declared on
 * the school stream with the date they take effect. A new declaration replaces the class's week
 * from its date on; the weeks before keep the timetable they had, so that completeness over past
 * dates does not change when next term's timetable is typed in.
 */

export type ClassOrGroupKind = 'class' | 'group';

export type WeeklyLesson = {
  readonly weekday: WeekdayName;
  readonly slotCode: string;
  readonly teacherId: string;
  readonly subjectId?: string;
};

export type ClassTimetable = {
  readonly classOrGroupId: string;
  readonly kind: ClassOrGroupKind;
  readonly effectiveFrom: IsoDate;
  readonly lessons: readonly WeeklyLesson[];
};

export type ClassTimetableSet = DomainEvent<
  'ClassTimetableSet',
  { readonly schoolId: string } & ClassTimetable
>;
export type TimetableEvent = ClassTimetableSet;

export const TIMETABLE_EVENT_TYPES = [
  'ClassTimetableSet',
] as const satisfies readonly TimetableEvent['type'][];

export const isTimetableEvent = eventTypeGuard<TimetableEvent>(TIMETABLE_EVENT_TYPES);

/** Each class's or group's timetables, by classOrGroupId, in effective-date order. */
export type ClassTimetables = ReadonlyMap<string, readonly ClassTimetable[]>;

export type SetClassTimetableData = {
  readonly schoolId: string;
  readonly classOrGroupId: string;
  readonly kind: ClassOrGroupKind;
  readonly effectiveFrom: IsoDate;
  readonly lessons: readonly WeeklyLesson[];
};

/** What the decision needs to know of the rest of the school stream. */
export interface TimetableContext {
  readonly classIds: ReadonlySet<string>;
  readonly groupIds: ReadonlySet<string>;
  readonly teacherIds: ReadonlySet<string>;
  readonly subjectIds: ReadonlySet<string>;
  readonly slotsOn: (date: IsoDate) => readonly TimetableSlot[];
}

export const evolveClassTimetables = (
  timetables: ClassTimetables,
  event: TimetableEvent,
): ClassTimetables => {
  const { schoolId: _schoolId, ...timetable } = event.data;
  const kept = (timetables.get(timetable.classOrGroupId) ?? []).filter(
    (known) => known.effectiveFrom !== timetable.effectiveFrom,
  );
  const versions = [...kept, timetable].sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0,
  );
  return new Map(timetables).set(timetable.classOrGroupId, versions);
};

/** The timetable of a class or group in force on `date`; undefined before its first one. */
export const classTimetableOn = (
  timetables: ClassTimetables,
  classOrGroupId: string,
  date: IsoDate,
): ClassTimetable | undefined =>
  (timetables.get(classOrGroupId) ?? []).filter((t) => t.effectiveFrom <= date).at(-1);

export const isoWeekdayOf = (weekday: WeekdayName): Weekday =>
  (WEEKDAY_NAMES.indexOf(weekday) + 1) as Weekday;

/** Weekday order, then slot code: equal weeks compare equal as JSON, whatever order they were sent in. */
const canonicalLessons = (lessons: readonly WeeklyLesson[]): WeeklyLesson[] =>
  lessons
    .map(({ weekday, slotCode, teacherId, subjectId }) =>
      subjectId === undefined
        ? { weekday, slotCode, teacherId }
        : { weekday, slotCode, teacherId, subjectId },
    )
    .sort(
      (a, b) =>
        isoWeekdayOf(a.weekday) - isoWeekdayOf(b.weekday) ||
        (a.slotCode < b.slotCode ? -1 : a.slotCode > b.slotCode ? 1 : 0),
    );

const checkTarget = (data: SetClassTimetableData, context: TimetableContext): void => {
  if (data.kind !== 'class' && data.kind !== 'group')
    throw invalid('TIMETABLE.KIND_INVALID', "kind must be 'class' or 'group'", { field: 'kind' });
  const known = data.kind === 'class' ? context.classIds : context.groupIds;
  if (!known.has(data.classOrGroupId))
    throw notFound(
      data.kind === 'class' ? 'STRUCTURE.CLASS_UNKNOWN' : 'STRUCTURE.GROUP_UNKNOWN',
      `no ${data.kind} ${String(data.classOrGroupId)} in this school`,
      { field: data.kind === 'class' ? 'classId' : 'groupId', classOrGroupId: data.classOrGroupId },
    );
};

const checkLessons = (
  lessons: unknown,
  effectiveFrom: IsoDate,
  context: TimetableContext,
): readonly WeeklyLesson[] => {
  if (!Array.isArray(lessons))
    throw invalid('TIMETABLE.LESSONS_INVALID', 'lessons must be a list ([] for no lessons)', {
      field: 'lessons',
    });
  const slotCodes = new Set(context.slotsOn(effectiveFrom).map((slot) => slot.code));
  const taken = new Map<string, number>();
  (lessons as readonly WeeklyLesson[]).forEach((lesson, index) => {
    const field = (name: string) => `lessons[${index}].${name}`;
    if (!(WEEKDAY_NAMES as readonly unknown[]).includes(lesson?.weekday))
      throw invalid(
        'TIMETABLE.WEEKDAY_INVALID',
        `${field('weekday')} must be one of ${WEEKDAY_NAMES.join(', ')}`,
        {
          field: field('weekday'),
        },
      );
    if (!slotCodes.has(lesson.slotCode))
      throw invalid(
        'TIMETABLE.SLOT_UNKNOWN',
        `${field('slotCode')}: no slot ${String(lesson.slotCode)} in the timetable in force on ${effectiveFrom}`,
        { field: field('slotCode'), slots: [...slotCodes] },
      );
    if (!context.teacherIds.has(lesson.teacherId))
      throw invalid(
        'TIMETABLE.TEACHER_UNKNOWN',
        `${field('teacherId')}: no teacher ${String(lesson.teacherId)} in this school`,
        {
          field: field('teacherId'),
        },
      );
    if (lesson.subjectId !== undefined && !context.subjectIds.has(lesson.subjectId))
      throw invalid(
        'TIMETABLE.SUBJECT_UNKNOWN',
        `${field('subjectId')}: no subject ${String(lesson.subjectId)} in this school`,
        {
          field: field('subjectId'),
        },
      );
    const key = `${lesson.weekday} ${lesson.slotCode}`;
    const first = taken.get(key);
    if (first !== undefined)
      throw invalid(
        'TIMETABLE.LESSONS_OVERLAP',
        `lessons[${first}] and lessons[${index}] both take ${lesson.weekday} ${lesson.slotCode}: a class or group has one lesson per slot`,
        { field: field('slotCode'), lessons: [first, index] },
      );
    taken.set(key, index);
  });
  return canonicalLessons(lessons as readonly WeeklyLesson[]);
};

export const setClassTimetable = (
  data: SetClassTimetableData,
  timetables: ClassTimetables,
  context: TimetableContext,
): ClassTimetableSet[] => {
  checkTarget(data, context);
  if (!isIsoDate(data.effectiveFrom))
    throw invalid(
      'TIMETABLE.EFFECTIVE_DATE_INVALID',
      `effectiveFrom must be a date YYYY-MM-DD, got ${String(data.effectiveFrom)}`,
      {
        field: 'effectiveFrom',
      },
    );
  const lessons = checkLessons(data.lessons, data.effectiveFrom, context);
  const inForce = classTimetableOn(timetables, data.classOrGroupId, data.effectiveFrom);
  if (inForce && inForce.kind === data.kind && JSON.stringify(inForce.lessons) === JSON.stringify(lessons))
    return [];
  return [
    {
      type: 'ClassTimetableSet',
      data: {
        schoolId: data.schoolId,
        classOrGroupId: data.classOrGroupId,
        kind: data.kind,
        effectiveFrom: data.effectiveFrom,
        lessons,
      },
    },
  ];
};
