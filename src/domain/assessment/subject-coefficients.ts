import { ScalarSettings } from '../settings/settings';

/**
 * Which coefficient each subject has in a class's general average, from the school's
 * `subjectCoefficients` setting: the class level's coefficients, overridden by the class's own.
 */

export type ClassLevel = '6e' | '5e' | '4e' | '3e' | '2nde' | '1re' | 'Tle';
export const CLASS_LEVELS: readonly ClassLevel[] = ['6e', '5e', '4e', '3e', '2nde', '1re', 'Tle'];

const COLLEGE_LEVELS: Readonly<Record<string, ClassLevel>> = { '6': '6e', '5': '5e', '4': '4e', '3': '3e' };

/**
 * The level of a class from its usual French code, read from its first characters, case ignored:
 * - a leading 6, 5, 4 or 3 is that collège level ('3A', '6EME2' → '6e', '3e');
 * - a leading 2 is seconde ('2NDE1', '2A' → '2nde'), a leading 1 is première ('1G3', '1STMG' → '1re');
 * - a leading T followed by anything but a letter, or by LE or G (TLE, TG2, TSTMG…: T then a
 *   series), is terminale ('T1', 'TLE2', 'TG2', 'TSTMG' → 'Tle').
 * Anything else ('ULIS', 'SEGPA', '' …) has no level: undefined, and only class-specific
 * coefficients apply to it. A class whose code does not follow this can always be given its own.
 */
export const classLevelOf = (classId: string): ClassLevel | undefined => {
  const code = classId.trim().toUpperCase();
  const first = code.charAt(0);
  if (first in COLLEGE_LEVELS) return COLLEGE_LEVELS[first];
  if (first === '2') return '2nde';
  if (first === '1') return '1re';
  if (first === 'T') {
    const rest = code.slice(1);
    if (rest === '' || !/^[A-Z]/.test(rest) || /^(LE|G|STMG|STI2D|STL|ST2S|STD2A|STHR|STAV|S2TMD)/.test(rest))
      return 'Tle';
  }
  return undefined;
};

/**
 * The coefficients of the class: its level's map overlaid with the class's own (the class wins).
 * Subjects named in neither count with 1 (`subjectCoefficientOf` in averages.ts reads it so).
 */
export const subjectCoefficientsFor = (
  settings: Pick<ScalarSettings, 'subjectCoefficients'>,
  classId: string,
): Record<string, number> => {
  const level = classLevelOf(classId);
  const own = (key: string | undefined) =>
    key !== undefined && Object.hasOwn(settings.subjectCoefficients, key)
      ? Object.entries(settings.subjectCoefficients[key])
      : [];
  return Object.fromEntries([...own(level), ...own(classId)]);
};
