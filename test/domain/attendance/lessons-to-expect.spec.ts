import { TimetableLesson, completenessWindow, lessonsToExpect } from '../../../src/domain/attendance';

const lesson = (classOrGroupId: string, slotCode = 'M1'): TimetableLesson => ({
  classOrGroupId,
  teacherId: 'T1',
  weekday: 1,
  slotCode,
});

describe('the weekly lessons a completeness range expects', () => {
  const declaredWeeks = [
    { classOrGroupId: '5A', effectiveFrom: '2026-11-16', lessons: [] },
    { classOrGroupId: '5A', effectiveFrom: '2026-12-01', lessons: [] },
    {
      classOrGroupId: '5B',
      effectiveFrom: '2026-09-01',
      lessons: [{ ...lesson('5B', 'S1'), from: '2026-09-01' }],
    },
  ];
  const expected = lessonsToExpect('2026-11-09', declaredWeeks, [lesson('5B'), lesson('5A'), lesson('4C')]);

  it('keeps the declared lessons, and drops the pattern of a class declared over the whole range', () =>
    expect(expected.declared).toEqual([
      { classOrGroupId: '5B', teacherId: 'T1', weekday: 1, slotCode: 'S1', from: '2026-09-01' },
    ]));

  it('bounds the pattern of a class to the day before its first declared week', () =>
    expect(expected.inferred).toEqual([
      { classOrGroupId: '5A', teacherId: 'T1', weekday: 1, slotCode: 'M1', until: '2026-11-15' },
      { classOrGroupId: '4C', teacherId: 'T1', weekday: 1, slotCode: 'M1' },
    ]));

  it('keeps an earlier end the pattern already had', () =>
    expect(
      lessonsToExpect('2026-11-09', declaredWeeks, [{ ...lesson('5A'), until: '2026-11-10' }]).inferred,
    ).toEqual([{ classOrGroupId: '5A', teacherId: 'T1', weekday: 1, slotCode: 'M1', until: '2026-11-10' }]));

  it('says which classes are declared and which are inferred', () => {
    expect(expected.declaredClasses).toEqual(['5A', '5B']);
    expect(expected.inferredClasses).toEqual(['4C', '5A']);
  });

  it('takes a declared week without lessons as declared: the class expects no roll call', () =>
    expect(
      lessonsToExpect(
        '2026-12-01',
        [{ classOrGroupId: '5A', effectiveFrom: '2026-12-01', lessons: [] }],
        [lesson('5A')],
      ),
    ).toEqual({ declared: [], inferred: [], declaredClasses: ['5A'], inferredClasses: [] }));
});

describe('the days a completeness report covers', () => {
  it('stops at today and reads the pattern from 28 days before the range', () =>
    expect(completenessWindow({ from: '2026-11-02', to: '2026-11-30' }, '2026-11-18')).toEqual({
      from: '2026-11-02',
      to: '2026-11-18',
      observedFrom: '2026-10-05',
    }));

  it('keeps a range that ended before today', () =>
    expect(completenessWindow({ from: '2027-03-01', to: '2027-03-07' }, '2027-06-01')).toEqual({
      from: '2027-03-01',
      to: '2027-03-07',
      observedFrom: '2027-02-01',
    }));
});
