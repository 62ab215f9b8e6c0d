import {
  IsoDate,
  addDays,
  daysBetween,
  firstDayOfMonth,
  isIsoDate,
  lastDayOfMonth,
  monthOf,
} from '../shared/calendar';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { DateRange } from './counting';
import { SchoolYear } from './school-inputs';

/** A year of counts is what a report card and an auditor ask for; longer ranges are refused. */
export const MAX_RANGE_DAYS = 366;

export type RangeRequest = {
  readonly from?: string;
  readonly to?: string;
  readonly period?: string;
  readonly month?: string;
  readonly schoolYear?: string;
};

export type NamedRange = DateRange & { readonly period?: string; readonly month?: string };

/** A period of a school year (T1, S2…): attendance needs only its name and dates. */
export type DatedPeriod = { readonly id: string; readonly start: IsoDate; readonly end: IsoDate };

export type SchoolYearWithPeriods = SchoolYear & {
  readonly schoolYear: string;
  /** By scheme (trimester, semester), in date order. */
  readonly periods: Readonly<Partial<Record<string, readonly DatedPeriod[]>>>;
};

/** What a view covers when the request names no range, always ending today or with the year. */
export type DefaultRange = 'month-to-date' | 'last-seven-days' | 'school-year';

/** A request that names its range wrongly, in the terms of a request validation problem. */
export type RangeProblem = { readonly field: string; readonly rule: string; readonly message: string };

type RangeAnswer = { readonly range: NamedRange } | { readonly problem: RangeProblem };

const checkedRange = (from: string | undefined, to: string | undefined): RangeAnswer => {
  if (from === undefined || to === undefined)
    return {
      problem: {
        field: from === undefined ? 'from' : 'to',
        rule: 'isDefined',
        message: 'from and to go together',
      },
    };
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (!isIsoDate(value))
      return { problem: { field, rule: 'isDate', message: `${field} is not a calendar date: ${value}` } };
  if (to < from)
    return { problem: { field: 'to', rule: 'notBeforeFrom', message: 'to must not be before from' } };
  if (daysBetween(from, to) >= MAX_RANGE_DAYS)
    return {
      problem: { field: 'to', rule: 'maxRange', message: `a range covers at most ${MAX_RANGE_DAYS} days` },
    };
  return { range: { from, to } };
};

/** The year asked for, else the one `today` falls in, else the latest. */
export const schoolYearAsked = <Y extends SchoolYearWithPeriods>(
  years: readonly Y[],
  today: IsoDate,
  asked?: string,
): Y => {
  const year =
    asked !== undefined
      ? years.find((y) => y.schoolYear === asked)
      : (years.find((y) => y.start <= today && today <= y.end) ?? years.at(-1));
  if (!year)
    throw notFound(
      'STRUCTURE.SCHOOL_YEAR_UNKNOWN',
      asked ? `no school year ${asked}` : 'the school has no school year',
      { field: 'schoolYear' },
    );
  return year;
};

/**
 * The school year a date falls in; otherwise the last one begun before it, else the first — so that
 * a decision refuses the date and says which year it compared it with.
 */
export const schoolYearAround = (
  schoolId: string,
  years: readonly SchoolYear[],
  date: IsoDate,
): SchoolYear => {
  if (years.length === 0)
    throw conflict(
      'STRUCTURE.SCHOOL_YEAR_UNDEFINED',
      `school ${schoolId} has no school year yet; define it first`,
      {
        field: 'date',
      },
    );
  const year =
    years.find((y) => y.start <= date && date <= y.end) ??
    [...years].reverse().find((y) => y.start <= date) ??
    years[0];
  return { start: year.start, end: year.end };
};

const periodIn = (year: SchoolYearWithPeriods, id: string, scheme?: string): DatedPeriod => {
  const schemes = scheme ? [scheme] : Object.keys(year.periods);
  const periods = schemes.flatMap((s) => year.periods[s] ?? []);
  const period = periods.find((p) => p.id === id);
  if (!period)
    throw invalid('ATTENDANCE.PERIOD_UNKNOWN', `no period ${id} in ${year.schoolYear}`, {
      field: 'period',
      knownPeriods: periods.map((p) => p.id),
    });
  return period;
};

const defaultRange = (
  byDefault: DefaultRange,
  today: IsoDate,
  years: () => readonly SchoolYearWithPeriods[],
): DateRange => {
  switch (byDefault) {
    case 'month-to-date':
      return { from: firstDayOfMonth(monthOf(today)), to: today };
    case 'last-seven-days':
      return { from: addDays(today, -6), to: today };
    case 'school-year': {
      const year = schoolYearAsked(years(), today);
      return { from: year.start, to: year.end };
    }
  }
};

/**
 * `?period=`, `?month=` or `?from=&to=` — exactly one of them — as dates; without any, the view's
 * default range. A period is looked for in the year asked for (default: the one today falls in) and,
 * given a scheme, among that scheme's periods only. `years` is read only when a period or the school
 * year is needed.
 */
export const resolveRange = (
  request: RangeRequest,
  context: {
    readonly years: () => readonly SchoolYearWithPeriods[];
    readonly today: IsoDate;
    readonly scheme?: string;
    readonly byDefault: DefaultRange;
  },
): RangeAnswer => {
  const ways = [
    request.period !== undefined ? 'period' : undefined,
    request.month !== undefined ? 'month' : undefined,
    request.from !== undefined || request.to !== undefined ? 'from' : undefined,
  ].filter((way) => way !== undefined);
  if (ways.length > 1)
    return {
      problem: {
        field: ways[1],
        rule: 'exactlyOne',
        message: 'name the range one way: period, month or from and to',
      },
    };
  if (request.period !== undefined) {
    const year = schoolYearAsked(context.years(), context.today, request.schoolYear);
    const period = periodIn(year, request.period, context.scheme);
    return { range: { from: period.start, to: period.end, period: period.id } };
  }
  if (request.month !== undefined)
    return {
      range: {
        from: firstDayOfMonth(request.month),
        to: lastDayOfMonth(request.month),
        month: request.month,
      },
    };
  if (ways.length === 1) return checkedRange(request.from, request.to);
  return { range: defaultRange(context.byDefault, context.today, context.years) };
};
