/** `ABS` absent, `DISP` exempted, `NN` not graded: shown in the grade book, never in an average. */
export type Marker = 'ABS' | 'DISP' | 'NN';
export const MARKERS: readonly Marker[] = ['ABS', 'DISP', 'NN'];

/** A grade as the teacher typed it: a number from 0 to the assessment's `outOf`, or a marker. */
export type GradeValue = number | Marker;

export const isMarker = (value: unknown): value is Marker =>
  typeof value === 'string' && (MARKERS as readonly string[]).includes(value);

export const DEFAULT_OUT_OF = 20;

/** Grades are typed with at most two decimals (12.25, not 12.125). */
export const hasAtMostTwoDecimals = (value: number): boolean => {
  const hundredths = value * 100;
  return Math.abs(hundredths - Math.round(hundredths)) < 1e-7;
};

/** The rule a grade breaks, in words a teacher reads, or undefined when it is a valid grade. */
export const gradeFault = (value: unknown, outOf: number): string | undefined => {
  if (isMarker(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    return `must be a number from 0 to ${outOf} or one of ${MARKERS.join(', ')}`;
  if (value < 0) return `must not be negative`;
  if (value > outOf) return `must not be above ${outOf}, the assessment's outOf`;
  if (!hasAtMostTwoDecimals(value)) return 'must have at most two decimals';
  return undefined;
};

/** The identity of one cell of the grade book: an assessment and a student. */
export const gradeIdOf = (assessmentId: string, studentId: string): string => `${assessmentId}/${studentId}`;
