import fc from 'fast-check';
import { DomainError } from '../../../src/domain/shared/domain-error';
import {
  canonicalLessonHalfDays,
  DEFAULT_LESSON_HALF_DAYS,
  halfDaysByIsoWeekday,
  LessonHalfDays,
  WEEKDAY_NAMES,
} from '../../../src/domain/settings/lesson-half-days';
import { settingsInForce } from '../../../src/domain/settings/settings-events';
import { validSetting } from '../../../src/domain/settings/validation';
import { SchoolEvent, schoolDecider } from '../../../src/domain/structure/school';
import { deciderSpec } from '../../support/decider-spec';
import { SCHOOL, schoolCommand } from '../structure/structure-fixtures';

const spec = deciderSpec(schoolDecider);

const NO_WEDNESDAY_AFTERNOON: LessonHalfDays = { ...DEFAULT_LESSON_HALF_DAYS, wednesday: ['AM'] };

const change = (value: unknown, effectiveFrom = '2026-09-01') =>
  schoolCommand('ChangeSetting', { key: 'lessonHalfDays', value, effectiveFrom });
const changed = (value: LessonHalfDays, effectiveFrom = '2026-09-01'): SchoolEvent => ({
  type: 'SettingChanged',
  data: { schoolId: SCHOOL, key: 'lessonHalfDays', value, effectiveFrom },
});

const refusal = (value: unknown): DomainError => {
  try {
    validSetting('lessonHalfDays', value);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
};

describe('the lessonHalfDays setting', () => {
  it('is Monday to Friday, morning and afternoon, by default', () => {
    expect(settingsInForce([], '2026-09-01').lessonHalfDays).toEqual({
      monday: ['AM', 'PM'],
      tuesday: ['AM', 'PM'],
      wednesday: ['AM', 'PM'],
      thursday: ['AM', 'PM'],
      friday: ['AM', 'PM'],
      saturday: [],
      sunday: [],
    });
  });

  it('takes Wednesday afternoon off from a date', () => {
    spec
      .given()
      .when(change(NO_WEDNESDAY_AFTERNOON, '2027-01-04'))
      .then([changed(NO_WEDNESDAY_AFTERNOON, '2027-01-04')]);
    const events = [changed(NO_WEDNESDAY_AFTERNOON, '2027-01-04')];
    expect(settingsInForce(events, '2027-01-03').lessonHalfDays.wednesday).toEqual(['AM', 'PM']);
    expect(settingsInForce(events, '2027-01-04').lessonHalfDays.wednesday).toEqual(['AM']);
  });

  it('is stored in one order, so that the same week written otherwise records nothing', () => {
    const shuffled = {
      sunday: [],
      saturday: [],
      friday: ['PM', 'AM'],
      thursday: ['AM', 'PM'],
      wednesday: ['AM'],
      tuesday: ['PM', 'AM'],
      monday: ['AM', 'PM'],
    };
    spec
      .given()
      .when(change(shuffled))
      .then([changed(NO_WEDNESDAY_AFTERNOON)]);
    spec.given(changed(NO_WEDNESDAY_AFTERNOON)).when(change(shuffled)).then([]);
    spec.given().when(change(DEFAULT_LESSON_HALF_DAYS)).then([]);
  });

  it('needs all seven weekdays, naming the one missing', () => {
    const { friday: _friday, ...withoutFriday } = DEFAULT_LESSON_HALF_DAYS;
    expect(refusal(withoutFriday)).toMatchObject({
      code: 'SETTINGS.VALUE_INVALID',
      details: { field: 'value.friday', key: 'lessonHalfDays' },
    });
  });

  it("refuses half-days other than 'AM' and 'PM', and one given twice", () => {
    expect(refusal({ ...DEFAULT_LESSON_HALF_DAYS, wednesday: ['AM', 'pm'] }).details.field).toBe(
      'value.wednesday',
    );
    expect(refusal({ ...DEFAULT_LESSON_HALF_DAYS, saturday: ['AM', 'AM'] }).details.field).toBe(
      'value.saturday',
    );
    expect(refusal({ ...DEFAULT_LESSON_HALF_DAYS, sunday: 'AM' }).details.field).toBe('value.sunday');
  });

  it('refuses a key that is not a weekday, a week without lessons, and what is not an object', () => {
    expect(refusal({ ...DEFAULT_LESSON_HALF_DAYS, mercredi: ['AM'] }).details.field).toBe('value.mercredi');
    const noLessons = Object.fromEntries(WEEKDAY_NAMES.map((day) => [day, []]));
    expect(refusal(noLessons)).toMatchObject({ code: 'SETTINGS.VALUE_INVALID', details: { field: 'value' } });
    expect(refusal(['AM', 'PM']).details.field).toBe('value');
    expect(refusal(null).details.field).toBe('value');
  });

  it('is refused by the decider with the same code, writing nothing', () =>
    spec
      .given()
      .when(change({ monday: ['AM'] }))
      .thenThrows('SETTINGS.VALUE_INVALID'));

  it('reads by ISO weekday the way attendance does: Monday is 1, Sunday 7', () => {
    expect(halfDaysByIsoWeekday(NO_WEDNESDAY_AFTERNOON)).toEqual({
      1: ['AM', 'PM'],
      2: ['AM', 'PM'],
      3: ['AM'],
      4: ['AM', 'PM'],
      5: ['AM', 'PM'],
      6: [],
      7: [],
    });
  });

  it('keeps every valid week as it means, whatever order it is written in (property)', () => {
    const halfDays = fc.shuffledSubarray<'AM' | 'PM'>(['AM', 'PM']);
    const week = fc.record(
      Object.fromEntries(WEEKDAY_NAMES.map((day) => [day, halfDays])) as Record<
        (typeof WEEKDAY_NAMES)[number],
        typeof halfDays
      >,
    );
    fc.assert(
      fc.property(week, (value) => {
        const hasLessons = WEEKDAY_NAMES.some((day) => value[day].length > 0);
        if (!hasLessons) return;
        const { value: stored } = validSetting('lessonHalfDays', value);
        const canonical = stored as LessonHalfDays;
        expect(Object.keys(canonical)).toEqual([...WEEKDAY_NAMES]);
        for (const day of WEEKDAY_NAMES) {
          expect([...canonical[day]].sort()).toEqual([...value[day]].sort());
          expect(canonical[day]).toEqual(['AM', 'PM'].filter((h) => value[day].includes(h as 'AM')));
        }
        expect(canonicalLessonHalfDays(canonical)).toEqual(canonical);
      }),
    );
  });
});
