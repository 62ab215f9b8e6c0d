import { IsoDate } from '../shared/calendar';
import { Actor, DomainEvent, eventTypeGuard } from '../shared/event';
import { GradeValue } from './grade-values';
import { LevelValue, SocleComponent } from './positioning';

export type GroupKind = 'class' | 'group';

/** What every event of an assessment carries, so that a projection routes it without looking elsewhere. */
export type AssessmentKeys = {
  readonly assessmentId: string;
  readonly classOrGroupId: string;
  readonly groupKind: GroupKind;
  readonly subjectId: string;
  /** The period the assessment's date is in (after the event, for a change of date). */
  readonly periodId: string;
  readonly date: IsoDate;
};

export type CompetencyItem = {
  readonly itemId: string;
  readonly label: string;
  readonly socleComponent: SocleComponent | null;
};

/** What a change may touch; every term but the title counts in averages. */
export type AssessmentTerms = {
  readonly date: IsoDate;
  readonly periodId: string;
  readonly title: string;
  readonly outOf: number;
  readonly coefficient: number;
  readonly formative: boolean;
};

export type StudentGrade = { readonly studentId: string; readonly value: GradeValue };
export type StudentLevel = {
  readonly studentId: string;
  readonly itemId: string;
  readonly value: LevelValue;
};

export type AssessmentCreatedData = AssessmentKeys & {
  readonly title: string;
  readonly outOf: number;
  readonly coefficient: number;
  readonly formative: boolean;
  /** Whose assessment it is: the teacher who created it, or the one the principal named. */
  readonly teacherId: string;
  readonly competencyItems: readonly CompetencyItem[];
  readonly createdBy: Actor;
};

export type GradesRecordedData = AssessmentKeys & {
  /** Only the students graded by this command, sorted. */
  readonly grades: readonly StudentGrade[];
  readonly recordedBy: Actor;
};

export type GradeCorrectedData = AssessmentKeys & {
  readonly studentId: string;
  /** Null: the student had no grade. */
  readonly previous: GradeValue | null;
  /** Null: the grade is removed (it was typed in the wrong column). */
  readonly value: GradeValue | null;
  readonly reason: string;
  readonly correctedBy: Actor;
};

export type AssessmentChangedData = AssessmentKeys & {
  readonly previous: AssessmentTerms;
  readonly terms: AssessmentTerms;
  /** Students with a grade or a level: the figures a change moves. */
  readonly studentIds: readonly string[];
  /** Required once grades or levels exist, unless only the title changes. */
  readonly reason: string | null;
  readonly changedBy: Actor;
};

export type AssessmentCancelledData = AssessmentKeys & {
  readonly studentIds: readonly string[];
  readonly reason: string | null;
  readonly cancelledBy: Actor;
};

export type LevelsRecordedData = AssessmentKeys & {
  /** Only the levels recorded by this command, sorted by student then item. */
  readonly levels: readonly StudentLevel[];
  readonly recordedBy: Actor;
};

export type LevelCorrectedData = AssessmentKeys & {
  readonly studentId: string;
  readonly itemId: string;
  readonly previous: LevelValue | null;
  readonly value: LevelValue | null;
  readonly reason: string;
  readonly correctedBy: Actor;
};

export type AssessmentCreated = DomainEvent<'AssessmentCreated', AssessmentCreatedData>;
export type GradesRecorded = DomainEvent<'GradesRecorded', GradesRecordedData>;
export type GradeCorrected = DomainEvent<'GradeCorrected', GradeCorrectedData>;
export type AssessmentChanged = DomainEvent<'AssessmentChanged', AssessmentChangedData>;
export type AssessmentCancelled = DomainEvent<'AssessmentCancelled', AssessmentCancelledData>;
export type LevelsRecorded = DomainEvent<'LevelsRecorded', LevelsRecordedData>;
export type LevelCorrected = DomainEvent<'LevelCorrected', LevelCorrectedData>;

export type AssessmentEvent =
  | AssessmentCreated
  | GradesRecorded
  | GradeCorrected
  | AssessmentChanged
  | AssessmentCancelled
  | LevelsRecorded
  | LevelCorrected;

export const ASSESSMENT_EVENT_TYPES = [
  'AssessmentCreated',
  'GradesRecorded',
  'GradeCorrected',
  'AssessmentChanged',
  'AssessmentCancelled',
  'LevelsRecorded',
  'LevelCorrected',
] as const satisfies readonly AssessmentEvent['type'][];

export const isAssessmentEvent = eventTypeGuard<AssessmentEvent>(ASSESSMENT_EVENT_TYPES);
