import { IsoDate } from '../shared/calendar';
import { byCodeUnits, sortInPlace } from '../shared/sorting';
import { ClassMembership, GroupMembership, Membership } from '../structure/student';
import { AssessmentPeriod } from './assessment-rules';
import { GroupKind } from './assessment-events';

/**
 * A student who changes class mid-period (DOMAIN.md, Grades 5 and error 7): each grade stays with its
 * assessment, and the council of the class the student is in at the end of the period shows the
 * grades obtained while in either class, flagging the move.
 */

export type StudentMemberships = {
  readonly classes: readonly ClassMembership[];
  readonly groups: readonly GroupMembership[];
};

/** Where and when an assessment took place. */
export type PlacedAssessment = {
  readonly assessmentId: string;
  readonly classOrGroupId: string;
  readonly groupKind: GroupKind;
  readonly subjectId: string;
  readonly date: IsoDate;
};

const covers = (m: Membership, date: IsoDate): boolean =>
  m.from <= date && (m.until === undefined || date < m.until);

/** `until` is the first day outside; a period's `end` is its last day. */
const overlaps = (m: Membership, period: AssessmentPeriod): boolean =>
  m.from <= period.end && (m.until === undefined || m.until > period.start);

/** The students of a class council: those in the class on the last day of the period. */
export const isInCouncil = (
  memberships: StudentMemberships,
  classId: string,
  period: AssessmentPeriod,
): boolean => memberships.classes.some((m) => m.classId === classId && covers(m, period.end));

export type CouncilGrades = {
  /** The assessments whose grades are the student's in this subject and period, sorted. */
  readonly assessmentIds: readonly string[];
  /** The classes the student was in during the period, in order, when there were several. */
  readonly moved:
    readonly { readonly classId: string; readonly from: IsoDate; readonly until: IsoDate | null }[] | null;
};

/**
 * Which assessments count for a student in one subject and period: those of the subject dated in the
 * period, in a class or group the student belonged to on the assessment's date — whichever class
 * that was.
 */
export const councilGradesOf = (
  memberships: StudentMemberships,
  subjectId: string,
  period: AssessmentPeriod,
  assessments: readonly PlacedAssessment[],
): CouncilGrades => ({
  assessmentIds: councilAssessmentIdsOf(memberships, subjectId, period, assessments),
  moved: movedOf(memberships, period),
});

/** The assessments whose grades are the student's in this subject and period (`councilGradesOf`), sorted. */
export const councilAssessmentIdsOf = (
  memberships: StudentMemberships,
  subjectId: string,
  period: AssessmentPeriod,
  assessments: readonly PlacedAssessment[],
): string[] => {
  const memberOn = (a: PlacedAssessment): boolean =>
    a.groupKind === 'class'
      ? memberships.classes.some((m) => m.classId === a.classOrGroupId && covers(m, a.date))
      : memberships.groups.some((m) => m.groupId === a.classOrGroupId && covers(m, a.date));
  return sortInPlace(
    assessments
      .filter(
        (a) => a.subjectId === subjectId && period.start <= a.date && a.date <= period.end && memberOn(a),
      )
      .map((a) => a.assessmentId),
    byCodeUnits,
  );
};

/** The classes the student was in during the period, in order, when there were several (`councilGradesOf`). */
export const movedOf = (
  memberships: StudentMemberships,
  period: AssessmentPeriod,
): CouncilGrades['moved'] => {
  const classes = memberships.classes
    .filter((m) => overlaps(m, period))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
    .map((m) => ({ classId: m.classId, from: m.from, until: m.until ?? null }));
  return new Set(classes.map((c) => c.classId)).size > 1 ? classes : null;
};
