import { DEFAULT_COUNTING_SETTINGS } from '../../../src/domain/attendance';
import {
  DEFAULT_LESSON_HALF_DAYS,
  halfDaysByIsoWeekday,
} from '../../../src/domain/settings/lesson-half-days';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings/settings';
import { DEFAULT_SCHOOL_WEEK, halfDayOf } from '../../../src/domain/shared/school-defaults';

describe('the school defaults', () => {
  it('are the same for the settings a school may change and for the attendance decisions', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      halfDayBoundary: '11:55',
      countingMode: 'gross',
      absenteeismThreshold: 4,
      persistentAbsenteeismThreshold: 10,
    });
    expect(DEFAULT_COUNTING_SETTINGS).toEqual({ mode: 'gross', thresholds: { monthly: 4, persistent: 10 } });
  });

  it('write the same week by ISO weekday and by weekday name', () =>
    expect(halfDaysByIsoWeekday(DEFAULT_LESSON_HALF_DAYS)).toEqual({ ...DEFAULT_SCHOOL_WEEK, 6: [], 7: [] }));

  it('put a slot starting before 11:55 in the morning unless the school moves the boundary', () => {
    expect([halfDayOf('11:00'), halfDayOf('11:55'), halfDayOf('13:30')]).toEqual(['AM', 'PM', 'PM']);
    expect(halfDayOf('12:00', '12:30')).toBe('AM');
  });
});
