import { HalfDay, IsoDate, WallClockTime, weekdayOf } from '../shared/calendar';
import {
  AbsenteeismThresholds,
  CountingMode,
  DEFAULT_ABSENTEEISM_THRESHOLDS,
  DEFAULT_COUNTING_MODE,
  DEFAULT_SCHOOL_WEEK,
  SchoolWeek,
  halfDayOf,
} from '../shared/school-defaults';

/**
 * Plain inputs that the handler reads from the school-structure read models and hands to the pure
 * decisions. Attendance never imports structure code: these shapes are its side of the contract.
 */

/** A timetable slot of the school (M1..M5, S1..S5). `halfDay` wins over the boundary when given. */
export type TimetableSlot = {
  readonly code: string;
  readonly start: WallClockTime;
  readonly end: WallClockTime;
  readonly halfDay?: HalfDay;
};

/** A slot once its half-day is fixed — what every attendance event carries. */
export type SlotRef = {
  readonly code: string;
  readonly start: WallClockTime;
  readonly end: WallClockTime;
  readonly halfDay: HalfDay;
};

export type SlotOnDate = SlotRef & {
  readonly date: IsoDate;
};

export type SchoolYear = {
  readonly start: IsoDate;
  readonly end: IsoDate;
};

/** Which half-days of the week have lessons, and which dates are closed (holidays, bank holidays). */
export type SchoolCalendar = {
  readonly week?: SchoolWeek;
  /**
   * Weeks that replace `week` from a date on, in date order: the school changed its pattern (no more
   * Wednesday afternoons from January) and the calendar spans the change.
   */
  readonly weekChanges?: readonly { readonly from: IsoDate; readonly week: SchoolWeek }[];
  readonly closedDates?: ReadonlySet<IsoDate>;
  /** What closes a closed date ("Vacances de la Toussaint"), for the messages that refuse it. */
  readonly closureLabels?: ReadonlyMap<IsoDate, string>;
};

export const weekOn = (calendar: SchoolCalendar | undefined, date: IsoDate): SchoolWeek => {
  let week = calendar?.week ?? DEFAULT_SCHOOL_WEEK;
  for (const change of calendar?.weekChanges ?? []) if (change.from <= date) week = change.week;
  return week;
};

export const openHalfDaysOn = (calendar: SchoolCalendar | undefined, date: IsoDate): readonly HalfDay[] =>
  calendar?.closedDates?.has(date) ? [] : (weekOn(calendar, date)[weekdayOf(date)] ?? []);

export const resolveSlot = (slot: TimetableSlot, boundary?: WallClockTime): SlotRef => ({
  code: slot.code,
  start: slot.start,
  end: slot.end,
  halfDay: slot.halfDay ?? halfDayOf(slot.start, boundary),
});

/** A reason (motif) from the school's list, with the flags that decide how an absence counts. */
export type ReasonDefinition = {
  readonly code: string;
  readonly label?: string;
  /** Accepted reasons make the absence justified (Code de l'éducation L131-8 or the school's assessment). */
  readonly legitimate: boolean;
  /** False for reasons that never count on the report card. */
  readonly countsAsAbsence: boolean;
  /** School outing, infirmary, exam: the student is under the school's responsibility, not absent. */
  readonly schoolResponsibility: boolean;
};

export type ReasonFlags = Pick<ReasonDefinition, 'legitimate' | 'countsAsAbsence' | 'schoolResponsibility'>;

export type CountingSettings = {
  readonly mode: CountingMode;
  readonly thresholds: AbsenteeismThresholds;
};

export const DEFAULT_COUNTING_SETTINGS: CountingSettings = {
  mode: DEFAULT_COUNTING_MODE,
  thresholds: DEFAULT_ABSENTEEISM_THRESHOLDS,
};

/** Counting settings as versions, each in force from a date until the next one. */
export type CountingSettingsVersion = {
  readonly effectiveFrom: IsoDate;
  readonly settings: CountingSettings;
};

export type CountingSettingsTimeline = readonly CountingSettingsVersion[];

export const settingsInForce = (timeline: CountingSettingsTimeline, date: IsoDate): CountingSettings => {
  let inForce: CountingSettingsVersion | undefined;
  for (const version of timeline)
    if (version.effectiveFrom <= date && (!inForce || version.effectiveFrom >= inForce.effectiveFrom))
      inForce = version;
  return inForce?.settings ?? DEFAULT_COUNTING_SETTINGS;
};
