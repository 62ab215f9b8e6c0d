import { AverageConvention, GradeRounding } from '../settings/settings';
import { IsoDate } from '../shared/calendar';
import { AssessmentPeriod } from './assessment-rules';
import { CompetencyItem, GroupKind } from './assessment-events';
import {
  classStatistics,
  ClassStatistics,
  generalAverage,
  GeneralAverage,
  SubjectAverage,
  subjectAverage,
  SubjectCoefficients,
} from './averages';
import { councilAssessmentIdsOf, CouncilGrades, movedOf, StudentMemberships } from './class-change';
import { GradeValue } from './grade-values';
import {
  Level,
  LevelForPositioning,
  LevelValue,
  Positioning,
  positioningOf,
  PositioningSettings,
} from './positioning';
import { roundForDisplay } from './rounding';

/**
 * What a period's views show of grades and competencies — a grade book, a student's report, a class's
 * statistics — computed the one way DOMAIN.md says, from the assessments as their events left them.
 * Every figure is unrounded; `display` is its rounding under the school's setting.
 */

/** An assessment with its current grades and levels (a row of the assessments read model). */
export type AssessmentOfPeriod = {
  readonly assessmentId: string;
  readonly classOrGroupId: string;
  readonly groupKind: GroupKind;
  readonly subjectId: string;
  readonly periodId: string;
  readonly date: IsoDate;
  readonly outOf: number;
  readonly coefficient: number;
  readonly formative: boolean;
  readonly cancelled: boolean;
  readonly competencyItems: readonly CompetencyItem[];
  readonly grades: Readonly<Record<string, GradeValue>>;
  readonly levels: Readonly<Record<string, Readonly<Record<string, LevelValue>>>>;
};

export type PeriodSettings = {
  readonly convention: AverageConvention;
  readonly rounding: GradeRounding;
  /** Subject coefficients in the general average for the class (its level, overridden by the class). */
  readonly subjectCoefficients: SubjectCoefficients;
  readonly positioning: PositioningSettings;
};

export type Shown = { readonly value: number | null; readonly display: number | null };

const shown = (value: number | null, rounding: GradeRounding): Shown => ({
  value,
  display: value === null ? null : roundForDisplay(value, rounding),
});

export type StudentSubjectResult = {
  readonly subjectId: string;
  readonly average: SubjectAverage & { readonly display: number | null };
  readonly positioning: Positioning;
  /** The assessments that are the student's in this subject and period, whichever class set them. */
  readonly assessmentIds: readonly string[];
};

export type StudentPeriodResult = {
  readonly studentId: string;
  /** The classes the student was in during the period, when there were several. */
  readonly moved: CouncilGrades['moved'];
  readonly subjects: readonly StudentSubjectResult[];
  readonly general: GeneralAverage & { readonly display: number | null };
};

const hasOwn = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

const levelsOf = (a: AssessmentOfPeriod, studentId: string, into: LevelForPositioning[]): void => {
  for (const itemId of Object.keys(a.levels)) {
    const byStudent = a.levels[itemId];
    if (hasOwn(byStudent, studentId))
      into.push({
        assessmentId: a.assessmentId,
        itemId,
        studentId,
        date: a.date,
        value: byStudent[studentId],
        cancelled: a.cancelled,
      });
  }
};

/** A period's assessments by id and by subject, indexed once for every student of one read. */
export type PeriodAssessments = {
  readonly byId: ReadonlyMap<string, AssessmentOfPeriod>;
  readonly bySubject: ReadonlyMap<string, readonly AssessmentOfPeriod[]>;
};

export const periodAssessments = (assessments: readonly AssessmentOfPeriod[]): PeriodAssessments => {
  const byId = new Map<string, AssessmentOfPeriod>();
  const bySubject = new Map<string, AssessmentOfPeriod[]>();
  for (const a of assessments) {
    byId.set(a.assessmentId, a);
    const list = bySubject.get(a.subjectId);
    if (list) list.push(a);
    else bySubject.set(a.subjectId, [a]);
  }
  return { byId, bySubject };
};

/**
 * One student's results in a period: per subject (every subject in which an assessment of one of
 * their classes or groups, dated while they were in it, graded or evaluated them), the average, the
 * positioning (suggested from the levels, and the teacher's final one from `finals`), then the
 * general average under the class's subject coefficients. The assessments may come indexed
 * (`periodAssessments`) when several students' results are computed from them.
 */
export const studentPeriodResult = (
  student: { readonly studentId: string; readonly memberships: StudentMemberships },
  period: AssessmentPeriod,
  assessments: readonly AssessmentOfPeriod[] | PeriodAssessments,
  settings: PeriodSettings,
  finals: Readonly<Record<string, Level | null>> = {},
): StudentPeriodResult => {
  const { studentId, memberships } = student;
  const { byId, bySubject } = Array.isArray(assessments)
    ? periodAssessments(assessments)
    : (assessments as PeriodAssessments);
  // A final positioning is shown even in a subject with no assessment in the period.
  const subjectIds = [
    ...new Set([
      ...bySubject.keys(),
      ...Object.keys(finals).filter((subjectId) => finals[subjectId] !== null),
    ]),
  ].sort();
  // The move depends on the memberships alone: flagged even before any assessment of the period.
  const moved = movedOf(memberships, period);
  const subjects: StudentSubjectResult[] = [];
  for (const subjectId of subjectIds) {
    const assessmentIds = councilAssessmentIdsOf(
      memberships,
      subjectId,
      period,
      bySubject.get(subjectId) ?? [],
    );
    const graded: { assessment: AssessmentOfPeriod; value: GradeValue }[] = [];
    const levels: LevelForPositioning[] = [];
    for (const id of assessmentIds) {
      const a = byId.get(id)!;
      if (hasOwn(a.grades, studentId)) graded.push({ assessment: a, value: a.grades[studentId] });
      levelsOf(a, studentId, levels);
    }
    if (graded.length === 0 && levels.length === 0 && !hasOwn(finals, subjectId)) continue;
    const average = subjectAverage(
      { studentId, subjectId, periodId: period.id },
      graded,
      settings.convention,
    );
    subjects.push({
      subjectId,
      average: {
        studentId,
        subjectId,
        periodId: average.periodId,
        convention: average.convention,
        value: average.value,
        gradeIds: average.gradeIds,
        assessmentIds: average.assessmentIds,
        excluded: average.excluded,
        display: shown(average.value, settings.rounding).display,
      },
      positioning: positioningOf(levels, settings.positioning, finals[subjectId] ?? null),
      assessmentIds,
    });
  }
  const general = generalAverage(
    { studentId, periodId: period.id },
    subjects.map((s) => s.average),
    settings.subjectCoefficients,
  );
  return {
    studentId,
    moved,
    subjects,
    general: { ...general, display: shown(general.value, settings.rounding).display },
  };
};

export type ClassPeriodStatistics = {
  /** Per subject, over the students who have an average in it. */
  readonly subjects: readonly (ClassStatistics & {
    readonly subjectId: string;
    readonly display: {
      readonly average: number | null;
      readonly min: number | null;
      readonly max: number | null;
    };
  })[];
  /** Over the students' general averages. */
  readonly general: ClassStatistics & {
    readonly display: {
      readonly average: number | null;
      readonly min: number | null;
      readonly max: number | null;
    };
  };
};

const displayed = (stats: ClassStatistics, rounding: GradeRounding) => ({
  average: shown(stats.average, rounding).display,
  min: shown(stats.min, rounding).display,
  max: shown(stats.max, rounding).display,
});

/** Class average, min, max and count per subject and overall: each student weighs 1, unrounded averages. */
export const classPeriodStatistics = (
  results: readonly StudentPeriodResult[],
  rounding: GradeRounding,
  options: Parameters<typeof classStatistics>[1] = {},
): ClassPeriodStatistics => {
  const subjectIds = [...new Set(results.flatMap((r) => r.subjects.map((s) => s.subjectId)))].sort();
  const subjects = subjectIds.map((subjectId) => {
    const stats = classStatistics(
      results.flatMap((r) => r.subjects.filter((s) => s.subjectId === subjectId).map((s) => s.average)),
      options,
    );
    return { subjectId, ...stats, display: displayed(stats, rounding) };
  });
  const general = classStatistics(
    results.map((r) => r.general),
    options,
  );
  return { subjects, general: { ...general, display: displayed(general, rounding) } };
};
