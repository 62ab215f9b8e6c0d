/**
 * The coefficient of each subject in the general average, by class level ('3e') or by class
 * ('3A', an override of its level): `{ '3e': { MATHS: 4 }, '3A': { MATHS: 3 } }`. A subject
 * not named counts with coefficient 1; 0 shows the subject but leaves it out of the general average.
 */
export type SubjectCoefficientsSetting = Readonly<Record<string, Readonly<Record<string, number>>>>;

export const MAX_SUBJECT_COEFFICIENT = 20;
/** At most this many levels or classes, and this many subjects under each. */
export const MAX_SUBJECT_COEFFICIENT_KEYS = 100;

// The same rule as a class or subject code (checkCode in structure/school-part.ts), so that every
// class and subject the school has can be named here: 1 to 40 characters, no slash, no control
// character, no surrounding spaces.
const CODE = /^[^/\\]{1,40}$/;
const isCodeKey = (key: string): boolean =>
  CODE.test(key) && key.trim() === key && ![...key].some((c) => c.charCodeAt(0) < 0x20);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const KEY_RULE = 'is not a level, class or subject code: 1 to 40 characters, no slash, no surrounding spaces';

/** What is wrong with a subjectCoefficients value and where (`.3e.MATHS`); undefined when it is right. */
export const subjectCoefficientsProblem = (value: unknown): { path: string; message: string } | undefined => {
  if (!isPlainObject(value))
    return { path: '', message: "must be an object of levels or classes, e.g. { '3e': { MATHS: 4 } }" };
  const outer = Object.keys(value);
  if (outer.length > MAX_SUBJECT_COEFFICIENT_KEYS)
    return { path: '', message: `names at most ${MAX_SUBJECT_COEFFICIENT_KEYS} levels or classes` };
  for (const levelOrClass of outer) {
    const path = `.${levelOrClass}`;
    if (!isCodeKey(levelOrClass)) return { path, message: KEY_RULE };
    const bySubject = value[levelOrClass];
    if (!isPlainObject(bySubject))
      return { path, message: 'must be an object of subjects and coefficients, e.g. { MATHS: 4 }' };
    const subjects = Object.keys(bySubject);
    if (subjects.length > MAX_SUBJECT_COEFFICIENT_KEYS)
      return { path, message: `names at most ${MAX_SUBJECT_COEFFICIENT_KEYS} subjects` };
    for (const subjectId of subjects) {
      if (!isCodeKey(subjectId)) return { path: `${path}.${subjectId}`, message: KEY_RULE };
      const coefficient = bySubject[subjectId];
      if (
        typeof coefficient !== 'number' ||
        !Number.isInteger(coefficient) ||
        coefficient < 0 ||
        coefficient > MAX_SUBJECT_COEFFICIENT
      )
        return {
          path: `${path}.${subjectId}`,
          message: `must be a whole number from 0 to ${MAX_SUBJECT_COEFFICIENT} (0: not counted in the general average)`,
        };
    }
  }
  return undefined;
};

const byKey = <V>([a]: [string, V], [b]: [string, V]): number => (a < b ? -1 : a > b ? 1 : 0);

/** Keys sorted at both depths, so that the same coefficients written in another order compare equal as JSON. */
export const canonicalSubjectCoefficients = (value: SubjectCoefficientsSetting): SubjectCoefficientsSetting =>
  Object.fromEntries(
    Object.entries(value)
      .sort(byKey)
      .map(([key, bySubject]) => [key, Object.fromEntries(Object.entries(bySubject).sort(byKey))]),
  );
