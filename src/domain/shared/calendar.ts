/**
 * Business time is Europe/Paris wall-clock: dates as 'YYYY-MM-DD', times as 'HH:MM', never converted
 * to instants. Both compare correctly as strings, which keeps every rule about intervals a plain
 * string comparison. Day arithmetic runs on UTC day numbers so that a daylight-saving change (a 23-
 * or 25-hour day in Paris) can never shift a date or a slot.
 */
export type IsoDate = string;
export type WallClockTime = string;
export type HalfDay = 'AM' | 'PM';
/** ISO weekday: Monday = 1 … Sunday = 7. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** `YYYY-MM-DD`; whether the day exists is `isIsoDate`'s question. */
export const CALENDAR_DATE_PATTERN = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/** `YYYY-MM`, a calendar month. */
export const CALENDAR_MONTH_PATTERN = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

const WALL_CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;
const DAY_MS = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The numbers of a date already known to match CALENDAR_DATE_PATTERN. */
const numbersOf = (date: IsoDate): [year: number, month: number, day: number] => [
  Number(date.slice(0, 4)),
  Number(date.slice(5, 7)),
  Number(date.slice(8, 10)),
];

const partsOf = (date: IsoDate): [year: number, month: number, day: number] => {
  if (!CALENDAR_DATE_PATTERN.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return numbersOf(date);
};

const dayNumber = (date: IsoDate): number => {
  const [year, month, day] = partsOf(date);
  // setUTCFullYear, unlike Date.UTC, does not read years 0 to 99 as 1900 to 1999.
  return new Date(0).setUTCFullYear(year, month - 1, day) / DAY_MS;
};

const dateOfDayNumber = (day: number): IsoDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** A `YYYY-MM-DD` day that exists in the Gregorian calendar: 2028-02-29 is one, 2026-02-30 is not. */
export const isIsoDate = (value: unknown): value is IsoDate => {
  if (typeof value !== 'string' || !CALENDAR_DATE_PATTERN.test(value)) return false;
  const [year, month, day] = numbersOf(value);
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]);
};

/** `isIsoDate` under the name the request validators (`@IsCalendarDate`) use. */
export const isCalendarDate: (value: unknown) => value is IsoDate = isIsoDate;

export const isCalendarMonth = (value: unknown): value is string =>
  typeof value === 'string' && CALENDAR_MONTH_PATTERN.test(value);

/** 'HH:MM' from 00:00 to 23:59; '24:00' is accepted only as the end of a day (see `isEndTime`). */
export const isWallClockTime = (value: unknown): value is WallClockTime =>
  typeof value === 'string' && WALL_CLOCK_TIME.test(value);

export const isEndTime = (value: unknown): value is WallClockTime =>
  value === '24:00' || isWallClockTime(value);

export const addDays = (date: IsoDate, days: number): IsoDate => dateOfDayNumber(dayNumber(date) + days);

/** Whole days from `from` to `to` (negative when `to` comes first). */
export const daysBetween = (from: IsoDate, to: IsoDate): number => dayNumber(to) - dayNumber(from);

export const weekdayOf = (date: IsoDate): Weekday =>
  (((new Date(dayNumber(date) * DAY_MS).getUTCDay() + 6) % 7) + 1) as Weekday;

export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);
export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);

/** 'YYYY-MM', the calendar month absenteeism thresholds are counted in. */
export const monthOf = (date: IsoDate): string => date.slice(0, 7);

export const firstDayOfMonth = (month: string): IsoDate => `${month}-01`;

export const lastDayOfMonth = (month: string): IsoDate => addDays(firstDayOfMonth(nextMonth(month)), -1);

export const nextMonth = (month: string): string => {
  const [year, monthNumber] = month.split('-').map(Number);
  return monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
};

/** Every date from `from` to `to`, both included ([] when `to` is before `from`). */
export const datesBetween = (from: IsoDate, to: IsoDate): IsoDate[] => {
  const dates: IsoDate[] = [];
  for (let day = dayNumber(from), last = dayNumber(to); day <= last; day++) dates.push(dateOfDayNumber(day));
  return dates;
};

/** Minutes since midnight; '24:00' is 1440. */
export const minutesOfDay = (time: WallClockTime): number => {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
};

export const minutesBetween = (start: WallClockTime, end: WallClockTime): number =>
  minutesOfDay(end) - minutesOfDay(start);

/** `2026-2027`: two consecutive years. */
export const isSchoolYear = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const match = SCHOOL_YEAR.exec(value);
  return match !== null && Number(match[2]) === Number(match[1]) + 1;
};

/** SIECLE and STS write the school year as its first calendar year (`2026` for 2026-2027). */
export const schoolYearStartingIn = (year: number): string => `${year}-${year + 1}`;

/** The last minute formatted, and its answer. */
let lastMinute: { minute: number; wallClock: { date: IsoDate; time: WallClockTime } } = {
  minute: NaN,
  wallClock: { date: '', time: '' },
};

const parisFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * The Europe/Paris wall-clock date and time of a UTC instant — how a handler turns the server's
 * clock into the business `today` a decision needs (`todayInParis` in clock.ts).
 */
export const parisWallClock = (instant: string | Date): { date: IsoDate; time: WallClockTime } => {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  // Every command asks for today's date: the answer is the same for a whole minute (Paris changes
  // its offset on the hour), and formatting it costs more than the rest of a roll call's decision.
  const minute = Math.floor(at.getTime() / 60_000);
  if (minute === lastMinute.minute) return { ...lastMinute.wallClock };
  const parts = Object.fromEntries(parisFormat.formatToParts(at).map((p) => [p.type, p.value]));
  const wallClock = {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
  lastMinute = { minute, wallClock };
  return { ...wallClock };
};
