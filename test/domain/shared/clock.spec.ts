import { fixedClock, todayInParis } from '../../../src/domain/shared/clock';

describe('todayInParis', () => {
  it.each([
    ['2026-11-20T08:00:00Z', '2026-11-20'],
    ['2026-11-20T23:30:00Z', '2026-11-21'],
    ['2026-10-24T22:30:00Z', '2026-10-25'],
    ['2027-03-27T23:30:00Z', '2027-03-28'],
    ['2027-08-14T22:30:00Z', '2027-08-15'],
    ['2028-02-28T23:30:00Z', '2028-02-29'],
  ])('at %s is %s in Paris, from a clock or an instant', (instant, day) => {
    expect(todayInParis(fixedClock(instant))).toBe(day);
    expect(todayInParis(new Date(instant))).toBe(day);
  });
});

describe('fixedClock', () => {
  it('answers the same instant every time, and a copy that a caller cannot move', () => {
    const clock = fixedClock('2026-11-20T09:00:00+01:00');
    clock.now().setFullYear(2030);
    expect(clock.now().toISOString()).toBe('2026-11-20T08:00:00.000Z');
  });

  it('refuses what is not an instant', () => {
    expect(() => fixedClock('2026-11-31T25:00')).toThrow(RangeError);
  });
});
