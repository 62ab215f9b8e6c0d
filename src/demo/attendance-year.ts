import {
  AcceptJustification,
  ReasonDefinition,
  ReceiveJustification,
  RejectJustification,
  SchoolYear,
  StudentAttendance,
  StudentAttendanceCommand,
  TakeRollCall,
  TimetableSlot,
  attendanceStreamId,
  decideStudentAttendance,
  evolveStudentAttendance,
  initialRollCall,
  initialStudentAttendance,
  openHalfDaysOn,
  rollCallDecider,
  rollCallStreamId,
} from '../domain/attendance';
import { DEFAULT_SLOTS } from '../domain/settings/settings';
import { Actor, EventMetadata } from '../domain/shared/event';
import { EventToAppend } from '../event-store/event-store';
import { seededRandom } from './seeded-random';
import { IsoDate, addDays, datesBetween } from '../domain/shared/calendar';

/**
 * A school year of attendance written straight through the deciders, without a store: the bench's
 * "school of 1,000 students with a year of data" and the tests' scale fixtures. It lives in `src/`
 * because the bench is built with the sources, not with the tests.
 */

export const SCHOOL = '0670001A';
export const SCHOOL_YEAR: SchoolYear = { start: '2026-09-01', end: '2027-07-03' };

/** M1..M4, S1..S4: the default timetable. */
export const SLOTS: readonly TimetableSlot[] = DEFAULT_SLOTS;

const reason = (
  code: string,
  legitimate: boolean,
  countsAsAbsence: boolean,
  schoolResponsibility = false,
): ReasonDefinition => ({ code, legitimate, countsAsAbsence, schoolResponsibility });

export const REASONS: readonly ReasonDefinition[] = [
  reason('MALADIE', true, true),
  reason('REUNION_FAMILLE', true, true),
  reason('TRANSPORT', true, true),
  reason('SORTIE_SCOLAIRE', true, false, true),
  reason('NON_RECEVABLE', false, true),
];

export const CPE: Actor = { id: 'cpe-1', role: 'cpe' };
export const TEACHER: Actor = { id: 'teacher-math', role: 'teacher' };

export type StreamEvent = { readonly streamId: string; readonly event: EventToAppend };

export const metadataFor = (
  actor: Actor,
  recordedAt: string,
  commandId: string,
  reason?: string,
): EventMetadata => ({
  commandId,
  correlationId: commandId,
  causationId: commandId,
  actor,
  schoolId: SCHOOL,
  recordedAt,
  schemaVersion: 1,
  ...(reason !== undefined && { reason }),
});

export type SchoolYearOptions = {
  readonly students?: number;
  readonly classSize?: number;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  readonly seed?: number;
  /** Chance that a student misses a whole day. */
  readonly absenceRate?: number;
  /** Chance that a student is late to a lesson. */
  readonly lateRate?: number;
  /** Share of absences the family justifies (accepted a few days later). */
  readonly justifiedShare?: number;
};

export type SchoolYearOfAttendance = {
  readonly schoolId: string;
  readonly classes: readonly { readonly classId: string; readonly students: readonly string[] }[];
  /** Every event in the order the school recorded them. */
  readonly events: readonly StreamEvent[];
  /** A student with an open alert, and the late justification that withdraws it. */
  readonly lateJustification: {
    readonly studentId: string;
    readonly month: string;
    readonly events: readonly StreamEvent[];
  };
};

const YEAR_SLOTS = ['M1', 'M2', 'M3', 'M4', 'S1', 'S2', 'S3'];

const slotStart = (code: string): string => SLOTS.find((s) => s.code === code)?.start ?? '00:00';

const takeRollCall = (
  classId: string,
  students: readonly string[],
  date: IsoDate,
  slotCode: string,
  list: Pick<TakeRollCall, 'absent' | 'late'>,
): TakeRollCall => ({
  type: 'TakeRollCall',
  classOrGroupId: classId,
  groupKind: 'class',
  date,
  slotCode,
  ...list,
  actor: TEACHER,
  actorTeaches: [classId],
  context: {
    slots: SLOTS,
    enrolled: new Set(students),
    schoolYear: SCHOOL_YEAR,
    today: date,
    maxDaysAhead: 0,
  },
});

const receiveJustification = (
  studentId: string,
  justificationId: string,
  range: Pick<ReceiveJustification, 'from' | 'to'>,
  receivedOn: IsoDate,
): ReceiveJustification => ({
  type: 'ReceiveJustification',
  studentId,
  actor: CPE,
  justificationId,
  ...range,
  reasonCode: 'MALADIE',
  source: 'family',
  receivedOn,
  context: { schoolYear: SCHOOL_YEAR, reasons: REASONS },
});

const decide = (
  studentId: string,
  justificationId: string,
  accept: boolean,
): AcceptJustification | RejectJustification =>
  accept
    ? { type: 'AcceptJustification', studentId, actor: CPE, justificationId, context: { reasons: REASONS } }
    : { type: 'RejectJustification', studentId, actor: CPE, justificationId };

/**
 * A school of `students` students in classes of `classSize`, a roll call for every lesson of every
 * school day, whole-day absences, latenesses, and justifications arriving days later — built through
 * the deciders, so every event is one the engine would write. One student is made to cross the
 * monthly threshold in November with unjustified absences; `lateJustification` withdraws it.
 */
export const makeSchoolYearOfAttendance = (options: SchoolYearOptions = {}): SchoolYearOfAttendance => {
  const studentCount = options.students ?? 1000;
  const classSize = options.classSize ?? 28;
  const from = options.from ?? SCHOOL_YEAR.start;
  const to = options.to ?? '2027-06-30';
  const random = seededRandom(options.seed ?? 42);
  const absenceRate = options.absenceRate ?? 0.03;
  const lateRate = options.lateRate ?? 0.01;
  const justifiedShare = options.justifiedShare ?? 0.7;
  const classes = Array.from({ length: Math.ceil(studentCount / classSize) }, (_, c) => ({
    classId: `C${String(c + 1).padStart(2, '0')}`,
    students: Array.from(
      { length: Math.min(classSize, studentCount - c * classSize) },
      (_, i) => `st${String(c * classSize + i + 1).padStart(4, '0')}`,
    ),
  }));
  const chronic = classes[0].students[0];
  const events: StreamEvent[] = [];
  const studentStates = new Map<string, StudentAttendance>();
  const pending = new Map<IsoDate, { studentId: string; date: IsoDate }[]>();
  let commands = 0;
  const emit = (streamId: string, event: { type: string; data: object }, actor: Actor, at: string) =>
    events.push({
      streamId,
      event: { type: event.type, data: event.data, metadata: metadataFor(actor, at, `gen-${++commands}`) },
    });
  const student = (command: StudentAttendanceCommand, at: string) => {
    const state = studentStates.get(command.studentId) ?? initialStudentAttendance();
    const produced = decideStudentAttendance(command, state);
    studentStates.set(command.studentId, produced.reduce(evolveStudentAttendance, state));
    for (const event of produced)
      emit(attendanceStreamId(SCHOOL, command.studentId), event, command.actor, at);
  };
  const justify = (studentId: string, date: IsoDate, today: IsoDate, id: string, accept: boolean) => {
    const at = `${today}T15:00:00.000Z`;
    const day = { from: { date, halfDay: 'AM' as const }, to: { date, halfDay: 'PM' as const } };
    student(receiveJustification(studentId, id, day, today), at);
    student(decide(studentId, id, accept), at);
  };
  const chronicDays: IsoDate[] = [];
  for (const date of datesBetween(from, to)) {
    const open = openHalfDaysOn(undefined, date);
    if (open.length === 0) continue;
    const absentToday = new Set<string>();
    const november = date.slice(0, 7) === '2026-11';
    for (const { students } of classes)
      for (const s of students)
        if (random() < absenceRate && !(november && s === chronic)) absentToday.add(s);
    if (november && chronicDays.length < 3) {
      absentToday.add(chronic);
      chronicDays.push(date);
    }
    for (const { classId, students } of classes) {
      for (const slotCode of YEAR_SLOTS) {
        const absent = students.filter((s) => absentToday.has(s));
        const late = students
          .filter((s) => !absentToday.has(s) && random() < lateRate)
          .map((studentId) => ({ studentId, minutes: 1 + Math.floor(random() * 20) }));
        const command = takeRollCall(classId, students, date, slotCode, { absent, late });
        const [event] = rollCallDecider.decide(command, initialRollCall());
        emit(
          rollCallStreamId(SCHOOL, classId, date, slotCode),
          event,
          TEACHER,
          `${date}T${slotStart(slotCode)}:00.000Z`,
        );
      }
    }
    for (const studentId of absentToday) {
      if (studentId === chronic || random() >= justifiedShare) continue;
      const arrives = addDays(date, 1 + Math.floor(random() * 7));
      pending.set(arrives, [...(pending.get(arrives) ?? []), { studentId, date }]);
    }
    for (const [i, due] of (pending.get(date) ?? []).entries())
      justify(due.studentId, due.date, date, `j-${due.studentId}-${due.date}-${i}`, random() < 0.9);
    pending.delete(date);
  }
  const lateJustificationStart = events.length;
  const lastDay = chronicDays[chronicDays.length - 1];
  const at = `${addDays(to, 1)}T09:00:00.000Z`;
  student(
    receiveJustification(
      chronic,
      'late-justification',
      { from: { date: chronicDays[0], halfDay: 'AM' }, to: { date: lastDay, halfDay: 'PM' } },
      addDays(to, 1),
    ),
    at,
  );
  student(decide(chronic, 'late-justification', true), at);
  const lateEvents = events.splice(lateJustificationStart);
  return {
    schoolId: SCHOOL,
    classes,
    events,
    lateJustification: { studentId: chronic, month: '2026-11', events: lateEvents },
  };
};
