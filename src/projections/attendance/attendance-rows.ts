import type { Database } from 'better-sqlite3';
import {
  CountingSettings,
  CountingSettingsTimeline,
  CountingSettingsVersion,
  DEFAULT_COUNTING_SETTINGS,
  DateRange,
  GroupKind,
  Lateness,
  RollCallEntry,
  StudentAttendance,
  initialStudentAttendance,
} from '../../domain/attendance';
import { prepared } from '../prepared';
import { TableNames } from '../projection';
import { AttendanceTable } from './attendance-schema';
import { statementsFor } from './attendance-statements';
import { CountingMode } from '../../domain/shared/school-defaults';
import { HalfDay, monthOf } from '../../domain/shared/calendar';

type Tables = TableNames<AttendanceTable>;

export type RollCallRow = {
  rollcall_id: string;
  school_id: string;
  class_id: string;
  group_kind: string;
  date: string;
  slot_code: string;
  slot_start: string;
  slot_end: string;
  half_day: string;
  status: string;
  version: number;
  register: string;
  absent: string;
  late: string;
  late_threshold: number | null;
  taken_by_id: string;
  taken_by_role: string;
  taken_at: string;
  changed_at: string;
  void_reason: string | null;
};

/** The columns a student's recount reads. */
export type StudentRollCallRow = Pick<
  RollCallRow,
  | 'rollcall_id'
  | 'class_id'
  | 'group_kind'
  | 'date'
  | 'slot_code'
  | 'slot_start'
  | 'slot_end'
  | 'half_day'
  | 'status'
  | 'register'
  | 'absent'
  | 'late'
  | 'late_threshold'
  | 'void_reason'
>;

export type RollCallLists = {
  readonly register: readonly string[];
  readonly absent: readonly string[];
  readonly late: readonly Lateness[];
};

export const listsOf = (row: Pick<RollCallRow, 'register' | 'absent' | 'late'>): RollCallLists => ({
  register: JSON.parse(row.register) as string[],
  absent: JSON.parse(row.absent) as string[],
  late: JSON.parse(row.late) as Lateness[],
});

/** What one roll call says about one student, if the student was on it. */
export const entryOf = (row: StudentRollCallRow, studentId: string): RollCallEntry | undefined => {
  // The register is only searched, never parsed: a year of roll calls is read on every recount.
  const quoted = JSON.stringify(studentId);
  const onRegister = row.register.includes(quoted);
  const absent = row.absent.includes(quoted) && (JSON.parse(row.absent) as string[]).includes(studentId);
  const late = row.late.includes(quoted)
    ? (JSON.parse(row.late) as Lateness[]).find((l) => l.studentId === studentId)
    : undefined;
  if (!late && !absent && !onRegister) return undefined;
  return {
    rollCallId: row.rollcall_id,
    studentId,
    classOrGroupId: row.class_id,
    groupKind: row.group_kind as GroupKind,
    date: row.date,
    slot: { code: row.slot_code, start: row.slot_start, end: row.slot_end },
    halfDay: row.half_day as HalfDay,
    status: absent ? 'absent' : late ? 'late' : 'present',
    minutes: late ? late.minutes : null,
    lateAsAbsenceAfterMinutes: row.late_threshold,
  };
};

/** The roll calls, voided ones included, of the classes and groups a student was on the register of. */
export const rollCallsOfStudent = (
  db: Database,
  t: Tables,
  schoolId: string,
  studentId: string,
  range: DateRange,
): { row: StudentRollCallRow; entry: RollCallEntry }[] =>
  statementsFor(db, t)
    .rollCallsOfStudent.all({
      schoolId,
      studentId,
      fromMonth: monthOf(range.from),
      toMonth: monthOf(range.to),
      ...range,
    })
    .flatMap((row) => {
      const entry = entryOf(row, studentId);
      return entry ? [{ row, entry }] : [];
    });

export const studentStateOf = (
  db: Database,
  t: Tables,
  schoolId: string,
  studentId: string,
): StudentAttendance => {
  const row = statementsFor(db, t).studentState.get(schoolId, studentId);
  return row ? (JSON.parse(row.state) as StudentAttendance) : initialStudentAttendance();
};

/** Keys of the school settings (`SettingChanged` on the `school-{uai}` stream) that change how attendance counts. */
export const COUNTING_SETTING_KEYS = [
  'countingMode',
  'absenteeismThreshold',
  'persistentAbsenteeismThreshold',
] as const;
export type CountingSettingKey = (typeof COUNTING_SETTING_KEYS)[number];

const withSetting = (settings: CountingSettings, key: string, value: unknown): CountingSettings => {
  switch (key as CountingSettingKey) {
    case 'countingMode':
      return value === 'gross' || value === 'full' ? { ...settings, mode: value as CountingMode } : settings;
    case 'absenteeismThreshold':
      return typeof value === 'number'
        ? { ...settings, thresholds: { ...settings.thresholds, monthly: value } }
        : settings;
    case 'persistentAbsenteeismThreshold':
      return typeof value === 'number'
        ? { ...settings, thresholds: { ...settings.thresholds, persistent: value } }
        : settings;
    default:
      return settings;
  }
};

/**
 * The counting settings of a school as versions by effective date; changes effective on the same
 * date apply in recorded order, as the settings stream itself does.
 */
export const countingTimelineOf = (db: Database, t: Tables, schoolId: string): CountingSettingsTimeline => {
  const rows = prepared<[string], { effective_from: string; key: string; value: string }>(
    db,
    `SELECT effective_from, key, value FROM "${t.settings}" WHERE school_id = ? ORDER BY effective_from, position`,
  ).all(schoolId);
  const versions: CountingSettingsVersion[] = [];
  let settings = DEFAULT_COUNTING_SETTINGS;
  for (const row of rows) {
    settings = withSetting(settings, row.key, JSON.parse(row.value));
    const last = versions[versions.length - 1];
    if (last?.effectiveFrom === row.effective_from) versions[versions.length - 1] = { ...last, settings };
    else versions.push({ effectiveFrom: row.effective_from, settings });
  }
  return versions;
};
