import { asciiDigits } from '../../src/api/docs/validation-rules';

describe('patterns written for other regular-expression engines', () => {
  it.each([
    ['^\\d{1,19}$', '^[0-9]{1,19}$'],
    ['^([01]\\d|2[0-3]):[0-5]\\d$', '^([01][0-9]|2[0-3]):[0-5][0-9]$'],
    ['^[\\d.-]+$', '^[0-9.-]+$'],
    ['^\\\\d\\.[A-Z]$', '^\\\\d\\.[A-Z]$'],
    ['^[\\]\\d]$', '^[\\]0-9]$'],
  ])('spells %s as %s', (source, spelled) => {
    expect(asciiDigits(source)).toBe(spelled);
  });
});
