import type { Database } from 'better-sqlite3';
import {
  ExpectedLesson,
  expectedLessons,
  lessonsOfTallies,
  lessonsToExpect,
  patternDates,
  SchoolCalendar,
  TimetableSlot,
} from '../../domain/attendance';
import { IsoDate, WallClockTime } from '../../domain/shared/calendar';
import { TableNames } from '../projection';
import { classTimetablesIn, lessonsOfWeeks, SchoolSettingsTable } from '../structure';
import {
  classesCalled,
  rollCallCompleteness,
  RollCallCompleteness,
  weeklyTallies,
} from './rollcall-completeness.projection';

/** The tables of the roll calls taken and of the declared timetables, read together. */
export type LessonTables = TableNames<'rollcalls' | SchoolSettingsTable>;

/** The classes and groups whose lessons come from a declared timetable, and those inferred from their roll calls. */
export interface ExpectedClasses {
  readonly declared: readonly string[];
  readonly inferred: readonly string[];
}

export interface ExpectedLessonsAsk {
  readonly schoolId: string;
  readonly window: { readonly from: IsoDate; readonly to: IsoDate; readonly observedFrom: IsoDate };
  /** One class or group; every one of the school's when absent. */
  readonly classOrGroupId?: string;
  readonly timetable: {
    readonly slots: readonly TimetableSlot[];
    readonly halfDayBoundary?: WallClockTime;
    readonly calendar?: SchoolCalendar;
  };
}

/**
 * The lessons a completeness window expects — the declared timetables where in force, else the
 * weekly pattern of the roll calls taken, less holidays, bank holidays and half-days without
 * lessons — for the school, or for one class or group. One read on a read thread: the lessons of a
 * school's month are thousands, built where they are compared, not sent across threads.
 */
export const lessonsExpected = (
  db: Database,
  t: LessonTables,
  ask: ExpectedLessonsAsk,
): { classes: ExpectedClasses; expected: ExpectedLesson[] } => {
  const { schoolId, window, classOrGroupId } = ask;
  const { from, to, observedFrom } = window;
  const only = <T extends { readonly classOrGroupId: string }>(list: readonly T[]): T[] =>
    classOrGroupId === undefined ? [...list] : list.filter((item) => item.classOrGroupId === classOrGroupId);
  const dates = patternDates(window);
  const tallies = weeklyTallies(db, t, {
    schoolId,
    from: observedFrom,
    to,
    ...(dates !== undefined ? { dates } : {}),
  });
  const timetables = classTimetablesIn(db, t, schoolId, from, to);
  const declaredWeeks = only(timetables).map((week) => ({ ...week, lessons: lessonsOfWeeks([week]) }));
  const lessons = lessonsToExpect(from, declaredWeeks, only(lessonsOfTallies(tallies)));
  const expected = expectedLessons([...lessons.declared, ...lessons.inferred], from, to, ask.timetable);
  return { classes: { declared: lessons.declaredClasses, inferred: lessons.inferredClasses }, expected };
};

/**
 * The school's completeness over a window in one read: the lessons expected, compared with the roll
 * calls taken, and which of `among` (the classes and groups taught) had any roll call taken.
 */
export const lessonCompleteness = (
  db: Database,
  t: LessonTables,
  ask: ExpectedLessonsAsk & { readonly among: readonly string[] },
): { classes: ExpectedClasses; found: RollCallCompleteness; called: string[] } => {
  const { schoolId, window } = ask;
  const { classes, expected } = lessonsExpected(db, t, ask);
  const found = rollCallCompleteness(db, t, { schoolId, from: window.from, to: window.to, expected });
  const called = classesCalled(db, t, {
    schoolId,
    from: window.observedFrom,
    to: window.to,
    among: ask.among,
  });
  return { classes, found, called };
};
