import type { Database } from 'better-sqlite3';
import {
  CountingSettingsTimeline,
  DateRange,
  RollCallEntry,
  StudentAttendance,
  initialStudentAttendance,
} from '../../domain/attendance';
import { TableNames } from '../projection';
import { StudentRollCallRow, countingTimelineOf, entryOf } from './attendance-rows';
import { AttendanceTable } from './attendance-schema';
import { AttendanceStatements, statementsFor } from './attendance-statements';
import {
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
} from '../../domain/shared/calendar';

type Tables = TableNames<AttendanceTable>;

/** Every student month read asks for its month's last day; working it out goes through dates. */
const lastDays = new Map<string, IsoDate>();
export const lastDayOfMonth = (month: string): IsoDate => {
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

/** Roll calls kept between batches, beyond which the least recently used school months are let go. */
const ROLL_CALLS_KEPT = 20_000;
/** Attendance states kept between batches. */
const STATES_KEPT = 20_000;

/**
 * What the attendance projection has read from its tables — the counting settings, the students'
 * attendance streams, and by school and month the roll calls of each class's day and each student's
 * classes, half-days and open alerts — kept in step with what it writes, so that each is read once.
 *
 * The cache outlives a batch: the next batch of a rebuild reads the same months. It is trusted only
 * if the batch that last changed it was committed and nothing else wrote the file since: `open`
 * checks that the new batch starts after the last one applied (a batch rolled back is handed again)
 * and that no other connection committed to the file, and a batch that throws leaves it untrusted.
 */
export class ReadCache {
  readonly s: AttendanceStatements;
  private readonly timelines = new Map<string, CountingSettingsTimeline>();
  private readonly states = new Map<string, StudentAttendance>();
  /** In order of last use, the least recent first. */
  private readonly schoolMonths = new Map<string, SchoolMonth>();
  /** Consecutive events mostly concern the same month of the same school. */
  private lastSchoolMonth?: SchoolMonth;
  private trustedAfter?: { readonly position: bigint; readonly dataVersion: number };

  private constructor(
    readonly db: Database,
    readonly t: Tables,
  ) {
    this.s = statementsFor(db, t);
  }

  private static readonly caches = new WeakMap<Database, Map<string, ReadCache>>();

  /** The cache of these tables for a batch whose first event is at `firstPosition`. */
  static open(db: Database, t: Tables, firstPosition: bigint): ReadCache {
    let byTables = ReadCache.caches.get(db);
    if (!byTables) ReadCache.caches.set(db, (byTables = new Map()));
    const dataVersion = db.pragma('data_version', { simple: true }) as number;
    let cache = byTables.get(t.rollcalls);
    const trusted = cache?.trustedAfter;
    if (!cache || !trusted || firstPosition <= trusted.position || dataVersion !== trusted.dataVersion) {
      byTables.delete(t.rollcalls);
      // A rebuild into a new generation leaves the old one's cache behind: keep the most recent few.
      if (byTables.size >= 4) byTables.delete(byTables.keys().next().value as string);
      byTables.set(t.rollcalls, (cache = new ReadCache(db, t)));
    }
    cache.trustedAfter = undefined;
    return cache;
  }

  /** The batch that ended at `lastPosition` wrote everything it changed: the next one may use the cache. */
  trustAfter(lastPosition: bigint) {
    this.letGo();
    this.trustedAfter = {
      position: lastPosition,
      dataVersion: this.db.pragma('data_version', { simple: true }) as number,
    };
  }

  private letGo() {
    if (this.states.size > STATES_KEPT) this.states.clear();
    let rollCalls = 0;
    for (const schoolMonth of this.schoolMonths.values()) rollCalls += schoolMonth.rollCallCount;
    for (const [key, schoolMonth] of this.schoolMonths) {
      if (rollCalls <= ROLL_CALLS_KEPT) break;
      rollCalls -= schoolMonth.rollCallCount;
      this.schoolMonths.delete(key);
    }
    this.lastSchoolMonth = undefined;
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
    this.states.set(`${schoolId}\0${studentId}`, state);
  }

  schoolMonth(schoolId: string, month: string): SchoolMonth {
    const last = this.lastSchoolMonth;
    if (last && last.schoolId === schoolId && last.month === month) return last;
    const key = `${schoolId}\0${month}`;
    let schoolMonth = this.schoolMonths.get(key);
    if (schoolMonth) this.schoolMonths.delete(key);
    else schoolMonth = new SchoolMonth(schoolId, month);
    this.schoolMonths.set(key, schoolMonth);
    return (this.lastSchoolMonth = schoolMonth);
  }

  /** The roll call of a lesson as the tables have it, voided or not, if it was written. */
  rollCall(schoolMonth: SchoolMonth, classId: string, date: IsoDate, rollCallId: string) {
    return this.rollCallsOn(schoolMonth, classId, date).find((r) => r.rollcall_id === rollCallId);
  }

  /** Keeps the roll calls of a day in step with a roll call about to be written. */
  writingRollCall(schoolMonth: SchoolMonth, row: StudentRollCallRow) {
    const rows = this.rollCallsOn(schoolMonth, row.class_id, row.date);
    const at = rows.findIndex((r) => r.rollcall_id === row.rollcall_id);
    if (at < 0) {
      rows.push(row);
      schoolMonth.rollCallCount++;
    }
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

  voidedRollCall(
    schoolMonth: SchoolMonth,
    classId: string,
    date: IsoDate,
    rollCallId: string,
    reason: string,
  ) {
    const rows = this.rollCallsOn(schoolMonth, classId, date);
    const at = rows.findIndex((r) => r.rollcall_id === rollCallId);
    if (at >= 0) rows[at] = { ...rows[at], status: 'voided', void_reason: reason };
  }

  /** A class's or group's roll calls of one day, voided ones included. */
  private rollCallsOn(schoolMonth: SchoolMonth, classId: string, date: IsoDate): StudentRollCallRow[] {
    const key = `${classId}|${date}`;
    let rows = schoolMonth.rollCalls.get(key);
    if (!rows) {
      schoolMonth.rollCalls.set(
        key,
        (rows = this.s.rollCallsOfClassOn.all(schoolMonth.schoolId, classId, date)),
      );
      schoolMonth.rollCallCount += rows.length;
    }
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

  studentMonthOf(schoolMonth: SchoolMonth, studentId: string): StudentMonth {
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
      // Not read since the month was cached, so not changed since: the store is right.
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

  /** The months, between two, where the student has a class or a count (the store must be written first). */
  storedMonthsOf(schoolId: string, studentId: string, range: DateRange): Set<string> {
    const months = new Set<string>();
    const fromMonth = monthOf(range.from);
    const toMonth = monthOf(range.to);
    for (const row of this.s.monthsOfStudent.all({ schoolId, studentId, fromMonth, toMonth }))
      months.add(row.month);
    for (const row of this.s.monthsOfRange.all(schoolId, studentId, range.from, range.to))
      months.add(row.month);
    return months;
  }
}
