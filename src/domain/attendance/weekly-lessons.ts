import { IsoDate, Weekday, addDays, weekdayOf } from '../shared/calendar';
import { TimetableLesson } from './completeness';

/**
 * The structure has teaching assignments (who teaches which class or group) but no weekly timetable
 * (which lesson, which day, which slot). Until it has one, the lessons a roll call is expected for
 * are the weekly pattern of the roll calls actually taken: a class or group called on the same
 * weekday and slot in at least PATTERN_MIN_WEEKS different weeks of the window (the range asked for
 * and PATTERN_LOOKBACK_DAYS before it) is expected on that weekday and slot every week of the range.
 * A one-off replacement does not make a pattern; a lesson never called at all is not in it either,
 * which is why the completeness view also lists the classes and groups that have teachers but no
 * roll call in the window.
 */
export const PATTERN_LOOKBACK_DAYS = 28;
export const PATTERN_MIN_WEEKS = 2;

export type TakenRollCall = {
  readonly classOrGroupId: string;
  readonly date: IsoDate;
  readonly slotCode: string;
  readonly takenBy: string;
};

const mondayOf = (date: IsoDate): IsoDate => addDays(date, 1 - weekdayOf(date));

const mostFrequent = (counts: ReadonlyMap<string, number>): string =>
  [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0][0];

/** What the roll calls of a window say about one weekly lesson: in how many weeks it was called, and by whom how often. */
export type WeeklyLessonTally = {
  readonly classOrGroupId: string;
  readonly weekday: Weekday;
  readonly slotCode: string;
  readonly weeks: number;
  readonly takers: ReadonlyMap<string, number>;
};

/** The lessons called in at least PATTERN_MIN_WEEKS weeks, each attributed to whoever called it most often. */
export const lessonsOfTallies = (tallies: readonly WeeklyLessonTally[]): TimetableLesson[] =>
  tallies
    .filter((lesson) => lesson.weeks >= PATTERN_MIN_WEEKS)
    .map(({ classOrGroupId, weekday, slotCode, takers }) => ({
      classOrGroupId,
      weekday,
      slotCode,
      teacherId: mostFrequent(takers),
    }));

/** The weekly lessons the taken roll calls show; each is attributed to whoever called it most often. */
export const weeklyLessonsOf = (taken: readonly TakenRollCall[]): TimetableLesson[] => {
  const lessons = new Map<
    string,
    {
      classOrGroupId: string;
      weekday: Weekday;
      slotCode: string;
      weeks: Set<IsoDate>;
      takers: Map<string, number>;
    }
  >();
  // A window holds a few dozen dates and thousands of roll calls: each date's weekday and week is worked out once.
  const days = new Map<IsoDate, { weekday: Weekday; monday: IsoDate }>();
  for (const rollCall of taken) {
    let day = days.get(rollCall.date);
    if (!day)
      days.set(rollCall.date, (day = { weekday: weekdayOf(rollCall.date), monday: mondayOf(rollCall.date) }));
    const { weekday, monday } = day;
    const key = `${rollCall.classOrGroupId}|${weekday}|${rollCall.slotCode}`;
    let lesson = lessons.get(key);
    if (!lesson)
      lessons.set(
        key,
        (lesson = {
          classOrGroupId: rollCall.classOrGroupId,
          weekday,
          slotCode: rollCall.slotCode,
          weeks: new Set(),
          takers: new Map(),
        }),
      );
    lesson.weeks.add(monday);
    lesson.takers.set(rollCall.takenBy, (lesson.takers.get(rollCall.takenBy) ?? 0) + 1);
  }
  return lessonsOfTallies([...lessons.values()].map((lesson) => ({ ...lesson, weeks: lesson.weeks.size })));
};
