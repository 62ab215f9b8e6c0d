import {
  SchoolCalendar,
  TimetableLesson,
  expectedLessons,
  openHalfDaysOn,
  rollCallDecider,
  studentAttendanceDecider,
} from '../../../src/domain/attendance';
import { DomainError } from '../../../src/domain/shared/domain-error';
import { deciderSpec } from '../../support/decider-spec';
import {
  SLOTS,
  absenceReported,
  reportAbsence,
  rollCallTaken,
  slotsOn,
  takeRollCall,
} from '../../support/attendance-fixtures';
import { DEFAULT_SCHOOL_WEEK } from '../../../src/domain/shared/school-defaults';

const WEDNESDAY = '2026-11-04';
const NO_WEDNESDAY_AFTERNOON = { ...DEFAULT_SCHOOL_WEEK, 3: ['AM'] } as const;
const ARMISTICE: SchoolCalendar = {
  closedDates: new Set(['2026-11-11']),
  closureLabels: new Map([['2026-11-11', 'Armistice']]),
};

const refusalOf = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

const rollCalls = deciderSpec(rollCallDecider);
const attendance = deciderSpec(studentAttendanceDecider);

describe('the school calendar', () => {
  it('opens the half-days of the week pattern in force on each date', () => {
    const calendar: SchoolCalendar = {
      week: DEFAULT_SCHOOL_WEEK,
      weekChanges: [{ from: '2027-01-04', week: NO_WEDNESDAY_AFTERNOON }],
    };
    expect(openHalfDaysOn(calendar, '2026-12-16')).toEqual(['AM', 'PM']);
    expect(openHalfDaysOn(calendar, '2027-01-06')).toEqual(['AM']);
    expect(openHalfDaysOn(calendar, '2027-01-09')).toEqual([]);
  });

  it('closes every half-day of a closed date, whatever the pattern', () =>
    expect(openHalfDaysOn({ ...ARMISTICE, week: NO_WEDNESDAY_AFTERNOON }, '2026-11-11')).toEqual([]));
});

describe('a roll call and the calendar', () => {
  it('is refused on a closed date, naming the closure', () => {
    const error = refusalOf(() =>
      rollCallDecider.decide(
        takeRollCall({ date: '2026-11-11', context: { calendar: ARMISTICE } }),
        rollCallDecider.initialState(),
      ),
    );
    expect(error.code).toBe('ROLL_CALL.NON_SCHOOL_DAY');
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain('Armistice');
    expect(error.details).toMatchObject({ field: 'date', closure: 'Armistice' });
  });

  it('is refused in a half-day without lessons, and taken in the open one of the same day', () => {
    const context = { calendar: { week: NO_WEDNESDAY_AFTERNOON } };
    const error = refusalOf(() =>
      rollCallDecider.decide(
        takeRollCall({ date: WEDNESDAY, slotCode: 'S1', context }),
        rollCallDecider.initialState(),
      ),
    );
    expect(error.code).toBe('ROLL_CALL.NON_SCHOOL_HALF_DAY');
    expect(error.kind).toBe('conflict');
    expect(error.details).toMatchObject({ field: 'slot', halfDay: 'PM', openHalfDays: ['AM'] });
    rollCalls
      .given()
      .when(takeRollCall({ date: WEDNESDAY, slotCode: 'M1', context }))
      .then([rollCallTaken({ date: WEDNESDAY, slotCode: 'M1' })]);
  });

  it('is taken on a Wednesday afternoon under the default week', () =>
    rollCalls
      .given()
      .when(takeRollCall({ date: WEDNESDAY, slotCode: 'S1' }))
      .then([rollCallTaken({ date: WEDNESDAY, slotCode: 'S1', halfDay: 'PM' })]));
});

describe('an absence over a range and the calendar', () => {
  it('covers neither the closed dates nor the half-days without lessons', () =>
    attendance
      .given()
      .when(
        reportAbsence({
          from: { date: '2026-11-10' },
          to: { date: '2026-11-12' },
          context: { calendar: { ...ARMISTICE, week: NO_WEDNESDAY_AFTERNOON } },
        }),
      )
      .then([
        absenceReported({
          from: { date: '2026-11-10' },
          to: { date: '2026-11-12' },
          slots: [...slotsOn('2026-11-10'), ...slotsOn('2026-11-12')],
        }),
      ]));

  it('is refused when the calendar leaves nothing in it', () =>
    attendance
      .given()
      .when(
        reportAbsence({
          from: { date: '2026-11-11' },
          context: { calendar: ARMISTICE },
        }),
      )
      .thenThrows('ATTENDANCE.RANGE_EMPTY'));
});

describe('the lessons expected over a range', () => {
  const lessons: TimetableLesson[] = [
    { classOrGroupId: '5B', teacherId: 't1', weekday: 3, slotCode: 'M1' },
    { classOrGroupId: '5B', teacherId: 't1', weekday: 3, slotCode: 'S1' },
  ];

  it('leave out closed dates, and follow a change of week pattern inside the range', () => {
    const calendar: SchoolCalendar = {
      ...ARMISTICE,
      weekChanges: [{ from: '2026-11-16', week: NO_WEDNESDAY_AFTERNOON }],
    };
    const expected = expectedLessons(lessons, '2026-11-02', '2026-11-22', { slots: SLOTS, calendar });
    expect(expected.map((l) => `${l.date} ${l.slotCode}`)).toEqual([
      '2026-11-04 M1',
      '2026-11-04 S1',
      '2026-11-18 M1',
    ]);
  });
});
