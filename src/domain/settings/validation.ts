import { invalid } from '../shared/domain-error';
import { unsafeCharacterIn } from '../shared/text';
import { canonicalLessonHalfDays, LessonHalfDays, lessonHalfDaysProblem } from './lesson-half-days';
import {
  canonicalSubjectCoefficients,
  SubjectCoefficientsSetting,
  subjectCoefficientsProblem,
} from './subject-coefficients';
import { DEFAULT_SETTINGS, Reason, ROUNDING_STEPS, SettingKey, SettingValue } from './settings';
import { isWallClockTime } from '../shared/calendar';

const REASON_CODE = /^[A-Z0-9_]{1,32}$/;

const isIntegerBetween = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

const oneOf =
  <T extends string>(...allowed: T[]) =>
  (value: unknown): value is T =>
    typeof value === 'string' && (allowed as string[]).includes(value);

type Rule = {
  /** What the setting accepts, said in words for the error message. */
  readonly accepts: string;
  readonly check: (value: unknown) => boolean;
  /** For values with parts: which part is wrong (a path under `value`) and what it must be, as a phrase. */
  readonly problem?: (value: unknown) => { readonly path: string; readonly message: string } | undefined;
  /** The one way a valid value is stored, so that a resend written differently records nothing. */
  readonly canonical?: (value: never) => unknown;
};

const RULES: { readonly [K in SettingKey]: Rule } = {
  schoolName: {
    accepts:
      'a name of 1 to 120 characters, not only spaces, without control characters or bidirectional overrides',
    check: (v) =>
      typeof v === 'string' && v.trim().length > 0 && v.length <= 120 && unsafeCharacterIn(v) === undefined,
    canonical: (v: string) => v.trim(),
  },
  halfDayBoundary: { accepts: 'a time HH:MM', check: isWallClockTime },
  countingMode: { accepts: "'gross' or 'full'", check: oneOf('gross', 'full') },
  absenteeismThreshold: {
    accepts: 'a whole number of half-days from 1 to 62',
    check: (v) => isIntegerBetween(v, 1, 62),
  },
  persistentAbsenteeismThreshold: {
    accepts: 'a whole number of half-days from 1 to 62',
    check: (v) => isIntegerBetween(v, 1, 62),
  },
  gradeRounding: {
    accepts: `{ mode: 'nearest' | 'up', step: ${ROUNDING_STEPS.join(' | ')} }`,
    check: (v) =>
      typeof v === 'object' &&
      v !== null &&
      oneOf('nearest', 'up')((v as { mode?: unknown }).mode) &&
      (ROUNDING_STEPS as readonly unknown[]).includes((v as { step?: unknown }).step),
  },
  councilMentions: {
    accepts:
      'a list of distinct, non-empty labels of at most 60 characters, without control characters or bidirectional overrides',
    check: (v) =>
      Array.isArray(v) &&
      v.every(
        (m) =>
          typeof m === 'string' &&
          m.trim().length > 0 &&
          m.length <= 60 &&
          unsafeCharacterIn(m) === undefined,
      ) &&
      new Set(v).size === v.length,
  },
  lateArrivalAbsenceMinutes: {
    accepts: 'a whole number of minutes from 0 to 240',
    check: (v) => isIntegerBetween(v, 0, 240),
  },
  rollCallDaysAhead: {
    accepts: 'a whole number of days from 0 to 30',
    check: (v) => isIntegerBetween(v, 0, 30),
  },
  announcedAbsenceDaysAhead: {
    accepts: 'a whole number of days from 0 to 366',
    check: (v) => isIntegerBetween(v, 0, 366),
  },
  justificationDeadlineDays: {
    accepts: 'a whole number of days from 0 to 60',
    check: (v) => isIntegerBetween(v, 0, 60),
  },
  averageConvention: {
    accepts: "'brought-to-twenty' or 'weighted-by-scale'",
    check: oneOf('brought-to-twenty', 'weighted-by-scale'),
  },
  positioningSuggestion: {
    accepts: "'all', 'last-5', 'best-5' or 'recent-weighted'",
    check: oneOf('all', 'last-5', 'best-5', 'recent-weighted'),
  },
  competencyPoints: {
    accepts: 'four increasing whole numbers of points for levels 1 to 4',
    check: (v) =>
      Array.isArray(v) &&
      v.length === 4 &&
      v.every((p) => isIntegerBetween(p, 0, 1000)) &&
      v.every((p, i) => i === 0 || p > v[i - 1]),
  },
  lessonHalfDays: {
    accepts:
      "an object giving each weekday (monday … sunday) its half-days of lessons, e.g. wednesday: ['AM']",
    check: (v) => lessonHalfDaysProblem(v) === undefined,
    problem: lessonHalfDaysProblem,
    canonical: (v: LessonHalfDays) => canonicalLessonHalfDays(v),
  },
  subjectCoefficients: {
    accepts:
      "an object giving class levels ('3e') or classes ('3A') their subjects' coefficients, whole numbers from 0 to 20, e.g. { '3e': { MATHS: 4 } }",
    check: (v) => subjectCoefficientsProblem(v) === undefined,
    problem: subjectCoefficientsProblem,
    canonical: (v: SubjectCoefficientsSetting) => canonicalSubjectCoefficients(v),
  },
};

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS).filter((key) => key in RULES) as SettingKey[];

export const isSettingKey = (key: unknown): key is SettingKey => typeof key === 'string' && key in RULES;

/** Checks a `{ key, value }` pair coming from outside and returns it typed. */
export const validSetting = (key: unknown, value: unknown): SettingValue => {
  if (!isSettingKey(key))
    throw invalid(
      'SETTINGS.UNKNOWN_SETTING',
      `unknown setting ${String(key)}; known: ${SETTING_KEYS.join(', ')}`,
      {
        field: 'key',
      },
    );
  const rule = RULES[key];
  if (!rule.check(value)) {
    const problem = rule.problem?.(value);
    const message = problem ? `${key}${problem.path} ${problem.message}` : `${key} must be ${rule.accepts}`;
    throw invalid('SETTINGS.VALUE_INVALID', message, { field: `value${problem?.path ?? ''}`, key });
  }
  return { key, value: rule.canonical ? rule.canonical(value as never) : value } as SettingValue;
};

/** What is wrong with a setting's value, in words; undefined when it is valid. */
export const settingProblem = (key: SettingKey, value: unknown): string | undefined => {
  try {
    validSetting(key, value);
    return undefined;
  } catch (error) {
    if (error instanceof Error) return error.message;
    throw error;
  }
};

export const validateReason = (reason: Reason): void => {
  if (typeof reason.code !== 'string' || !REASON_CODE.test(reason.code))
    throw invalid('SETTINGS.REASON_CODE_INVALID', 'a reason code is 1 to 32 capital letters, digits or _', {
      field: 'reason.code',
    });
  if (typeof reason.label !== 'string' || reason.label.trim() === '' || reason.label.length > 120)
    throw invalid(
      'SETTINGS.REASON_LABEL_INVALID',
      `reason ${reason.code} needs a label of at most 120 characters`,
      {
        field: 'reason.label',
      },
    );
  for (const flag of ['legitimate', 'countsAsAbsence', 'schoolResponsibility'] as const)
    if (typeof reason[flag] !== 'boolean')
      throw invalid('SETTINGS.REASON_FLAG_INVALID', `reason ${reason.code}: ${flag} must be true or false`, {
        field: `reason.${flag}`,
      });
  if (reason.schoolResponsibility && reason.countsAsAbsence)
    throw invalid(
      'SETTINGS.REASON_FLAGS_CONFLICT',
      `reason ${reason.code} is under the school's responsibility, so it cannot count as an absence`,
      { field: 'reason.countsAsAbsence' },
    );
};
