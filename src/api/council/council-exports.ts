import { Inject, Injectable } from '@nestjs/common';
import { SocleComponent } from '../../domain/assessment/positioning';
import {
  LSU_SOCLE_CODES,
  LSU_SUBJECT_LABEL_MAX_LENGTH,
  lsuLength,
  LsuClassPeriod,
  LsuPositioning,
  LsuProblem,
  lsuProblems,
  LsuSocleCode,
  LsuStudentSubject,
  lsuXml,
} from '../../domain/lsu';
import { GradeRounding } from '../../domain/settings/settings';
import { IsoDate } from '../../domain/shared/calendar';
import { Clock, todayInParis } from '../../domain/shared/clock';
import { TableNames } from '../../projections/projection';
import {
  enrolmentsProjection,
  EnrolmentsTable,
  readClasses,
  readStudentsOfClassOn,
  schoolStructureProjection,
  SchoolStructureTable,
  StudentOnDate,
  TeachingView,
} from '../../projections/structure';
import {
  councilTableCsv,
  Positioning,
  renderClassReportCards,
  renderStudentReportCard,
  ReportCardClass,
  SocleLevel,
} from '../../report-cards';
import { SOCLE_LABELS } from '../../report-cards/sample-class';
import { AssessmentInputs } from '../assessment/assessment-inputs';
import { AuthenticatedUser } from '../auth/user';
import { CLOCK } from '../core/tokens';
import { ApiError } from '../errors/api-error';
import { CouncilViews } from './council-views';

/** The council view as `CouncilViews.view` answers it. */
export type CouncilView = Awaited<ReturnType<CouncilViews['view']>>;

/**
 * What the exports need besides the council view, none of which the view carries: the school, its
 * teachers and subjects (STS-web), the students' INE (SIECLE), the period's label and rank, the
 * class's label, and the day of the export.
 */
export interface ExportContext {
  readonly school: {
    readonly uai: string;
    /** The `schoolName` setting in force on the period's last day; `Établissement {uai}` while the school has given none. */
    readonly name: string;
    /** Who signs the reports, from the STS-web direction staff (DIR); '' when the school has none. */
    readonly head: string;
  };
  readonly teaching: TeachingView;
  readonly students: readonly StudentOnDate[];
  readonly class: { readonly id: string; readonly label: string };
  readonly period: {
    readonly id: string;
    readonly label: string;
    readonly start: IsoDate;
    readonly end: IsoDate;
    readonly index: number;
    readonly count: number;
  };
  readonly schoolYear: string;
  readonly today: IsoDate;
}

/** The LSU header's editor and application: Registre itself (Registre keeps no other). */
export const LSU_EDITOR = 'Registre';
export const LSU_APPLICATION = 'Registre';

/** An STS-web individual id is a positive integer: a teacher id of another shape was not imported from STS-web. */
const STS_ID = /^0*[1-9][0-9]*$/;
/** The national subject code (BCN code matière) has six characters: STS-web's MATIERE CODE, Registre's subject id. */
const SUBJECT_CODE = /^[0-9A-Z]{6}$/;

const positioningOf = (value: number | null | undefined): LsuPositioning | null =>
  value === 1 || value === 2 || value === 3 || value === 4 ? value : null;

const nameOf = (person: { readonly firstName: string; readonly lastName: string }): string =>
  `${person.firstName} ${person.lastName}`.trim();

/** The subject ids the teaching assignments of the class (or of a group the student is in) name, with their teachers. */
const assignedSubjects = (
  view: CouncilView,
  student: CouncilView['students'][number],
  teaching: TeachingView,
): Map<string, string[]> => {
  const groups = new Set(
    student.groups
      .filter((g) => g.until === null || g.until === undefined || g.until > view.period.end)
      .map((g) => g.groupId),
  );
  const subjects = new Map<string, string[]>();
  for (const { teacherId, subjectId, target } of teaching.assignments) {
    const concerns = target.kind === 'class' ? target.id === view.classId : groups.has(target.id);
    if (!concerns) continue;
    subjects.set(subjectId, [...(subjects.get(subjectId) ?? []), teacherId]);
  }
  return subjects;
};

/**
 * The LSU input of a class and period from its council view: averages unrounded, final positionings,
 * appreciations, school-life counts, the council's synthesis and the day it was held; subjects the
 * class is assigned without a grade yet are listed too, so that the check names their missing
 * appreciation. Teachers' STS ids are their Registre ids when those are STS-web's (positive integers).
 */
export const lsuClassPeriodOf = (view: CouncilView, context: ExportContext): LsuClassPeriod => {
  const ine = new Map(context.students.map((s) => [s.studentId, s.ine]));
  const students = view.students.map((student) => {
    const seen = new Set<string>();
    const subjects: LsuStudentSubject[] = student.subjects.map((s) => {
      seen.add(s.subjectId);
      return {
        subjectId: s.subjectId,
        teacherIds: s.teacherIds,
        average: s.average.value,
        classAverage: s.class?.average ?? null,
        positioning: positioningOf(s.positioning.final),
        appreciation: s.appreciation,
      };
    });
    for (const [subjectId, teacherIds] of assignedSubjects(view, student, context.teaching))
      if (!seen.has(subjectId))
        subjects.push({ subjectId, teacherIds, average: null, positioning: null, appreciation: null });
    const moved = student.classes.find((c) => c.classId === view.classId && c.from > view.period.start);
    const socle = student.socle.flatMap((s) => {
      const level = s.level;
      return (LSU_SOCLE_CODES as readonly string[]).includes(s.component) && level !== null
        ? [{ code: s.component as LsuSocleCode, level }]
        : [];
    });
    return {
      studentId: student.studentId,
      ineOrSiecleId: ine.get(student.studentId) ?? null,
      lastName: student.lastName,
      firstName: student.firstName,
      ...(moved !== undefined ? { schoolingStart: moved.from } : {}),
      subjects,
      schoolLife: {
        justified: student.schoolLife.justifiedHalfDays,
        unjustified: student.schoolLife.unjustifiedHalfDays,
        lateness: student.schoolLife.latenesses,
      },
      councilSynthesis: student.council.synthesis,
      councilDate: view.council.heldOn,
      ...(socle.length > 0 ? { socle } : {}),
    };
  });
  const subjectIds = new Set(students.flatMap((s) => s.subjects.map((x) => x.subjectId)));
  const teacherIds = new Set(students.flatMap((s) => s.subjects.flatMap((x) => x.teacherIds)));
  return {
    school: { uai: context.school.uai, name: context.school.name, head: context.school.head },
    export: { editor: LSU_EDITOR, application: LSU_APPLICATION, date: context.today },
    period: {
      id: context.period.id,
      label: context.period.label,
      start: context.period.start,
      end: context.period.end,
      index: context.period.index,
      count: context.period.count,
    },
    class: { code: context.class.id, label: context.class.label },
    teachers: context.teaching.teachers
      .filter((t) => teacherIds.has(t.teacherId))
      .map((t) => ({
        id: t.teacherId,
        lastName: t.lastName,
        firstName: t.firstName,
        stsId: STS_ID.test(t.teacherId) ? t.teacherId : null,
        kind: 'epp' as const,
      })),
    subjects: context.teaching.subjects
      .filter((s) => subjectIds.has(s.subjectId))
      .map((s) => ({
        id: s.subjectId,
        code: SUBJECT_CODE.test(s.subjectId) ? s.subjectId : SUBJECT_CODE.test(s.code) ? s.code : s.subjectId,
        // The LSU takes 40 characters: a longer label gives way to the short one (STS-web's LIBELLE_COURT).
        label: lsuLength(s.label) <= LSU_SUBJECT_LABEL_MAX_LENGTH ? s.label : s.shortLabel,
      })),
    students,
  };
};

/** The report cards' input from the council view: figures as the council sees them, labels in French. */
export const reportCardClassOf = (view: CouncilView, context: ExportContext): ReportCardClass => {
  const teachers = new Map(context.teaching.teachers.map((t) => [t.teacherId, nameOf(t)]));
  const labels = new Map(context.teaching.subjects.map((s) => [s.subjectId, s.label]));
  const classLabel = (classId: string) => (classId === view.classId ? context.class.label : classId);
  return {
    school: { uai: context.school.uai, name: context.school.name },
    class: { id: context.class.id, label: context.class.label },
    period: {
      id: context.period.id,
      label: context.period.label,
      start: context.period.start,
      end: context.period.end,
    },
    schoolYear: context.schoolYear,
    rounding: view.settings.gradeRounding as GradeRounding,
    issuedOn: view.council.heldOn ?? context.period.end,
    students: view.students.map((student) => {
      const arrival = student.moved?.find((c) => c.classId === view.classId && c.from > view.period.start);
      const before = student.moved?.find((c) => c.classId !== view.classId && c.from <= view.period.start);
      return {
        studentId: student.studentId,
        lastName: student.lastName,
        firstName: student.firstName,
        ...(arrival !== undefined
          ? {
              moved: `Arrivé(e)${before !== undefined ? ` de ${classLabel(before.classId)}` : ''} le ${arrival.from.split('-').reverse().join('/')}`,
            }
          : {}),
        subjects: student.subjects.map((s) => ({
          label: labels.get(s.subjectId) ?? s.subjectId,
          teacher: s.teacherIds.map((id) => teachers.get(id) ?? id).join(', '),
          average: s.average.value,
          classAverage: s.class?.average ?? null,
          min: s.class?.min ?? null,
          max: s.class?.max ?? null,
          positioning: positioningOf(s.positioning.final) as Positioning | null,
          positioningSuggested: positioningOf(s.positioning.suggested.level) as Positioning | null,
          appreciation: s.appreciation ?? '',
        })),
        general: {
          average: student.general.value,
          classAverage: view.statistics.general.average,
        },
        socle: student.socle.map((s) => ({
          component: s.component,
          label: SOCLE_LABELS[s.component as SocleComponent],
          level: s.level as SocleLevel,
        })),
        schoolLife: {
          justifiedHalfDays: student.schoolLife.justifiedHalfDays,
          unjustifiedHalfDays: student.schoolLife.unjustifiedHalfDays,
          latenesses: student.schoolLife.latenesses,
          openAlerts: student.schoolLife.openAlerts.length,
        },
        council: {
          synthesis: student.council.synthesis ?? '',
          mention: student.council.mention,
          date: view.council.heldOn,
        },
      };
    }),
  };
};

/** What a file of the exports is called: `{kind}-{uai}-{class}-{period}[-{student}].{ext}`, safe characters only. */
export const exportFileName = (kind: string, parts: readonly string[], extension: string): string =>
  `${[kind, ...parts].map((p) => p.replace(/[^A-Za-z0-9_-]/g, '_')).join('-')}.${extension}`;

/**
 * The council's exports — the LSU file and its pre-export check, the report cards, the council
 * table as CSV — each from the council view (so with its roles and 404s) and the structure read
 * models for what the view does not carry.
 */
@Injectable()
export class CouncilExports {
  constructor(
    @Inject(CouncilViews) private readonly views: CouncilViews,
    @Inject(AssessmentInputs) private readonly inputs: AssessmentInputs,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async gather(user: AuthenticatedUser, schoolId: string, classId: string, periodId: string) {
    const view = await this.views.view(user, schoolId, classId, periodId);
    const school = this.inputs.school;
    const teaching = school.teaching(schoolId);
    const head = teaching.staff.find((s) => s.function === 'DIR');
    const year = school
      .schoolYears(schoolId)
      .find((y) => y.start <= view.period.start && view.period.end <= y.end);
    const schemePeriods = Object.values(year?.periods ?? {}).find((list) =>
      (list ?? []).some((p) => p.id === view.period.id && p.start === view.period.start),
    );
    const periods = schemePeriods ?? [];
    const index = periods.findIndex((p) => p.id === view.period.id);
    const { classLabel, students } = school.remember(
      `council-export\0${schoolId}\0${classId}\0${view.period.end}`,
      (db, tables) => {
        const structure = tables(schoolStructureProjection.name) as TableNames<SchoolStructureTable>;
        const enrolments = tables(enrolmentsProjection.name) as TableNames<EnrolmentsTable>;
        return {
          classLabel:
            readClasses(db, structure, schoolId).find((c) => c.classId === classId)?.label ?? classId,
          students: readStudentsOfClassOn(db, enrolments, schoolId, classId, view.period.end),
        };
      },
    );
    const context: ExportContext = {
      school: {
        uai: schoolId,
        name: school.settingsOn(schoolId, view.period.end).schoolName || `Établissement ${schoolId}`,
        head: head === undefined ? '' : `${nameOf(head)}, chef d'établissement`,
      },
      teaching,
      students,
      class: { id: classId, label: classLabel },
      period: {
        id: view.period.id,
        label: index >= 0 ? periods[index].label : view.period.id,
        start: view.period.start,
        end: view.period.end,
        index: index + 1,
        count: periods.length,
      },
      schoolYear: year?.schoolYear ?? '',
      today: todayInParis(this.clock),
    };
    return { view, context };
  }

  /** What the national import would refuse, to be fixed first. */
  async lsuCheck(user: AuthenticatedUser, schoolId: string, classId: string, periodId: string) {
    const { view, context } = await this.gather(user, schoolId, classId, periodId);
    return { problems: lsuProblems(lsuClassPeriodOf(view, context)) };
  }

  /** The LSU XML; 409 LSU.NOT_EXPORTABLE listing the problems when the check finds any. */
  async lsu(user: AuthenticatedUser, schoolId: string, classId: string, periodId: string) {
    const { view, context } = await this.gather(user, schoolId, classId, periodId);
    const input = lsuClassPeriodOf(view, context);
    const problems: LsuProblem[] = lsuProblems(input);
    if (problems.length > 0)
      throw new ApiError(
        409,
        'LSU.NOT_EXPORTABLE',
        `the LSU export of ${classId}, ${periodId} has ${problems.length} problem(s) to fix first: ${problems
          .slice(0, 3)
          .map((p) => p.message)
          .join('; ')}${problems.length > 3 ? '; …' : ''}`,
        { problems },
      );
    return { fileName: exportFileName('lsu', [schoolId, classId, periodId], 'xml'), xml: lsuXml(input) };
  }

  async reportCards(user: AuthenticatedUser, schoolId: string, classId: string, periodId: string) {
    const { view, context } = await this.gather(user, schoolId, classId, periodId);
    const input = reportCardClassOf(view, context);
    return {
      fileName: exportFileName('bulletins', [schoolId, classId, periodId], 'pdf'),
      pdf: await renderClassReportCards(input),
    };
  }

  /** 404 for a student who is not one of the council's. */
  async studentReportCard(
    user: AuthenticatedUser,
    schoolId: string,
    classId: string,
    periodId: string,
    studentId: string,
  ) {
    const { view, context } = await this.gather(user, schoolId, classId, periodId);
    if (!view.students.some((s) => s.studentId === studentId))
      throw new ApiError(
        404,
        'COUNCIL.STUDENT_UNKNOWN',
        `${studentId} is not a student of ${classId}'s council for ${periodId}`,
        { field: 'studentId', studentId },
      );
    return {
      fileName: exportFileName('bulletin', [schoolId, classId, periodId, studentId], 'pdf'),
      pdf: await renderStudentReportCard(reportCardClassOf(view, context), studentId),
    };
  }

  async councilCsv(user: AuthenticatedUser, schoolId: string, classId: string, periodId: string) {
    const { view, context } = await this.gather(user, schoolId, classId, periodId);
    return {
      fileName: exportFileName('conseil', [schoolId, classId, periodId], 'csv'),
      csv: councilTableCsv(reportCardClassOf(view, context)),
    };
  }

  /** Everything `registre report-cards` writes, from one council view. */
  async allReportCards(user: AuthenticatedUser, schoolId: string, classId: string, periodId: string) {
    const { view, context } = await this.gather(user, schoolId, classId, periodId);
    const input = reportCardClassOf(view, context);
    return {
      input,
      students: await Promise.all(
        input.students.map(async (s) => ({
          studentId: s.studentId,
          pdf: await renderStudentReportCard(input, s.studentId),
        })),
      ),
      classPdf: await renderClassReportCards(input),
      csv: councilTableCsv(input),
    };
  }
}
