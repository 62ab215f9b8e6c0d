import { HalfDay, WallClockTime, Weekday } from './calendar';

/**
 * What a school has until it chooses otherwise, declared once for the settings it may change and for
 * the attendance decisions that run without them.
 */

/** The half-days of each weekday that have lessons. */
export type SchoolWeek = Readonly<Partial<Record<Weekday, readonly HalfDay[]>>>;

/** How absences are counted: `gross` counts every missed half-day, `full` only the whole ones. */
export type CountingMode = 'gross' | 'full';

export type AbsenteeismThresholds = {
  /** Unjustified half-days in one calendar month from which the school must act (circular 2014-159). */
  readonly monthly: number;
  /** The second, higher tier (persistent absenteeism). */
  readonly persistent: number;
};

/** Slots starting before this time are in the morning half-day. */
export const DEFAULT_HALF_DAY_BOUNDARY: WallClockTime = '11:55';

/** Monday to Friday, morning and afternoon. */
export const DEFAULT_SCHOOL_WEEK: SchoolWeek = {
  1: ['AM', 'PM'],
  2: ['AM', 'PM'],
  3: ['AM', 'PM'],
  4: ['AM', 'PM'],
  5: ['AM', 'PM'],
};

export const DEFAULT_COUNTING_MODE: CountingMode = 'gross';

export const DEFAULT_ABSENTEEISM_THRESHOLDS: AbsenteeismThresholds = {
  monthly: 4,
  // DEPP counts "absentéisme lourd" from more than 10 unjustified half-days in a month.
  persistent: 10,
};

/** A slot belongs to the half-day it starts in: the morning when it starts before the boundary. */
export const halfDayOf = (
  start: WallClockTime,
  boundary: WallClockTime = DEFAULT_HALF_DAY_BOUNDARY,
): HalfDay => (start < boundary ? 'AM' : 'PM');
