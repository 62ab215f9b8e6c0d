/**
 * Business time is Europe/Paris wall-clock: dates as 'YYYY-MM-DD', times as 'HH:MM', never converted
 * to instants. Day arithmetic runs on UTC day numbers so that a daylight-saving change (a 23- or
 * 25-hour day in Paris) can never shift a date or a slot.
 */
export type IsoDate = string;
export type WallClockTime = string;
export type HalfDay = 'AM' | 'PM';
/** ISO weekday: Monday = 1 … Sunday = 7. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY_MS = 86_400_000;

const dayNumber = (date: IsoDate): number => {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
};

const dateOfDayNumber = (day: number): IsoDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

export const isIsoDate = (value: unknown): value is IsoDate =>
  typeof value === 'string' && ISO_DATE.test(value) && dateOfDayNumber(dayNumber(value)) === value;

/** 'HH:MM' from 00:00 to 23:59; '24:00' is accepted only as the end of a day (see `isEndTime`). */
export const isWallClockTime = (value: unknown): value is WallClockTime =>
  typeof value === 'string' && WALL_CLOCK_TIME.test(value);

export const isEndTime = (value: unknown): value is WallClockTime =>
  value === '24:00' || isWallClockTime(value);

export const addDays = (date: IsoDate, days: number): IsoDate => dateOfDayNumber(dayNumber(date) + days);

export const daysBetween = (from: IsoDate, to: IsoDate): number => dayNumber(to) - dayNumber(from);

export const weekdayOf = (date: IsoDate): Weekday =>
  (((new Date(dayNumber(date) * DAY_MS).getUTCDay() + 6) % 7) + 1) as Weekday;

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

export const minutesOfDay = (time: WallClockTime): number => {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
};

export const minutesBetween = (start: WallClockTime, end: WallClockTime): number =>
  minutesOfDay(end) - minutesOfDay(start);

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
 * clock into the business `today` a decision needs.
 */
export const parisWallClock = (instant: string | Date): { date: IsoDate; time: WallClockTime } => {
  const parts = Object.fromEntries(
    parisFormat
      .formatToParts(typeof instant === 'string' ? new Date(instant) : instant)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
};
