import { TimetableLesson } from '../../../src/domain/attendance';
import { lessonsToExpect } from '../../../src/api/attendance/lessons-to-expect';
import { WeeklyLesson } from '../../../src/domain/structure/class-timetables';
import { ClassTimetableView } from '../../../src/projections/structure';

const lesson = (classOrGroupId: string, slotCode = 'M1'): TimetableLesson => ({
  classOrGroupId,
  teacherId: 'T1',
  weekday: 1,
  slotCode,
});

describe('the weekly lessons a completeness range expects', () => {
  const week = (
    classOrGroupId: string,
    effectiveFrom: string,
    until: string | null,
    lessons: WeeklyLesson[] = [],
  ): ClassTimetableView => ({
    classOrGroupId,
    kind: 'class',
    effectiveFrom,
    until,
    lessons,
    declared: { position: '1', at: '2026-08-31T08:00:00.000Z', by: 'principal-01' },
  });
  const declaredWeeks = [
    week('5A', '2026-11-16', '2026-11-30'),
    week('5A', '2026-12-01', null),
    week('5B', '2026-09-01', null, [{ weekday: 'monday', slotCode: 'S1', teacherId: 'T1' }]),
  ];
  const declared = [{ ...lesson('5B', 'S1'), from: '2026-09-01' }];
  const expected = lessonsToExpect('2026-11-09', declaredWeeks, [lesson('5B'), lesson('5A'), lesson('4C')]);

  it('keeps the declared lessons, and drops the pattern of a class declared over the whole range', () => {
    expect(expected.declared).toEqual(declared);
    expect(expected.inferred.some((l) => l.classOrGroupId === '5B')).toBe(false);
  });

  it('bounds the pattern of a class to the day before its first declared week', () => {
    expect(expected.inferred).toEqual([{ ...lesson('5A'), until: '2026-11-15' }, lesson('4C')]);
  });

  it('says which classes are declared and which are inferred', () => {
    expect(expected.declaredClasses).toEqual(['5A', '5B']);
    expect(expected.inferredClasses).toEqual(['4C', '5A']);
  });
});
