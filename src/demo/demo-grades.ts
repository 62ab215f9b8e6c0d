import {
  AssessmentCommand,
  AssessmentPeriod,
  CompetencyItem,
  GradeValue,
  GroupKind,
  Level,
  LevelForPositioning,
  ReportCommand,
  SocleComponent,
  StudentLevel,
  TeacherScope,
  assessmentStreamId,
  isLevel,
  reportStreamId,
  suggestPositioning,
} from '../domain/assessment';
import { IsoDate } from '../domain/shared/calendar';
import { Actor } from '../domain/shared/event';
import { DEMO_CLASSES, DEMO_GROUPS, DEMO_SCHOOL_ID, DemoStudent } from './demo-roster';
import { DEMO_TRIMESTERS } from './demo-settings';
import { DEMO_MONTH, DEMO_TEACHERS, DemoTeacher, lessonsOn, schoolDaysOf } from './demo-timetable';
import { CLASS_CHANGE, DEMO_SEED, StoryWriter, parisInstant, timePlus } from './demo-writer';
import { seededRandom } from './seeded-random';

/**
 * The first trimester's grade book of the demo collège: every class's and group's assessments in
 * each subject, their grades and competency levels, the grade-side mistakes of DOMAIN.md
 * ("Data-collection errors" 8) with their corrections, and the teachers' positionings and
 * appreciations for the council. Pure: it adds steps to the story, the builder sends them.
 */

/** The periods of the demo's trimester scheme, as the structure read model gives them to the commands. */
export const DEMO_PERIODS: readonly AssessmentPeriod[] = DEMO_TRIMESTERS.map((t, index) => ({
  id: `T${index + 1}`,
  start: t.start,
  end: t.end,
}));

/** The trimester the demo grades: its assessments are dated from the start of the year to the demo's last week. */
export const DEMO_GRADED_PERIOD = DEMO_PERIODS[0];

/** No assessment after this date, so that each is graded before the demo's last day. */
const LAST_ASSESSMENT_DATE = '2026-11-20';
/** The demo's last school day: nothing is written after it. */
const LAST_DAY = DEMO_MONTH.to;

const SCHOOL = DEMO_SCHOOL_ID;

type ItemDef = { readonly itemId: string; readonly label: string; readonly socleComponent: SocleComponent };

/** The competency items each subject evaluates, linked to the socle components of the LSU. */
export const DEMO_COMPETENCY_ITEMS: Readonly<Record<string, readonly ItemDef[]>> = {
  FRANC: [
    { itemId: 'FRA-LIRE', label: 'Lire et comprendre un texte', socleComponent: 'CPD_FRA' },
    { itemId: 'FRA-ECRIRE', label: 'Écrire un texte cohérent', socleComponent: 'CPD_FRA' },
    { itemId: 'FRA-LANGUE', label: 'Maîtriser le fonctionnement de la langue', socleComponent: 'CPD_FRA' },
  ],
  MATHS: [
    { itemId: 'MAT-CALC', label: 'Calculer avec des nombres', socleComponent: 'CPD_SCI' },
    { itemId: 'MAT-RAIS', label: 'Raisonner et démontrer', socleComponent: 'CPD_SCI' },
    { itemId: 'MAT-MODEL', label: 'Modéliser une situation', socleComponent: 'SYS_NAT' },
  ],
  HIGEO: [
    { itemId: 'HG-REPERES', label: "Se repérer dans le temps et dans l'espace", socleComponent: 'REP_MND' },
    { itemId: 'HG-DOC', label: 'Analyser et comprendre un document', socleComponent: 'MET_APP' },
    { itemId: 'EMC-DEBAT', label: 'Argumenter dans un débat', socleComponent: 'FRM_CIT' },
  ],
  AGL1: [
    { itemId: 'ANG-CO', label: "Comprendre l'oral", socleComponent: 'CPD_ETR' },
    { itemId: 'ANG-EE', label: 'Écrire en anglais', socleComponent: 'CPD_ETR' },
  ],
  SVT: [
    { itemId: 'SVT-DEMARCHE', label: 'Pratiquer une démarche scientifique', socleComponent: 'SYS_NAT' },
    { itemId: 'SVT-SCHEMA', label: 'Communiquer par un schéma', socleComponent: 'CPD_SCI' },
  ],
  PHYCH: [
    { itemId: 'PC-MESURE', label: 'Mesurer et exploiter une mesure', socleComponent: 'SYS_NAT' },
    { itemId: 'PC-MODEL', label: 'Modéliser un phénomène', socleComponent: 'CPD_SCI' },
  ],
  TECHN: [
    { itemId: 'TEC-CONCEVOIR', label: 'Concevoir un objet technique', socleComponent: 'SYS_NAT' },
    { itemId: 'TEC-PROG', label: 'Écrire un programme', socleComponent: 'CPD_SCI' },
  ],
  EPS: [
    { itemId: 'EPS-MOTEUR', label: 'Développer sa motricité', socleComponent: 'CPD_ART' },
    { itemId: 'EPS-ROLES', label: 'Assumer les rôles sociaux', socleComponent: 'FRM_CIT' },
  ],
  ARPLA: [
    { itemId: 'ART-EXPRIMER', label: 'Expérimenter et créer', socleComponent: 'CPD_ART' },
    { itemId: 'ART-ANALYSER', label: 'Analyser une œuvre', socleComponent: 'MET_APP' },
  ],
  EDMUS: [
    { itemId: 'MUS-CHANTER', label: 'Chanter et interpréter', socleComponent: 'CPD_ART' },
    { itemId: 'MUS-ECOUTER', label: 'Écouter et comparer', socleComponent: 'CPD_ART' },
  ],
  LCALA: [
    { itemId: 'LAT-TRADUIRE', label: 'Traduire un texte latin simple', socleComponent: 'CPD_FRA' },
    { itemId: 'LAT-CULTURE', label: 'Connaître le monde romain', socleComponent: 'REP_MND' },
  ],
  EURO: [
    { itemId: 'EURO-ORAL', label: "S'exprimer à l'oral en anglais", socleComponent: 'CPD_ETR' },
    { itemId: 'EURO-DOC', label: 'Présenter un document historique', socleComponent: 'REP_MND' },
  ],
};

/** What each subject's assessments are about, in the order of the trimester. */
const TOPICS: Readonly<Record<string, readonly string[]>> = {
  FRANC: ['conjugaison', 'le conte merveilleux', 'lecture cursive', 'la phrase complexe', 'récit', 'poésie'],
  MATHS: [
    'nombres décimaux',
    'fractions',
    'proportionnalité',
    'angles',
    'périmètres et aires',
    'calcul littéral',
  ],
  HIGEO: [
    'repères chronologiques',
    "l'Empire romain",
    'cartes et croquis',
    'la Révolution',
    'EMC',
    'climats',
  ],
  AGL1: ['vocabulary', 'present simple', 'listening', 'past simple', 'writing', 'irregular verbs'],
  SVT: ['le vivant', 'la cellule', 'la respiration', 'les roches', 'la digestion', 'les écosystèmes'],
  PHYCH: [
    'états de la matière',
    'mélanges',
    'circuits électriques',
    'masse et volume',
    'la lumière',
    'énergie',
  ],
  TECHN: ['objets techniques', 'matériaux', 'chaîne d’énergie', 'programmation', 'croquis', 'projet'],
  EPS: ['endurance', 'badminton', 'acrosport', 'handball', 'gymnastique', 'course de haies'],
  ARPLA: ['couleur', 'la matière', 'collage', 'perspective', 'autoportrait', 'installation'],
  EDMUS: ['chant', 'écoute', 'rythme', 'instruments', 'chant choral', 'musique de film'],
  LCALA: ['déclinaisons', 'Rome antique', 'version', 'vocabulaire', 'mythologie', 'traduction'],
  EURO: ['Ancient Rome', 'maps', 'the Industrial Revolution', 'oral report', 'timeline', 'documents'],
};

type Kind = {
  readonly name: string;
  readonly outOf: number;
  readonly coefficient: number;
  readonly formative: boolean;
};

/** The assessments of a class and subject, in date order: the first is formative, then /5, /20 coef. 2, /10… */
const KINDS: readonly Kind[] = [
  { name: 'Évaluation diagnostique', outOf: 20, coefficient: 1, formative: true },
  { name: 'Interrogation flash', outOf: 5, coefficient: 1, formative: false },
  { name: 'Devoir surveillé', outOf: 20, coefficient: 2, formative: false },
  { name: 'Interrogation écrite', outOf: 10, coefficient: 1, formative: false },
  { name: 'Devoir maison', outOf: 20, coefficient: 1, formative: false },
  { name: 'Devoir surveillé', outOf: 20, coefficient: 2, formative: false },
];

type Terms = { readonly outOf: number; coefficient: number; formative: boolean };

export type Planned = {
  readonly assessmentId: string;
  readonly classOrGroupId: string;
  readonly groupKind: GroupKind;
  readonly subjectId: string;
  readonly teacher: DemoTeacher;
  readonly date: IsoDate;
  readonly slotCode: string;
  readonly gradedOn: IsoDate;
  readonly title: string;
  readonly kind: number;
  /** The terms the teacher meant. */
  readonly terms: Terms;
  /** The terms the teacher typed when creating it: a mistake makes them differ. */
  readonly typedTerms: Terms;
  readonly items: readonly CompetencyItem[];
  /** The grades the copies carry, by student. */
  readonly grades: Map<string, GradeValue>;
  /** The grades as typed in the grade book: a mistake makes them differ. */
  readonly typed: Map<string, GradeValue>;
  readonly levels: readonly StudentLevel[];
};

/** One grade-side mistake of the trimester, and the assessment it is on. */
export type GradeMistakeRef = {
  readonly assessmentId: string;
  readonly classOrGroupId: string;
  readonly subjectId: string;
  readonly title: string;
  readonly date: IsoDate;
  readonly teacherId: string;
  /** When the correction was sent (UTC). */
  readonly correctedAt: string;
  readonly reason: string;
};

export type DemoGradeHighlights = {
  readonly periodId: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly figures: {
    /** Assessments created, the cancelled one included. */
    readonly assessments: number;
    readonly cancelled: number;
    readonly assessmentsWithLevels: number;
    /** Grade values recorded (markers included), before corrections. */
    readonly grades: number;
    readonly markers: number;
    /** Competency levels recorded. */
    readonly levels: number;
    readonly positionings: number;
    readonly appreciations: number;
    /** Commands that correct a mistake: changes, grade corrections, the cancellation. */
    readonly corrections: number;
  };
  /** (a) Created with coefficient 3 instead of 1; changed back once graded. */
  readonly wrongCoefficient: GradeMistakeRef & { readonly typed: number; readonly meant: number };
  /** (b) A diagnostic assessment created as counted; made formative. */
  readonly countedFormative: GradeMistakeRef;
  /** (c) Two students' grades typed on each other's line; two corrections under one correlation id. */
  readonly swappedGrades: GradeMistakeRef & {
    readonly studentIds: readonly [string, string];
    readonly correlationId: string;
  };
  /** (d) A grade typed above what the copy says. */
  readonly typedAbove: GradeMistakeRef & {
    readonly studentId: string;
    readonly typed: number;
    readonly meant: number;
  };
  /** (e) The same assessment entered twice; the copy is cancelled. */
  readonly enteredTwice: GradeMistakeRef & { readonly duplicateOf: string };
  /** The student who changes class keeps his grades on the old class's assessments. */
  readonly classChange: {
    readonly studentId: string;
    readonly gradedIn: Readonly<Record<string, number>>;
  };
};

const scopeOf = (teacher: DemoTeacher): { actor: Actor; actorScope: TeacherScope } => ({
  actor: { id: teacher.teacherId, role: 'teacher' },
  actorScope: { classes: teacher.teaches, subjects: [teacher.subjectId] },
});

const pad2 = (n: number) => String(n).padStart(2, '0');
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** How much each student masters each subject (0 to 1): a base per student, shifted per subject. */
class Abilities {
  private readonly base = new Map<string, number>();
  private readonly bySubject = new Map<string, number>();

  constructor(
    students: readonly DemoStudent[],
    private readonly random: () => number,
  ) {
    for (const s of students) this.base.set(s.studentId, 0.35 + 0.55 * random());
  }

  of(studentId: string, subjectId: string): number {
    const key = `${studentId}|${subjectId}`;
    if (!this.bySubject.has(key))
      this.bySubject.set(
        key,
        clamp((this.base.get(studentId) ?? 0.6) + (this.random() - 0.5) * 0.25, 0.1, 1),
      );
    return this.bySubject.get(key) as number;
  }
}

/**
 * Plans the trimester's assessments (what the copies say), lets the mistakes change what is typed,
 * then writes the steps that type it and correct it.
 */
export class GradeBookWriter {
  /** One generator for the whole grade book, drawn in a fixed order: the same seed gives the same grades. */
  readonly random = seededRandom(1127);
  private readonly abilities: Abilities;
  private readonly schoolDays = schoolDaysOf(DEMO_GRADED_PERIOD.start, LAST_DAY);
  readonly planned: Planned[] = [];
  readonly figures = {
    assessments: 0,
    cancelled: 0,
    assessmentsWithLevels: 0,
    grades: 0,
    markers: 0,
    levels: 0,
    positionings: 0,
    appreciations: 0,
    corrections: 0,
  };

  constructor(readonly w: StoryWriter) {
    this.abilities = new Abilities(w.roster.students, seededRandom(1128));
  }

  /** The `after`-th school day after `date`, the demo's last day at most. */
  schoolDayAfter(date: IsoDate, after: number): IsoDate {
    const later = this.schoolDays.filter((d) => d > date);
    return later[Math.min(after, later.length) - 1] ?? date;
  }

  studentOf(studentId: string): DemoStudent {
    const student = this.w.roster.students.find((s) => s.studentId === studentId);
    if (!student) throw new Error(`no student ${studentId} in the demo`);
    return student;
  }

  assessment(
    p: Pick<Planned, 'assessmentId' | 'teacher'>,
    date: IsoDate,
    time: string,
    label: string,
    command: AssessmentCommand,
    extra: { reason?: string; correlationId?: string } = {},
  ) {
    const { actor } = scopeOf(p.teacher);
    this.w.steps.push({
      stream: 'assessment',
      streamId: assessmentStreamId(SCHOOL, p.assessmentId),
      command,
      at: parisInstant(date, time),
      commandId: `${DEMO_SEED}:assessment:${p.assessmentId}:${label}`,
      actor,
      ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
      ...(extra.correlationId !== undefined ? { correlationId: extra.correlationId } : {}),
    });
  }

  report(
    teacher: DemoTeacher,
    classId: string,
    subjectId: string,
    date: IsoDate,
    time: string,
    label: string,
    command: ReportCommand,
  ) {
    this.w.steps.push({
      stream: 'report',
      streamId: reportStreamId(SCHOOL, classId, subjectId, DEMO_GRADED_PERIOD.id),
      command,
      at: parisInstant(date, time),
      commandId: `${DEMO_SEED}:report:${classId}:${subjectId}:${DEMO_GRADED_PERIOD.id}:${label}`,
      actor: scopeOf(teacher).actor,
    });
  }

  /** The dates a class or group has a lesson of the subject in the trimester, with its first slot. */
  private lessonDates(classOrGroupId: string, subjectId: string): { date: IsoDate; slotCode: string }[] {
    return this.schoolDays
      .filter((date) => date <= LAST_ASSESSMENT_DATE)
      .flatMap((date) => {
        const lesson = lessonsOn(this.w.lessons, date).find(
          (l) => l.classOrGroupId === classOrGroupId && l.subjectId === subjectId,
        );
        return lesson ? [{ date, slotCode: lesson.slotCode }] : [];
      });
  }

  private gradeOf(studentId: string, p: Pick<Planned, 'subjectId' | 'date' | 'slotCode'>, outOf: number) {
    const { random } = this;
    const noise = (random() - 0.5) * 0.3;
    if (this.w.plan.isAbsent(studentId, p.date, p.slotCode) || random() < 0.025) return 'ABS' as const;
    if (p.subjectId === 'EPS' && random() < 0.04) return 'DISP' as const;
    const ability = this.abilities.of(studentId, p.subjectId);
    return clamp(Math.round(outOf * (ability + noise) * 2) / 2, 0, outOf);
  }

  private levelOf(studentId: string, subjectId: string, grade: GradeValue | undefined) {
    const noise = (this.random() - 0.5) * 0.3;
    if (grade === 'ABS' || grade === 'DISP') return grade;
    return clamp(1 + Math.floor((this.abilities.of(studentId, subjectId) + noise - 0.1) * 4), 1, 4) as Level;
  }

  /** Four to six assessments of a class or group in a subject, spread over the trimester. */
  plan(classOrGroupId: string, groupKind: GroupKind, teacher: DemoTeacher) {
    const { subjectId } = teacher;
    const dates = this.lessonDates(classOrGroupId, subjectId);
    const count = 4 + Math.floor(this.random() * 3);
    for (let k = 0; k < count; k++) {
      const chunk = dates.slice(
        Math.floor((k * dates.length) / count),
        Math.floor(((k + 1) * dates.length) / count),
      );
      const { date, slotCode } = chunk[Math.floor(this.random() * chunk.length)];
      const kind = KINDS[k];
      const withLevels = k === 2 || k === count - 1;
      const items: CompetencyItem[] = withLevels
        ? DEMO_COMPETENCY_ITEMS[subjectId].slice(0, k === 2 ? 3 : 2).map((i) => ({ ...i }))
        : [];
      const enrolled = this.w.enrolledOn(classOrGroupId, date);
      const base = { subjectId, date, slotCode };
      const grades = new Map<string, GradeValue>(
        enrolled.map((id) => [id, this.gradeOf(id, base, kind.outOf)]),
      );
      const levels = items.flatMap((item) =>
        enrolled.map((studentId) => ({
          studentId,
          itemId: item.itemId,
          value: this.levelOf(studentId, subjectId, grades.get(studentId)),
        })),
      );
      const terms = { outOf: kind.outOf, coefficient: kind.coefficient, formative: kind.formative };
      this.planned.push({
        assessmentId: `${DEMO_GRADED_PERIOD.id}-${classOrGroupId}-${subjectId}-${pad2(k + 1)}`,
        classOrGroupId,
        groupKind,
        subjectId,
        teacher,
        date,
        slotCode,
        gradedOn: this.schoolDayAfter(date, 2 + Math.floor(this.random() * 5)),
        title: `${kind.name} : ${TOPICS[subjectId][k]}`,
        kind: k,
        terms,
        typedTerms: { ...terms },
        items,
        grades,
        typed: new Map(grades),
        levels,
      });
    }
  }

  find(classOrGroupId: string, subjectId: string, kind: number): Planned {
    const found = this.planned.find(
      (p) => p.classOrGroupId === classOrGroupId && p.subjectId === subjectId && p.kind === kind,
    );
    if (!found) throw new Error(`the demo plans no assessment ${kind} of ${subjectId} in ${classOrGroupId}`);
    return found;
  }

  /** The teacher creates the assessment the evening they hand the copies back, then types grades and levels. */
  write(p: Planned, idOverride?: string, minutesLater = 0) {
    const target = { assessmentId: idOverride ?? p.assessmentId, teacher: p.teacher };
    const scope = scopeOf(p.teacher);
    const enrolled = new Set(this.w.enrolledOn(p.classOrGroupId, p.date));
    const time = timePlus('19:30', minutesLater);
    this.assessment(target, p.gradedOn, time, 'created', {
      type: 'CreateAssessment',
      ...scope,
      assessmentId: target.assessmentId,
      classOrGroupId: p.classOrGroupId,
      groupKind: p.groupKind,
      subjectId: p.subjectId,
      date: p.date,
      title: p.title,
      ...p.typedTerms,
      ...(p.items.length > 0 ? { competencyItems: p.items } : {}),
      context: { periods: DEMO_PERIODS },
    });
    const grades = [...p.typed].map(([studentId, value]) => ({ studentId, value }));
    this.assessment(target, p.gradedOn, timePlus(time, 12), 'grades', {
      type: 'RecordGrades',
      ...scope,
      assessmentId: target.assessmentId,
      grades,
      context: { enrolled },
    });
    this.figures.assessments += 1;
    this.figures.grades += grades.length;
    this.figures.markers += grades.filter((g) => typeof g.value !== 'number').length;
    if (p.levels.length === 0) return;
    this.assessment(target, p.gradedOn, timePlus(time, 20), 'levels', {
      type: 'RecordLevels',
      ...scope,
      assessmentId: target.assessmentId,
      levels: p.levels,
      context: { enrolled },
    });
    this.figures.assessmentsWithLevels += 1;
    this.figures.levels += p.levels.length;
  }

  ref(p: Planned, date: IsoDate, time: string, reason: string): GradeMistakeRef {
    if (date <= p.gradedOn || date > LAST_DAY)
      throw new Error(`the correction of ${p.assessmentId} must come after its grades and within the demo`);
    return {
      assessmentId: p.assessmentId,
      classOrGroupId: p.classOrGroupId,
      subjectId: p.subjectId,
      title: p.title,
      date: p.date,
      teacherId: p.teacher.teacherId,
      correctedAt: parisInstant(date, time),
      reason,
    };
  }

  enrolledOn(p: Planned): Set<string> {
    return new Set(this.w.enrolledOn(p.classOrGroupId, p.date));
  }

  /** The students a class's report of the trimester may name: everybody enrolled in it at some time in it. */
  studentsOfTrimester(classId: string): Set<string> {
    const days = this.schoolDays;
    return new Set(days.flatMap((date) => this.w.enrolledOn(classId, date)));
  }

  levelsFor(classId: string, subjectId: string, studentId: string): LevelForPositioning[] {
    return this.planned
      .filter((p) => p.classOrGroupId === classId && p.subjectId === subjectId)
      .flatMap((p) =>
        p.levels
          .filter((l) => l.studentId === studentId)
          .map((l) => ({
            assessmentId: p.assessmentId,
            itemId: l.itemId,
            studentId,
            date: p.date,
            value: l.value,
            cancelled: false,
          })),
      );
  }

  /** The mean of a student's counted grades in a class and subject, brought back to 20. */
  meanOf(classId: string, subjectId: string, studentId: string): number | undefined {
    const values = this.planned
      .filter((p) => p.classOrGroupId === classId && p.subjectId === subjectId && !p.terms.formative)
      .flatMap((p) => {
        const v = p.grades.get(studentId);
        return typeof v === 'number' ? [(v / p.terms.outOf) * 20] : [];
      });
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
  }

  pick<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0)
      chosen.push(pool.splice(Math.floor(this.random() * pool.length), 1)[0]);
    return chosen;
  }
}

const APPRECIATIONS: readonly { readonly from: number; readonly text: string }[] = [
  {
    from: 15,
    text: 'Excellent trimestre : un travail sérieux et régulier, des résultats très solides et une participation toujours pertinente. Continuez ainsi !',
  },
  {
    from: 12,
    text: 'Bon trimestre. Les notions sont bien comprises et le travail est fait avec soin ; un peu plus de prise de parole en classe permettra de progresser encore.',
  },
  {
    from: 9,
    text: 'Trimestre correct mais irrégulier. Les bases sont là ; il faut apprendre les leçons chaque semaine et soigner davantage le travail personnel.',
  },
  {
    from: 0,
    text: "Trimestre difficile : les notions de base restent fragiles. Il faut reprendre les leçons régulièrement et ne pas hésiter à demander de l'aide, en classe comme en accompagnement personnalisé.",
  },
];

/** The teachers' positionings for a few students of each class and subject, and a few appreciations. */
const reports = (g: GradeBookWriter, earlier: { readonly classId: string; readonly on: IsoDate }) => {
  DEMO_CLASSES.forEach(({ classId }, classIndex) =>
    DEMO_TEACHERS.filter((t) => t.teaches.includes(classId)).forEach((teacher, subjectIndex) => {
      // The class whose council meets on the demo's last day has its reports written the day before.
      const reportDay = classId === earlier.classId ? earlier.on : LAST_DAY;
      const { subjectId } = teacher;
      const scope = scopeOf(teacher);
      const context = { students: g.studentsOfTrimester(classId) };
      const keys = { classId, subjectId, periodId: DEMO_GRADED_PERIOD.id };
      const time = timePlus('20:30', classIndex * 2 + subjectIndex * 12);
      const inClassAtTheEnd = g.w.enrolledOn(classId, reportDay);
      const suggestible = inClassAtTheEnd.filter(
        (id) => suggestPositioning(g.levelsFor(classId, subjectId, id)).level !== null,
      );
      for (const studentId of g.pick(suggestible, 3).sort()) {
        const suggested = suggestPositioning(g.levelsFor(classId, subjectId, studentId)).level as Level;
        const roll = g.random();
        const moved = roll < 0.15 ? suggested + 1 : roll < 0.3 ? suggested - 1 : suggested;
        const positioning = isLevel(moved) ? moved : suggested;
        g.report(teacher, classId, subjectId, reportDay, time, `positioning:${studentId}`, {
          type: 'SetPositioning',
          ...scope,
          ...keys,
          studentId,
          positioning,
          suggested,
          context,
        });
        g.figures.positionings += 1;
      }
      for (const studentId of g.pick(inClassAtTheEnd, 2).sort()) {
        const mean = g.meanOf(classId, subjectId, studentId) ?? 10;
        const { text } = APPRECIATIONS.find((a) => mean >= a.from) ?? APPRECIATIONS[APPRECIATIONS.length - 1];
        g.report(teacher, classId, subjectId, reportDay, timePlus(time, 5), `appreciation:${studentId}`, {
          type: 'WriteAppreciation',
          ...scope,
          ...keys,
          studentId,
          text,
          context,
        });
        g.figures.appreciations += 1;
      }
    }),
  );
};

// ---- the grade-side mistakes of DOMAIN.md, "Data-collection errors" 8 --------------------------------

/** (a) Mme Lefèvre creates her 6A test with coefficient 3; a parent notices the average, she sets it back to 1. */
const wrongCoefficient = (g: GradeBookWriter): DemoGradeHighlights['wrongCoefficient'] => {
  const p = g.find('6A', 'MATHS', 3);
  p.typedTerms.coefficient = 3;
  const day = g.schoolDayAfter(p.gradedOn, 2);
  const reason =
    'coefficient 3 saisi au lieu de 1 : interrogation écrite de vingt minutes, pas un devoir surveillé (signalé par un parent après la publication des notes)';
  g.assessment(
    p,
    day,
    '17:40',
    'coefficient-corrected',
    {
      type: 'ChangeAssessment',
      ...scopeOf(p.teacher),
      assessmentId: p.assessmentId,
      coefficient: p.terms.coefficient,
      reason,
      context: { periods: DEMO_PERIODS },
    },
    { reason },
  );
  g.figures.corrections += 1;
  return { ...g.ref(p, day, '17:40', reason), typed: 3, meant: p.terms.coefficient };
};

/** (b) Mme N'Diaye's diagnostic test of 4A is created without ticking « formative »: it counted. */
const countedFormative = (g: GradeBookWriter): DemoGradeHighlights['countedFormative'] => {
  const p = g.find('4A', 'FRANC', 0);
  p.typedTerms.formative = false;
  const day = g.schoolDayAfter(p.gradedOn, 3);
  const reason =
    "évaluation diagnostique de rentrée : la case « formative » n'avait pas été cochée, elle comptait dans la moyenne";
  g.assessment(
    p,
    day,
    '12:50',
    'made-formative',
    {
      type: 'ChangeAssessment',
      ...scopeOf(p.teacher),
      assessmentId: p.assessmentId,
      formative: true,
      reason,
      context: { periods: DEMO_PERIODS },
    },
    { reason },
  );
  g.figures.corrections += 1;
  return g.ref(p, day, '12:50', reason);
};

/** (c) In 6B, Mme Lefèvre types two students' grades on each other's line; she swaps them back in one go. */
const swappedGrades = (g: GradeBookWriter): DemoGradeHighlights['swappedGrades'] => {
  const p = g.find('6B', 'MATHS', 2);
  const ids = [...p.grades.keys()];
  const index = ids.findIndex((id, i) => {
    const [a, b] = [p.grades.get(id), p.grades.get(ids[i + 1])];
    return typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) >= 4;
  });
  if (index < 0) throw new Error(`no two neighbours with distinct grades in ${p.assessmentId}`);
  const [first, second] = [ids[index], ids[index + 1]];
  p.typed.set(first, p.grades.get(second) as GradeValue);
  p.typed.set(second, p.grades.get(first) as GradeValue);
  const [one, two] = [g.studentOf(first), g.studentOf(second)];
  const reason = `notes de ${one.firstName} ${one.lastName} et de ${two.firstName} ${two.lastName} inversées à la saisie (ligne décalée dans le tableau), vérifié sur les copies`;
  const day = g.schoolDayAfter(p.gradedOn, 1);
  const correlationId = `${DEMO_SEED}:assessment:${p.assessmentId}:swap-corrected`;
  for (const studentId of [first, second]) {
    g.assessment(
      p,
      day,
      '12:35',
      `corrected:${studentId}`,
      {
        type: 'CorrectGrade',
        ...scopeOf(p.teacher),
        assessmentId: p.assessmentId,
        studentId,
        value: p.grades.get(studentId) as GradeValue,
        reason,
        context: { enrolled: g.enrolledOn(p) },
      },
      { reason, correlationId },
    );
    g.figures.corrections += 1;
  }
  return { ...g.ref(p, day, '12:35', reason), studentIds: [first, second], correlationId };
};

/** (d) Mme García types 15 for a 5 in 5A; the student says so when the copies are handed back. */
const typedAbove = (g: GradeBookWriter): DemoGradeHighlights['typedAbove'] => {
  const p = g.find('5A', 'AGL1', 2);
  const numeric = [...p.grades].filter((e): e is [string, number] => typeof e[1] === 'number');
  const [studentId] = numeric.reduce((low, e) => (e[1] < low[1] ? e : low));
  const meant = 5;
  const typed = 15;
  p.grades.set(studentId, meant);
  p.typed.set(studentId, typed);
  const day = g.schoolDayAfter(p.gradedOn, 1);
  const reason = '15 saisi au lieu de 5 : faute de frappe, vue en rendant les copies';
  g.assessment(
    p,
    day,
    '10:20',
    `corrected:${studentId}`,
    {
      type: 'CorrectGrade',
      ...scopeOf(p.teacher),
      assessmentId: p.assessmentId,
      studentId,
      value: meant,
      reason,
      context: { enrolled: g.enrolledOn(p) },
    },
    { reason },
  );
  g.figures.corrections += 1;
  return { ...g.ref(p, day, '10:20', reason), studentId, typed, meant };
};

/** (e) M. Leroy enters a 4A test at school, then again at home; he cancels the copy. */
const enteredTwice = (g: GradeBookWriter): DemoGradeHighlights['enteredTwice'] => {
  const p = g.find('4A', 'PHYCH', 1);
  const duplicateId = `${p.assessmentId}-bis`;
  g.write(p, duplicateId, 95);
  const day = g.schoolDayAfter(p.gradedOn, 1);
  const reason = `devoir saisi deux fois, au collège puis à la maison : doublon de « ${p.title} » du ${p.date}, les notes restent sur le premier`;
  const duplicate = { ...p, assessmentId: duplicateId };
  g.assessment(
    duplicate,
    day,
    '08:15',
    'cancelled',
    {
      type: 'CancelAssessment',
      ...scopeOf(p.teacher),
      assessmentId: duplicateId,
      reason,
    },
    { reason },
  );
  g.figures.cancelled += 1;
  g.figures.corrections += 1;
  return { ...g.ref(duplicate, day, '08:15', reason), duplicateOf: p.assessmentId };
};

/**
 * The trimester's grade book, added to the story's steps; the writer is returned with it, so that
 * the council (demo-council.ts) reads the grades it planned. `reportsEarlier`: a class whose
 * teachers write their positionings and appreciations on an earlier day (before its council).
 */
export const gradeBook = (
  w: StoryWriter,
  reportsEarlier: { readonly classId: string; readonly on: IsoDate },
): { readonly book: GradeBookWriter; readonly highlights: DemoGradeHighlights } => {
  const g = new GradeBookWriter(w);
  for (const { classId } of DEMO_CLASSES)
    for (const teacher of DEMO_TEACHERS.filter((t) => t.teaches.includes(classId)))
      g.plan(classId, 'class', teacher);
  for (const { groupId } of DEMO_GROUPS)
    for (const teacher of DEMO_TEACHERS.filter((t) => t.teaches.includes(groupId)))
      g.plan(groupId, 'group', teacher);
  const mistakes = {
    wrongCoefficient: wrongCoefficient(g),
    countedFormative: countedFormative(g),
    swappedGrades: swappedGrades(g),
    typedAbove: typedAbove(g),
    enteredTwice: enteredTwice(g),
  };
  for (const p of g.planned) g.write(p);
  reports(g, reportsEarlier);
  const mover = w.story.changesClass;
  const gradedIn: Record<string, number> = {};
  for (const p of g.planned)
    if (p.grades.has(mover.studentId)) gradedIn[p.classOrGroupId] = (gradedIn[p.classOrGroupId] ?? 0) + 1;
  const highlights: DemoGradeHighlights = {
    periodId: DEMO_GRADED_PERIOD.id,
    from: DEMO_GRADED_PERIOD.start,
    to: DEMO_GRADED_PERIOD.end,
    figures: { ...g.figures },
    ...mistakes,
    classChange: { studentId: mover.studentId, gradedIn },
  };
  return { book: g, highlights };
};

/** What the demo prints about its trimester of grades. */
export const gradeStoryLines = (
  h: DemoGradeHighlights,
  roster: { readonly students: readonly DemoStudent[] },
) => {
  const name = (studentId: string) => {
    const s = roster.students.find((x) => x.studentId === studentId);
    return s ? `${s.firstName} ${s.lastName}` : studentId;
  };
  const on = (m: GradeMistakeRef) =>
    `${m.classOrGroupId} ${m.subjectId} « ${m.title} » (${m.date}, ${m.teacherId})`;
  const f = h.figures;
  const moved = Object.entries(h.classChange.gradedIn)
    .map(([classId, n]) => `${n} ${classId}`)
    .join(' and ');
  return [
    `  Grades of ${h.periodId} (${h.from} to ${h.to}): ${f.assessments} assessments (${f.cancelled} cancelled), ${f.grades} grades (${f.markers} ABS/DISP), ${f.levels} competency levels on ${f.assessmentsWithLevels} assessments, ${f.positionings} positionings, ${f.appreciations} appreciations; ${f.corrections} corrections:`,
    `  - ${on(h.wrongCoefficient)}: created with coefficient ${h.wrongCoefficient.typed} instead of ${h.wrongCoefficient.meant}, changed back with a reason once graded`,
    `  - ${on(h.countedFormative)}: a formative assessment counted in the average, made formative`,
    `  - ${on(h.swappedGrades)}: the grades of ${h.swappedGrades.studentIds.map(name).join(' and ')} typed on each other's line, swapped back by two corrections under one correlation id`,
    `  - ${on(h.typedAbove)}: ${h.typedAbove.typed} typed for ${name(h.typedAbove.studentId)}'s ${h.typedAbove.meant}, corrected`,
    `  - ${on(h.enteredTwice)}: entered twice, the copy ${h.enteredTwice.assessmentId} cancelled`,
    `  - ${name(h.classChange.studentId)} changed class on ${CLASS_CHANGE.on}: graded on ${moved} assessments, each grade kept with its assessment`,
  ];
};
