import type { Database } from 'better-sqlite3';
import {
  CountingSettingsTimeline,
  DateRange,
  LessonOfRollCall,
  monthOf,
  ROLL_CALL_EVENT_TYPES,
  RollCallAmendedData,
  RollCallTakenData,
  RollCallVoidedData,
  STUDENT_ATTENDANCE_EVENT_TYPES,
  StudentAttendanceEvent,
  evolveStudentAttendance,
} from '../../domain/attendance';
import { RecordedEvent } from '../../event-store/event-store';
import { prepared } from '../prepared';
import { Projection, TableNames } from '../projection';
import {
  COUNTING_SETTING_KEYS,
  RollCallLists,
  countingTimelineOf,
  listsOf,
  saveStudentState,
  studentStateOf,
} from './attendance-rows';
import { ATTENDANCE_TABLES, AttendanceTable, setupAttendanceTables } from './attendance-schema';
import { statementsFor } from './attendance-statements';
import { Cause, recomputeSchoolFrom, recomputeStudent } from './recompute';

type Tables = TableNames<AttendanceTable>;

/**
 * Settings are read from the `school-{uai}` stream's `SettingChanged` events (key, value, effectiveFrom),
 * so that a count always uses the counting mode and thresholds in force on the lesson's date, and a
 * change of setting — even back-dated — recounts from its effective date.
 */
export const SETTING_CHANGED = 'SettingChanged';

type EntryState = { status: string; minutes: number | null; threshold: number | null };

const causeOf = (event: RecordedEvent): Cause => ({
  recordedAt: event.metadata.recordedAt,
  position: event.position,
});

/** Per-batch memory: settings timelines (dropped when a setting changes) and memberships already written. */
class Batch {
  private readonly timelines = new Map<string, CountingSettingsTimeline>();
  private readonly memberships = new Set<string>();

  constructor(
    readonly db: Database,
    readonly t: Tables,
  ) {}

  timeline(schoolId: string): CountingSettingsTimeline {
    let timeline = this.timelines.get(schoolId);
    if (!timeline) this.timelines.set(schoolId, (timeline = countingTimelineOf(this.db, this.t, schoolId)));
    return timeline;
  }

  /** Remembers that a student was on a class's register that month (once per batch, written once ever). */
  joined(schoolId: string, studentId: string, month: string, classOrGroupId: string) {
    const key = `${schoolId}|${studentId}|${month}|${classOrGroupId}`;
    if (this.memberships.has(key)) return;
    this.memberships.add(key);
    statementsFor(this.db, this.t).addMembership.run(schoolId, studentId, month, classOrGroupId);
  }

  forget(schoolId: string) {
    this.timelines.delete(schoolId);
  }

  recompute(schoolId: string, studentId: string, range: DateRange, event: RecordedEvent) {
    recomputeStudent(this.db, this.t, this.timeline(schoolId), schoolId, studentId, range, causeOf(event));
  }
}

const statusesOf = (lists: RollCallLists, threshold: number | null): Map<string, EntryState> => {
  const statuses = new Map<string, EntryState>();
  for (const studentId of lists.register)
    statuses.set(studentId, { status: 'present', minutes: null, threshold });
  for (const studentId of lists.absent)
    statuses.set(studentId, { status: 'absent', minutes: null, threshold });
  for (const late of lists.late)
    statuses.set(late.studentId, { status: 'late', minutes: late.minutes, threshold });
  return statuses;
};

const sameEntry = (a: EntryState | undefined, b: EntryState | undefined) =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.status === b.status &&
    a.minutes === b.minutes &&
    a.threshold === b.threshold);

/**
 * Being present can only cancel or reduce an absence (a report the teacher contradicts, a half-day that
 * "full" counting no longer counts): a present entry matters only to a student missing lessons in
 * that half-day.
 */
const matters = (
  missingLessons: ReadonlySet<string>,
  studentId: string,
  ...states: (EntryState | undefined)[]
) => states.some((s) => s !== undefined && s.status !== 'present') || missingLessons.has(studentId);

const writeRollCallRow = (batch: Batch, event: RecordedEvent) => {
  const s = statementsFor(batch.db, batch.t);
  const at = event.metadata.recordedAt;
  if (event.type === 'RollCallVoided') {
    const data = event.data as unknown as RollCallVoidedData;
    s.voidRollCall.run(data.reason, at, event.streamId);
    s.insertChange.run(
      event.position,
      event.streamId,
      event.type,
      null,
      data.voidedBy.id,
      data.voidedBy.role,
      at,
      data.reason,
      null,
      null,
      null,
    );
    return;
  }
  const data = event.data as unknown as RollCallTakenData | RollCallAmendedData;
  const amendment = event.type === 'RollCallAmended' ? (data as RollCallAmendedData) : undefined;
  const actor = amendment ? amendment.amendedBy : (data as RollCallTakenData).takenBy;
  const version = amendment?.version ?? 1;
  s.upsertRollCall.run(
    event.streamId,
    event.metadata.schoolId,
    data.classOrGroupId,
    data.groupKind,
    data.date,
    data.slot.code,
    data.slot.start,
    data.slot.end,
    data.halfDay,
    version,
    JSON.stringify(data.register),
    JSON.stringify(data.absent),
    JSON.stringify(data.late),
    data.lateAsAbsenceAfterMinutes,
    actor.id,
    actor.role,
    at,
    at,
  );
  s.insertChange.run(
    event.position,
    event.streamId,
    event.type,
    version,
    actor.id,
    actor.role,
    at,
    amendment?.reason ?? null,
    amendment ? JSON.stringify(amendment.added) : null,
    amendment ? JSON.stringify(amendment.removed) : null,
    amendment?.revertsTo ?? null,
  );
};

const applyRollCall = (batch: Batch, event: RecordedEvent) => {
  const s = statementsFor(batch.db, batch.t);
  const schoolId = event.metadata.schoolId;
  const lesson = event.data as unknown as LessonOfRollCall;
  const previous = event.type === 'RollCallTaken' ? undefined : s.rollCall.get(event.streamId);
  const before =
    previous?.status === 'taken'
      ? statusesOf(listsOf(previous), previous.late_threshold)
      : new Map<string, EntryState>();
  writeRollCallRow(batch, event);
  let after = new Map<string, EntryState>();
  if (event.type !== 'RollCallVoided') {
    const data = event.data as unknown as RollCallTakenData | RollCallAmendedData;
    after = statusesOf(data, data.lateAsAbsenceAfterMinutes);
    const month = monthOf(data.date);
    for (const studentId of after.keys()) batch.joined(schoolId, studentId, month, data.classOrGroupId);
  }
  const missingLessons = new Set(
    s.studentsMissingLessonsOn.all(schoolId, lesson.date, lesson.halfDay).map((row) => row.student_id),
  );
  for (const studentId of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(studentId);
    const is = after.get(studentId);
    if (!sameEntry(was, is) && matters(missingLessons, studentId, was, is))
      batch.recompute(schoolId, studentId, { from: lesson.date, to: lesson.date }, event);
  }
};

const datesTouched = (event: StudentAttendanceEvent): DateRange | undefined => {
  switch (event.type) {
    case 'AbsenceReported':
    case 'DepartureDuringDayRecorded':
    case 'InfirmaryVisitRecorded':
    case 'CollectiveExemptionRecorded': {
      const dates = event.data.slots.map((s) => s.date).sort();
      return dates.length === 0 ? undefined : { from: dates[0], to: dates[dates.length - 1] };
    }
    case 'AttendanceFactVoided':
      return event.data.dates;
    case 'JustificationReceived':
    case 'JustificationAccepted':
    case 'JustificationRejected':
      return { from: event.data.from.date, to: event.data.to.date };
    case 'JustificationRegularised':
      return undefined;
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};

const applyStudentFact = (batch: Batch, event: RecordedEvent) => {
  const schoolId = event.metadata.schoolId;
  const fact = event as unknown as StudentAttendanceEvent;
  const studentId = fact.data.studentId;
  const state = evolveStudentAttendance(studentStateOf(batch.db, batch.t, schoolId, studentId), fact);
  saveStudentState(batch.db, batch.t, schoolId, studentId, state);
  const range = datesTouched(fact);
  if (range) batch.recompute(schoolId, studentId, range, event);
};

const applySettingChanged = (batch: Batch, event: RecordedEvent) => {
  const data = event.data as { schoolId?: string; effectiveFrom?: string; key?: string; value?: unknown };
  if (!(COUNTING_SETTING_KEYS as readonly (string | undefined)[]).includes(data.key)) return;
  const schoolId = data.schoolId ?? event.metadata.schoolId;
  const effectiveFrom = data.effectiveFrom as string;
  prepared(
    batch.db,
    `INSERT INTO "${batch.t.settings}" (position, school_id, effective_from, key, value) VALUES (?, ?, ?, ?, ?)`,
  ).run(event.position, schoolId, effectiveFrom, data.key as string, JSON.stringify(data.value));
  batch.forget(schoolId);
  recomputeSchoolFrom(batch.db, batch.t, batch.timeline(schoolId), schoolId, effectiveFrom, causeOf(event));
};

const ROLL_CALL_TYPES: ReadonlySet<string> = new Set(ROLL_CALL_EVENT_TYPES);

/**
 * The student attendance ledger, the class's day, half-day counts per student and month, and the
 * absenteeism alerts (withdrawn ones kept), from the `rollcall-…` and `attendance-…` streams.
 */
export const attendanceProjection: Projection<AttendanceTable> = {
  name: 'attendance',
  version: 1,
  tables: ATTENDANCE_TABLES,
  handles: [...ROLL_CALL_EVENT_TYPES, ...STUDENT_ATTENDANCE_EVENT_TYPES, SETTING_CHANGED],
  setup: setupAttendanceTables,
  apply(db, tables, events) {
    const batch = new Batch(db, tables);
    for (const event of events) {
      if (ROLL_CALL_TYPES.has(event.type)) applyRollCall(batch, event);
      else if (event.type === SETTING_CHANGED) applySettingChanged(batch, event);
      else applyStudentFact(batch, event);
    }
  },
};
