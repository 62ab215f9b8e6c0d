import { Inject, Injectable } from '@nestjs/common';
import {
  AssessmentPeriod,
  classPeriodStatistics,
  isInCouncil,
  Level,
  mayReadAssessments,
  periodAssessments,
  PeriodSettings,
  StudentMemberships,
  studentPeriodResult,
  StudentPeriodResult,
} from '../../domain/assessment';
import {
  AssessmentRow,
  assessmentsProjection,
  AssessmentsTable,
  PeriodRows,
  PeriodRowsOf,
  ReportRow,
} from '../../projections/assessment';
import { LiveProjections } from '../../projections/live-projections';
import { enrolmentsProjection, EnrolmentsTable, StudentMembershipRows } from '../../projections/structure';
import { assertTeacherReadsStudent } from '../auth/teacher-scope';
import { AuthenticatedUser } from '../auth/user';
import { Reads } from '../core/reads';
import { PROJECTION_RUNNER } from '../core/tokens';
import { ApiError } from '../errors/api-error';
import { AssessmentInputs, Place, scopeOf } from './assessment-inputs';

/** Memberships as the enrolments read model gives them, as the domain's rules take them. */
export const membershipsOf = (rows: StudentMembershipRows | undefined): StudentMemberships => ({
  classes: (rows?.classes ?? []).map(({ classId, from, until }) => ({
    classId,
    from,
    ...(until !== null ? { until } : {}),
  })),
  groups: (rows?.groups ?? []).map(({ groupId, from, until }) => ({
    groupId,
    from,
    ...(until !== null ? { until } : {}),
  })),
});

/**
 * The teacher's final positionings of one student, by subject. A student who moved may have one in
 * each class: the one of the class they are in on the period's last day (the council's) wins.
 */
const finalsOf = (
  reports: readonly ReportRow[],
  studentId: string,
  councilClassId: string | undefined,
): Record<string, Level | null> =>
  Object.fromEntries(
    reports
      .filter((r) => r.studentId === studentId && r.positioning !== null)
      .sort((a, b) => Number(a.classId === councilClassId) - Number(b.classId === councilClassId))
      .map((r) => [r.subjectId, r.positioning]),
  );

/** The class a student is in on the period's last day. */
const councilClassOf = (memberships: StudentMemberships, period: AssessmentPeriod): string | undefined =>
  memberships.classes.find((m) => m.from <= period.end && (m.until === undefined || m.until > period.end))
    ?.classId;

/**
 * Each student's results from the rows of one read; a moved student's final positionings are those
 * of the class they are in on the period's last day.
 */
export const resultsOf = (
  rows: PeriodRows,
  period: AssessmentPeriod,
  settings: PeriodSettings,
): Map<string, StudentPeriodResult> => {
  const memberships = new Map(rows.memberships.map((m) => [m.studentId, membershipsOf(m)]));
  const assessments = periodAssessments(rows.assessments);
  const reports = new Map<string, ReportRow[]>();
  for (const r of rows.reports) {
    const list = reports.get(r.studentId);
    if (list) list.push(r);
    else reports.set(r.studentId, [r]);
  }
  return new Map(
    rows.members.map((member) => [
      member.studentId,
      studentPeriodResult(
        {
          studentId: member.studentId,
          memberships: memberships.get(member.studentId) ?? membershipsOf(undefined),
        },
        period,
        assessments,
        settings,
        finalsOf(
          reports.get(member.studentId) ?? [],
          member.studentId,
          councilClassOf(memberships.get(member.studentId) ?? membershipsOf(undefined), period),
        ),
      ),
    ]),
  );
};

/** The live tables `readPeriodRows` reads: ask them when each read starts (a rebuild may swap them). */
export const periodRowsTables = (runner: LiveProjections) => ({
  ...runner.tables<AssessmentsTable>(assessmentsProjection.name),
  ...runner.tables<EnrolmentsTable>(enrolmentsProjection.name),
});

const assessmentHeader = (a: AssessmentRow) => ({
  assessmentId: a.assessmentId,
  classOrGroupId: a.classOrGroupId,
  groupKind: a.groupKind,
  subjectId: a.subjectId,
  date: a.date,
  title: a.title,
  outOf: a.outOf,
  coefficient: a.coefficient,
  formative: a.formative,
  cancelled: a.cancelled,
  /** Counted in averages: not cancelled, not formative, coefficient above 0. */
  counted: !a.cancelled && !a.formative && a.coefficient > 0,
  teacherId: a.teacherId,
  competencyItems: a.competencyItems,
  changes: a.changes,
});

const settingsShown = (settings: PeriodSettings) => ({
  averageConvention: settings.convention,
  gradeRounding: settings.rounding,
  positioningSuggestion: settings.positioning.mode,
  competencyPoints: settings.positioning.points,
  subjectCoefficients: settings.subjectCoefficients,
});

/**
 * The grade views: a teacher's grade book, a student's period, a class's results. Rows are read in
 * one read off the command thread; every figure is computed by `domain/assessment` under the
 * settings in force on the period's last day, and names the grades and assessments behind it.
 */
@Injectable()
export class AssessmentViews {
  constructor(
    @Inject(Reads) private readonly reads: Reads,
    @Inject(AssessmentInputs) private readonly inputs: AssessmentInputs,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
  ) {}

  private readonly assessmentTables = () => this.runner.tables<AssessmentsTable>(assessmentsProjection.name);

  private readonly periodTables = () => periodRowsTables(this.runner);

  private periodRows(schoolId: string, of: PeriodRowsOf, period: AssessmentPeriod, subjectId: string | null) {
    return this.reads.run('readPeriodRows', this.periodTables, schoolId, of, period, subjectId);
  }

  private assertReads(user: AuthenticatedUser, place: Place): void {
    const reader = { actor: { id: user.sub, role: user.role }, ...scopeOf(user) };
    if (!mayReadAssessments(reader, place.classOrGroupId))
      throw new ApiError(
        403,
        'AUTH.CLASS_FORBIDDEN',
        `${user.role} ${user.sub} does not read the grades of ${place.classOrGroupId}`,
        { classOrGroupId: place.classOrGroupId },
      );
  }

  /** Students × assessments of one class or group, subject and period, with averages as they stand. */
  async gradeBook(
    user: AuthenticatedUser,
    schoolId: string,
    classOrGroupId: string,
    subjectId: string,
    periodId: string,
  ) {
    const place = this.inputs.place(schoolId, classOrGroupId);
    this.assertReads(user, place);
    const period = this.inputs.period(place, periodId);
    const settings = this.inputs.periodSettings(
      schoolId,
      place.kind === 'class' ? classOrGroupId : undefined,
      period,
    );
    const rows = await this.periodRows(schoolId, { kind: place.kind, id: classOrGroupId }, period, subjectId);
    const results = resultsOf(rows, period, settings);
    const own = rows.assessments.filter((a) => a.classOrGroupId === classOrGroupId);
    const byId = new Map(rows.assessments.map((a) => [a.assessmentId, a]));
    const reports = new Map(rows.reports.map((r) => [r.studentId, r]));
    const students = rows.members.map((member) => {
      const result = results.get(member.studentId)!;
      const subject = result.subjects.find((s) => s.subjectId === subjectId);
      const elsewhere = (subject?.assessmentIds ?? [])
        .map((id) => byId.get(id)!)
        .filter(
          (a) =>
            a.classOrGroupId !== classOrGroupId &&
            Object.prototype.hasOwnProperty.call(a.grades, member.studentId),
        );
      const report = reports.get(member.studentId);
      return {
        studentId: member.studentId,
        lastName: member.lastName,
        firstName: member.firstName,
        /** When the student was in this class or group during the period. */
        spans: member.spans,
        moved: result.moved,
        grades: Object.fromEntries(
          own.map((a) => [
            a.assessmentId,
            Object.prototype.hasOwnProperty.call(a.grades, member.studentId)
              ? a.grades[member.studentId]
              : null,
          ]),
        ),
        /** Grades of the same subject obtained in another class or group during the period (a move). */
        gradesElsewhere: elsewhere.map((a) => ({
          ...assessmentHeader(a),
          value: a.grades[member.studentId],
        })),
        corrections: own.flatMap((a) =>
          a.corrections
            .filter((c) => c.studentId === member.studentId)
            .map((c) => ({ assessmentId: a.assessmentId, ...c })),
        ),
        average: subject?.average ?? null,
        positioning: subject?.positioning ?? null,
        appreciation: report?.appreciation ?? null,
      };
    });
    const inCouncil = rows.members
      .filter(
        (m) =>
          place.kind === 'group' ||
          isInCouncil(
            membershipsOf(rows.memberships.find((r) => r.studentId === m.studentId)),
            classOrGroupId,
            period,
          ),
      )
      .map((m) => results.get(m.studentId)!);
    const statistics =
      classPeriodStatistics(inCouncil, settings.rounding).subjects.find((s) => s.subjectId === subjectId) ??
      null;
    return {
      schoolId,
      classOrGroupId,
      kind: place.kind,
      subjectId,
      period,
      settings: settingsShown(settings),
      assessments: own.map(assessmentHeader),
      students,
      statistics,
    };
  }

  /** One student's grades, levels, averages, positionings and appreciations of a period, per subject. */
  async studentPeriod(user: AuthenticatedUser, schoolId: string, studentId: string, periodId: string) {
    const history = this.inputs.school.requireStudent(schoolId, studentId);
    assertTeacherReadsStudent(user, studentId, history);
    // The latest class whose scheme has this period: period ids repeat from one school year to the next.
    const classId = (
      [...history.classes].reverse().find((c) => this.classCovers(schoolId, c.classId, periodId)) ??
      history.classes.at(-1)
    )?.classId;
    if (classId === undefined)
      throw new ApiError(
        404,
        'ASSESSMENT.STUDENT_NOT_ENROLLED',
        `student ${studentId} was never in a class`,
        { studentId },
      );
    const place = this.inputs.place(schoolId, classId, 'class');
    const period = this.inputs.period(place, periodId);
    const councilClass =
      history.classes.find((c) => c.from <= period.end && (c.until === null || c.until > period.end))
        ?.classId ?? classId;
    const settings = this.inputs.periodSettings(schoolId, councilClass, period);
    const rows = await this.periodRows(schoolId, { kind: 'student', studentId }, period, null);
    const result = resultsOf(rows, period, settings).get(studentId);
    if (result === undefined)
      throw new ApiError(404, 'STRUCTURE.STUDENT_UNKNOWN', `no student ${studentId} in school ${schoolId}`, {
        studentId,
      });
    const byId = new Map(rows.assessments.map((a) => [a.assessmentId, a]));
    const reports = rows.reports.filter((r) => r.studentId === studentId);
    return {
      schoolId,
      studentId,
      classId: councilClass,
      period,
      settings: settingsShown(settings),
      moved: result.moved,
      subjects: result.subjects.map((s) => {
        const assessments = s.assessmentIds.map((id) => byId.get(id)!);
        const report = reports.find((r) => r.subjectId === s.subjectId);
        return {
          subjectId: s.subjectId,
          assessments: assessments.map((a) => ({
            ...assessmentHeader(a),
            grade: Object.prototype.hasOwnProperty.call(a.grades, studentId) ? a.grades[studentId] : null,
            levels: Object.fromEntries(
              Object.keys(a.levels)
                .filter((itemId) => Object.prototype.hasOwnProperty.call(a.levels[itemId], studentId))
                .map((itemId) => [itemId, a.levels[itemId][studentId]]),
            ),
            corrections: a.corrections.filter((c) => c.studentId === studentId),
          })),
          average: s.average,
          positioning: s.positioning,
          appreciation: report?.appreciation ?? null,
        };
      }),
      general: result.general,
    };
  }

  /** A class's results of a period: each council student's averages and general average, and the class statistics. */
  async classResults(user: AuthenticatedUser, schoolId: string, classId: string, periodId: string) {
    const place = this.inputs.place(schoolId, classId, 'class');
    this.assertReads(user, place);
    const period = this.inputs.period(place, periodId);
    const settings = this.inputs.periodSettings(schoolId, classId, period);
    const rows = await this.periodRows(schoolId, { kind: 'class', id: classId }, period, null);
    const results = resultsOf(rows, period, settings);
    const council = rows.members.filter((m) =>
      isInCouncil(membershipsOf(rows.memberships.find((r) => r.studentId === m.studentId)), classId, period),
    );
    const councilResults = council.map((m) => results.get(m.studentId)!);
    return {
      schoolId,
      classId,
      period,
      settings: settingsShown(settings),
      students: council.map((m) => {
        const result = results.get(m.studentId)!;
        return {
          studentId: m.studentId,
          lastName: m.lastName,
          firstName: m.firstName,
          moved: result.moved,
          subjects: result.subjects.map((s) => ({
            subjectId: s.subjectId,
            average: s.average,
            positioning: s.positioning,
          })),
          general: result.general,
        };
      }),
      /** Students who were in the class during the period but not on its last day. */
      left: rows.members
        .filter((m) => !council.includes(m))
        .map(({ studentId, lastName, firstName, spans }) => ({ studentId, lastName, firstName, spans })),
      statistics: classPeriodStatistics(councilResults, settings.rounding),
    };
  }

  /** One assessment with its grades, levels and the history of its corrections. */
  async assessment(user: AuthenticatedUser, schoolId: string, assessmentId: string) {
    const row = await this.reads.run('readAssessment', this.assessmentTables, schoolId, assessmentId);
    if (row === undefined)
      throw new ApiError(404, 'ASSESSMENT.NOT_FOUND', `no assessment ${assessmentId} in school ${schoolId}`, {
        assessmentId,
      });
    this.assertReads(user, this.inputs.place(schoolId, row.classOrGroupId, row.groupKind));
    return {
      ...assessmentHeader(row),
      periodId: row.periodId,
      grades: row.grades,
      levels: row.levels,
      corrections: row.corrections,
      position: String(row.position),
    };
  }

  private classCovers(schoolId: string, classId: string, periodId: string): boolean {
    try {
      return this.inputs.place(schoolId, classId, 'class').periods.some((p) => p.id === periodId);
    } catch {
      return false;
    }
  }
}
