import { DateRange } from '../../domain/attendance';
import { Period, PeriodScheme } from '../../domain/structure/periods';
import { SchoolYearView } from '../../projections/structure';
import { ApiError, validationError } from '../errors/api-error';
import {
  IsoDate,
  daysBetween,
  firstDayOfMonth,
  isIsoDate,
  lastDayOfMonth,
} from '../../domain/shared/calendar';

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

const checkedRange = (from: string | undefined, to: string | undefined): DateRange => {
  if (from === undefined || to === undefined)
    throw validationError([
      { field: from === undefined ? 'from' : 'to', rule: 'isDefined', message: 'from and to go together' },
    ]);
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (!isIsoDate(value))
      throw validationError([
        { field, rule: 'isDate', message: `${field} is not a calendar date: ${value}` },
      ]);
  if (to < from)
    throw validationError([{ field: 'to', rule: 'notBeforeFrom', message: 'to must not be before from' }]);
  if (daysBetween(from, to) >= MAX_RANGE_DAYS)
    throw validationError([
      { field: 'to', rule: 'maxRange', message: `a range covers at most ${MAX_RANGE_DAYS} days` },
    ]);
  return { from, to };
};

/** The year asked for, else the one `today` falls in, else the latest. */
export const yearOf = (years: readonly SchoolYearView[], today: IsoDate, asked?: string) => {
  const year =
    asked !== undefined
      ? years.find((y) => y.schoolYear === asked)
      : (years.find((y) => y.start <= today && today <= y.end) ?? years.at(-1));
  if (!year)
    throw new ApiError(
      404,
      'STRUCTURE.SCHOOL_YEAR_UNKNOWN',
      asked ? `no school year ${asked}` : 'the school has no school year',
      { field: 'schoolYear' },
    );
  return year;
};

const periodIn = (year: SchoolYearView, id: string, scheme?: PeriodScheme): Period => {
  const schemes = scheme ? [scheme] : (Object.keys(year.periods) as PeriodScheme[]);
  const periods = schemes.flatMap((s) => year.periods[s] ?? []);
  const period = periods.find((p) => p.id === id);
  if (!period)
    throw new ApiError(400, 'ATTENDANCE.PERIOD_UNKNOWN', `no period ${id} in ${year.schoolYear}`, {
      field: 'period',
      knownPeriods: periods.map((p) => p.id),
    });
  return period;
};

/**
 * `?period=`, `?month=` or `?from=&to=` — exactly one of them — as dates; without any, `fallback`.
 */
export const resolveRange = (
  request: RangeRequest,
  context: {
    readonly years: () => readonly SchoolYearView[];
    readonly today: IsoDate;
    readonly scheme?: PeriodScheme;
    readonly fallback: () => DateRange;
  },
): NamedRange => {
  const ways = [
    request.period !== undefined ? 'period' : undefined,
    request.month !== undefined ? 'month' : undefined,
    request.from !== undefined || request.to !== undefined ? 'from' : undefined,
  ].filter((way) => way !== undefined);
  if (ways.length > 1)
    throw validationError([
      { field: ways[1], rule: 'exactlyOne', message: 'name the range one way: period, month or from and to' },
    ]);
  if (request.period !== undefined) {
    const year = yearOf(context.years(), context.today, request.schoolYear);
    const period = periodIn(year, request.period, context.scheme);
    return { from: period.start, to: period.end, period: period.id };
  }
  if (request.month !== undefined)
    return {
      from: firstDayOfMonth(request.month),
      to: lastDayOfMonth(request.month),
      month: request.month,
    };
  if (ways.length === 1) return checkedRange(request.from, request.to);
  return context.fallback();
};
