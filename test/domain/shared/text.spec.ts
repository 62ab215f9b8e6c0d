import { csvCell, csvRow, describeUnsafeCharacter, unsafeCharacterIn } from '../../../src/domain/shared';

describe('unsafe characters in stored text', () => {
  it.each([
    ['NUL', 'Lé\u0000a', { index: 2, codePoint: 'U+0000' }],
    ['a right-to-left override', 'Mar\u202etin', { index: 3, codePoint: 'U+202E' }],
    ['a first-strong isolate', '\u2068x', { index: 0, codePoint: 'U+2068' }],
    ['a C1 control', 'a\u0085b', { index: 1, codePoint: 'U+0085' }],
    ['a line feed in a name', 'Lé\na', { index: 2, codePoint: 'U+000A' }],
    ['DEL', 'x\u007f', { index: 1, codePoint: 'U+007F' }],
  ])('finds %s', (_, text, expected) => expect(unsafeCharacterIn(text)).toEqual(expected));

  it.each(['Léa DUPONT-MOREAU', "N'Diaye", 'Zoë Ørsted', 'محمد', '李'])('accepts %s', (text) =>
    expect(unsafeCharacterIn(text)).toBeUndefined(),
  );

  it('allows line breaks and tabs only in multi-line text', () => {
    expect(unsafeCharacterIn('rendez-vous\r\n\tmédecin', { multiline: true })).toBeUndefined();
    expect(unsafeCharacterIn('a\u0000b', { multiline: true })).toEqual({ index: 1, codePoint: 'U+0000' });
  });

  it('says which character and where', () =>
    expect(describeUnsafeCharacter({ index: 3, codePoint: 'U+202E' })).toBe(
      'must not contain control characters or bidirectional overrides (U+202E at 3)',
    ));
});

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+33 6', "'+33 6"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['DUPONT; Léa', '"DUPONT; Léa"'],
    ['Léa', 'Léa'],
  ])('writes %s as %s', (value, cell) => expect(csvCell(value)).toBe(cell));

  it('writes numbers, booleans and missing values as they are', () =>
    expect(csvRow([-2, true, null, undefined, 'x'])).toBe('-2;true;;;x'));
});
