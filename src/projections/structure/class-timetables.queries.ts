import type { Database } from 'better-sqlite3';
import { TimetableLesson } from '../../domain/attendance/completeness';
import { ClassOrGroupKind, isoWeekdayOf, WeeklyLesson } from '../../domain/structure/class-timetables';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { SchoolSettingsTable } from './school-settings.projection';
import { addDays, IsoDate } from '../../domain/shared/calendar';

type Settings = TableNames<SchoolSettingsTable>;

/** One declared week of a class or group, with the dates it is in force and who declared it. */
export interface ClassTimetableView {
  readonly classOrGroupId: string;
  readonly kind: ClassOrGroupKind;
  readonly effectiveFrom: IsoDate;
  /** The last day in force: the day before the next declaration; null while none follows. */
  readonly until: IsoDate | null;
  readonly lessons: readonly WeeklyLesson[];
  readonly declared: { readonly position: string; readonly at: string; readonly by: string };
}

type Row = {
  classOrGroupId: string;
  kind: ClassOrGroupKind;
  effectiveFrom: string;
  lessons: string;
  position: string;
  recordedAt: string;
  actorId: string;
};

/** Every declared week of the school (or of one class or group), in class and effective-date order. */
export const readClassTimetables = (
  db: Database,
  t: Settings,
  schoolId: string,
  classOrGroupId?: string,
): ClassTimetableView[] => {
  const rows = prepared<[string, string | null, string | null], Row>(
    db,
    `SELECT class_id AS classOrGroupId, kind, effective_from AS effectiveFrom, lessons,
            CAST(position AS TEXT) AS position, recorded_at AS recordedAt, actor_id AS actorId
     FROM "${t.class_timetables}" WHERE school_id = ? AND (? IS NULL OR class_id = ?)
     ORDER BY class_id, effective_from`,
  ).all(schoolId, classOrGroupId ?? null, classOrGroupId ?? null);
  return rows.map((row, index) => {
    const next = rows[index + 1];
    return {
      classOrGroupId: row.classOrGroupId,
      kind: row.kind,
      effectiveFrom: row.effectiveFrom,
      until: next && next.classOrGroupId === row.classOrGroupId ? addDays(next.effectiveFrom, -1) : null,
      lessons: JSON.parse(row.lessons) as WeeklyLesson[],
      declared: { position: row.position, at: row.recordedAt, by: row.actorId },
    };
  });
};

/** Of one class's declared weeks (in effective-date order), the one in force on `date`. */
export const weekInForceOn = (
  weeks: readonly ClassTimetableView[],
  date: IsoDate,
): ClassTimetableView | undefined => weeks.filter((week) => week.effectiveFrom <= date).at(-1);

/** The week of a class or group in force on `date`; undefined before its first declaration. */
export const readClassTimetableOn = (
  db: Database,
  t: Settings,
  schoolId: string,
  classOrGroupId: string,
  date: IsoDate,
): ClassTimetableView | undefined =>
  weekInForceOn(readClassTimetables(db, t, schoolId, classOrGroupId), date);

/** The declared weeks that are in force on at least one day of [from, to]. */
export const classTimetablesIn = (
  db: Database,
  t: Settings,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): ClassTimetableView[] =>
  readClassTimetables(db, t, schoolId).filter(
    (version) => version.effectiveFrom <= to && (version.until === null || version.until >= from),
  );

/** The lessons of some declared weeks, each bounded by the dates its week is in force. */
export const lessonsOfWeeks = (weeks: readonly ClassTimetableView[]): TimetableLesson[] =>
  weeks.flatMap((week) =>
    week.lessons.map((lesson): TimetableLesson => ({
      classOrGroupId: week.classOrGroupId,
      teacherId: lesson.teacherId,
      weekday: isoWeekdayOf(lesson.weekday),
      slotCode: lesson.slotCode,
      from: week.effectiveFrom,
      ...(week.until !== null ? { until: week.until } : {}),
    })),
  );

/** Every weekly lesson in force on some day of [from, to]: what `expectedLessons` turns into dated lessons. */
export const classTimetablesOf = (
  db: Database,
  t: Settings,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): TimetableLesson[] => lessonsOfWeeks(classTimetablesIn(db, t, schoolId, from, to));
