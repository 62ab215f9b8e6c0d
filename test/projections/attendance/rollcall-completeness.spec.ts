import { TimetableLesson, expectedLessons } from '../../../src/domain/attendance';
import { rollCallCompleteness } from '../../../src/projections/attendance';
import {
  AttendanceHarness,
  CPE,
  OTHER_TEACHER,
  SCHOOL,
  SLOTS,
  TEACHER,
  attendanceHarness,
  takeRollCall,
  voidRollCall,
} from '../../support/attendance-fixtures';

const WEEK = { from: '2026-11-16', to: '2026-11-22' };
const timetable: TimetableLesson[] = [
  { classOrGroupId: '5B', teacherId: TEACHER.id, weekday: 1, slotCode: 'M1' },
  { classOrGroupId: '5B', teacherId: TEACHER.id, weekday: 2, slotCode: 'M1' },
  { classOrGroupId: '5B', teacherId: OTHER_TEACHER.id, weekday: 1, slotCode: 'S1' },
  { classOrGroupId: 'latin', teacherId: OTHER_TEACHER.id, weekday: 3, slotCode: 'S4', from: '2026-11-18' },
];

describe('expected lessons', () => {
  it('come from the weekly timetable on the days the calendar opens, within each lesson’s dates', () => {
    expect(
      expectedLessons(timetable, WEEK.from, WEEK.to, {
        slots: SLOTS,
        calendar: { closedDates: new Set(['2026-11-17']) },
      }),
    ).toEqual([
      { classOrGroupId: '5B', teacherId: TEACHER.id, date: '2026-11-16', slotCode: 'M1' },
      { classOrGroupId: '5B', teacherId: OTHER_TEACHER.id, date: '2026-11-16', slotCode: 'S1' },
      { classOrGroupId: 'latin', teacherId: OTHER_TEACHER.id, date: '2026-11-18', slotCode: 'S4' },
    ]);
  });
});

describe('roll-call completeness', () => {
  let h: AttendanceHarness;
  beforeEach(async () => (h = await attendanceHarness()));
  afterEach(() => h.close());

  it('lists the lessons without a roll call per teacher and per class, a voided one included', async () => {
    await h.rollCall(takeRollCall({ date: '2026-11-16', slotCode: 'M1', absent: ['s01'] }));
    await h.rollCall(takeRollCall({ date: '2026-11-16', slotCode: 'S1', actor: CPE }));
    await h.rollCall(voidRollCall({ reason: 'it was the M2 lesson' }), {
      classOrGroupId: '5B',
      date: '2026-11-16',
      slotCode: 'S1',
    });
    await h.rollCall(takeRollCall({ date: '2026-11-16', slotCode: 'M3' }));
    await h.catchUp();
    const expected = expectedLessons(timetable, WEEK.from, WEEK.to, { slots: SLOTS });
    const report = rollCallCompleteness(h.db, h.completenessTables, { schoolId: SCHOOL, ...WEEK, expected });
    expect(report.expected).toBe(4);
    expect(report.taken).toBe(1);
    expect(report.missing).toEqual([
      { classOrGroupId: '5B', teacherId: OTHER_TEACHER.id, date: '2026-11-16', slotCode: 'S1', voided: true },
      { classOrGroupId: '5B', teacherId: TEACHER.id, date: '2026-11-17', slotCode: 'M1', voided: false },
      {
        classOrGroupId: 'latin',
        teacherId: OTHER_TEACHER.id,
        date: '2026-11-18',
        slotCode: 'S4',
        voided: false,
      },
    ]);
    expect(report.byTeacher).toEqual({
      [TEACHER.id]: { expected: 2, taken: 1, missing: 1 },
      [OTHER_TEACHER.id]: { expected: 2, taken: 0, missing: 2 },
    });
    expect(report.byClass['5B']).toEqual({ expected: 3, taken: 1, missing: 2 });
    expect(report.unexpected).toEqual([
      { classOrGroupId: '5B', date: '2026-11-16', slotCode: 'M3', takenBy: TEACHER.id },
    ]);
  });
});
