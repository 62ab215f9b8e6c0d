import type { HalfDay, Weekday } from '../shared/calendar';
import { DEFAULT_SCHOOL_WEEK, SchoolWeek } from '../shared/school-defaults';

/**
 * Which half-days of each weekday have lessons: many collèges have no Wednesday afternoon, some
 * have Saturday mornings. Written with weekday names so that a setting reads as it is meant.
 */
export const WEEKDAY_NAMES = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

export type LessonHalfDays = { readonly [D in WeekdayName]: readonly HalfDay[] };

/** A week by ISO weekday, written with weekday names ([] for a day without lessons). */
const lessonHalfDaysOf = (week: SchoolWeek): LessonHalfDays =>
  Object.fromEntries(
    WEEKDAY_NAMES.map((day, index) => [day, week[(index + 1) as Weekday] ?? []]),
  ) as unknown as LessonHalfDays;

export const DEFAULT_LESSON_HALF_DAYS: LessonHalfDays = lessonHalfDaysOf(DEFAULT_SCHOOL_WEEK);

const HALF_DAYS: readonly HalfDay[] = ['AM', 'PM'];

/** What is wrong with a lessonHalfDays value and where (`.wednesday`); undefined when it is right. */
export const lessonHalfDaysProblem = (value: unknown): { path: string; message: string } | undefined => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { path: '', message: `must be an object with the keys ${WEEKDAY_NAMES.join(', ')}` };
  const extra = Object.keys(value).find((key) => !(WEEKDAY_NAMES as readonly string[]).includes(key));
  if (extra !== undefined)
    return { path: `.${extra}`, message: `is not a weekday: the keys are ${WEEKDAY_NAMES.join(', ')}` };
  for (const day of WEEKDAY_NAMES) {
    const halfDays = (value as Record<string, unknown>)[day];
    if (
      !Array.isArray(halfDays) ||
      !halfDays.every((h) => (HALF_DAYS as readonly unknown[]).includes(h)) ||
      new Set(halfDays).size !== halfDays.length
    )
      return { path: `.${day}`, message: "must be a list of distinct 'AM' and 'PM' ([] for no lessons)" };
  }
  if (WEEKDAY_NAMES.every((day) => ((value as Record<string, unknown[]>)[day] ?? []).length === 0))
    return { path: '', message: 'must give at least one half-day of lessons in the week' };
  return undefined;
};

/** Keys in weekday order and AM before PM, so that equal patterns compare equal as JSON. */
export const canonicalLessonHalfDays = (value: LessonHalfDays): LessonHalfDays =>
  Object.fromEntries(
    WEEKDAY_NAMES.map((day) => [day, HALF_DAYS.filter((half) => value[day].includes(half))]),
  ) as unknown as LessonHalfDays;

/** By ISO weekday (Monday = 1 … Sunday = 7), the shape attendance decisions read a week in. */
export const halfDaysByIsoWeekday = (value: LessonHalfDays): Readonly<Record<Weekday, readonly HalfDay[]>> =>
  Object.fromEntries(WEEKDAY_NAMES.map((day, index) => [index + 1, value[day]])) as Record<
    Weekday,
    readonly HalfDay[]
  >;
