/**
 * Business dates are Europe/Paris wall-clock dates written `YYYY-MM-DD`, times `HH:MM`. Both compare
 * correctly as strings, which keeps every rule about intervals a plain string comparison.
 */
export type IsoDate = string;
export type WallClockTime = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;

export const isIsoDate = (value: unknown): value is IsoDate => {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

export const addDays = (date: IsoDate, days: number): IsoDate => {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
};

/** Whole days from `from` to `to` (negative when `to` comes first). */
export const daysBetween = (from: IsoDate, to: IsoDate): number => {
  const dayOf = (date: IsoDate) => {
    const [year, month, day] = date.split('-').map(Number);
    return Date.UTC(year, month - 1, day) / 86_400_000;
  };
  return dayOf(to) - dayOf(from);
};

export const isWallClockTime = (value: unknown): value is WallClockTime =>
  typeof value === 'string' && WALL_CLOCK.test(value);

export const minutesOf = (time: WallClockTime): number => {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
};

/** `2026-2027`: two consecutive years. */
export const isSchoolYear = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const match = SCHOOL_YEAR.exec(value);
  return match !== null && Number(match[2]) === Number(match[1]) + 1;
};

/** SIECLE and STS write the school year as its first calendar year (`2026` for 2026-2027). */
export const schoolYearStartingIn = (year: number): string => `${year}-${year + 1}`;

export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);
export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
