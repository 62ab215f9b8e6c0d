import { Inject, Injectable } from '@nestjs/common';
import {
  AssessmentPeriod,
  classPeriodStatistics,
  isInCouncil,
  LevelForPositioning,
  PeriodSettings,
  SOCLE_COMPONENTS,
  socleComponentLevel,
  StudentMemberships,
  StudentPeriodResult,
  assessmentStreamId,
} from '../../domain/assessment';
import { completenessWindow } from '../../domain/attendance';
import { CouncilSnapshot } from '../../domain/council';
import { IsoDate } from '../../domain/shared/calendar';
import { Clock, todayInParis } from '../../domain/shared/clock';
import { AssessmentRow, PeriodRows } from '../../projections/assessment';
import {
  AttendanceTable,
  attendanceProjection,
  rollCallCompletenessProjection,
} from '../../projections/attendance';
import { auditTrailProjection, AuditTrailTable } from '../../projections/audit-trail';
import { CouncilRow, councilsProjection, CouncilsTable, PostCouncilEntry } from '../../projections/council';
import { LiveProjections } from '../../projections/live-projections';
import { enrolmentsProjection, EnrolmentsTable, MemberDuring } from '../../projections/structure';
import { membershipsOf, periodRowsTables, resultsOf } from '../assessment/assessment-views';
import { AssessmentInputs, Place } from '../assessment/assessment-inputs';
import { AttendanceViews } from '../attendance/attendance-views';
import { assertTeacherScope } from '../auth/teacher-scope';
import { AuthenticatedUser } from '../auth/user';
import { Reads } from '../core/reads';
import { CLOCK, PROJECTION_RUNNER } from '../core/tokens';

/** Where a council is: the class, its period, and the settings its figures are computed under. */
type CouncilPlace = {
  readonly schoolId: string;
  readonly classId: string;
  readonly place: Place;
  readonly period: AssessmentPeriod;
  readonly settings: PeriodSettings;
};

const hasOwn = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/** Whether a membership (of a class or a group) covers a date: `until` is the first day out. */
const covers = (m: { readonly from: IsoDate; readonly until?: IsoDate | null }, date: IsoDate): boolean =>
  m.from <= date && (m.until === undefined || m.until === null || m.until > date);

const overlaps = (
  m: { readonly from: IsoDate; readonly until?: IsoDate | null },
  period: AssessmentPeriod,
): boolean => m.from <= period.end && (m.until === undefined || m.until === null || m.until > period.start);

/** Whether a student was in the assessment's class or group on its date. */
const enrolledFor = (memberships: StudentMemberships, a: AssessmentRow): boolean =>
  a.groupKind === 'class'
    ? memberships.classes.some((m) => m.classId === a.classOrGroupId && covers(m, a.date))
    : memberships.groups.some((m) => m.groupId === a.classOrGroupId && covers(m, a.date));

/** The ledger behind a student's half-days over a range: what "why 7 half-days?" opens. */
export const ledgerLink = (schoolId: string, studentId: string, from: IsoDate, to: IsoDate): string =>
  `/schools/${schoolId}/students/${encodeURIComponent(studentId)}/attendance?from=${from}&to=${to}`;

/** What the hold's snapshot keeps of one student, and what the view computes now. */
type StudentFigures = {
  readonly general: number | null;
  readonly subjects: Readonly<Record<string, number | null>>;
  readonly justifiedHalfDays: number;
  readonly unjustifiedHalfDays: number;
  readonly latenesses: number;
  /** The positioning shown per subject (the final one, else the suggestion). */
  readonly positionings?: Readonly<Record<string, number | null>>;
  /** The level per socle component. */
  readonly socle?: Readonly<Record<string, number | null>>;
};

/**
 * The figures of a student that changed since the council was held (a post-council correction of a
 * grade, a justification, a roll call): each with what the council saw and what stands now. Null
 * while the council was never held, or for a student the snapshot does not have.
 */
const sinceHold = (council: CouncilRow | undefined, studentId: string, now: StudentFigures) => {
  const students = (council?.snapshot as { students?: Record<string, StudentFigures> } | null)?.students;
  const seen = students !== undefined && hasOwn(students, studentId) ? students[studentId] : undefined;
  if (council?.heldPosition == null || seen === undefined) return null;
  const changes: { figure: string; seen: number | null; now: number | null }[] = [];
  const compare = (figure: string, before: number | null | undefined, after: number | null | undefined) => {
    if ((before ?? null) !== (after ?? null))
      changes.push({ figure, seen: before ?? null, now: after ?? null });
  };
  compare('general', seen.general, now.general);
  const subjects = [...new Set([...Object.keys(seen.subjects ?? {}), ...Object.keys(now.subjects)])].sort();
  for (const subjectId of subjects)
    compare(`subjects.${subjectId}`, seen.subjects?.[subjectId], now.subjects[subjectId]);
  compare('justifiedHalfDays', seen.justifiedHalfDays, now.justifiedHalfDays);
  compare('unjustifiedHalfDays', seen.unjustifiedHalfDays, now.unjustifiedHalfDays);
  compare('latenesses', seen.latenesses, now.latenesses);
  for (const [name, before, after] of [
    ['positionings', seen.positionings, now.positionings],
    ['socle', seen.socle, now.socle],
  ] as const)
    if (before !== undefined && after !== undefined)
      for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort())
        compare(`${name}.${key}`, before[key], after[key]);
  return { heldOn: council.heldOn, heldPosition: council.heldPosition, changes };
};

/** The positionings and socle levels a hold keeps beside the averages, so that a level corrected later shows. */
const competencyFigures = (
  result: StudentPeriodResult,
  socle: readonly { readonly component: string; readonly level: number | null }[],
) => ({
  positionings: Object.fromEntries(result.subjects.map((s) => [s.subjectId, s.positioning.shown])),
  socle: Object.fromEntries(socle.map((c) => [c.component, c.level])),
});

type Missing = { rollCalls: number; grades: number; appreciations: number; positionings: number };

/**
 * The class council's views: the council view (each council student's figures as the council sees
 * them, and the class's), the readiness list, and the snapshot a hold keeps. Rows come from the read
 * threads; every figure is computed by `domain/assessment` under the settings in force on the
 * period's last day, like the grade views, and names what it was computed from.
 */
@Injectable()
export class CouncilViews {
  constructor(
    @Inject(Reads) private readonly reads: Reads,
    @Inject(AssessmentInputs) private readonly inputs: AssessmentInputs,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AttendanceViews) private readonly attendance: AttendanceViews,
  ) {}

  private readonly periodTables = () => periodRowsTables(this.runner);

  private readonly attendanceTables = () => this.runner.tables<AttendanceTable>(attendanceProjection.name);

  private readonly councilTables = () => this.runner.tables<CouncilsTable>(councilsProjection.name);

  /** 404 for a class or period the school does not have. */
  councilPlace(schoolId: string, classId: string, periodId: string): CouncilPlace {
    const place = this.inputs.place(schoolId, classId, 'class');
    const period = this.inputs.period(place, periodId);
    return {
      schoolId,
      classId,
      place,
      period,
      settings: this.inputs.periodSettings(schoolId, classId, period),
    };
  }

  private assertReads(user: AuthenticatedUser, classId: string): void {
    assertTeacherScope(user, { classId });
  }

  private council(at: CouncilPlace): Promise<CouncilRow | undefined> {
    return this.reads.run('readCouncil', this.councilTables, at.schoolId, at.classId, at.period.id);
  }

  /** The rows of the period, and who the council's students are (in the class on its last day). */
  private async members(at: CouncilPlace) {
    const rows = await this.reads.run(
      'readPeriodRows',
      this.periodTables,
      at.schoolId,
      { kind: 'class', id: at.classId },
      at.period,
      null,
    );
    const memberships = new Map(rows.memberships.map((m) => [m.studentId, membershipsOf(m)]));
    const council = rows.members.filter((m) =>
      isInCouncil(memberships.get(m.studentId) ?? membershipsOf(undefined), at.classId, at.period),
    );
    return { rows, memberships, council };
  }

  /** Every student's results over the period's rows, and the class's statistics over the council's. */
  private figures(at: CouncilPlace, rows: PeriodRows, council: readonly MemberDuring[]) {
    const results = resultsOf(rows, at.period, at.settings);
    // The view names each student's grades under their averages, not again under the class's.
    const statistics = classPeriodStatistics(
      council.map((m) => results.get(m.studentId)!),
      at.settings.rounding,
      { names: 'students' },
    );
    return { results, statistics };
  }

  private halfDays(at: CouncilPlace, studentIds: readonly string[]) {
    return this.reads.run('readCouncilSchoolLife', this.attendanceTables, {
      schoolId: at.schoolId,
      studentIds,
      from: at.period.start,
      to: at.period.end,
    });
  }

  /** The figures the council sees, as a hold keeps them: per student, the averages and half-days. */
  async snapshot(schoolId: string, classId: string, periodId: string): Promise<CouncilSnapshot> {
    const at = this.councilPlace(schoolId, classId, periodId);
    const { rows, council } = await this.members(at);
    const halfDays = this.halfDays(
      at,
      council.map((m) => m.studentId),
    );
    halfDays.catch(() => undefined); // awaited below, after the figures: never left unhandled
    const { results, statistics } = this.figures(at, rows, council);
    const byId = new Map(rows.assessments.map((a) => [a.assessmentId, a]));
    const attendance = await halfDays;
    return {
      period: { id: at.period.id, start: at.period.start, end: at.period.end },
      students: Object.fromEntries(
        council.map((m, i) => {
          const result = results.get(m.studentId)!;
          const { total } = attendance[i];
          return [
            m.studentId,
            {
              general: result.general.value,
              subjects: Object.fromEntries(result.subjects.map((s) => [s.subjectId, s.average.value])),
              justifiedHalfDays: total.justifiedHalfDays,
              unjustifiedHalfDays: total.unjustifiedHalfDays,
              latenesses: total.latenesses,
              ...competencyFigures(result, this.socleOf(m.studentId, result, byId, at.settings)),
            },
          ];
        }),
      ),
      class: {
        general: statistics.general.average,
        subjects: Object.fromEntries(statistics.subjects.map((s) => [s.subjectId, s.average])),
      },
    };
  }

  /** The council view of a class and period, in one request. */
  async view(user: AuthenticatedUser, schoolId: string, classId: string, periodId: string) {
    const at = this.councilPlace(schoolId, classId, periodId);
    this.assertReads(user, classId);
    const { period, settings } = at;
    const [{ rows, memberships, council }, councilRow, previous] = await Promise.all([
      this.members(at),
      this.council(at),
      this.previousGenerals(at),
    ]);
    const councilIds = council.map((m) => m.studentId);
    // The school life and the corrections are read on the read threads while this one computes the figures.
    const schoolLife = Promise.all([
      this.halfDays(at, councilIds),
      this.postCouncilCorrections(at, councilRow, councilIds, rows.assessments),
    ]);
    schoolLife.catch(() => undefined); // awaited below, after the figures: never left unhandled
    const { results, statistics } = this.figures(at, rows, council);
    const [attendance, corrections] = await schoolLife;
    const byId = new Map(rows.assessments.map((a) => [a.assessmentId, a]));
    const subjectStats = new Map(statistics.subjects.map((s) => [s.subjectId, s]));
    const decisions = councilRow?.students ?? {};
    // Each council student's appreciations in this class, by subject (the first report of a subject).
    const appreciations = new Map<string, Map<string, string | null>>();
    for (const r of rows.reports) {
      if (r.classId !== classId) continue;
      const bySubject = appreciations.get(r.studentId) ?? new Map<string, string | null>();
      if (!bySubject.has(r.subjectId)) bySubject.set(r.subjectId, r.appreciation);
      appreciations.set(r.studentId, bySubject);
    }
    const students = council.map((member, index) => {
      const { studentId } = member;
      const result = results.get(studentId)!;
      const own = memberships.get(studentId) ?? membershipsOf(undefined);
      const appreciationOf = appreciations.get(studentId);
      const { total, alerts } = attendance[index];
      const ledger = ledgerLink(schoolId, studentId, period.start, period.end);
      const socle = this.socleOf(studentId, result, byId, settings);
      return {
        studentId,
        lastName: member.lastName,
        firstName: member.firstName,
        subjects: result.subjects.map((s) => {
          const stats = subjectStats.get(s.subjectId);
          return {
            subjectId: s.subjectId,
            /** The student's average, naming the grades and assessments it was computed from. */
            average: s.average,
            class:
              stats === undefined
                ? null
                : {
                    average: stats.average,
                    min: stats.min,
                    max: stats.max,
                    count: stats.count,
                    display: stats.display,
                  },
            positioning: {
              suggested: s.positioning.suggested,
              final: s.positioning.final,
              shown: s.positioning.shown,
            },
            appreciation: appreciationOf?.get(s.subjectId) ?? null,
            teacherIds: [...new Set(s.assessmentIds.map((id) => byId.get(id)!.teacherId))].sort(),
            assessmentIds: s.assessmentIds,
          };
        }),
        general: result.general,
        socle,
        schoolLife: {
          justifiedHalfDays: total.justifiedHalfDays,
          unjustifiedHalfDays: total.unjustifiedHalfDays,
          halfDaysAbsent: total.halfDaysAbsent,
          latenesses: total.latenesses,
          /** The ledger, day by day, behind these counts. */
          ledger,
          openAlerts: alerts.filter((a) => a.status === 'open'),
          withdrawnAlerts: alerts.filter((a) => a.status === 'withdrawn'),
        },
        previousPeriods: previous.map((p) => ({
          periodId: p.periodId,
          general: p.generals.get(studentId) ?? null,
        })),
        moved: result.moved,
        classes: own.classes.filter((c) => overlaps(c, period)),
        groups: own.groups.filter((g) => overlaps(g, period)),
        council: {
          synthesis: decisions[studentId]?.synthesis ?? null,
          mention: decisions[studentId]?.mention ?? null,
        },
        /** Once held: each figure that changed since, with what the council saw and what stands now. */
        sinceHold: sinceHold(councilRow, studentId, {
          general: result.general.value,
          subjects: Object.fromEntries(result.subjects.map((s) => [s.subjectId, s.average.value])),
          justifiedHalfDays: total.justifiedHalfDays,
          unjustifiedHalfDays: total.unjustifiedHalfDays,
          latenesses: total.latenesses,
          ...competencyFigures(result, socle),
        }),
        /** Once held: each change recorded with a reason since, touching this period — who, when, why. */
        postCouncilCorrections: corrections.get(studentId) ?? [],
      };
    });
    return {
      schoolId,
      classId,
      period,
      council: {
        status: councilRow?.status ?? 'open',
        scheduledOn: councilRow?.scheduledOn ?? null,
        heldOn: councilRow?.heldOn ?? null,
        heldBy: councilRow?.heldBy ?? null,
        heldPosition: councilRow?.heldPosition ?? null,
        reopenedReason: councilRow?.reopenedReason ?? null,
        classAppreciation: councilRow?.classAppreciation ?? null,
        /** What the council saw when it was held (the figures each hold keeps). */
        snapshot: councilRow?.snapshot ?? null,
      },
      settings: {
        averageConvention: settings.convention,
        gradeRounding: settings.rounding,
        positioningSuggestion: settings.positioning.mode,
        competencyPoints: settings.positioning.points,
        subjectCoefficients: settings.subjectCoefficients,
      },
      students,
      /** Students who were in the class during the period but not on its last day. */
      left: rows.members
        .filter((m) => !council.includes(m))
        .map(({ studentId, lastName, firstName, spans }) => ({ studentId, lastName, firstName, spans })),
      /**
       * The class's figures name the students whose averages they are computed from; each student's
       * average above names its grades, so they are not repeated here (a seventh of the answer).
       */
      statistics: {
        subjects: statistics.subjects.map(({ gradeIds: _g, assessmentIds: _a, ...figures }) => figures),
        general: (({ gradeIds: _g, assessmentIds: _a, ...figures }) => figures)(statistics.general),
      },
    };
  }

  /**
   * The changes recorded with a reason after the hold about the council's students that touch its
   * period: an assessment of the period, a roll call dated in it, the class's reports of the period,
   * the student's own attendance facts and enrolment (whose dates the trail does not carry: each is
   * listed, its figures in `sinceHold`).
   */
  private async postCouncilCorrections(
    at: CouncilPlace,
    councilRow: CouncilRow | undefined,
    studentIds: readonly string[],
    assessments: readonly AssessmentRow[],
  ) {
    const byStudent = new Map<string, Omit<PostCouncilEntry, 'studentId'>[]>();
    if (councilRow?.heldPosition == null || councilRow.status !== 'held') return byStudent;
    const entries = await this.reads.run(
      'readPostCouncilEntries',
      () => this.runner.tables<AuditTrailTable>(auditTrailProjection.name),
      { schoolId: at.schoolId, studentIds, after: String(councilRow.heldPosition) },
    );
    const ofPeriod = new Set(assessments.map((a) => assessmentStreamId(at.schoolId, a.assessmentId)));
    const prefix = (kind: string) => `${kind}-${at.schoolId}-`;
    const touches = (streamId: string): boolean => {
      if (streamId.startsWith(prefix('assessment'))) return ofPeriod.has(streamId);
      if (streamId.startsWith(prefix('rollcall'))) {
        const date = /(\d{4}-\d{2}-\d{2})-[^-]+$/.exec(streamId)?.[1];
        return date !== undefined && at.period.start <= date && date <= at.period.end;
      }
      if (streamId.startsWith(prefix('report'))) return streamId.endsWith(`-${at.period.id}`);
      return streamId.startsWith(prefix('attendance')) || streamId.startsWith(prefix('student'));
    };
    for (const { studentId, ...entry } of entries)
      if (touches(entry.streamId)) byStudent.set(studentId, [...(byStudent.get(studentId) ?? []), entry]);
    return byStudent;
  }

  /** Levels per socle component over the student's levels on items linked to one, across subjects. */
  private socleOf(
    studentId: string,
    result: StudentPeriodResult,
    byId: ReadonlyMap<string, AssessmentRow>,
    settings: PeriodSettings,
  ) {
    const levels = new Map<string, LevelForPositioning[]>();
    const ids = new Set<string>();
    for (const s of result.subjects) for (const id of s.assessmentIds) ids.add(id);
    for (const id of ids) {
      const a = byId.get(id)!;
      for (const item of a.competencyItems) {
        if (item.socleComponent === undefined || item.socleComponent === null) continue;
        const byStudent = a.levels[item.itemId];
        if (byStudent === undefined || !hasOwn(byStudent, studentId)) continue;
        const level = {
          assessmentId: a.assessmentId,
          itemId: item.itemId,
          studentId,
          date: a.date,
          value: byStudent[studentId],
          cancelled: a.cancelled,
        };
        const list = levels.get(item.socleComponent);
        if (list) list.push(level);
        else levels.set(item.socleComponent, [level]);
      }
    }
    return SOCLE_COMPONENTS.filter((c) => levels.has(c)).map((component) => ({
      component,
      ...socleComponentLevel(levels.get(component)!, settings.positioning),
    }));
  }

  /** The general averages of the year's periods before this one, per student of the class then. */
  private async previousGenerals(at: CouncilPlace) {
    const earlier = at.place.periods.filter((p) => p.end < at.period.start);
    return Promise.all(
      earlier.map(async (p) => {
        const settings = this.inputs.periodSettings(at.schoolId, at.classId, p);
        const rows = await this.reads.run(
          'readPeriodRows',
          this.periodTables,
          at.schoolId,
          { kind: 'class', id: at.classId },
          p,
          null,
        );
        const results = resultsOf(rows, p, settings);
        return {
          periodId: p.id,
          generals: new Map([...results].map(([id, r]) => [id, r.general])),
        };
      }),
    );
  }

  /**
   * What is missing before the council can be held, each with who must act, counted per teacher so
   * that a principal sends one reminder each.
   */
  async readiness(user: AuthenticatedUser, schoolId: string, classId: string, periodId: string) {
    const at = this.councilPlace(schoolId, classId, periodId);
    this.assertReads(user, classId);
    const { period } = at;
    const [{ rows, memberships, council }, missingRollCalls, onLastDay] = await Promise.all([
      this.members(at),
      this.missingRollCalls(at),
      this.reads.run(
        'readStudentsOfClassOn',
        () => this.runner.tables<EnrolmentsTable>(enrolmentsProjection.name),
        schoolId,
        classId,
        period.end,
      ),
    ]);
    const councilIds = council.map((m) => m.studentId);
    const attendance = await this.halfDays(at, councilIds);
    const byTeacher = new Map<string, Missing>();
    const count = (teacherId: string, key: keyof Missing) => {
      const line = byTeacher.get(teacherId) ?? { rollCalls: 0, grades: 0, appreciations: 0, positionings: 0 };
      line[key]++;
      byTeacher.set(teacherId, line);
    };
    for (const lesson of missingRollCalls) count(lesson.teacherId, 'rollCalls');

    const grades = rows.assessments
      .filter((a) => !a.cancelled)
      .flatMap((a) => {
        const missing = rows.members
          .map((m) => m.studentId)
          .filter((studentId) => {
            if (!enrolledFor(memberships.get(studentId) ?? membershipsOf(undefined), a)) return false;
            if (hasOwn(a.grades, studentId)) return false;
            return !Object.values(a.levels).some((byStudent) => hasOwn(byStudent, studentId));
          });
        return missing.length === 0
          ? []
          : [
              {
                assessmentId: a.assessmentId,
                classOrGroupId: a.classOrGroupId,
                subjectId: a.subjectId,
                date: a.date,
                title: a.title,
                teacherId: a.teacherId,
                studentIds: missing,
              },
            ];
      });
    for (const g of grades) for (const _ of g.studentIds) count(g.teacherId, 'grades');

    const reports = rows.reports.filter((r) => r.classId === classId);
    const reportOf = (subjectId: string, studentId: string) =>
      reports.find((r) => r.subjectId === subjectId && r.studentId === studentId);
    const teaching = this.inputs.school.teaching(schoolId).assignments;
    const subjects = teaching.flatMap(({ teacherId, subjectId, target }) => {
      const students = councilIds.filter((studentId) => {
        if (target.kind === 'class') return target.id === classId;
        const own = memberships.get(studentId) ?? membershipsOf(undefined);
        return own.groups.some((g) => g.groupId === target.id && covers(g, period.end));
      });
      if (students.length === 0) return [];
      const withoutAppreciation = students.filter(
        (s) => (reportOf(subjectId, s)?.appreciation ?? null) === null,
      );
      const withoutPositioning = students.filter(
        (s) => (reportOf(subjectId, s)?.positioning ?? null) === null,
      );
      if (withoutAppreciation.length === 0 && withoutPositioning.length === 0) return [];
      return [{ teacherId, subjectId, classOrGroupId: target.id, withoutAppreciation, withoutPositioning }];
    });
    for (const s of subjects) {
      for (const _ of s.withoutAppreciation) count(s.teacherId, 'appreciations');
      for (const _ of s.withoutPositioning) count(s.teacherId, 'positionings');
    }

    const unjustified = attendance
      .filter((a) => a.total.unjustifiedHalfDays > 0)
      .map((a) => ({
        studentId: a.studentId,
        unjustifiedHalfDays: a.total.unjustifiedHalfDays,
        ledger: ledgerLink(schoolId, a.studentId, period.start, period.end),
      }));
    const pendingJustifications = attendance
      .filter((a) => a.pendingJustifications.length > 0)
      .map((a) => ({
        studentId: a.studentId,
        justifications: a.pendingJustifications,
        ledger: ledgerLink(schoolId, a.studentId, period.start, period.end),
      }));
    const withoutSiecleId = onLastDay
      .filter((s) => s.ine === null)
      .map(({ studentId, lastName, firstName }) => ({ studentId, lastName, firstName }));
    const ready =
      missingRollCalls.length === 0 &&
      unjustified.length === 0 &&
      pendingJustifications.length === 0 &&
      grades.length === 0 &&
      subjects.length === 0 &&
      withoutSiecleId.length === 0;
    return {
      schoolId,
      classId,
      period,
      ready,
      rollCalls: {
        actor: 'teacher',
        basis:
          'lessons of the period expected from the declared timetable, or else the weekly pattern of the roll calls taken, without a roll call that counts',
        missing: missingRollCalls,
      },
      pendingJustifications: {
        actor: 'cpe',
        basis:
          'justifications of the council students covering a day of the period, received and not yet accepted or rejected',
        students: pendingJustifications,
      },
      unjustifiedAbsences: {
        actor: 'cpe',
        basis:
          "the council students' unjustified half-days in the period (attendance counts): each awaits a justification or a decision on it",
        students: unjustified,
      },
      grades: {
        actor: 'teacher',
        basis:
          "students enrolled in the assessment's class or group on its date, with neither a grade, a marker nor a level",
        assessments: grades,
      },
      reports: {
        actor: 'teacher',
        basis:
          "each teaching assignment of the class (or of a group of its students): council students without the subject's appreciation or final positioning",
        subjects,
      },
      siecle: {
        actor: 'admin',
        basis: 'students in the class on the last day of the period whose INE (SIECLE id) is not known',
        students: withoutSiecleId,
      },
      byTeacher: [...byTeacher]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([teacherId, missing]) => ({ teacherId, missing })),
    };
  }

  /** The lessons of the class in the period (up to today) without a roll call that counts. */
  private async missingRollCalls(at: CouncilPlace) {
    const { schoolId, classId, period } = at;
    const window = completenessWindow({ from: period.start, to: period.end }, todayInParis(this.clock));
    const { from, to } = window;
    if (from > to) return [];
    const { expected } = await this.attendance.expectedIn(schoolId, window, classId);
    const found = await this.reads.run(
      'rollCallCompleteness',
      () => this.runner.tables<'rollcalls'>(rollCallCompletenessProjection.name),
      { schoolId, from, to, expected },
    );
    return found.missing.map(({ date, slotCode, teacherId, voided }) => ({
      date,
      slotCode,
      teacherId,
      voided,
    }));
  }
}
