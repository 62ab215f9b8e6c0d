import {
  DateRange,
  ROLL_CALL_EVENT_TYPES,
  RollCallEvent,
  STUDENT_ATTENDANCE_EVENT_TYPES,
  StudentAttendanceEvent,
  evolveStudentAttendance,
} from '../../domain/attendance';
import { SettingChanged } from '../../domain/settings/settings-events';
import { prepared } from '../prepared';
import { defineProjection, Recorded } from '../projection';
import { COUNTING_SETTING_KEYS, RollCallLists, listsOf } from './attendance-rows';
import { ATTENDANCE_TABLES, setupAttendanceTables } from './attendance-schema';
import { AttendanceWriters, Cause } from './attendance-writers';
import { ReadCache } from './read-cache';
import { AttendanceBatch, recomputeSchoolFrom, recountStudent } from './recompute';
import { RecountScheduler } from './recount-scheduler';
import { SchoolMonth } from './student-month';
import { monthOf } from '../../domain/shared/calendar';

/**
 * Settings are read from the `school-{uai}` stream's `SettingChanged` events (key, value, effectiveFrom),
 * so that a count always uses the counting mode and thresholds in force on the lesson's date, and a
 * change of setting — even back-dated — recounts from its effective date.
 */
export const SETTING_CHANGED = 'SettingChanged';

export type AttendanceProjectionEvent = RollCallEvent | StudentAttendanceEvent | SettingChanged;

type EntryState = { status: string; minutes: number | null; threshold: number | null };

const causeOf = (event: Recorded<AttendanceProjectionEvent>): Cause => ({
  recordedAt: event.metadata.recordedAt,
  position: event.position,
});

const statusesOf = (lists: RollCallLists, threshold: number | null): Map<string, EntryState> => {
  const statuses = new Map<string, EntryState>();
  // Most of a register is present: one entry serves them all (a year of roll calls makes millions).
  const present = { status: 'present', minutes: null, threshold };
  for (const studentId of lists.register) statuses.set(studentId, present);
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
 * "full" counting no longer counts): a present entry that appears or changes matters only to a student
 * missing lessons in that half-day. One that goes away (the roll call voided) matters to anyone: a
 * report it contradicted, which counted nothing while it stood, counts again.
 */
const absenceOrLateness = (state: EntryState | undefined) =>
  state !== undefined && state.status !== 'present';

const NOBODY: ReadonlyMap<string, EntryState> = new Map();

const writeRollCallRow = (
  work: AttendanceBatch,
  schoolMonth: SchoolMonth,
  event: Recorded<RollCallEvent>,
) => {
  const s = work.cache.s;
  const at = event.metadata.recordedAt;
  if (event.type === 'RollCallVoided') {
    const { data } = event;
    s.voidRollCall.run(data.reason, at, event.streamId);
    work.cache.voidedRollCall(schoolMonth, data.classOrGroupId, data.date, event.streamId, data.reason);
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
  const { data } = event;
  const amendment = event.type === 'RollCallAmended' ? event.data : undefined;
  const actor = event.type === 'RollCallAmended' ? event.data.amendedBy : event.data.takenBy;
  const version = amendment?.version ?? 1;
  const row = {
    rollcall_id: event.streamId,
    class_id: data.classOrGroupId,
    group_kind: data.groupKind,
    date: data.date,
    slot_code: data.slot.code,
    slot_start: data.slot.start,
    slot_end: data.slot.end,
    half_day: data.halfDay,
    status: 'taken',
    register: JSON.stringify(data.register),
    absent: JSON.stringify(data.absent),
    late: JSON.stringify(data.late),
    late_threshold: data.lateAsAbsenceAfterMinutes,
    void_reason: null,
  };
  work.cache.writingRollCall(schoolMonth, row);
  s.upsertRollCall.run(
    row.rollcall_id,
    event.metadata.schoolId,
    row.class_id,
    row.group_kind,
    row.date,
    row.slot_code,
    row.slot_start,
    row.slot_end,
    row.half_day,
    version,
    row.register,
    row.absent,
    row.late,
    row.late_threshold,
    actor.id,
    actor.role,
    at,
    event.position,
    at,
  );
  // The roll call's row says who took it, when and at which position: only later changes are listed.
  if (!amendment) return;
  s.insertChange.run(
    event.position,
    event.streamId,
    event.type,
    version,
    actor.id,
    actor.role,
    at,
    amendment.reason,
    JSON.stringify(amendment.added),
    JSON.stringify(amendment.removed),
    amendment.revertsTo,
  );
};

const applyRollCall = (work: AttendanceBatch, event: Recorded<RollCallEvent>) => {
  const schoolId = event.metadata.schoolId;
  const lesson = event.data;
  const schoolMonth = work.cache.schoolMonth(schoolId, monthOf(lesson.date));
  const previous =
    event.type === 'RollCallTaken'
      ? undefined
      : work.cache.rollCall(schoolMonth, lesson.classOrGroupId, lesson.date, event.streamId);
  const before =
    previous?.status === 'taken' ? statusesOf(listsOf(previous), previous.late_threshold) : NOBODY;
  writeRollCallRow(work, schoolMonth, event);
  const after =
    event.type === 'RollCallVoided' ? NOBODY : statusesOf(event.data, event.data.lateAsAbsenceAfterMinutes);
  if (after.size > 0) work.writers.joined(schoolMonth, lesson.classOrGroupId, after.keys());
  const cause = causeOf(event);
  const day = { from: lesson.date, to: lesson.date };
  const missesLessons = work.cache.missingLessonsOn(schoolMonth, lesson.date, lesson.halfDay);
  const recountIf = (studentId: string, was: EntryState | undefined, is: EntryState | undefined) => {
    if (
      !sameEntry(was, is) &&
      (is === undefined || absenceOrLateness(was) || absenceOrLateness(is) || missesLessons(studentId))
    )
      recountStudent(work, schoolId, studentId, day, cause);
  };
  for (const [studentId, is] of after) recountIf(studentId, before.get(studentId), is);
  for (const [studentId, was] of before) if (!after.has(studentId)) recountIf(studentId, was, undefined);
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

const applyStudentFact = (work: AttendanceBatch, event: Recorded<StudentAttendanceEvent>) => {
  const schoolId = event.metadata.schoolId;
  const studentId = event.data.studentId;
  const state = evolveStudentAttendance(work.cache.state(schoolId, studentId), event);
  work.cache.setState(schoolId, studentId, state);
  work.writers.stateChanged(schoolId, studentId, state);
  const range = datesTouched(event);
  if (range) recountStudent(work, schoolId, studentId, range, causeOf(event));
};

const applySettingChanged = (work: AttendanceBatch, event: Recorded<SettingChanged>) => {
  const { data } = event;
  if (!(COUNTING_SETTING_KEYS as readonly string[]).includes(data.key)) return;
  const schoolId = data.schoolId ?? event.metadata.schoolId;
  const { effectiveFrom } = data;
  // Whatever waits to be counted is counted under the settings it was recorded under.
  work.recounts.flush();
  const { db, t } = work.cache;
  prepared(
    db,
    `INSERT INTO "${t.settings}" (position, school_id, effective_from, key, value) VALUES (?, ?, ?, ?, ?)`,
  ).run(event.position, schoolId, effectiveFrom, data.key, JSON.stringify(data.value));
  work.cache.forgetTimeline(schoolId);
  recomputeSchoolFrom(work, schoolId, effectiveFrom, causeOf(event));
};

/**
 * The student attendance ledger, the class's day, half-day counts per student and month, and the
 * absenteeism alerts (withdrawn ones kept), from the `rollcall-…` and `attendance-…` streams.
 */
export const attendanceProjection = defineProjection<AttendanceProjectionEvent>()({
  name: 'attendance',
  // 2: a taken roll call is no longer copied into `changes`; roll calls are indexed by day, memberships by month.
  // 3: memberships are one B-tree keyed by month first, without a second index.
  // 4: an outing no longer cancels an absence reported for the student (issue #8).
  // 5: voiding a roll call counts again the absence reported for a student it had seen present.
  // 6: alerts indexed in the order of their pages, by status and for all of them; roll calls by class (issue #10).
  version: 6,
  tables: ATTENDANCE_TABLES,
  handles: [...ROLL_CALL_EVENT_TYPES, ...STUDENT_ATTENDANCE_EVENT_TYPES, SETTING_CHANGED],
  setup: setupAttendanceTables,
  apply(db, tables, events) {
    if (events.length === 0) return;
    const cache = ReadCache.open(db, tables, events[0].position);
    const writers = new AttendanceWriters(db, tables);
    const work: AttendanceBatch = { cache, writers, recounts: new RecountScheduler(cache, writers) };
    for (const event of events) {
      switch (event.type) {
        case 'RollCallTaken':
        case 'RollCallAmended':
        case 'RollCallVoided':
          applyRollCall(work, event);
          break;
        case SETTING_CHANGED:
          applySettingChanged(work, event);
          break;
        default:
          applyStudentFact(work, event);
      }
    }
    work.recounts.flush();
    cache.trustAfter(events[events.length - 1].position);
  },
});
