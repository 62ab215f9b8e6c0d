/** `YYYY-MM-DD`; whether the day exists is `isCalendarDate`'s question. */
export const CALENDAR_DATE_PATTERN = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/** `YYYY-MM`, a calendar month. */
export const CALENDAR_MONTH_PATTERN = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** A `YYYY-MM-DD` day that exists in the Gregorian calendar: 2028-02-29 is one, 2026-02-30 is not. */
export const isCalendarDate = (value: unknown): value is string => {
  if (typeof value !== 'string' || !CALENDAR_DATE_PATTERN.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const last = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  return day <= last;
};

export const isCalendarMonth = (value: unknown): value is string =>
  typeof value === 'string' && CALENDAR_MONTH_PATTERN.test(value);
