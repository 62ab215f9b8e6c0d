import {
  RangeRequest,
  SchoolYearWithPeriods,
  resolveRange,
  schoolYearAround,
  schoolYearAsked,
} from '../../../src/domain/attendance';
import { DomainError } from '../../../src/domain/shared/domain-error';

const YEAR_2026: SchoolYearWithPeriods = {
  schoolYear: '2026-2027',
  start: '2026-09-01',
  end: '2027-07-03',
  periods: {
    trimester: [
      { id: 'T1', start: '2026-09-01', end: '2026-11-30' },
      { id: 'T2', start: '2026-12-01', end: '2027-03-07' },
      { id: 'T3', start: '2027-03-08', end: '2027-07-03' },
    ],
    semester: [
      { id: 'S1', start: '2026-09-01', end: '2027-01-24' },
      { id: 'S2', start: '2027-01-25', end: '2027-07-03' },
    ],
  },
};
const YEAR_2027: SchoolYearWithPeriods = {
  schoolYear: '2027-2028',
  start: '2027-09-01',
  end: '2028-07-01',
  periods: { trimester: [{ id: 'T1', start: '2027-09-01', end: '2027-11-30' }] },
};
const YEARS = [YEAR_2026, YEAR_2027];

const resolve = (request: RangeRequest, today = '2026-11-18', byDefault = 'month-to-date' as const) =>
  resolveRange(request, { years: () => YEARS, today, byDefault });

const refusal = (act: () => unknown) => {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, kind: error.kind, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('the range a request names', () => {
  it('reads a month as its first and last days, February of a leap year included', () => {
    expect(resolve({ month: '2026-11' })).toEqual({
      range: { from: '2026-11-01', to: '2026-11-30', month: '2026-11' },
    });
    expect(resolve({ month: '2028-02' })).toEqual({
      range: { from: '2028-02-01', to: '2028-02-29', month: '2028-02' },
    });
  });

  it('reads a period in the year today falls in, or in the year asked for', () => {
    expect(resolve({ period: 'T2' })).toEqual({
      range: { from: '2026-12-01', to: '2027-03-07', period: 'T2' },
    });
    expect(resolve({ period: 'T1', schoolYear: '2027-2028' })).toEqual({
      range: { from: '2027-09-01', to: '2027-11-30', period: 'T1' },
    });
  });

  it("looks for a period among the class's scheme only, when it has one", () =>
    expect(
      refusal(() =>
        resolveRange(
          { period: 'S1' },
          { years: () => YEARS, today: '2026-11-18', scheme: 'trimester', byDefault: 'school-year' },
        ),
      ),
    ).toEqual({
      code: 'ATTENDANCE.PERIOD_UNKNOWN',
      kind: 'invalid',
      details: { field: 'period', knownPeriods: ['T1', 'T2', 'T3'] },
    }));

  it('refuses a school year the school does not have', () =>
    expect(refusal(() => resolve({ period: 'T1', schoolYear: '2030-2031' }))).toEqual({
      code: 'STRUCTURE.SCHOOL_YEAR_UNKNOWN',
      kind: 'not_found',
      details: { field: 'schoolYear' },
    }));

  it('takes from and to as they are, up to 366 days', () => {
    expect(resolve({ from: '2026-09-01', to: '2027-09-01' })).toEqual({
      range: { from: '2026-09-01', to: '2027-09-01' },
    });
    expect(resolve({ from: '2026-09-01', to: '2027-09-02' })).toEqual({
      problem: { field: 'to', rule: 'maxRange', message: 'a range covers at most 366 days' },
    });
  });

  it.each([
    [{ from: '2026-11-01' }, { field: 'to', rule: 'isDefined', message: 'from and to go together' }],
    [{ to: '2026-11-01' }, { field: 'from', rule: 'isDefined', message: 'from and to go together' }],
    [
      { from: '2026-02-29', to: '2026-03-01' },
      { field: 'from', rule: 'isDate', message: 'from is not a calendar date: 2026-02-29' },
    ],
    [
      { from: '2026-11-02', to: '2026-11-01' },
      { field: 'to', rule: 'notBeforeFrom', message: 'to must not be before from' },
    ],
    [
      { month: '2026-11', period: 'T1' },
      { field: 'month', rule: 'exactlyOne', message: 'name the range one way: period, month or from and to' },
    ],
    [
      { month: '2026-11', from: '2026-11-01', to: '2026-11-02' },
      { field: 'from', rule: 'exactlyOne', message: 'name the range one way: period, month or from and to' },
    ],
  ])('names the problem of %j', (request, problem) => expect(resolve(request)).toEqual({ problem }));
});

describe('the range a view covers by default', () => {
  it('is the month up to today for a ledger', () =>
    expect(resolve({}, '2026-11-18', 'month-to-date')).toEqual({
      range: { from: '2026-11-01', to: '2026-11-18' },
    }));

  it('is the seven days up to today for the completeness report, across a month end', () =>
    expect(resolveRange({}, { years: () => [], today: '2027-03-02', byDefault: 'last-seven-days' })).toEqual({
      range: { from: '2027-02-24', to: '2027-03-02' },
    }));

  it('is the school year today falls in for counts, else the latest year', () => {
    expect(resolveRange({}, { years: () => YEARS, today: '2026-11-18', byDefault: 'school-year' })).toEqual({
      range: { from: '2026-09-01', to: '2027-07-03' },
    });
    expect(resolveRange({}, { years: () => YEARS, today: '2027-08-15', byDefault: 'school-year' })).toEqual({
      range: { from: '2027-09-01', to: '2028-07-01' },
    });
  });

  it('reads the school years only when it needs them', () => {
    const years = jest.fn(() => YEARS);
    resolveRange({ month: '2026-11' }, { years, today: '2026-11-18', byDefault: 'month-to-date' });
    resolveRange({}, { years, today: '2026-11-18', byDefault: 'month-to-date' });
    expect(years).not.toHaveBeenCalled();
  });

  it('refuses the school year of a school that has none', () =>
    expect(refusal(() => schoolYearAsked([], '2026-11-18'))).toEqual({
      code: 'STRUCTURE.SCHOOL_YEAR_UNKNOWN',
      kind: 'not_found',
      details: { field: 'schoolYear' },
    }));
});

describe('the school year a decision compares a date with', () => {
  it('is the year the date falls in', () =>
    expect(schoolYearAround('s1', YEARS, '2027-09-01')).toEqual({ start: '2027-09-01', end: '2028-07-01' }));

  it('is, in the summer between two years, the one that ended', () =>
    expect(schoolYearAround('s1', YEARS, '2027-08-15')).toEqual({ start: '2026-09-01', end: '2027-07-03' }));

  it('is, before any year, the first one', () =>
    expect(schoolYearAround('s1', YEARS, '2026-06-30')).toEqual({ start: '2026-09-01', end: '2027-07-03' }));

  it('is refused while the school has no year', () =>
    expect(refusal(() => schoolYearAround('s1', [], '2026-11-18'))).toEqual({
      code: 'STRUCTURE.SCHOOL_YEAR_UNDEFINED',
      kind: 'conflict',
      details: { field: 'date' },
    }));
});
