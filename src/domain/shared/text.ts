/**
 * Characters no name, reason or label may hold: C0 and C1 controls (NUL included; tab, line feed
 * and carriage return are allowed only where text may span lines), and the Unicode bidirectional
 * overrides and isolates that make a string display differently from what it stores
 * (CVE-2021-42574, "Trojan Source").
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const UNSAFE_MULTI_LINE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

/**
 * A pattern only safe text matches, for a schema that tells clients the rule (the two regular
 * expressions above, negated and anchored).
 */
export const safeTextPattern = (options: { readonly multiline?: boolean } = {}): string =>
  `^[^${(options.multiline ? UNSAFE_MULTI_LINE : UNSAFE_SINGLE_LINE).source.slice(1, -1)}]*$`;

export type UnsafeCharacter = { readonly index: number; readonly codePoint: string };

const codePointOf = (character: string): string =>
  `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The first character a stored text must not hold, or undefined when the text is safe. */
export const unsafeCharacterIn = (
  text: string,
  options: { readonly multiline?: boolean } = {},
): UnsafeCharacter | undefined => {
  const match = (options.multiline ? UNSAFE_MULTI_LINE : UNSAFE_SINGLE_LINE).exec(text);
  return match === null ? undefined : { index: match.index, codePoint: codePointOf(match[0]) };
};

/** "must not contain control characters or bidirectional overrides (U+202E at 3)" */
export const describeUnsafeCharacter = (found: UnsafeCharacter): string =>
  `must not contain control characters or bidirectional overrides (${found.codePoint} at ${found.index})`;
