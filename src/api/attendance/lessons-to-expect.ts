import { TimetableLesson } from '../../domain/attendance';
import { ClassTimetableView, lessonsOfWeeks } from '../../projections/structure';
import { IsoDate, addDays } from '../../domain/shared/calendar';

export type ExpectedWeeks = {
  readonly declared: readonly TimetableLesson[];
  readonly inferred: readonly TimetableLesson[];
  /** The classes and groups with a declared timetable on some day of the range. */
  readonly declaredClasses: readonly string[];
  /** The classes and groups some of whose expected lessons come from the pattern of roll calls. */
  readonly inferredClasses: readonly string[];
};

const sorted = (ids: Iterable<string>): string[] => [...new Set(ids)].sort();

/**
 * The weekly lessons a range expects: the declared ones, and the inferred pattern only where no
 * timetable is declared — for a class whose first timetable takes effect inside the range, the
 * pattern holds until the day before. A declared week is the school's word and wins over a pattern.
 */
export const lessonsToExpect = (
  from: IsoDate,
  declaredWeeks: readonly ClassTimetableView[],
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
    declared: lessonsOfWeeks(declaredWeeks),
    inferred: kept,
    declaredClasses: sorted(declaredSince.keys()),
    inferredClasses: sorted(kept.map((lesson) => lesson.classOrGroupId)),
  };
};
