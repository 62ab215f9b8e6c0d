import type { Database } from 'better-sqlite3';
import { StudentAttendance } from '../../domain/attendance';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { AttendanceTable } from './attendance-schema';
import { AttendanceStatements, statementsFor } from './attendance-statements';
import { OpenAlert, SchoolMonth, StudentMonth } from './student-month';

type Tables = TableNames<AttendanceTable>;

/** The event that caused a recount: alerts are stamped with its instant and position. */
export type Cause = { readonly recordedAt: string; readonly position: bigint };

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

/**
 * Everything the attendance projection writes besides the roll calls themselves. Memberships and alert
 * raises and withdrawals are written as they happen, so the tables they live in are always current;
 * counts, open alerts' counts and attendance states are written once per batch, by `write`.
 */
export class AttendanceWriters {
  private readonly s: AttendanceStatements;
  private readonly changedStates = new Map<string, StudentAttendance>();

  constructor(
    readonly db: Database,
    readonly t: Tables,
  ) {
    this.s = statementsFor(db, t);
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

  stateChanged(schoolId: string, studentId: string, state: StudentAttendance) {
    this.changedStates.set(`${schoolId}\0${studentId}`, state);
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

  /** Writes the attendance states changed since the last call and the counts of `touched` months. */
  write(touched: Iterable<StudentMonth>) {
    for (const [key, state] of this.changedStates) {
      const [schoolId, studentId] = key.split('\0');
      this.s.saveStudentState.run(schoolId, studentId, JSON.stringify(state));
    }
    this.changedStates.clear();
    for (const studentMonth of touched) {
      this.writeHalfDays(studentMonth);
      for (const alert of studentMonth.openAlerts)
        if (alert.count !== alert.storedCount) {
          this.s.updateAlertCount.run(alert.count, alert.alertId);
          alert.storedCount = alert.count;
        }
    }
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
