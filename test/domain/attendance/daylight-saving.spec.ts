import { rollCallDecider, totalsByMonth } from '../../../src/domain/attendance';
import {
  AttendanceBook,
  acceptJustification,
  receiveJustification,
  reportAbsence,
  rollCallTaken,
  takeRollCall,
} from '../../support/attendance-fixtures';
import { deciderSpec } from '../../support/decider-spec';
import { DEFAULT_SCHOOL_WEEK } from '../../../src/domain/shared/school-defaults';
import { addDays, datesBetween, parisWallClock, weekdayOf } from '../../../src/domain/shared/calendar';

// Paris changes time on these Sundays: 2026-10-25 (03:00 CEST → 02:00 CET) and 2027-03-28 (02:00 CET → 03:00 CEST).
const AUTUMN = '2026-10-25';
const SPRING = '2027-03-28';
/** A boarding school with Sunday-evening study, so that roll calls happen on the days the clocks change. */
const withSundays = { calendar: { week: { ...DEFAULT_SCHOOL_WEEK, 7: ['AM', 'PM'] as const } } };

// The process runs in Paris time here, so that any accidental use of local time would shift a date.
const processZone = process.env.TZ;
beforeAll(() => (process.env.TZ = 'Europe/Paris'));
afterAll(() => (processZone === undefined ? delete process.env.TZ : (process.env.TZ = processZone)));

describe('daylight-saving days', () => {
  it('reads the business date and time of an instant in Paris on both sides of each change', () => {
    expect(parisWallClock('2026-10-24T22:30:00Z')).toEqual({ date: AUTUMN, time: '00:30' });
    expect(parisWallClock('2026-10-25T00:30:00Z')).toEqual({ date: AUTUMN, time: '02:30' });
    expect(parisWallClock('2026-10-25T01:30:00Z')).toEqual({ date: AUTUMN, time: '02:30' });
    expect(parisWallClock('2026-10-25T22:59:00Z')).toEqual({ date: AUTUMN, time: '23:59' });
    expect(parisWallClock('2026-10-25T23:00:00Z')).toEqual({ date: '2026-10-26', time: '00:00' });
    expect(parisWallClock('2027-03-27T23:30:00Z')).toEqual({ date: SPRING, time: '00:30' });
    expect(parisWallClock('2027-03-28T00:59:00Z')).toEqual({ date: SPRING, time: '01:59' });
    expect(parisWallClock('2027-03-28T01:00:00Z')).toEqual({ date: SPRING, time: '03:00' });
    expect(parisWallClock('2027-03-28T21:59:00Z')).toEqual({ date: SPRING, time: '23:59' });
  });

  it('steps over the 25-hour and the 23-hour day one date at a time', () => {
    expect(addDays('2026-10-24', 1)).toBe(AUTUMN);
    expect(addDays(AUTUMN, 1)).toBe('2026-10-26');
    expect(addDays('2027-03-27', 1)).toBe(SPRING);
    expect(addDays(SPRING, 1)).toBe('2027-03-29');
    expect(datesBetween('2026-10-24', '2026-10-26')).toEqual(['2026-10-24', AUTUMN, '2026-10-26']);
    expect(datesBetween('2027-03-27', '2027-03-29')).toEqual(['2027-03-27', SPRING, '2027-03-29']);
    expect([weekdayOf(AUTUMN), weekdayOf(SPRING)]).toEqual([7, 7]);
  });

  it('keeps the date, the slot and its half-day of a roll call taken on either day as they were sent', () => {
    for (const date of [AUTUMN, SPRING]) {
      const today = parisWallClock(date === AUTUMN ? '2026-10-24T22:30:00Z' : '2027-03-27T23:30:00Z').date;
      deciderSpec(rollCallDecider)
        .given()
        .when(takeRollCall({ date, slotCode: 'M1', absent: ['s01'], context: { today, ...withSundays } }))
        // M1 is 08:00-08:55 in the fixtures' timetable, on a 23- or 25-hour day alike.
        .then([rollCallTaken({ date, slotCode: 'M1', halfDay: 'AM', absent: ['s01'] })]);
    }
  });

  it('counts absences on those days in their own month, with lessons of their wall-clock length', () => {
    const book = new AttendanceBook();
    for (const date of [AUTUMN, SPRING]) {
      book.rollCall(
        takeRollCall({ date, slotCode: 'M1', absent: ['s01'], context: { today: date, ...withSundays } }),
      );
      book.rollCall(
        takeRollCall({ date, slotCode: 'S1', absent: ['s01'], context: { today: date, ...withSundays } }),
      );
    }
    const months = totalsByMonth(book.count('s01'));
    expect(months['2026-10']).toMatchObject({ halfDaysAbsent: 2, missedMinutes: 110 });
    expect(months['2027-03']).toMatchObject({ halfDaysAbsent: 2, missedMinutes: 110 });
  });

  it('justifies across the change of time a range that spans it', () => {
    const book = new AttendanceBook();
    book.rollCall(
      takeRollCall({
        date: AUTUMN,
        slotCode: 'S1',
        absent: ['s01'],
        context: { today: AUTUMN, ...withSundays },
      }),
    );
    book.student(
      receiveJustification({
        from: { date: '2026-10-24', halfDay: 'PM' },
        to: { date: '2026-10-26', halfDay: 'AM' },
      }),
    );
    book.student(acceptJustification());
    expect(book.count('s01')).toEqual([
      expect.objectContaining({ date: AUTUMN, halfDay: 'PM', justified: true }),
    ]);
  });

  it('covers the school days on each side of the change and none in between with the usual week', () => {
    const book = new AttendanceBook();
    const [event] = book.student(
      reportAbsence({
        from: { date: '2027-03-26' },
        to: { date: '2027-03-29' },
        context: { today: '2027-03-25' },
      }),
    );
    const dates = new Set('slots' in event.data ? event.data.slots.map((s) => s.date) : []);
    expect([...dates]).toEqual(['2027-03-26', '2027-03-29']);
  });
});
