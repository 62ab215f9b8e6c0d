import { AlertTier, HalfDayTally } from '../../domain/attendance';
import type { StudentRollCallRow } from './attendance-rows';
import type { HalfDayRow } from './attendance-statements';
import { HalfDay, IsoDate } from '../../domain/shared/calendar';

export type OpenAlert = {
  readonly alertId: string;
  readonly tier: AlertTier;
  count: number;
  storedCount: number;
};

export const openAlertOf = (row: {
  alert_id: string;
  tier: AlertTier;
  current_count: number;
}): OpenAlert => ({
  alertId: row.alert_id,
  tier: row.tier,
  count: row.current_count,
  storedCount: row.current_count,
});

export const halfDayKey = (date: IsoDate, halfDay: string) => `${date}|${halfDay}`;

export const tallyOf = (row: HalfDayRow): HalfDayTally => ({
  date: row.date,
  halfDay: row.half_day as HalfDay,
  month: row.month,
  mode: row.mode as HalfDayTally['mode'],
  classId: row.class_id,
  absent: row.absent === 1,
  justified: row.justified === 1,
  latenesses: row.latenesses,
  missedSlots: row.missed_slots,
  missedMinutes: row.missed_minutes,
});

const sameTally = (a: HalfDayTally, b: HalfDayTally) =>
  a.mode === b.mode &&
  a.classId === b.classId &&
  a.absent === b.absent &&
  a.justified === b.justified &&
  a.latenesses === b.latenesses &&
  a.missedSlots === b.missedSlots &&
  a.missedMinutes === b.missedMinutes;

/** One student's calendar month as the projection sees it, written or not. */
export class StudentMonth {
  /** The classes and groups whose register the student was on that month. */
  readonly classes = new Set<string>();
  /** The half-days as counted now, by `date|halfDay`. */
  readonly halfDays = new Map<string, HalfDayTally>();
  /** The half-days as the store has them. */
  private stored = new Map<string, HalfDayTally>();
  readonly openAlerts: OpenAlert[] = [];
  /** Dates whose half-days are stale: events changed them, the recount is postponed (see `recountStudent`). */
  readonly postponed = new Set<IsoDate>();

  constructor(
    readonly schoolId: string,
    readonly studentId: string,
    readonly month: string,
  ) {}

  /** A half-day read from the store. */
  read(tally: HalfDayTally) {
    const key = halfDayKey(tally.date, tally.halfDay);
    this.halfDays.set(key, tally);
    this.stored.set(key, tally);
  }

  unjustified(): number {
    let count = 0;
    for (const tally of this.halfDays.values()) if (tally.absent && !tally.justified) count++;
    return count;
  }

  /**
   * The fewest and the most unjustified half-days the month can have had since its last exact count,
   * if `dates` are postponed too: a postponed date may count none or both of its half-days.
   */
  unjustifiedBoundsWith(dates: readonly IsoDate[]): { readonly atLeast: number; readonly atMost: number } {
    const waiting = new Set([...this.postponed, ...dates]);
    let atLeast = 0;
    for (const tally of this.halfDays.values())
      if (tally.absent && !tally.justified && !waiting.has(tally.date)) atLeast++;
    return { atLeast, atMost: atLeast + 2 * waiting.size };
  }

  /** What changed since the store was last written, and marks it written. */
  takeChanges(): { readonly removed: readonly HalfDayTally[]; readonly written: readonly HalfDayTally[] } {
    const removed: HalfDayTally[] = [];
    const written: HalfDayTally[] = [];
    for (const [key, tally] of this.stored) if (!this.halfDays.has(key)) removed.push(tally);
    for (const [key, tally] of this.halfDays) {
      const before = this.stored.get(key);
      if (!before || !sameTally(before, tally)) written.push(tally);
    }
    if (removed.length + written.length > 0) this.stored = new Map(this.halfDays);
    return { removed, written };
  }
}

/** After this many students of one month are read one by one, the rest of the school's month is read at once. */
export const STUDENTS_READ_ONE_BY_ONE = 32;

/** A school's calendar month as read so far: the students read (or all of them) and the roll calls read. */
export class SchoolMonth {
  readonly students = new Map<string, StudentMonth>();
  /** The roll calls of a class or group on a day, voided ones included, by `classOrGroupId|date`. */
  readonly rollCalls = new Map<string, StudentRollCallRow[]>();
  /** Memberships written since the month was cached, students by class or group. */
  readonly joined = new Map<string, Set<string>>();
  /** Students with a missed lesson, by `date|halfDay`, as the store had them. */
  readonly missingLessons = new Map<string, Set<string>>();
  /** Roll calls held in `rollCalls`. */
  rollCallCount = 0;
  readOneByOne = 0;
  /** Every student was read: one missing from `students` has nothing that month. */
  complete = false;

  constructor(
    readonly schoolId: string,
    readonly month: string,
  ) {}

  /** The student's month if it was read, or if there is nothing to read. */
  cached(studentId: string): StudentMonth | undefined {
    let studentMonth = this.students.get(studentId);
    if (!studentMonth && this.complete)
      this.students.set(studentId, (studentMonth = new StudentMonth(this.schoolId, studentId, this.month)));
    return studentMonth;
  }
}
