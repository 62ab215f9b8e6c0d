import {
  AssessmentCommand,
  AssessmentPeriod,
  CompetencyItem,
  GradeValue,
  Level,
  ReportCommand,
  StudentLevel,
  TeacherScope,
  assessmentDecider,
  assessmentStreamId,
  reportDecider,
  reportStreamId,
} from '../domain/assessment';
import { addDays, datesBetween, weekdayOf } from '../domain/shared/calendar';
import { Decider } from '../domain/shared/decider';
import { Actor, DomainEvent } from '../domain/shared/event';
import { SchoolCommand, schoolDecider, schoolStreamId } from '../domain/structure/school';
import { StudentCommand, studentDecider, studentStreamId } from '../domain/structure/student';
import { PRINCIPAL, SCHOOL, SCHOOL_YEAR, StreamEvent, metadataFor } from './attendance-year';
import { seededRandom } from './seeded-random';

/**
 * A school year of grades written straight through the deciders, without a store: the bench's
 * "school of 1,000 students with a year of grades". Same school, year and student ids as
 * attendance-year.ts (its structure part is not exported: the minimal structure is built here the
 * same way — the school year with its trimesters, the classes, the students registered and enrolled).
 */

export const SCHOOL_YEAR_NAME = `${SCHOOL_YEAR.start.slice(0, 4)}-${SCHOOL_YEAR.end.slice(0, 4)}`;

/** The trimesters tiling SCHOOL_YEAR. */
export const TRIMESTERS: readonly AssessmentPeriod[] = [
  { id: 'T1', start: SCHOOL_YEAR.start, end: '2026-11-30' },
  { id: 'T2', start: '2026-12-01', end: '2027-02-28' },
  { id: 'T3', start: '2027-03-01', end: SCHOOL_YEAR.end },
];

/** A collège's subjects, in the order `subjects` takes them. */
export const SUBJECTS: readonly string[] = [
  'FRANC',
  'MATHS',
  'HIGEO',
  'AGL1',
  'ESP2',
  'SVT',
  'PHYCH',
  'TECHN',
  'EPS',
  'ARPLA',
  'EDMUS',
  'LCALA',
];

/** Classes a teacher of one subject has. */
const CLASSES_PER_TEACHER = 5;

export type SchoolYearOfGradesOptions = {
  readonly students?: number;
  readonly classSize?: number;
  /** How many of SUBJECTS each class has (default 10). */
  readonly subjects?: number;
  /** Assessments per class and subject over the year, spread evenly over the trimesters (default 15). */
  readonly assessmentsPerSubject?: number;
  readonly seed?: number;
  /** Share of assessments that also evaluate competency items, with levels (default 25 %). */
  readonly levelsShare?: number;
  /** Share of assessments graded in two sends: the students absent that day a few days later (default 15 %). */
  readonly lateGradesShare?: number;
  /** Share of assessments with one grade corrected afterwards (default 10 %). */
  readonly correctedShare?: number;
  /** Share of assessments whose title or coefficient is changed after grading (default 4 %). */
  readonly changedShare?: number;
  /** Share of assessments cancelled after grading (default 0.5 %). */
  readonly cancelledShare?: number;
  /** Positionings and appreciations of every student, subject and trimester (default true). */
  readonly reports?: boolean;
  /**
   * Quick tests at coefficient 0.5 (default false: the assessments read model stores the coefficient
   * in a STRICT INTEGER column, which refuses 0.5; with false they count 1).
   */
  readonly halfCoefficients?: boolean;
};

export type SchoolYearOfGrades = {
  readonly schoolId: string;
  readonly periods: readonly AssessmentPeriod[];
  readonly subjects: readonly string[];
  readonly classes: readonly { readonly classId: string; readonly students: readonly string[] }[];
  /** Each teacher's token scope. */
  readonly teachers: readonly { readonly teacherId: string; readonly scope: TeacherScope }[];
  /** Every event in the order the school recorded them. */
  readonly events: readonly StreamEvent[];
};

type Kind = {
  readonly name: string;
  readonly outOf: number;
  readonly coefficient: number;
  formative: boolean;
};

/** Assessment kinds, in turn: mostly /20, some /10 and /5, one formative in eight. */
const KINDS: readonly Kind[] = [
  { name: 'Interrogation écrite', outOf: 10, coefficient: 1, formative: false },
  { name: 'Devoir surveillé', outOf: 20, coefficient: 2, formative: false },
  { name: 'Interrogation flash', outOf: 5, coefficient: 0.5, formative: false },
  { name: 'Devoir maison', outOf: 20, coefficient: 1, formative: false },
  { name: 'Évaluation diagnostique', outOf: 20, coefficient: 1, formative: true },
  { name: 'Devoir surveillé', outOf: 20, coefficient: 2, formative: false },
  { name: 'Exposé', outOf: 20, coefficient: 1, formative: false },
  { name: 'Contrôle de leçon', outOf: 10, coefficient: 1, formative: false },
];

const itemsOf = (subjectId: string): CompetencyItem[] => [
  { itemId: `${subjectId}-C1`, label: `${subjectId} : connaissances`, socleComponent: 'MET_APP' },
  { itemId: `${subjectId}-C2`, label: `${subjectId} : raisonnement`, socleComponent: 'CPD_SCI' },
];

const APPRECIATIONS = [
  'Trimestre sérieux, des résultats solides. Continuez ainsi.',
  'Des progrès ce trimestre ; la participation orale doit encore progresser.',
  'Ensemble fragile : un travail plus régulier est nécessaire.',
  'Très bon trimestre, travail soigné et investi.',
];

/** One command, when the school sent it; sorted by time, then by the order they were planned in. */
type Step = { readonly at: string; readonly seq: number; readonly send: () => void };

/**
 * A school of `students` in classes of `classSize`, each class with `subjects` subjects and
 * `assessmentsPerSubject` assessments in each over the year (≈ subjects × assessmentsPerSubject
 * grades per student): created on their date, graded a week later (some in two sends), some with
 * competency levels, some grades corrected, some terms changed, a few assessments cancelled, and at
 * each trimester's end every student's positioning and appreciation in each subject — built through
 * the deciders, in the order the school records them. Every random draw is made while planning, in a
 * fixed order: a seed gives the same year every time.
 */
export const makeSchoolYearOfGrades = (options: SchoolYearOfGradesOptions = {}): SchoolYearOfGrades => {
  const studentCount = options.students ?? 1000;
  const classSize = options.classSize ?? 28;
  const subjects = SUBJECTS.slice(0, options.subjects ?? 10);
  const perSubject = options.assessmentsPerSubject ?? 15;
  const random = seededRandom(options.seed ?? 42);
  const levelsShare = options.levelsShare ?? 0.25;
  const lateGradesShare = options.lateGradesShare ?? 0.15;
  const correctedShare = options.correctedShare ?? 0.1;
  const changedShare = options.changedShare ?? 0.04;
  const cancelledShare = options.cancelledShare ?? 0.005;
  const reports = options.reports ?? true;
  const halfCoefficients = options.halfCoefficients ?? false;
  const classes = Array.from({ length: Math.ceil(studentCount / classSize) }, (_, c) => ({
    classId: `C${String(c + 1).padStart(2, '0')}`,
    students: Array.from(
      { length: Math.min(classSize, studentCount - c * classSize) },
      (_, i) => `st${String(c * classSize + i + 1).padStart(4, '0')}`,
    ),
  }));
  const teacherOf = (subjectId: string, c: number) => {
    const first = Math.floor(c / CLASSES_PER_TEACHER) * CLASSES_PER_TEACHER;
    return {
      teacherId: `prof-${subjectId.toLowerCase()}-${first / CLASSES_PER_TEACHER + 1}`,
      scope: {
        classes: classes.slice(first, first + CLASSES_PER_TEACHER).map((k) => k.classId),
        subjects: [subjectId],
      },
    };
  };
  const teachers = subjects.flatMap((subjectId) =>
    classes
      .filter((_, c) => c % CLASSES_PER_TEACHER === 0)
      .map((_, t) => teacherOf(subjectId, t * CLASSES_PER_TEACHER)),
  );

  const events: StreamEvent[] = [];
  let commands = 0;
  const states = new Map<string, unknown>();
  const decideOn = <C, S, E extends DomainEvent>(
    decider: Decider<C, S, E>,
    streamId: string,
    command: C,
    actor: Actor,
    at: string,
    reason?: string,
  ) => {
    const state = (states.get(streamId) as S | undefined) ?? decider.initialState();
    const produced = decider.decide(command, state);
    states.set(streamId, produced.reduce(decider.evolve, state));
    const metadata = metadataFor(actor, at, `grades-${++commands}`, reason);
    for (const event of produced)
      events.push({ streamId, event: { type: event.type, data: event.data, metadata } });
  };

  // The school as the principal sets it up before the first day.
  const setUpAt = `${addDays(SCHOOL_YEAR.start, -3)}T09:00:00.000Z`;
  const school = (command: SchoolCommand) =>
    decideOn(schoolDecider, schoolStreamId(SCHOOL), command, PRINCIPAL, setUpAt);
  const structural = (command: StudentCommand) =>
    decideOn(studentDecider, studentStreamId(SCHOOL, command.data.studentId), command, PRINCIPAL, setUpAt);
  school({
    type: 'DefineSchoolYear',
    data: {
      schoolId: SCHOOL,
      schoolYear: SCHOOL_YEAR_NAME,
      start: SCHOOL_YEAR.start,
      end: SCHOOL_YEAR.end,
      periods: { trimester: TRIMESTERS.map(({ start, end }) => ({ start, end })) },
    },
  });
  for (const { classId } of classes)
    school({ type: 'OpenClass', data: { schoolId: SCHOOL, classId, label: classId } });
  const known = { classIds: new Set(classes.map((c) => c.classId)), groupIds: new Set<string>() };
  for (const { classId, students } of classes)
    for (const [i, studentId] of students.entries()) {
      const keys = { schoolId: SCHOOL, studentId };
      structural({
        type: 'RegisterStudent',
        data: { ...keys, lastName: `Nom${i + 1}`, firstName: `Prénom ${studentId}` },
      });
      structural({
        type: 'EnrolStudent',
        data: { ...keys, classId, from: SCHOOL_YEAR.start, structure: known },
      });
    }

  const steps: Step[] = [];
  const plan = (at: string, send: () => void) => steps.push({ at, seq: steps.length, send });
  const schoolDays = (period: AssessmentPeriod) =>
    datesBetween(period.start, addDays(period.end, -7)).filter((d) => weekdayOf(d) <= 5);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const gradeFor = (outOf: number): GradeValue => {
    const draw = random();
    if (draw < 0.03) return 'ABS';
    if (draw < 0.035) return 'DISP';
    const share = Math.min(1, Math.max(0, 0.3 + 0.7 * ((random() + random() + random()) / 3)));
    return Math.round(share * outOf * 2) / 2;
  };

  for (const [c, { classId, students }] of classes.entries())
    for (const [s, subjectId] of subjects.entries()) {
      const { teacherId, scope } = teacherOf(subjectId, c);
      const actor: Actor = { id: teacherId, role: 'teacher' };
      const writer = { actor, actorScope: scope };
      const enrolled = new Set(students);
      for (let n = 0; n < perSubject; n++) {
        const period =
          TRIMESTERS[Math.min(TRIMESTERS.length - 1, Math.floor((n * TRIMESTERS.length) / perSubject))];
        const days = schoolDays(period);
        const inPeriod = n - Math.ceil((TRIMESTERS.indexOf(period) * perSubject) / TRIMESTERS.length);
        const perPeriod = Math.ceil(perSubject / TRIMESTERS.length);
        const date = days[Math.floor(((inPeriod + random()) * days.length) / perPeriod) % days.length];
        const listed = KINDS[(n + s) % KINDS.length];
        const kind =
          halfCoefficients || Number.isInteger(listed.coefficient) ? listed : { ...listed, coefficient: 1 };
        const assessmentId = `${classId}-${subjectId}-${String(n + 1).padStart(2, '0')}`;
        const streamId = assessmentStreamId(SCHOOL, assessmentId);
        const items = random() < levelsShare ? itemsOf(subjectId) : [];
        const assessment = (command: AssessmentCommand, at: string, reason?: string) =>
          decideOn(assessmentDecider, streamId, command, actor, at, reason);
        plan(`${date}T07:30:00.000Z`, () =>
          assessment(
            {
              type: 'CreateAssessment',
              ...writer,
              assessmentId,
              classOrGroupId: classId,
              groupKind: 'class',
              subjectId,
              date,
              title: `${kind.name} n° ${n + 1}`,
              outOf: kind.outOf,
              coefficient: kind.coefficient,
              formative: kind.formative,
              competencyItems: items,
              context: { periods: TRIMESTERS },
            },
            `${date}T07:30:00.000Z`,
          ),
        );
        const grades = students.map((studentId) => ({ studentId, value: gradeFor(kind.outOf) }));
        const gradedOn = addDays(date, 7);
        const late = random() < lateGradesShare ? 1 + Math.floor(random() * 2) : 0;
        const firstSend = grades.slice(0, grades.length - late);
        const gradedAt = `${gradedOn}T18:00:00.000Z`;
        plan(gradedAt, () =>
          assessment(
            { type: 'RecordGrades', ...writer, assessmentId, grades: firstSend, context: { enrolled } },
            gradedAt,
          ),
        );
        if (late > 0) {
          const lateAt = `${addDays(gradedOn, 3)}T18:00:00.000Z`;
          const rest = grades.slice(grades.length - late);
          plan(lateAt, () =>
            assessment(
              { type: 'RecordGrades', ...writer, assessmentId, grades: rest, context: { enrolled } },
              lateAt,
            ),
          );
        }
        if (items.length > 0) {
          const levels: StudentLevel[] = students.flatMap((studentId) =>
            items.map(({ itemId }) => ({
              studentId,
              itemId,
              value: (1 + Math.floor(random() * 4)) as Level,
            })),
          );
          plan(gradedAt, () =>
            assessment(
              { type: 'RecordLevels', ...writer, assessmentId, levels, context: { enrolled } },
              gradedAt,
            ),
          );
          if (random() < 0.05) {
            const { studentId, itemId, value } = pick(levels);
            const at = `${addDays(gradedOn, 2)}T12:00:00.000Z`;
            const reason = 'niveau saisi sur la mauvaise ligne';
            plan(at, () =>
              assessment(
                {
                  type: 'CorrectLevel',
                  ...writer,
                  assessmentId,
                  studentId,
                  itemId,
                  value: value === 4 ? 3 : (((value as number) + 1) as Level),
                  reason,
                  context: { enrolled },
                },
                at,
                reason,
              ),
            );
          }
        }
        if (random() < correctedShare) {
          const { studentId, value } = pick(firstSend);
          const corrected = typeof value === 'number' ? (value >= 1 ? value - 1 : value + 1) : kind.outOf / 2;
          const at = `${addDays(gradedOn, 1 + Math.floor(random() * 3))}T12:00:00.000Z`;
          const reason = typeof value === 'number' ? 'erreur de saisie' : 'copie rattrapée';
          plan(at, () =>
            assessment(
              {
                type: 'CorrectGrade',
                ...writer,
                assessmentId,
                studentId,
                value: corrected,
                reason,
                context: { enrolled },
              },
              at,
              reason,
            ),
          );
        }
        const change = random();
        const changedAt = `${addDays(gradedOn, 4)}T12:00:00.000Z`;
        if (change < changedShare) {
          const reason = 'coefficient revu en conseil pédagogique';
          plan(changedAt, () =>
            assessment(
              change < changedShare / 2
                ? {
                    type: 'ChangeAssessment',
                    ...writer,
                    assessmentId,
                    title: `${kind.name} (rattrapage)`,
                    context: { periods: TRIMESTERS },
                  }
                : {
                    type: 'ChangeAssessment',
                    ...writer,
                    assessmentId,
                    coefficient: kind.coefficient + 1,
                    reason,
                    context: { periods: TRIMESTERS },
                  },
              changedAt,
              change < changedShare / 2 ? undefined : reason,
            ),
          );
        } else if (change < changedShare + cancelledShare) {
          const reason = 'sujet déjà traité par la classe : annulée';
          plan(changedAt, () =>
            assessment({ type: 'CancelAssessment', ...writer, assessmentId, reason }, changedAt, reason),
          );
        }
      }
      if (!reports) continue;
      for (const period of TRIMESTERS) {
        const streamId = reportStreamId(SCHOOL, classId, subjectId, period.id);
        const at = `${addDays(period.end, -3)}T16:00:00.000Z`;
        const context = { students: enrolled };
        for (const studentId of students) {
          const positioning = (1 + Math.floor(random() * 4)) as Level;
          const text = pick(APPRECIATIONS);
          const report = (command: ReportCommand) => decideOn(reportDecider, streamId, command, actor, at);
          const keys = { ...writer, classId, subjectId, periodId: period.id, studentId, context };
          plan(at, () => {
            report({ type: 'SetPositioning', ...keys, positioning, suggested: positioning });
            report({ type: 'WriteAppreciation', ...keys, text });
          });
        }
      }
    }

  steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
  for (const step of steps) step.send();
  return { schoolId: SCHOOL, periods: TRIMESTERS, subjects, classes, teachers, events };
};
