import { IsoDate } from '../../domain/shared/calendar';
import { RollCallCompleteness } from '../../projections/attendance';
import { encodeCursor } from '../core/page';

/** A lesson's place in the completeness lists: by date, slot, class or group, then teacher. */
export type LessonKey = readonly [date: IsoDate, slotCode: string, classOrGroupId: string, teacherId: string];

export const LESSON_KEY = ['string', 'string', 'string', 'string'] as const;

type Lesson = RollCallCompleteness['missing'][number] | RollCallCompleteness['unexpected'][number];

const keyOf = (lesson: Lesson): LessonKey => [
  lesson.date,
  lesson.slotCode,
  lesson.classOrGroupId,
  'teacherId' in lesson ? lesson.teacherId : lesson.takenBy,
];

const compare = (a: LessonKey, b: LessonKey): number => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
};

const byKey = (a: Lesson, b: Lesson) => compare(keyOf(a), keyOf(b));

/**
 * One page of the per-lesson lists (`missing`, `unexpected`) in lesson order, after `after`: at most
 * `limit` lessons over both lists; the counts per teacher and per class stay those of the whole range.
 */
export const completenessPage = (
  report: RollCallCompleteness,
  after: LessonKey | undefined,
  limit: number,
): RollCallCompleteness & { readonly next: string | null } => {
  const pending = <L extends Lesson>(lessons: readonly L[]): L[] =>
    lessons.filter((lesson) => after === undefined || compare(keyOf(lesson), after) > 0).sort(byKey);
  const missing = pending(report.missing);
  const unexpected = pending(report.unexpected);
  const shown = [...missing, ...unexpected].sort(byKey);
  const last = shown.length > limit ? shown[limit - 1] : undefined;
  const onPage = (lesson: Lesson) => last === undefined || byKey(lesson, last) <= 0;
  return {
    ...report,
    missing: missing.filter(onPage),
    unexpected: unexpected.filter(onPage),
    next: last === undefined ? null : encodeCursor(keyOf(last)),
  };
};
