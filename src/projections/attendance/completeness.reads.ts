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
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { classTimetablesIn, lessonsOfWeeks, SchoolSettingsTable } from '../structure';
import {
  classesCalled,
  rollCallCompleteness,
  RollCallCompleteness,
  weeklyTallies,
} from './rollcall-completeness.projection';

/** The tables of the roll calls taken and of the declared timetables, read together. */
export type LessonTables = TableNames<'rollcalls' | 'dates' | SchoolSettingsTable>;

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

export type LessonCompleteness = {
  readonly classes: ExpectedClasses;
  readonly found: RollCallCompleteness;
  readonly called: readonly string[];
};

export type LessonCompletenessAsk = ExpectedLessonsAsk & { readonly among: readonly string[] };

/**
 * The school's completeness over a window, computed: the lessons expected, compared with the roll
 * calls taken, and which of `among` (the classes and groups taught) had any roll call taken.
 */
export const computeLessonCompleteness = (
  db: Database,
  t: LessonTables,
  ask: LessonCompletenessAsk,
): LessonCompleteness => {
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

/** Answers kept per connection (a read thread has one), beyond which the least recently used go. */
const ANSWERS_KEPT = 32;

type KeptAnswer = { readonly stamp: string; readonly answer: LessonCompleteness };

const kept = new WeakMap<Database, Map<string, KeptAnswer>>();
const counts = { hits: 0, misses: 0 };

/** How many completeness reads were answered from what was kept, and how many were computed. */
export const lessonCompletenessCacheCounts = (): { readonly hits: number; readonly misses: number } => ({
  ...counts,
});

/** The ask as a key; the calendar's closed dates and labels are a Set and a Map, which JSON drops. */
const keyOf = (t: LessonTables, ask: LessonCompletenessAsk): string =>
  JSON.stringify([t, ask], (_, value: unknown) =>
    value instanceof Set ? ['\0Set', ...value] : value instanceof Map ? ['\0Map', ...value] : value,
  );

/**
 * What a window's answer depends on besides its ask, in one statement: the stamp of its dates (the
 * position of the last roll call taken or voided on each, from `observedFrom`, the start of the
 * pattern, to `to`) and of the school's declared timetables (the position of each declaration; one
 * replaces another with a later position, none is deleted). Positions only grow, so a change to
 * either moves its maximum; a date or week first written adds a row.
 */
const stampOf = (db: Database, t: LessonTables, ask: LessonCompletenessAsk): string =>
  prepared<[string, IsoDate, IsoDate, string], string>(
    db,
    `SELECT (SELECT ifnull(max(stamp), 0) || '/' || count(*) FROM "${t.dates}"
              WHERE school_id = ? AND date BETWEEN ? AND ?)
       || ' ' ||
       (SELECT ifnull(max(position), 0) || '/' || count(*) FROM "${t.class_timetables}" WHERE school_id = ?)`,
  )
    .pluck()
    .get(ask.schoolId, ask.window.observedFrom, ask.window.to, ask.schoolId) as string;

/**
 * The school's completeness over a window in one read: the lessons expected, compared with the roll
 * calls taken, and which of `among` (the classes and groups taught) had any roll call taken.
 *
 * A month costs ~14 ms to compute and the completeness view is asked again and again all morning,
 * mostly of months whose roll calls did not change since: each connection keeps its last answers,
 * each with the stamp of what it was computed from, and answers again only while that stamp holds
 * (issue #10). The stamp is read before the rows: a roll call applied in between gives an answer
 * newer than its stamp, never asked again since the stamp has moved. Tables rebuilt have new names,
 * hence new keys. The answer kept is shared: callers read it, never change it.
 */
export const lessonCompleteness = (
  db: Database,
  t: LessonTables,
  ask: LessonCompletenessAsk,
): LessonCompleteness => {
  // While a new version of the projection builds, the old one answers, and it may have no stamps.
  if ((t as Partial<LessonTables>).dates === undefined) return computeLessonCompleteness(db, t, ask);
  let answers = kept.get(db);
  if (answers === undefined) kept.set(db, (answers = new Map()));
  const key = keyOf(t, ask);
  const stamp = stampOf(db, t, ask);
  const found = answers.get(key);
  answers.delete(key);
  if (found !== undefined && found.stamp === stamp) {
    counts.hits++;
    answers.set(key, found);
    return found.answer;
  }
  counts.misses++;
  const answer = computeLessonCompleteness(db, t, ask);
  answers.set(key, { stamp, answer });
  if (answers.size > ANSWERS_KEPT) answers.delete(answers.keys().next().value as string);
  return answer;
};
