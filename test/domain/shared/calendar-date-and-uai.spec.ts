import {
  isCalendarDate,
  isCalendarMonth,
  isUai,
  safeTextPattern,
  unsafeCharacterIn,
} from '../../../src/domain/shared';

describe('calendar dates', () => {
  it.each(['2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01'])('accepts %s', (date) =>
    expect(isCalendarDate(date)).toBe(true),
  );

  it.each([
    '2026-02-29',
    '2027-02-29',
    '1900-02-29',
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-1-01',
    '2026-01-00',
    ' 2026-01-01',
    '٢٠٢٦-01-01',
  ])('refuses %s', (date) => expect(isCalendarDate(date)).toBe(false));

  it('takes months as YYYY-MM', () => {
    expect([isCalendarMonth('2026-11'), isCalendarMonth('2026-13'), isCalendarMonth('2026-1')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});

describe('UAIs', () => {
  it('accepts seven digits and a capital letter, whatever the check letter', () => {
    expect([isUai('0670001A'), isUai('0670002B'), isUai('9999999Z')]).toEqual([true, true, true]);
  });

  it.each(['..', '*', 'not-a-uai', '0670001a', '067001A', '06700012', '0670001AB', ''])('refuses %s', (uai) =>
    expect(isUai(uai)).toBe(false),
  );
});

describe('the safe-text pattern given to clients', () => {
  it.each([
    ['Léa DUPONT-MOREAU', false],
    ['line\nbreak', false],
    ['tab\there', false],
    ['NUL\u0000', false],
    ['bidi\u202e', false],
    ['isolate\u2066', false],
    ['bom\ufeff', false],
  ])('agrees with unsafeCharacterIn on %j', (text, multiline) => {
    for (const options of [{ multiline }, { multiline: true }])
      expect(new RegExp(safeTextPattern(options), 'u').test(text)).toBe(
        unsafeCharacterIn(text, options) === undefined,
      );
  });
});
