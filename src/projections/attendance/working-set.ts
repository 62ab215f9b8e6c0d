import type { Database } from 'better-sqlite3';
import {
  CountingSettingsTimeline,
  DateRange,
  HalfDayTally,
  RollCallEntry,
  StudentAttendance,
  countStudent,
  initialStudentAttendance,
} from '../../domain/attendance';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { StudentRollCallRow, countingTimelineOf, entryOf } from './attendance-rows';
import { AttendanceTable } from './attendance-schema';
import { AttendanceStatements, statementsFor } from './attendance-statements';
import {
  OpenAlert,
  STUDENTS_READ_ONE_BY_ONE,
  SchoolMonth,
  StudentMonth,
  halfDayKey,
  openAlertOf,
  tallyOf,
} from './student-month';
import {
  HalfDay,
  IsoDate,
  datesBetween,
  firstDayOfMonth,
  lastDayOfMonth as lastDayOfMonthOf,
  monthOf,
  nextMonth,
} from '../../domain/shared/calendar';

type Tables = TableNames<AttendanceTable>;

/** The event that caused a recount: alerts are stamped with its instant and position. */
export type Cause = { readonly recordedAt: string; readonly position: bigint };

/** Far enough to mean "from this date on": a change of settings recounts everything after it. */
export const END_OF_TIME = '9999-12-31';

/** Ranges longer than this look up the months that hold something instead of visiting every month. */
const MONTHS_VISITED_ONE_BY_ONE = 12;

const monthsApart = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
  Number(to.slice(5, 7)) -
  Number(from.slice(5, 7));

/** Rows per multi-row INSERT of memberships: a class's register fits in one, well under SQLite's 32,766 parameters. */
const MEMBERSHIPS_PER_INSERT = 64;

const addMemberships = (db: Database, t: Tables, count: number) =>
  prepared<string[]>(
    db,
    `INSERT OR IGNORE INTO "${t.memberships}" (school_id, student_id, month, class_id) VALUES ${Array.from(
      { length: count },
      () => '(?, ?, ?, ?)',
    ).join(', ')}`,
  );

/** Every student month read asks for its month's last day; working it out goes through dates. */
const lastDays = new Map<string, IsoDate>();
const lastDayOfMonth = (month: string): IsoDate => {
  let last = lastDays.get(month);
  if (last === undefined) {
    last = lastDayOfMonthOf(month);
    if (lastDays.size < 1_000) lastDays.set(month, last);
  }
  return last;
};

/** Lesson order, with the roll call's id to settle two roll calls of the same slot. */
const byLesson = (a: StudentRollCallRow, b: StudentRollCallRow) => {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.slot_start !== b.slot_start) return a.slot_start < b.slot_start ? -1 : 1;
  return a.rollcall_id < b.rollcall_id ? -1 : a.rollcall_id > b.rollcall_id ? 1 : 0;
};

/**
 * What one batch of events reads and writes, held in memory until the batch ends. Each event is still
 * counted on its own — an alert is raised or withdrawn by the event that crossed the threshold, however
 * the log is cut into batches — but against these maps rather than SQL: the roll calls of a class and
 * month, a student's month (classes, half-days, open alerts) and attendance stream are read once per
 * batch, and the counts and states are written once, by `flush`. Roll calls, their changes, memberships
 * and alert raises and withdrawals are written as they happen, so the tables they live in are always
 * current.
 */
export class WorkingSet {
  private readonly s: AttendanceStatements;
  private readonly timelines = new Map<string, CountingSettingsTimeline>();
  private readonly states = new Map<string, StudentAttendance>();
  private readonly changedStates = new Set<string>();
  private readonly schoolMonths = new Map<string, SchoolMonth>();
  /** Consecutive events mostly concern the same month of the same school. */
  private lastSchoolMonth?: SchoolMonth;
  private readonly touchedMonths = new Set<StudentMonth>();
  /** Months with postponed dates, by `schoolId\0studentId`. */
  private readonly postponedMonths = new Map<string, Set<StudentMonth>>();

  constructor(
    readonly db: Database,
    readonly t: Tables,
  ) {
    this.s = statementsFor(db, t);
  }

  timeline(schoolId: string): CountingSettingsTimeline {
    let timeline = this.timelines.get(schoolId);
    if (!timeline) this.timelines.set(schoolId, (timeline = countingTimelineOf(this.db, this.t, schoolId)));
    return timeline;
  }

  forgetTimeline(schoolId: string) {
    this.timelines.delete(schoolId);
  }

  state(schoolId: string, studentId: string): StudentAttendance {
    const key = `${schoolId}\0${studentId}`;
    let state = this.states.get(key);
    if (!state) {
      const row = this.s.studentState.get(schoolId, studentId);
      state = row ? (JSON.parse(row.state) as StudentAttendance) : initialStudentAttendance();
      this.states.set(key, state);
    }
    return state;
  }

  setState(schoolId: string, studentId: string, state: StudentAttendance) {
    const key = `${schoolId}\0${studentId}`;
    this.states.set(key, state);
    this.changedStates.add(key);
  }

  schoolMonth(schoolId: string, month: string): SchoolMonth {
    const last = this.lastSchoolMonth;
    if (last && last.schoolId === schoolId && last.month === month) return last;
    const key = `${schoolId}\0${month}`;
    let schoolMonth = this.schoolMonths.get(key);
    if (!schoolMonth) this.schoolMonths.set(key, (schoolMonth = new SchoolMonth(schoolId, month)));
    return (this.lastSchoolMonth = schoolMonth);
  }

  /** Remembers that students were on a class's register that month (written once ever). */
  joined(schoolMonth: SchoolMonth, classOrGroupId: string, studentIds: Iterable<string>) {
    let joined = schoolMonth.joined.get(classOrGroupId);
    if (!joined) schoolMonth.joined.set(classOrGroupId, (joined = new Set()));
    const { schoolId, month } = schoolMonth;
    const rows: string[] = [];
    for (const studentId of studentIds) {
      if (joined.has(studentId)) continue;
      joined.add(studentId);
      const studentMonth = schoolMonth.cached(studentId);
      // A month read from the store lists the student's classes: a register seen before is not written again.
      if (studentMonth?.classes.has(classOrGroupId)) continue;
      rows.push(schoolId, studentId, month, classOrGroupId);
      studentMonth?.classes.add(classOrGroupId);
    }
    // A register is written in one statement: one per student cost a third of a roll call's projection.
    for (let at = 0; at < rows.length; at += MEMBERSHIPS_PER_INSERT * 4) {
      const chunk = rows.slice(at, at + MEMBERSHIPS_PER_INSERT * 4);
      addMemberships(this.db, this.t, chunk.length / 4).run(...chunk);
    }
  }

  /** Keeps the roll calls of a day in step with a roll call about to be written. */
  writingRollCall(schoolMonth: SchoolMonth, row: StudentRollCallRow) {
    const rows = this.rollCallsOn(schoolMonth, row.class_id, row.date);
    const at = rows.findIndex((r) => r.rollcall_id === row.rollcall_id);
    if (at < 0) rows.push(row);
    // An amendment changes the lists only, as the upsert does.
    else
      rows[at] = {
        ...rows[at],
        register: row.register,
        absent: row.absent,
        late: row.late,
        late_threshold: row.late_threshold,
      };
  }

  voidedRollCall(schoolId: string, classId: string, date: IsoDate, rollCallId: string, reason: string) {
    const rows = this.schoolMonth(schoolId, monthOf(date)).rollCalls.get(`${classId}|${date}`);
    const at = rows?.findIndex((r) => r.rollcall_id === rollCallId) ?? -1;
    if (rows && at >= 0) rows[at] = { ...rows[at], status: 'voided', void_reason: reason };
  }

  /** A class's or group's roll calls of one day, voided ones included. */
  private rollCallsOn(schoolMonth: SchoolMonth, classId: string, date: IsoDate): StudentRollCallRow[] {
    const key = `${classId}|${date}`;
    let rows = schoolMonth.rollCalls.get(key);
    if (!rows)
      schoolMonth.rollCalls.set(
        key,
        (rows = this.s.rollCallsOfClassOn.all(schoolMonth.schoolId, classId, date)),
      );
    return rows;
  }

  /** The entries that count (roll calls not voided) of a student over a range, in lesson order. */
  entriesOf(
    schoolId: string,
    studentId: string,
    months: readonly string[],
    range: DateRange,
  ): RollCallEntry[] {
    const rows: StudentRollCallRow[] = [];
    for (const month of months) {
      const schoolMonth = this.schoolMonth(schoolId, month);
      const classes = this.studentMonthOf(schoolMonth, studentId).classes;
      if (classes.size === 0) continue;
      const dates =
        range.from === range.to
          ? [range.from]
          : datesBetween(
              range.from > firstDayOfMonth(month) ? range.from : firstDayOfMonth(month),
              range.to < lastDayOfMonth(month) ? range.to : lastDayOfMonth(month),
            );
      for (const classId of classes)
        for (const date of dates)
          for (const row of this.rollCallsOn(schoolMonth, classId, date))
            if (row.status === 'taken') rows.push(row);
    }
    const entries: RollCallEntry[] = [];
    for (const row of rows.sort(byLesson)) {
      const entry = entryOf(row, studentId);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  studentMonth(schoolId: string, studentId: string, month: string): StudentMonth {
    return this.studentMonthOf(this.schoolMonth(schoolId, month), studentId);
  }

  private studentMonthOf(schoolMonth: SchoolMonth, studentId: string): StudentMonth {
    const cached = schoolMonth.cached(studentId);
    if (cached) return cached;
    if (++schoolMonth.readOneByOne > STUDENTS_READ_ONE_BY_ONE) {
      this.readWholeSchoolMonth(schoolMonth);
      return schoolMonth.cached(studentId) as StudentMonth;
    }
    const { schoolId, month } = schoolMonth;
    const studentMonth = new StudentMonth(schoolId, studentId, month);
    for (const { class_id } of this.s.classesOfStudent.all(schoolId, studentId, month))
      studentMonth.classes.add(class_id);
    for (const row of this.s.halfDaysOfStudent.all(
      schoolId,
      studentId,
      firstDayOfMonth(month),
      lastDayOfMonth(month),
    ))
      studentMonth.read(tallyOf(row));
    for (const alert of this.s.openAlerts.all(schoolId, studentId, month))
      studentMonth.openAlerts.push(openAlertOf(alert));
    schoolMonth.students.set(studentId, studentMonth);
    return studentMonth;
  }

  /** Once many students of a month are asked for (a rebuild, a change of settings), the rest are read at once. */
  private readWholeSchoolMonth(schoolMonth: SchoolMonth) {
    const { schoolId, month } = schoolMonth;
    const read = new Map<string, StudentMonth>();
    const of = (studentId: string) => {
      let studentMonth = read.get(studentId);
      if (!studentMonth) read.set(studentId, (studentMonth = new StudentMonth(schoolId, studentId, month)));
      return studentMonth;
    };
    for (const row of this.s.classesOfSchool.all(schoolId, month))
      of(row.student_id).classes.add(row.class_id);
    for (const row of this.s.halfDaysOfSchool.all(schoolId, firstDayOfMonth(month), lastDayOfMonth(month)))
      of(row.student_id).read(tallyOf(row));
    for (const alert of this.s.openAlertsOfSchool.all(schoolId, month))
      of(alert.student_id).openAlerts.push(openAlertOf(alert));
    // A student already read on their own may have changed since: theirs is the newer copy.
    for (const [studentId, studentMonth] of read)
      if (!schoolMonth.students.has(studentId)) schoolMonth.students.set(studentId, studentMonth);
    schoolMonth.complete = true;
  }

  /** Who has an absence counted in that half-day: only they can be changed by a presence. */
  missingLessonsOn(
    schoolMonth: SchoolMonth,
    date: IsoDate,
    halfDay: HalfDay,
  ): (studentId: string) => boolean {
    const key = halfDayKey(date, halfDay);
    return (studentId) => {
      const read = schoolMonth.students.get(studentId);
      // A postponed date may have gained a missed lesson: saying so only costs a recount.
      if (read) return read.postponed.has(date) || (read.halfDays.get(key)?.missedSlots ?? 0) > 0;
      if (schoolMonth.complete) return false;
      // Not read in this batch, so not changed in it: the store is right.
      let missing = schoolMonth.missingLessons.get(key);
      if (!missing) {
        missing = new Set();
        for (const row of this.s.studentsMissingLessonsOn.all(schoolMonth.schoolId, date, halfDay))
          missing.add(row.student_id);
        schoolMonth.missingLessons.set(key, missing);
      }
      return missing.has(studentId);
    };
  }

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
    const months = new Set<string>();
    for (const row of this.s.monthsOfStudent.all({ schoolId, studentId, fromMonth: from, toMonth: to }))
      months.add(row.month);
    for (const row of this.s.monthsOfRange.all(schoolId, studentId, range.from, range.to))
      months.add(row.month);
    for (const fact of Object.values(this.state(schoolId, studentId).facts))
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
    for (const month of months) this.settle(this.studentMonth(schoolId, studentId, month));
    const tallies = countStudent({
      entries: this.entriesOf(schoolId, studentId, months, range),
      attendance: this.state(schoolId, studentId),
      settings: this.timeline(schoolId),
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
      const studentMonth = this.studentMonth(schoolId, studentId, month);
      for (const [key, tally] of studentMonth.halfDays)
        if (tally.date >= range.from && tally.date <= range.to) {
          studentMonth.halfDays.delete(key);
          touched.add(month);
          this.touchedMonths.add(studentMonth);
        }
    }
    for (const tally of tallies) {
      const studentMonth = this.studentMonth(schoolId, studentId, tally.month);
      studentMonth.halfDays.set(halfDayKey(tally.date, tally.halfDay), tally);
      touched.add(tally.month);
      this.touchedMonths.add(studentMonth);
    }
    return touched;
  }

  raiseAlert(studentMonth: StudentMonth, alert: OpenAlert, threshold: number, cause: Cause) {
    this.s.raiseAlert.run(
      alert.alertId,
      studentMonth.schoolId,
      studentMonth.studentId,
      studentMonth.month,
      alert.tier,
      threshold,
      alert.count,
      alert.count,
      cause.recordedAt,
      cause.position,
    );
    studentMonth.openAlerts.push(alert);
  }

  withdrawAlert(studentMonth: StudentMonth, alert: OpenAlert, count: number, cause: Cause) {
    this.s.withdrawAlert.run(count, cause.recordedAt, cause.position, alert.alertId);
    studentMonth.openAlerts.splice(studentMonth.openAlerts.indexOf(alert), 1);
  }

  /** Writes the counts and attendance states the batch changed. */
  flush() {
    for (const months of this.postponedMonths.values())
      for (const studentMonth of months) this.settle(studentMonth);
    this.postponedMonths.clear();
    for (const key of this.changedStates) {
      const [schoolId, studentId] = key.split('\0');
      this.s.saveStudentState.run(schoolId, studentId, JSON.stringify(this.states.get(key)));
    }
    this.changedStates.clear();
    for (const studentMonth of this.touchedMonths) {
      this.writeHalfDays(studentMonth);
      for (const alert of studentMonth.openAlerts)
        if (alert.count !== alert.storedCount) {
          this.s.updateAlertCount.run(alert.count, alert.alertId);
          alert.storedCount = alert.count;
        }
    }
    this.touchedMonths.clear();
  }

  private writeHalfDays(studentMonth: StudentMonth) {
    const { schoolId, studentId, month } = studentMonth;
    const { removed, written } = studentMonth.takeChanges();
    if (removed.length + written.length === 0) return;
    for (const tally of removed) this.s.deleteHalfDay.run(schoolId, studentId, tally.date, tally.halfDay);
    for (const tally of written)
      this.s.writeHalfDay.run(
        schoolId,
        studentId,
        tally.date,
        tally.halfDay,
        tally.month,
        tally.classId,
        tally.mode,
        tally.absent ? 1 : 0,
        tally.justified ? 1 : 0,
        tally.latenesses,
        tally.missedSlots,
        tally.missedMinutes,
      );
    const totals = { absent: 0, justified: 0, unjustified: 0, latenesses: 0, missed: 0 };
    for (const tally of studentMonth.halfDays.values()) {
      if (tally.absent) {
        totals.absent++;
        if (tally.justified) totals.justified++;
        else totals.unjustified++;
      }
      totals.latenesses += tally.latenesses;
      totals.missed += tally.missedMinutes;
    }
    if (totals.absent + totals.latenesses + totals.missed === 0)
      this.s.deleteMonth.run(schoolId, studentId, month);
    else
      this.s.upsertMonth.run(
        schoolId,
        studentId,
        month,
        totals.absent,
        totals.justified,
        totals.unjustified,
        totals.latenesses,
        totals.missed,
      );
  }
}
