import {
  CALENDAR_DATE_PATTERN,
  addDays,
  datesBetween,
  daysBetween,
  firstDayOfMonth,
  isCalendarDate,
  isEndTime,
  isIsoDate,
  isSchoolYear,
  isWallClockTime,
  lastDayOfMonth,
  maxDate,
  minDate,
  minutesBetween,
  minutesOfDay,
  monthOf,
  nextMonth,
  parisWallClock,
  schoolYearStartingIn,
  weekdayOf,
} from '../../../src/domain/shared/calendar';

describe('dates', () => {
  it('takes a day that exists, leap days and years 0 to 99 included, and no other', () => {
    expect(['2028-02-29', '0050-03-01', '2026-02-30', '2027-02-29', 20260101].map(isIsoDate)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    // The request validators and the domain ask the same question (more cases: calendar-date-and-uai.spec.ts).
    expect(isCalendarDate).toBe(isIsoDate);
  });

  it('publishes the pattern a valid date matches', () => {
    expect(CALENDAR_DATE_PATTERN.test('2026-02-30')).toBe(true);
    expect(CALENDAR_DATE_PATTERN.test('2026-13-01')).toBe(false);
  });

  it('counts days across a leap day, a year end and a change of time in Paris', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addDays('2027-03-28', -1)).toBe('2027-03-27');
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2027-03-29', '2027-03-27')).toBe(-2);
    expect(addDays('0050-12-31', 1)).toBe('0051-01-01');
  });

  it('lists the dates of a range, both ends included', () => {
    expect(datesBetween('2027-03-27', '2027-03-29')).toEqual(['2027-03-27', '2027-03-28', '2027-03-29']);
    expect(datesBetween('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(datesBetween('2026-11-02', '2026-11-01')).toEqual([]);
  });

  it('knows the ISO weekday: the DST Sundays are Sundays, the leap day a Tuesday', () =>
    expect(['2026-10-25', '2027-03-28', '2028-02-29', '2026-11-16'].map(weekdayOf)).toEqual([7, 7, 2, 1]));

  it('knows months and their last days', () => {
    expect(monthOf('2026-11-16')).toBe('2026-11');
    expect(firstDayOfMonth('2026-11')).toBe('2026-11-01');
    expect(['2026-02', '2028-02', '2026-04', '2026-12'].map(lastDayOfMonth)).toEqual([
      '2026-02-28',
      '2028-02-29',
      '2026-04-30',
      '2026-12-31',
    ]);
    expect([nextMonth('2026-12'), nextMonth('2027-09')]).toEqual(['2027-01', '2027-10']);
  });

  it('picks the earlier and the later of two dates', () => {
    expect(minDate('2026-09-01', '2026-08-31')).toBe('2026-08-31');
    expect(maxDate('2026-09-01', '2026-08-31')).toBe('2026-09-01');
  });
});

describe('wall-clock times', () => {
  it('takes 00:00 to 23:59 as a time, and 24:00 only as the end of a day', () => {
    expect(['00:00', '08:55', '23:59'].map(isWallClockTime)).toEqual([true, true, true]);
    expect(['24:00', '8:55', '12:60', '25:00', 855].map(isWallClockTime)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['24:00', '17:25', '24:01'].map(isEndTime)).toEqual([true, true, false]);
  });

  it('counts minutes since midnight and between two times', () => {
    expect([minutesOfDay('00:00'), minutesOfDay('08:55'), minutesOfDay('24:00')]).toEqual([0, 535, 1440]);
    expect(minutesBetween('08:00', '08:55')).toBe(55);
    expect(minutesBetween('22:00', '24:00')).toBe(120);
  });

  it('reads the Paris date and time of an instant around each change of time', () => {
    expect(parisWallClock('2026-10-25T00:30:00Z')).toEqual({ date: '2026-10-25', time: '02:30' });
    expect(parisWallClock('2026-10-25T01:30:00Z')).toEqual({ date: '2026-10-25', time: '02:30' });
    expect(parisWallClock('2027-03-28T00:59:00Z')).toEqual({ date: '2027-03-28', time: '01:59' });
    expect(parisWallClock('2027-03-28T01:00:00Z')).toEqual({ date: '2027-03-28', time: '03:00' });
    expect(parisWallClock(new Date('2028-02-28T23:30:00Z'))).toEqual({ date: '2028-02-29', time: '00:30' });
  });

  it('answers the same minute from its last answer, and the next minute afresh', () => {
    expect(parisWallClock('2026-10-25T00:59:01Z')).toEqual({ date: '2026-10-25', time: '02:59' });
    const kept = parisWallClock('2026-10-25T00:59:59.999Z');
    expect(kept).toEqual({ date: '2026-10-25', time: '02:59' });
    kept.date = 'changed by a caller';
    expect(parisWallClock('2026-10-25T00:59:30Z')).toEqual({ date: '2026-10-25', time: '02:59' });
    expect(parisWallClock('2026-10-25T01:00:00Z')).toEqual({ date: '2026-10-25', time: '02:00' });
    expect(parisWallClock('2026-10-25T23:00:00Z')).toEqual({ date: '2026-10-26', time: '00:00' });
  });
});

describe('school years', () => {
  it('are two consecutive years', () =>
    expect(['2026-2027', '2026-2028', '2026', '2026/2027'].map(isSchoolYear)).toEqual([
      true,
      false,
      false,
      false,
    ]));

  it('are written from their first year by SIECLE and STS', () =>
    expect(schoolYearStartingIn(2026)).toBe('2026-2027'));
});
