import { SchoolCalendar, openHalfDaysOn, TimetableSlot, resolveSlot } from './school-inputs';
import { IsoDate, Weekday, datesBetween, weekdayOf, WallClockTime } from '../shared/calendar';

/** A weekly lesson of the timetable: who teaches which class or group, when. */
export type TimetableLesson = {
  readonly classOrGroupId: string;
  readonly teacherId: string;
  readonly weekday: Weekday;
  readonly slotCode: string;
  /** The lesson runs from/until these dates (a timetable change, a group created mid-year). */
  readonly from?: IsoDate;
  readonly until?: IsoDate;
};

/** A lesson that should have a roll call. */
export type ExpectedLesson = {
  readonly classOrGroupId: string;
  readonly teacherId: string;
  readonly date: IsoDate;
  readonly slotCode: string;
};

/** The lessons that should have had a roll call between two dates, from the weekly timetable. */
export const expectedLessons = (
  lessons: readonly TimetableLesson[],
  from: IsoDate,
  to: IsoDate,
  timetable: {
    readonly slots: readonly TimetableSlot[];
    readonly halfDayBoundary?: WallClockTime;
    readonly calendar?: SchoolCalendar;
  },
): ExpectedLesson[] => {
  const halfDayOfSlot = new Map(
    timetable.slots.map((s) => [s.code, resolveSlot(s, timetable.halfDayBoundary).halfDay]),
  );
  const expected: ExpectedLesson[] = [];
  for (const date of datesBetween(from, to)) {
    const open = openHalfDaysOn(timetable.calendar, date);
    const weekday = weekdayOf(date);
    for (const lesson of lessons) {
      const halfDay = halfDayOfSlot.get(lesson.slotCode);
      if (lesson.weekday !== weekday || !halfDay || !open.includes(halfDay)) continue;
      if ((lesson.from && date < lesson.from) || (lesson.until && date > lesson.until)) continue;
      expected.push({
        classOrGroupId: lesson.classOrGroupId,
        teacherId: lesson.teacherId,
        date,
        slotCode: lesson.slotCode,
      });
    }
  }
  return expected;
};
