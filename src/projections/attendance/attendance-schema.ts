import type { Database } from 'better-sqlite3';
import { TableNames } from '../projection';

export type AttendanceTable =
  'rollcalls' | 'changes' | 'memberships' | 'students' | 'half_days' | 'months' | 'alerts' | 'settings';

export const ATTENDANCE_TABLES: readonly AttendanceTable[] = [
  'rollcalls',
  'changes',
  'memberships',
  'students',
  'half_days',
  'months',
  'alerts',
  'settings',
];

/**
 * `rollcalls` keeps each roll call's register and lists (the students not listed were present, which
 * "full" counting and the ledger need) and who took it, `changes` its amendments and void;
 * `memberships` says which classes and groups a student was on the register of, month by month, so
 * that a student's roll calls are found without one row per student and lesson (and, by month, who was
 * on which register, read for a whole school at once: keyed by month first, one B-tree serves both,
 * a student's months being found by skipping from month to month); `students` holds the folded
 * attendance stream of each student; `half_days` and `months` the counts, recomputed for one student and
 * a date range at a time; `alerts` are withdrawn, never deleted.
 */
export const setupAttendanceTables = (db: Database, t: TableNames<AttendanceTable>): void => {
  db.exec(`
    CREATE TABLE "${t.rollcalls}" (
      rollcall_id TEXT PRIMARY KEY,
      school_id TEXT NOT NULL,
      class_id TEXT NOT NULL,
      group_kind TEXT NOT NULL,
      date TEXT NOT NULL,
      slot_code TEXT NOT NULL,
      slot_start TEXT NOT NULL,
      slot_end TEXT NOT NULL,
      half_day TEXT NOT NULL,
      status TEXT NOT NULL,
      version INTEGER NOT NULL,
      register TEXT NOT NULL,
      absent TEXT NOT NULL,
      late TEXT NOT NULL,
      late_threshold INTEGER,
      taken_by_id TEXT NOT NULL,
      taken_by_role TEXT NOT NULL,
      taken_at TEXT NOT NULL,
      taken_position INTEGER NOT NULL,
      changed_at TEXT NOT NULL,
      void_reason TEXT
    ) STRICT;
    CREATE INDEX "${t.rollcalls}_day" ON "${t.rollcalls}" (school_id, date, class_id);
    CREATE INDEX "${t.rollcalls}_class" ON "${t.rollcalls}" (school_id, class_id, date);
    CREATE TABLE "${t.changes}" (
      position INTEGER PRIMARY KEY,
      rollcall_id TEXT NOT NULL,
      type TEXT NOT NULL,
      version INTEGER,
      actor_id TEXT NOT NULL,
      actor_role TEXT NOT NULL,
      at TEXT NOT NULL,
      reason TEXT,
      added TEXT,
      removed TEXT,
      reverts_to INTEGER
    ) STRICT;
    CREATE INDEX "${t.changes}_rollcall" ON "${t.changes}" (rollcall_id, position);
    CREATE TABLE "${t.memberships}" (
      school_id TEXT NOT NULL,
      student_id TEXT NOT NULL,
      month TEXT NOT NULL,
      class_id TEXT NOT NULL,
      PRIMARY KEY (school_id, month, student_id, class_id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE "${t.students}" (
      school_id TEXT NOT NULL,
      student_id TEXT NOT NULL,
      state TEXT NOT NULL,
      PRIMARY KEY (school_id, student_id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE "${t.half_days}" (
      school_id TEXT NOT NULL,
      student_id TEXT NOT NULL,
      date TEXT NOT NULL,
      half_day TEXT NOT NULL,
      month TEXT NOT NULL,
      class_id TEXT,
      mode TEXT NOT NULL,
      absent INTEGER NOT NULL,
      justified INTEGER NOT NULL,
      latenesses INTEGER NOT NULL,
      missed_slots INTEGER NOT NULL,
      missed_minutes INTEGER NOT NULL,
      PRIMARY KEY (school_id, student_id, date, half_day)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX "${t.half_days}_class" ON "${t.half_days}" (school_id, class_id, date);
    CREATE INDEX "${t.half_days}_day" ON "${t.half_days}" (school_id, date, half_day, missed_slots);
    CREATE TABLE "${t.months}" (
      school_id TEXT NOT NULL,
      student_id TEXT NOT NULL,
      month TEXT NOT NULL,
      half_days_absent INTEGER NOT NULL,
      justified INTEGER NOT NULL,
      unjustified INTEGER NOT NULL,
      latenesses INTEGER NOT NULL,
      missed_minutes INTEGER NOT NULL,
      PRIMARY KEY (school_id, student_id, month)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX "${t.months}_school_month" ON "${t.months}" (school_id, month);
    CREATE TABLE "${t.alerts}" (
      alert_id TEXT PRIMARY KEY,
      school_id TEXT NOT NULL,
      student_id TEXT NOT NULL,
      month TEXT NOT NULL,
      tier TEXT NOT NULL,
      threshold INTEGER NOT NULL,
      status TEXT NOT NULL,
      count_at_raise INTEGER NOT NULL,
      current_count INTEGER NOT NULL,
      raised_at TEXT NOT NULL,
      raised_position INTEGER NOT NULL,
      withdrawn_at TEXT,
      withdrawn_position INTEGER
    ) STRICT;
    CREATE INDEX "${t.alerts}_student_month" ON "${t.alerts}" (school_id, student_id, month, status);
    CREATE INDEX "${t.alerts}_school" ON "${t.alerts}" (school_id, status, month, student_id, tier, raised_position);
    CREATE INDEX "${t.alerts}_all" ON "${t.alerts}" (school_id, month, student_id, tier, raised_position);
    CREATE TABLE "${t.settings}" (
      position INTEGER PRIMARY KEY,
      school_id TEXT NOT NULL,
      effective_from TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL
    ) STRICT;
    CREATE INDEX "${t.settings}_school" ON "${t.settings}" (school_id, effective_from, position);`);
};
