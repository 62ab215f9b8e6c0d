import { DemoRoster } from './demo-roster';
import { DEMO_MONTH, DemoLesson, lessonsOn, slotOf } from './demo-timetable';
import {
  classChange,
  defaultsWipeAbsences,
  departureDuringTheDay,
  infirmaryOverAbsence,
  lateJustifications,
  outingOverRollCall,
  overTheThreshold,
  reportedAhead,
  sentTwice,
  wrongClass,
  wrongTwin,
} from './demo-mistakes';
import { DemoGradeHighlights, gradeBook } from './demo-grades';
import { DEMO_HELD_COUNCIL, DemoCouncilHighlights, councilTrimester } from './demo-council';
import { DemoStep, LessonRef, StoryWriter, lessonKey, parisInstant, timePlus } from './demo-writer';
import { seededRandom } from './seeded-random';
import { IsoDate, addDays } from '../domain/shared/calendar';

/**
 * November 2026 in the demo collège, as the commands the school would have sent: every lesson's
 * roll call, absences and latenesses, the families' justifications, and the data-collection
 * mistakes of DOMAIN.md with their corrections; and the first trimester's grade book up to that month's
 * end (demo-grades.ts). Pure: the builder sends the steps in time order.
 */

export type DemoHighlights = {
  readonly amendedRollCall: LessonRef & { readonly teacherId: string };
  readonly voidedRollCall: LessonRef;
  readonly resentRollCall: LessonRef;
  readonly infirmary: LessonRef & { readonly studentId: string };
  readonly outing: { readonly classId: string; readonly date: IsoDate; readonly exemptionId: string };
  readonly classChange: {
    readonly studentId: string;
    readonly from: string;
    readonly to: string;
    readonly on: IsoDate;
  };
  readonly forgottenRollCalls: readonly LessonRef[];
  /** The first trimester's grade book, its mistakes and their corrections. */
  readonly grades: DemoGradeHighlights;
  /** The first trimester's class councils: one held, then corrected after, one to come. */
  readonly councils: DemoCouncilHighlights;
};

export type DemoStory = { readonly steps: readonly DemoStep[]; readonly highlights: DemoHighlights };

const FORGOTTEN: readonly LessonRef[] = [
  { classOrGroupId: '3A', date: '2026-11-20', slotCode: 'S2' },
  { classOrGroupId: '6B', date: '2026-11-24', slotCode: 'M4' },
];

/**
 * Ordinary absences (one day at most per student, justified or not) and latenesses of everybody
 * else: nobody else comes near the threshold, even before a justification arrives.
 */
const backgroundAbsences = (w: StoryWriter) => {
  const random = seededRandom(2611);
  const inStory = new Set(Object.values(w.story).map((s) => s.studentId));
  const absentOnce = new Set<string>();
  const reasons = ['MALADIE', 'MALADIE', 'MALADIE', 'RDV_MEDICAL', 'TRANSPORT', 'REUNION_FAMILLE'];
  for (const date of w.days)
    for (const student of w.roster.students) {
      if (inStory.has(student.studentId)) continue;
      if (random() < 0.025 && !absentOnce.has(student.studentId)) {
        absentOnce.add(student.studentId);
        w.plan.absent(student.studentId, date, 'day');
        const roll = random();
        const outcome = roll < 0.75 ? 'accept' : roll < 0.8 ? 'pending' : 'none';
        const receivedOn = w.nextSchoolDay(date, 1 + Math.floor(random() * 3));
        const reasonCode = reasons[Math.floor(random() * reasons.length)];
        if (outcome !== 'none')
          w.justifyDay(student, date, receivedOn, reasonCode, outcome, { regularise: random() < 0.5 });
      }
      for (const slotCode of ['M1', 'S1'])
        if (random() < 0.015) w.plan.late(student.studentId, date, slotCode, 2 + Math.floor(random() * 14));
    }
};

const rollCalls = (w: StoryWriter) => {
  for (const date of w.days)
    for (const lesson of lessonsOn(w.lessons, date)) {
      const ref = { classOrGroupId: lesson.classOrGroupId, date, slotCode: lesson.slotCode };
      if (w.skipped.has(lessonKey(ref))) continue;
      w.rollCall(
        ref,
        { id: lesson.teacherId, role: 'teacher' },
        timePlus(slotOf(lesson.slotCode).start, 4),
        `rollcall:${lessonKey(ref)}`,
        { type: 'TakeRollCall', ...w.listFor(ref) },
      );
    }
};

const byTime = (a: DemoStep, b: DemoStep) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

/** The whole month, steps in time order (a stable sort keeps same-instant steps in writing order). */
export const demoStory = (roster: DemoRoster, lessons: readonly DemoLesson[]): DemoStory => {
  const w = new StoryWriter(roster, lessons);
  backgroundAbsences(w);
  const highlights: Omit<DemoHighlights, 'grades' | 'councils'> = {
    resentRollCall: sentTwice(w),
    amendedRollCall: defaultsWipeAbsences(w),
    voidedRollCall: wrongClass(w),
    infirmary: infirmaryOverAbsence(w),
    outing: outingOverRollCall(w),
    classChange: classChange(w),
    forgottenRollCalls: FORGOTTEN,
  };
  wrongTwin(w);
  departureDuringTheDay(w);
  reportedAhead(w);
  overTheThreshold(w);
  lateJustifications(w);
  for (const lesson of FORGOTTEN) w.skipped.add(lessonKey(lesson));
  rollCalls(w);
  const { book, highlights: grades } = gradeBook(w, {
    classId: DEMO_HELD_COUNCIL.classId,
    on: DEMO_HELD_COUNCIL.reportsOn,
  });
  const councils = councilTrimester(book);
  return { steps: [...w.steps].sort(byTime), highlights: { ...highlights, grades, councils } };
};

/** The instant after the last step: the demo cannot be built before its month is over. */
export const DEMO_HISTORY_END = parisInstant(addDays(DEMO_MONTH.to, 1), '00:00');
