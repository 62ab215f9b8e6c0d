import { IsoDate, addDays, datesBetween, minDate, weekdayOf } from '../shared/calendar';
import { TimetableLesson } from './completeness';
import { DateRange } from './counting';
import { PATTERN_LOOKBACK_DAYS } from './weekly-lessons';

/** A declared week of a class or group: its lessons, each bounded by the dates the week is in force. */
export type DeclaredWeek = {
  readonly classOrGroupId: string;
  readonly effectiveFrom: IsoDate;
  readonly lessons: readonly TimetableLesson[];
};

export type ExpectedWeeks = {
  readonly declared: readonly TimetableLesson[];
  readonly inferred: readonly TimetableLesson[];
  /** The classes and groups with a declared timetable on some day of the range. */
  readonly declaredClasses: readonly string[];
  /** The classes and groups some of whose expected lessons come from the pattern of roll calls. */
  readonly inferredClasses: readonly string[];
};

/**
 * The days a completeness report covers: the range asked for, but no day after today (a lesson yet
 * to come has no roll call missing), and the roll calls the weekly pattern is read from, which start
 * PATTERN_LOOKBACK_DAYS before the range.
 */
export const completenessWindow = (
  range: DateRange,
  today: IsoDate,
): DateRange & { readonly observedFrom: IsoDate } => ({
  from: range.from,
  to: minDate(range.to, today),
  observedFrom: addDays(range.from, -PATTERN_LOOKBACK_DAYS),
});

/**
 * The dates of the window whose roll calls can show a lesson the range expects: a range shorter than
 * a week expects lessons on its own weekdays only, so the pattern is read from those weekdays alone
 * (undefined: every date of the window).
 */
export const patternDates = (
  window: DateRange & { readonly observedFrom: IsoDate },
): IsoDate[] | undefined => {
  const range = datesBetween(window.from, window.to);
  if (range.length >= 7) return undefined;
  const weekdays = new Set(range.map(weekdayOf));
  return datesBetween(window.observedFrom, window.to).filter((date) => weekdays.has(weekdayOf(date)));
};

const sorted = (ids: Iterable<string>): string[] => [...new Set(ids)].sort();

/**
 * The weekly lessons a range expects: the declared ones, and the inferred pattern only where no
 * timetable is declared — for a class whose first timetable takes effect inside the range, the
 * pattern holds until the day before. A declared week is the school's word and wins over a pattern.
 */
export const lessonsToExpect = (
  from: IsoDate,
  declaredWeeks: readonly DeclaredWeek[],
  inferred: readonly TimetableLesson[],
): ExpectedWeeks => {
  const declaredSince = new Map<string, IsoDate>();
  for (const { classOrGroupId, effectiveFrom } of declaredWeeks) {
    const known = declaredSince.get(classOrGroupId);
    if (known === undefined || effectiveFrom < known) declaredSince.set(classOrGroupId, effectiveFrom);
  }
  const kept = inferred.flatMap((lesson): TimetableLesson[] => {
    const since = declaredSince.get(lesson.classOrGroupId);
    if (since === undefined) return [lesson];
    if (since <= from) return [];
    const until = addDays(since, -1);
    return [{ ...lesson, until: lesson.until !== undefined && lesson.until < until ? lesson.until : until }];
  });
  return {
    declared: declaredWeeks.flatMap((week) => week.lessons),
    inferred: kept,
    declaredClasses: sorted(declaredSince.keys()),
    inferredClasses: sorted(kept.map((lesson) => lesson.classOrGroupId)),
  };
};
