import { invalid, notFound } from '../shared/domain-error';
import { DomainEvent, eventTypeGuard } from '../shared/event';
import {
  defaultPeriodLabel,
  Period,
  PERIOD_SCHEMES,
  PeriodScheme,
  SchoolYear,
  validatePeriods,
} from './periods';
import { sameJson, SchoolCmd, set, WithSchool } from './school-part';
import { IsoDate, isIsoDate, isSchoolYear } from '../shared/calendar';

/** The school years and the periods of each scheme, on the school stream. */

export type SchoolYearDefined = DomainEvent<'SchoolYearDefined', WithSchool<SchoolYear>>;
export type PeriodsSet = DomainEvent<
  'PeriodsSet',
  WithSchool<{
    readonly schoolYear: string;
    readonly scheme: PeriodScheme;
    readonly periods: readonly Period[];
  }>
>;
export type SchoolYearEvent = SchoolYearDefined | PeriodsSet;

export const SCHOOL_YEAR_EVENT_TYPES = [
  'SchoolYearDefined',
  'PeriodsSet',
] as const satisfies readonly SchoolYearEvent['type'][];

export const isSchoolYearEvent = eventTypeGuard<SchoolYearEvent>(SCHOOL_YEAR_EVENT_TYPES);

export interface SchoolYears {
  readonly years: ReadonlyMap<string, SchoolYear>;
  /** The year that started last: the one imports and new classes belong to. */
  readonly currentYear?: string;
  /** By `${schoolYear}/${scheme}`. */
  readonly periods: ReadonlyMap<string, readonly Period[]>;
}

export interface PeriodInput {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly label?: string;
}

export type DefineSchoolYear = SchoolCmd<
  'DefineSchoolYear',
  SchoolYear & { readonly periods?: Partial<Record<PeriodScheme, readonly PeriodInput[]>> }
>;
export type SetPeriods = SchoolCmd<
  'SetPeriods',
  { readonly schoolYear?: string; readonly scheme: PeriodScheme; readonly periods: readonly PeriodInput[] }
>;

const periodsKey = (schoolYear: string, scheme: PeriodScheme): string => `${schoolYear}/${scheme}`;

export const evolveSchoolYears = (part: SchoolYears, event: SchoolYearEvent): SchoolYears => {
  switch (event.type) {
    case 'SchoolYearDefined': {
      const { schoolId: _schoolId, ...year } = event.data;
      const years = set(part.years, year.schoolYear, year);
      const current = part.currentYear ? years.get(part.currentYear) : undefined;
      return {
        years,
        currentYear: !current || year.start >= current.start ? year.schoolYear : part.currentYear,
        periods: part.periods,
      };
    }
    case 'PeriodsSet':
      return {
        years: part.years,
        ...(part.currentYear === undefined ? {} : { currentYear: part.currentYear }),
        periods: set(part.periods, periodsKey(event.data.schoolYear, event.data.scheme), event.data.periods),
      };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

export const currentSchoolYear = (part: SchoolYears): SchoolYear | undefined =>
  part.currentYear ? part.years.get(part.currentYear) : undefined;

export const periodsOf = (part: SchoolYears, schoolYear: string, scheme: PeriodScheme): readonly Period[] =>
  part.periods.get(periodsKey(schoolYear, scheme)) ?? [];

export const yearFor = (part: SchoolYears, schoolYear: string | undefined): SchoolYear => {
  const label = schoolYear ?? part.currentYear;
  const year = label ? part.years.get(label) : undefined;
  if (!year)
    throw notFound(
      'STRUCTURE.SCHOOL_YEAR_UNKNOWN',
      label ? `the school year ${label} is not defined` : 'no school year is defined yet: define one first',
      { field: 'schoolYear' },
    );
  return year;
};

const toPeriods = (scheme: PeriodScheme, inputs: readonly PeriodInput[]): Period[] =>
  inputs.map((input, index) => {
    const id = (scheme === 'trimester' ? 'T' : 'S') + String(index + 1);
    return { id, label: input.label?.trim() || defaultPeriodLabel(id), start: input.start, end: input.end };
  });

const samePeriods = (a: readonly Period[], b: readonly Period[]): boolean =>
  a.length === b.length &&
  a.every(
    (p, i) => p.id === b[i].id && p.label === b[i].label && p.start === b[i].start && p.end === b[i].end,
  );

export const defineSchoolYear = (data: DefineSchoolYear['data'], state: SchoolYears): SchoolYearEvent[] => {
  const { schoolId, schoolYear, start, end } = data;
  if (!isSchoolYear(schoolYear))
    throw invalid(
      'STRUCTURE.SCHOOL_YEAR_INVALID',
      `a school year is written 2026-2027, got ${String(schoolYear)}`,
      {
        field: 'schoolYear',
      },
    );
  for (const [field, value] of [
    ['start', start],
    ['end', end],
  ] as const)
    if (!isIsoDate(value))
      throw invalid(
        'STRUCTURE.SCHOOL_YEAR_DATES_INVALID',
        `${field} must be a date YYYY-MM-DD, got ${String(value)}`,
        {
          field,
        },
      );
  const [firstYear, secondYear] = schoolYear.split('-');
  if (end <= start || start.slice(0, 4) !== firstYear || end.slice(0, 4) !== secondYear)
    throw invalid(
      'STRUCTURE.SCHOOL_YEAR_DATES_INVALID',
      `the school year ${schoolYear} starts in ${firstYear} and ends in ${secondYear}, after it starts; got ${start} to ${end}`,
      { field: 'start' },
    );
  const year: SchoolYear = { schoolYear, start, end };
  const known = state.years.get(schoolYear);
  const events: SchoolYearEvent[] =
    known && sameJson(known, year) ? [] : [{ type: 'SchoolYearDefined', data: { schoolId, ...year } }];
  for (const scheme of PERIOD_SCHEMES) {
    const given = data.periods?.[scheme];
    if (given) {
      const periods = toPeriods(scheme, given);
      validatePeriods(year, scheme, periods);
      if (!samePeriods(periodsOf(state, schoolYear, scheme), periods))
        events.push({ type: 'PeriodsSet', data: { schoolId, schoolYear, scheme, periods } });
    } else if (periodsOf(state, schoolYear, scheme).length > 0) {
      // New dates must still be tiled by the periods already defined, or come with new periods.
      validatePeriods(year, scheme, periodsOf(state, schoolYear, scheme));
    }
  }
  return events;
};

export const setPeriods = (data: SetPeriods['data'], state: SchoolYears): SchoolYearEvent[] => {
  if (!PERIOD_SCHEMES.includes(data.scheme))
    throw invalid('STRUCTURE.PERIOD_SCHEME_INVALID', `scheme must be ${PERIOD_SCHEMES.join(' or ')}`, {
      field: 'scheme',
    });
  const year = yearFor(state, data.schoolYear);
  const periods = toPeriods(data.scheme, data.periods);
  validatePeriods(year, data.scheme, periods);
  if (samePeriods(periodsOf(state, year.schoolYear, data.scheme), periods)) return [];
  return [
    {
      type: 'PeriodsSet',
      data: { schoolId: data.schoolId, schoolYear: year.schoolYear, scheme: data.scheme, periods },
    },
  ];
};
