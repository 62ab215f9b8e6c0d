import { AverageConvention, DEFAULT_SETTINGS } from '../settings/settings';
import { sortedUnique, sortInPlace } from '../shared/sorting';
import { GradeValue, gradeIdOf, isMarker } from './grade-values';

/**
 * Averages as DOMAIN.md ("Grades") defines them. Every figure is unrounded (rounding is for display,
 * `roundForDisplay`) and carries the grades and assessments behind it, so that a view can explain
 * itself. The sums run in a canonical order (by assessment, by student), so that a figure never
 * depends on the order in which grades and corrections arrived, not even in its last bit.
 */

/**
 * The school's `averageConvention` setting:
 * `brought-to-twenty`: Σ(coef × grade/outOf × 20) / Σ coef — the default;
 * `weighted-by-scale`: Σ(coef × grade) / Σ(coef × outOf) × 20.
 */
export const DEFAULT_AVERAGE_CONVENTION: AverageConvention = DEFAULT_SETTINGS.averageConvention;

/** What an average needs to know of an assessment. */
export type AssessmentForAverages = {
  readonly assessmentId: string;
  readonly subjectId: string;
  readonly periodId: string;
  readonly outOf: number;
  readonly coefficient: number;
  readonly formative: boolean;
  readonly cancelled: boolean;
};

/** The grade a student has now (after corrections) in one assessment. */
export type GradeForAverages = {
  readonly assessmentId: string;
  readonly studentId: string;
  readonly value: GradeValue;
};

/** Why a grade the student has is shown but not counted. */
export type ExclusionReason = 'marker' | 'formative' | 'coefficientZero' | 'cancelled';

export type ExcludedGrade = {
  readonly gradeId: string;
  readonly assessmentId: string;
  readonly reason: ExclusionReason;
};

/** The figures behind a figure: the grades counted and their assessments, sorted. */
export type Sources = {
  readonly gradeIds: readonly string[];
  readonly assessmentIds: readonly string[];
};

export type SubjectAverage = Sources & {
  readonly studentId: string;
  readonly subjectId: string;
  readonly periodId: string;
  readonly convention: AverageConvention;
  /** Unrounded, in 0..20; null when no grade counts. */
  readonly value: number | null;
  readonly excluded: readonly ExcludedGrade[];
};

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const exclusionOf = (assessment: AssessmentForAverages, value: GradeValue): ExclusionReason | undefined => {
  if (assessment.cancelled) return 'cancelled';
  if (isMarker(value)) return 'marker';
  if (assessment.formative) return 'formative';
  if (assessment.coefficient === 0) return 'coefficientZero';
  return undefined;
};

type Counted = { readonly assessment: AssessmentForAverages; readonly value: number };

const averageOf = (counted: readonly Counted[], convention: AverageConvention): number | null => {
  if (counted.length === 0) return null;
  let numerator = 0;
  let denominator = 0;
  for (const { assessment, value } of counted) {
    if (convention === 'brought-to-twenty') {
      numerator += (assessment.coefficient * value * 20) / assessment.outOf;
      denominator += assessment.coefficient;
    } else {
      numerator += assessment.coefficient * value;
      denominator += assessment.coefficient * assessment.outOf;
    }
  }
  return convention === 'brought-to-twenty' ? numerator / denominator : (numerator / denominator) * 20;
};

/**
 * One student's average in one subject and period, from the grades they have in that subject and
 * period's assessments (one grade per assessment).
 */
export const subjectAverage = (
  key: { readonly studentId: string; readonly subjectId: string; readonly periodId: string },
  grades: readonly { readonly assessment: AssessmentForAverages; readonly value: GradeValue }[],
  convention: AverageConvention = DEFAULT_AVERAGE_CONVENTION,
): SubjectAverage => {
  const ordered = sortInPlace([...grades], (a, b) =>
    byText(a.assessment.assessmentId, b.assessment.assessmentId),
  );
  const counted: Counted[] = [];
  const excluded: ExcludedGrade[] = [];
  for (const { assessment, value } of ordered) {
    const reason = exclusionOf(assessment, value);
    if (reason !== undefined || typeof value !== 'number')
      excluded.push({
        gradeId: gradeIdOf(assessment.assessmentId, key.studentId),
        assessmentId: assessment.assessmentId,
        reason: reason ?? 'marker',
      });
    else counted.push({ assessment, value });
  }
  return {
    studentId: key.studentId,
    subjectId: key.subjectId,
    periodId: key.periodId,
    convention,
    value: averageOf(counted, convention),
    gradeIds: counted.map((c) => gradeIdOf(c.assessment.assessmentId, key.studentId)),
    assessmentIds: counted.map((c) => c.assessment.assessmentId),
    excluded,
  };
};

/**
 * Every student's average per subject and period, from the assessments and the current grades
 * (one per assessment and student). Grades of unknown assessments are ignored. Sorted by student,
 * subject, period.
 */
export const subjectAverages = (
  assessments: readonly AssessmentForAverages[],
  grades: readonly GradeForAverages[],
  convention: AverageConvention = DEFAULT_AVERAGE_CONVENTION,
): SubjectAverage[] => {
  const byId = new Map(assessments.map((a) => [a.assessmentId, a]));
  const groups = new Map<string, { assessment: AssessmentForAverages; value: GradeValue }[]>();
  const keys = new Map<string, { studentId: string; subjectId: string; periodId: string }>();
  for (const grade of grades) {
    const assessment = byId.get(grade.assessmentId);
    if (assessment === undefined) continue;
    const key = JSON.stringify([grade.studentId, assessment.subjectId, assessment.periodId]);
    if (!keys.has(key))
      keys.set(key, {
        studentId: grade.studentId,
        subjectId: assessment.subjectId,
        periodId: assessment.periodId,
      });
    groups.set(key, [...(groups.get(key) ?? []), { assessment, value: grade.value }]);
  }
  return [...keys.keys()]
    .sort(byText)
    .map((key) => subjectAverage(keys.get(key)!, groups.get(key) ?? [], convention));
};

/** A subject's coefficient in the general average (a school setting per class level); 1 when not set. */
export type SubjectCoefficients = Readonly<Record<string, number>>;
export const DEFAULT_SUBJECT_COEFFICIENT = 1;

export const subjectCoefficientOf = (coefficients: SubjectCoefficients, subjectId: string): number =>
  Object.prototype.hasOwnProperty.call(coefficients, subjectId)
    ? coefficients[subjectId]
    : DEFAULT_SUBJECT_COEFFICIENT;

export type GeneralAverage = Sources & {
  readonly studentId: string;
  readonly periodId: string;
  /** Unrounded; null when no subject with a non-zero coefficient has an average. */
  readonly value: number | null;
  /** The subject averages it was computed from, unrounded, with their coefficients. */
  readonly subjects: readonly {
    readonly subjectId: string;
    readonly coefficient: number;
    readonly average: number;
  }[];
};

/**
 * Σ(subjectCoef × subjectAverage) / Σ subjectCoef over the subjects where the student has an average,
 * from one student's unrounded subject averages of one period.
 */
export const generalAverage = (
  key: { readonly studentId: string; readonly periodId: string },
  averages: readonly SubjectAverage[],
  coefficients: SubjectCoefficients = {},
): GeneralAverage => {
  const subjects: { subjectId: string; coefficient: number; average: number; sources: Sources }[] = [];
  for (const a of averages)
    if (a.value !== null)
      subjects.push({
        subjectId: a.subjectId,
        coefficient: subjectCoefficientOf(coefficients, a.subjectId),
        average: a.value,
        sources: a,
      });
  subjects.sort((a, b) => byText(a.subjectId, b.subjectId));
  const gradeIds: string[] = [];
  const assessmentIds: string[] = [];
  for (const s of subjects)
    if (s.coefficient > 0) {
      gradeIds.push(...s.sources.gradeIds);
      assessmentIds.push(...s.sources.assessmentIds);
    }
  return {
    ...key,
    value: subjectAverageWeights(subjects),
    subjects: subjects.map(({ subjectId, coefficient, average }) => ({ subjectId, coefficient, average })),
    gradeIds: sortedUnique(gradeIds),
    assessmentIds: sortedUnique(assessmentIds),
  };
};

const subjectAverageWeights = (
  subjects: readonly { readonly coefficient: number; readonly average: number }[],
): number | null => {
  let numerator = 0;
  let denominator = 0;
  for (const { coefficient, average } of subjects) {
    numerator += coefficient * average;
    denominator += coefficient;
  }
  return denominator > 0 ? numerator / denominator : null;
};

export type ClassStatistics = Sources & {
  /** Mean of the students' unrounded averages, each student weighing 1; null when nobody has one. */
  readonly average: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Students who have an average. */
  readonly count: number;
  readonly studentIds: readonly string[];
};

/** A class's statistics over its students' averages (of one subject, or general): students without one are left out. */
export const classStatistics = (
  averages: readonly (Sources & { readonly studentId: string; readonly value: number | null })[],
  /** `names: 'students'`: the students alone, for a view whose students' averages already name their grades. */
  options: { readonly names?: 'students' | 'grades' } = {},
): ClassStatistics => {
  const counted = averages
    .filter((a): a is typeof a & { value: number } => a.value !== null)
    .sort((a, b) => byText(a.studentId, b.studentId));
  if (counted.length === 0)
    return { average: null, min: null, max: null, count: 0, studentIds: [], gradeIds: [], assessmentIds: [] };
  let sum = 0;
  for (const a of counted) sum += a.value;
  return {
    average: sum / counted.length,
    min: Math.min(...counted.map((a) => a.value)),
    max: Math.max(...counted.map((a) => a.value)),
    count: counted.length,
    studentIds: counted.map((a) => a.studentId),
    gradeIds: options.names === 'students' ? [] : sortedUnique(counted.flatMap((a) => a.gradeIds)),
    assessmentIds: options.names === 'students' ? [] : sortedUnique(counted.flatMap((a) => a.assessmentIds)),
  };
};
