import { GradeValue, assessmentStreamId } from '../domain/assessment';
import { CouncilCommand, councilStreamId } from '../domain/council';
import { DEFAULT_SETTINGS } from '../domain/settings/settings';
import { IsoDate } from '../domain/shared/calendar';
import { DEMO_SCHOOL_ID } from './demo-roster';
import { DEMO_GRADED_PERIOD, GradeBookWriter, Planned } from './demo-grades';
import { DEMO_MONTH } from './demo-timetable';
import { DEMO_PRINCIPAL, DEMO_SEED, parisInstant, timePlus } from './demo-writer';

/**
 * The class councils of the first trimester: 5A's is held on the demo's last day (its syntheses,
 * mentions and class appreciation written during the meeting), then the principal corrects one of
 * its grades that evening — a post-council correction, with its reason; 5B's is scheduled for the
 * next week, still to come. Pure: it adds steps to the story, the builder sends them.
 *
 * The hold's snapshot is minimal: the demo writes its store without read models, so it keeps the
 * period only, not the figures the API's hold would read (averages and half-days per student). The
 * council view then shows no `sinceHold` change for the corrected student; the correction itself is
 * in the assessment's stream, after the `CouncilHeld` event.
 */

/** The class whose council the demo holds, the day it meets, and its teachers' reports the day before. */
export const DEMO_HELD_COUNCIL = {
  classId: '5A',
  periodId: DEMO_GRADED_PERIOD.id,
  scheduledOn: '2026-11-09',
  heldOn: DEMO_MONTH.to,
  reportsOn: '2026-11-26',
} as const;

/** The class whose council is scheduled but still to come when the demo ends. */
export const DEMO_UPCOMING_COUNCIL = {
  classId: '5B',
  periodId: DEMO_GRADED_PERIOD.id,
  scheduledOn: '2026-11-23',
  date: '2026-12-03',
} as const;

export type DemoCouncilHighlights = {
  readonly held: {
    readonly classId: string;
    readonly periodId: string;
    readonly heldOn: IsoDate;
    /** UTC instant of the `HoldCouncil` command. */
    readonly heldAt: string;
    readonly students: number;
    readonly syntheses: number;
    /** Student id → mention. */
    readonly mentions: Readonly<Record<string, string>>;
    readonly classAppreciation: string;
  };
  readonly correction: {
    readonly assessmentId: string;
    readonly studentId: string;
    readonly from: number;
    readonly to: number;
    readonly reason: string;
    /** UTC instant of the correction, after the hold. */
    readonly at: string;
  };
  readonly upcoming: { readonly classId: string; readonly periodId: string; readonly date: IsoDate };
};

const SYNTHESES: readonly { readonly from: number; readonly text: string }[] = [
  { from: 15, text: 'Excellent trimestre, travail sérieux et investi dans toutes les disciplines.' },
  { from: 12, text: 'Bon trimestre dans l’ensemble ; il faut maintenant gagner en régularité.' },
  { from: 9, text: 'Trimestre moyen : des efforts à poursuivre, notamment dans le travail personnel.' },
  { from: 0, text: 'Trimestre difficile. Le conseil attend un travail plus régulier et un vrai engagement.' },
];

const MENTIONS: readonly { readonly from: number; readonly mention: string }[] = [
  { from: 16, mention: 'Félicitations' },
  { from: 14, mention: 'Compliments' },
  { from: 12.5, mention: 'Encouragements' },
];

const CLASS_APPRECIATION =
  'Classe agréable et globalement sérieuse. Le travail personnel doit devenir plus régulier pour plusieurs élèves.';

/** A rough general average: the mean of the student's subject means (the demo's own picking, not a figure it shows). */
const roughGeneral = (
  g: GradeBookWriter,
  classId: string,
  studentId: string,
  subjects: readonly string[],
) => {
  const means = subjects.flatMap((s) => g.meanOf(classId, s, studentId) ?? []);
  return means.length === 0 ? 10 : means.reduce((a, b) => a + b, 0) / means.length;
};

/** The demo's class councils of the first trimester, added to the story's steps. */
export const councilTrimester = (g: GradeBookWriter): DemoCouncilHighlights => {
  const { w } = g;
  const period = { start: DEMO_GRADED_PERIOD.start, end: DEMO_GRADED_PERIOD.end };
  const actor = DEMO_PRINCIPAL;
  const council = (
    classId: string,
    date: IsoDate,
    time: string,
    label: string,
    command: CouncilCommand,
    reason?: string,
  ) =>
    w.steps.push({
      stream: 'council',
      streamId: councilStreamId(DEMO_SCHOOL_ID, classId, DEMO_GRADED_PERIOD.id),
      command,
      at: parisInstant(date, time),
      commandId: `${DEMO_SEED}:council:${classId}:${DEMO_GRADED_PERIOD.id}:${label}`,
      actor,
      ...(reason !== undefined ? { reason } : {}),
    });

  // 5A: scheduled, its decisions written during the meeting, held.
  const held = DEMO_HELD_COUNCIL;
  const keys = { classId: held.classId, periodId: held.periodId, actor };
  council(held.classId, held.scheduledOn, '10:00', 'scheduled', {
    type: 'ScheduleCouncil',
    ...keys,
    date: held.heldOn,
    context: { period },
  });
  const students = w.enrolledOn(held.classId, period.end);
  const studentSet = new Set(students);
  const subjects = [
    ...new Set(g.planned.filter((p) => p.classOrGroupId === held.classId).map((p) => p.subjectId)),
  ];
  const mentions: Record<string, string> = {};
  let syntheses = 0;
  students.forEach((studentId, index) => {
    const general = roughGeneral(g, held.classId, studentId, subjects);
    const time = timePlus('17:30', index * 2);
    const { text } = SYNTHESES.find((s) => general >= s.from) ?? SYNTHESES[SYNTHESES.length - 1];
    council(held.classId, held.heldOn, time, `synthesis:${studentId}`, {
      type: 'WriteStudentSynthesis',
      ...keys,
      studentId,
      text,
      context: { students: studentSet },
    });
    syntheses += 1;
    const mention = MENTIONS.find((m) => general >= m.from)?.mention;
    if (mention === undefined) return;
    mentions[studentId] = mention;
    council(held.classId, held.heldOn, timePlus(time, 1), `mention:${studentId}`, {
      type: 'AwardMention',
      ...keys,
      studentId,
      mention,
      context: { students: studentSet, councilMentions: DEFAULT_SETTINGS.councilMentions },
    });
  });
  council(held.classId, held.heldOn, '18:50', 'class-appreciation', {
    type: 'WriteClassAppreciation',
    ...keys,
    text: CLASS_APPRECIATION,
  });
  const heldTime = '19:00';
  council(held.classId, held.heldOn, heldTime, 'held', {
    type: 'HoldCouncil',
    ...keys,
    heldOn: held.heldOn,
    snapshot: { period: { id: held.periodId, ...period } },
    context: { students: studentSet, period, today: held.heldOn },
  });

  // That evening the principal corrects a grade the council noticed was mis-added on the copy.
  const assessment = g.planned.find(
    (p): p is Planned => p.classOrGroupId === held.classId && p.subjectId === 'MATHS' && p.kind === 1,
  );
  if (!assessment) throw new Error(`the demo plans no second MATHS assessment in ${held.classId}`);
  const [studentId, from] = [...assessment.grades].find(
    (e): e is [string, number] =>
      studentSet.has(e[0]) && typeof e[1] === 'number' && e[1] <= assessment.terms.outOf - 2,
  ) ?? ['', 0];
  if (studentId === '') throw new Error(`no grade to correct in ${assessment.assessmentId}`);
  const to = from + 2;
  const reason = `copie recomptée après le conseil de classe : ${from} au lieu de ${to}, un exercice oublié dans le total`;
  const correctedTime = '21:10';
  w.steps.push({
    stream: 'assessment',
    streamId: assessmentStreamId(DEMO_SCHOOL_ID, assessment.assessmentId),
    command: {
      type: 'CorrectGrade',
      actor,
      assessmentId: assessment.assessmentId,
      studentId,
      value: to as GradeValue,
      reason,
      context: { enrolled: g.enrolledOn(assessment) },
    },
    at: parisInstant(held.heldOn, correctedTime),
    commandId: `${DEMO_SEED}:assessment:${assessment.assessmentId}:post-council:${studentId}`,
    actor,
    reason,
  });

  // 5B: scheduled for the week after the demo.
  const upcoming = DEMO_UPCOMING_COUNCIL;
  council(upcoming.classId, upcoming.scheduledOn, '10:00', 'scheduled', {
    type: 'ScheduleCouncil',
    classId: upcoming.classId,
    periodId: upcoming.periodId,
    actor,
    date: upcoming.date,
    context: { period },
  });

  return {
    held: {
      classId: held.classId,
      periodId: held.periodId,
      heldOn: held.heldOn,
      heldAt: parisInstant(held.heldOn, heldTime),
      students: students.length,
      syntheses,
      mentions,
      classAppreciation: CLASS_APPRECIATION,
    },
    correction: {
      assessmentId: assessment.assessmentId,
      studentId,
      from,
      to,
      reason,
      at: parisInstant(held.heldOn, correctedTime),
    },
    upcoming: { classId: upcoming.classId, periodId: upcoming.periodId, date: upcoming.date },
  };
};

/** What the demo prints about its councils. */
export const councilStoryLines = (h: DemoCouncilHighlights, name: (studentId: string) => string) => {
  const byMention = new Map<string, string[]>();
  for (const [studentId, mention] of Object.entries(h.held.mentions))
    byMention.set(mention, [...(byMention.get(mention) ?? []), name(studentId)]);
  return [
    `  Class councils of ${h.held.periodId}:`,
    `  - ${h.held.classId}: held on ${h.held.heldOn} by the principal — ${h.held.syntheses} syntheses for its ${h.held.students} students, ${Object.keys(h.held.mentions).length} mentions (${[...byMention].map(([m, names]) => `${m}: ${names.length}`).join(', ')}), a class appreciation`,
    `  - after the hold, the principal corrected ${name(h.correction.studentId)}'s grade on ${h.correction.assessmentId} from ${h.correction.from} to ${h.correction.to} (« ${h.correction.reason} »): a post-council correction`,
    `  - ${h.upcoming.classId}: council scheduled on ${h.upcoming.date}, still to come`,
  ];
};
