import { DateRange, HalfDayTally, countStudent } from '../../domain/attendance';
import { AttendanceWriters } from './attendance-writers';
import { ReadCache } from './read-cache';
import { StudentMonth, halfDayKey } from './student-month';
import { IsoDate, monthOf, nextMonth } from '../../domain/shared/calendar';

/** Far enough to mean "from this date on": a change of settings recounts everything after it. */
export const END_OF_TIME = '9999-12-31';

/** Ranges longer than this look up the months that hold something instead of visiting every month. */
const MONTHS_VISITED_ONE_BY_ONE = 12;

const monthsApart = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
  Number(to.slice(5, 7)) -
  Number(from.slice(5, 7));

/**
 * When a student's half-days are counted again. Each event is still counted on its own — an alert is
 * raised or withdrawn by the event that crossed the threshold, however the log is cut into batches —
 * but a date whose recount cannot change an alert waits (`postpone`) and is counted once, with every
 * other event of the batch that touched it, when the month is next needed or the batch ends
 * (`flush`): a student absent all day is then counted once, not after each of the day's roll calls.
 */
export class RecountScheduler {
  private readonly touchedMonths = new Set<StudentMonth>();
  /** Months with postponed dates, by `schoolId\0studentId`. */
  private readonly postponedMonths = new Map<string, Set<StudentMonth>>();

  constructor(
    private readonly cache: ReadCache,
    private readonly writers: AttendanceWriters,
  ) {}

  /**
   * The months a recount over `range` must visit: every month of a short range; for a long one (a
   * change of settings "from this date on"), those where the student has a class, a count or a fact.
   */
  monthsToRecount(schoolId: string, studentId: string, range: DateRange): string[] {
    const from = monthOf(range.from);
    const to = monthOf(range.to);
    if (to < from) return [];
    if (monthsApart(from, to) < MONTHS_VISITED_ONE_BY_ONE) {
      const months = [from];
      while (months[months.length - 1] < to) months.push(nextMonth(months[months.length - 1]));
      return months;
    }
    this.flush();
    const months = this.cache.storedMonthsOf(schoolId, studentId, range);
    for (const fact of Object.values(this.cache.state(schoolId, studentId).facts))
      for (const slot of fact.slots)
        if (slot.date >= range.from && slot.date <= range.to) months.add(monthOf(slot.date));
    return [...months].sort();
  }

  /**
   * Counts a student's half-days over a range again from the facts as they stand; returns the months
   * whose counts may have changed (those the new count touches and those that had something in the
   * range). Dates postponed in those months are counted first.
   */
  recount(schoolId: string, studentId: string, range: DateRange): Set<string> {
    const months = this.monthsToRecount(schoolId, studentId, range);
    for (const month of months) this.settle(this.cache.studentMonth(schoolId, studentId, month));
    const tallies = countStudent({
      entries: this.cache.entriesOf(schoolId, studentId, months, range),
      attendance: this.cache.state(schoolId, studentId),
      settings: this.cache.timeline(schoolId),
      range,
    });
    return this.replaceHalfDays(schoolId, studentId, months, range, tallies);
  }

  /** Leaves a date's recount for later: the caller has shown that no alert can change meanwhile. */
  postpone(studentMonth: StudentMonth, dates: readonly IsoDate[]) {
    for (const date of dates) studentMonth.postponed.add(date);
    const key = `${studentMonth.schoolId}\0${studentMonth.studentId}`;
    let months = this.postponedMonths.get(key);
    if (!months) this.postponedMonths.set(key, (months = new Set()));
    months.add(studentMonth);
  }

  /** Counts the postponed dates of a month, so that its half-days are exact again. */
  settle(studentMonth: StudentMonth) {
    if (studentMonth.postponed.size === 0) return;
    const dates = [...studentMonth.postponed].sort();
    studentMonth.postponed.clear();
    this.postponedMonths.get(`${studentMonth.schoolId}\0${studentMonth.studentId}`)?.delete(studentMonth);
    for (const date of dates)
      this.recount(studentMonth.schoolId, studentMonth.studentId, { from: date, to: date });
    // No alert could be raised or withdrawn meanwhile; the open ones follow the count, as a refresh would.
    const unjustified = studentMonth.unjustified();
    for (const alert of studentMonth.openAlerts) alert.count = unjustified;
  }

  private replaceHalfDays(
    schoolId: string,
    studentId: string,
    months: readonly string[],
    range: DateRange,
    tallies: readonly HalfDayTally[],
  ): Set<string> {
    const touched = new Set<string>();
    for (const month of months) {
      const studentMonth = this.cache.studentMonth(schoolId, studentId, month);
      for (const [key, tally] of studentMonth.halfDays)
        if (tally.date >= range.from && tally.date <= range.to) {
          studentMonth.halfDays.delete(key);
          touched.add(month);
          this.touchedMonths.add(studentMonth);
        }
    }
    for (const tally of tallies) {
      const studentMonth = this.cache.studentMonth(schoolId, studentId, tally.month);
      studentMonth.halfDays.set(halfDayKey(tally.date, tally.halfDay), tally);
      touched.add(tally.month);
      this.touchedMonths.add(studentMonth);
    }
    return touched;
  }

  /** Counts every postponed date, then writes what the batch changed. */
  flush() {
    for (const months of this.postponedMonths.values())
      for (const studentMonth of months) this.settle(studentMonth);
    this.postponedMonths.clear();
    this.writers.write(this.touchedMonths);
    this.touchedMonths.clear();
  }
}
