import { TakenRollCall, weeklyLessonsOf } from '../../../src/domain/attendance';

const taken = (date: string, takenBy = 'T1', slotCode = 'M1', classOrGroupId = '5A'): TakenRollCall => ({
  classOrGroupId,
  date,
  slotCode,
  takenBy,
});

describe('the weekly lessons the roll calls taken show', () => {
  it('makes a lesson of a weekday and slot called in two different weeks', () =>
    expect(weeklyLessonsOf([taken('2026-11-02'), taken('2026-11-09')])).toEqual([
      { classOrGroupId: '5A', weekday: 1, slotCode: 'M1', teacherId: 'T1' },
    ]));

  it('makes none of a one-off, nor of two calls in the same week', () =>
    expect(
      weeklyLessonsOf([taken('2026-11-02'), taken('2026-11-02', 'T1', 'M1'), taken('2026-11-03')]),
    ).toEqual([]));

  it('counts a week from Monday: a Sunday and the next Monday are two weeks, not one', () =>
    expect(
      weeklyLessonsOf([taken('2026-11-08', 'T1', 'S1'), taken('2026-11-15', 'T1', 'S1')]).map(
        (l) => l.weekday,
      ),
    ).toEqual([7]));

  it('gives the lesson to whoever called it most often, the first by id on a tie', () => {
    expect(
      weeklyLessonsOf([taken('2026-11-02', 'T2'), taken('2026-11-09', 'T1'), taken('2026-11-16', 'T2')]),
    ).toEqual([{ classOrGroupId: '5A', weekday: 1, slotCode: 'M1', teacherId: 'T2' }]);
    expect(weeklyLessonsOf([taken('2026-11-02', 'T2'), taken('2026-11-09', 'T1')])).toEqual([
      { classOrGroupId: '5A', weekday: 1, slotCode: 'M1', teacherId: 'T1' },
    ]);
  });

  it('keeps the classes, weekdays and slots apart', () =>
    expect(
      weeklyLessonsOf([
        taken('2026-11-02', 'T1', 'M1', '5A'),
        taken('2026-11-09', 'T1', 'M1', '5B'),
        taken('2026-11-03', 'T1', 'M1', '5A'),
        taken('2026-11-10', 'T1', 'M2', '5A'),
      ]),
    ).toEqual([]));
});
