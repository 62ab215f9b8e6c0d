import {
  AcceptJustification,
  ReasonDefinition,
  ReportAbsence,
  RollCall,
  RollCallCommand,
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
  initialStudentAttendance,
  openHalfDaysOn,
  rollCallDecider,
  rollCallStreamId,
} from '../domain/attendance';
import { DEFAULT_SLOTS } from '../domain/settings/settings';
import { Decider } from '../domain/shared/decider';
import { Actor, DomainEvent, EventMetadata } from '../domain/shared/event';
import { SchoolCommand, schoolDecider, schoolStreamId } from '../domain/structure/school';
import { StudentCommand, studentDecider, studentStreamId } from '../domain/structure/student';
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
export const PRINCIPAL: Actor = { id: 'principal-1', role: 'principal' };

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
  /**
   * The school, its classes and its students (registered and enrolled) before the first day, and the
   * moves: what the structure projections read (default true).
   */
  readonly structure?: boolean;
  /** Share of roll calls corrected afterwards, the same day or a few days later (default 2 %). */
  readonly amendedShare?: number;
  /** Share of roll calls first typed on the wrong slot, voided and taken again on the right one (default 0.2 %). */
  readonly voidedShare?: number;
  /** Share of whole-day absences the family reports in the morning, before the first roll call (default 30 %). */
  readonly reportedShare?: number;
  /** Share of justifications that arrive two to four weeks after the absence (default 5 %). */
  readonly lateJustifiedShare?: number;
  /** Students moved to another class during the year (default one in 150; only with `structure`). */
  readonly moves?: number;
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

const reportAbsence = (studentId: string, factId: string, date: IsoDate): ReportAbsence => ({
  type: 'ReportAbsence',
  studentId,
  actor: CPE,
  factId,
  from: { date },
  to: { date },
  note: 'la famille a appelé',
  context: { slots: SLOTS, schoolYear: SCHOOL_YEAR, today: date, maxDaysAhead: 0 },
});

const SCHOOL_YEAR_NAME = `${SCHOOL_YEAR.start.slice(0, 4)}-${SCHOOL_YEAR.end.slice(0, 4)}`;

/** The slot a roll call typed by mistake lands on: taught on no day of the generated timetable. */
const WRONG_SLOT = 'S4';

type LaterAmendment = { readonly streamId: string; readonly command: TakeRollCall };

/**
 * A school of `students` students in classes of `classSize`, a roll call for every lesson of every
 * school day, whole-day absences (some reported by the family in the morning), latenesses, and
 * justifications arriving days later (a few weeks later for some; one in ten rejected); roll calls
 * corrected the same day or days later, a few typed on the wrong slot, voided and taken again; and,
 * with `structure`, the school, its classes and students, and a few class moves — built through the
 * deciders, so every event is one the engine would write, in the order a school records them (every
 * class's first lesson, then every class's second, and so on). One student is made to cross the
 * monthly threshold in November with unjustified absences; `lateJustification` withdraws it.
 * Corrections, reports and moves draw from their own random sequence: the absences and latenesses of
 * a seed are the same with them or without.
 */
export const makeSchoolYearOfAttendance = (options: SchoolYearOptions = {}): SchoolYearOfAttendance => {
  const studentCount = options.students ?? 1000;
  const classSize = options.classSize ?? 28;
  const from = options.from ?? SCHOOL_YEAR.start;
  const to = options.to ?? '2027-06-30';
  const seed = options.seed ?? 42;
  const random = seededRandom(seed);
  const corrections = seededRandom(seed + 1);
  const absenceRate = options.absenceRate ?? 0.03;
  const lateRate = options.lateRate ?? 0.01;
  const justifiedShare = options.justifiedShare ?? 0.7;
  const structure = options.structure ?? true;
  const amendedShare = options.amendedShare ?? 0.02;
  const voidedShare = options.voidedShare ?? 0.002;
  const reportedShare = options.reportedShare ?? 0.3;
  const lateJustifiedShare = options.lateJustifiedShare ?? 0.05;
  const moves = structure ? (options.moves ?? Math.floor(studentCount / 150)) : 0;
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
  const decideOn = <C, S, E extends DomainEvent>(
    decider: Decider<C, S, E>,
    states: Map<string, S>,
    streamId: string,
    command: C,
    actor: Actor,
    at: string,
  ) => {
    const state = states.get(streamId) ?? decider.initialState();
    const produced = decider.decide(command, state);
    states.set(streamId, produced.reduce(decider.evolve, state));
    for (const event of produced) emit(streamId, event, actor, at);
  };
  const student = (command: StudentAttendanceCommand, at: string) => {
    const state = studentStates.get(command.studentId) ?? initialStudentAttendance();
    const produced = decideStudentAttendance(command, state);
    studentStates.set(command.studentId, produced.reduce(evolveStudentAttendance, state));
    for (const event of produced)
      emit(attendanceStreamId(SCHOOL, command.studentId), event, command.actor, at);
  };
  const rollCalls = new Map<string, RollCall>();
  const rollCall = (streamId: string, command: RollCallCommand, at: string) =>
    decideOn(rollCallDecider, rollCalls, streamId, command, command.actor, at);
  const justify = (studentId: string, date: IsoDate, today: IsoDate, id: string, accept: boolean) => {
    const at = `${today}T15:00:00.000Z`;
    const day = { from: { date, halfDay: 'AM' as const }, to: { date, halfDay: 'PM' as const } };
    student(receiveJustification(studentId, id, day, today), at);
    student(decide(studentId, id, accept), at);
  };

  // The school as the principal sets it up before the first day.
  const rosters = new Map(classes.map(({ classId, students }) => [classId, [...students]]));
  const structureStates = new Map<string, ReturnType<typeof studentDecider.initialState>>();
  const schoolStates = new Map<string, ReturnType<typeof schoolDecider.initialState>>();
  const known = { classIds: new Set(rosters.keys()), groupIds: new Set<string>() };
  const school = (command: SchoolCommand, at: string) =>
    decideOn(schoolDecider, schoolStates, schoolStreamId(SCHOOL), command, PRINCIPAL, at);
  const structural = (command: StudentCommand, at: string) =>
    decideOn(
      studentDecider,
      structureStates,
      studentStreamId(SCHOOL, command.data.studentId),
      command,
      PRINCIPAL,
      at,
    );
  if (structure) {
    const at = `${addDays(SCHOOL_YEAR.start, -3)}T09:00:00.000Z`;
    school(
      {
        type: 'DefineSchoolYear',
        data: {
          schoolId: SCHOOL,
          schoolYear: SCHOOL_YEAR_NAME,
          start: SCHOOL_YEAR.start,
          end: SCHOOL_YEAR.end,
        },
      },
      at,
    );
    // The school's own reason, next to the national ones (its settings projection has something to hold).
    school(
      {
        type: 'DefineReason',
        data: {
          schoolId: SCHOOL,
          reason: {
            code: 'RDV_MEDICAL',
            label: 'Rendez-vous médical',
            legitimate: true,
            countsAsAbsence: true,
            schoolResponsibility: false,
          },
          effectiveFrom: SCHOOL_YEAR.start,
        },
      },
      at,
    );
    for (const { classId } of classes)
      school({ type: 'OpenClass', data: { schoolId: SCHOOL, classId, label: classId } }, at);
    for (const { classId, students } of classes)
      for (const [i, studentId] of students.entries()) {
        const keys = { schoolId: SCHOOL, studentId };
        structural(
          {
            type: 'RegisterStudent',
            data: { ...keys, lastName: `Nom${i + 1}`, firstName: `Prénom ${studentId}` },
          },
          at,
        );
        structural(
          { type: 'EnrolStudent', data: { ...keys, classId, from: SCHOOL_YEAR.start, structure: known } },
          at,
        );
      }
  }
  const schoolDays = datesBetween(from, to).filter((date) => openHalfDaysOn(undefined, date).length > 0);
  const schoolDayIndex = new Map(schoolDays.map((date, i) => [date, i]));
  // Moves spread over the year, never on its first weeks, never the chronic student.
  const movesOn = new Map<IsoDate, string>();
  for (let m = 0; m < moves && classes.length > 1; m++) {
    const day = schoolDays[Math.floor(((m + 1) * schoolDays.length) / (moves + 1))];
    const { students } = classes[1 + Math.floor(corrections() * (classes.length - 1))];
    if (day !== undefined) movesOn.set(day, students[Math.floor(corrections() * students.length)]);
  }
  const move = (studentId: string, date: IsoDate) => {
    const fromClass = [...rosters].find(([, students]) => students.includes(studentId));
    if (!fromClass) return;
    const [fromClassId, students] = fromClass;
    const classIds = [...rosters.keys()];
    const toClassId = classIds[(classIds.indexOf(fromClassId) + 1) % classIds.length];
    structural(
      { type: 'MoveStudent', data: { schoolId: SCHOOL, studentId, toClassId, on: date, structure: known } },
      `${date}T07:00:00.000Z`,
    );
    students.splice(students.indexOf(studentId), 1);
    rosters.get(toClassId)?.push(studentId);
  };

  const amendments = new Map<IsoDate, LaterAmendment[]>();
  const amendLater = (streamId: string, command: TakeRollCall, absentToday: ReadonlySet<string>) => {
    if (rollCalls.get(streamId)?.status !== 'taken') return;
    const misMarked = command.absent.filter((s) => s !== chronic);
    const present = [...command.context.enrolled].filter(
      (s) => !absentToday.has(s) && !command.late.some((l) => l.studentId === s),
    );
    const on =
      corrections() < 0.6
        ? command.date
        : schoolDays[(schoolDayIndex.get(command.date) ?? 0) + 1 + Math.floor(corrections() * 4)];
    // Mostly a student marked absent who was there; otherwise a lateness noticed afterwards.
    const list =
      misMarked.length > 0 && corrections() < 0.7
        ? { absent: command.absent.filter((s) => s !== misMarked[0]), late: command.late }
        : present.length > 0
          ? {
              absent: command.absent,
              late: [
                ...command.late,
                {
                  studentId: present[Math.floor(corrections() * present.length)],
                  minutes: 5 + Math.floor(corrections() * 10),
                },
              ],
            }
          : undefined;
    if (!list || on === undefined) return;
    const amended: TakeRollCall = {
      ...command,
      ...list,
      reason: 'corrigé après coup',
      context: { ...command.context, today: on },
    };
    amendments.set(on, [...(amendments.get(on) ?? []), { streamId, command: amended }]);
  };

  const chronicDays: IsoDate[] = [];
  for (const date of datesBetween(from, to)) {
    const open = openHalfDaysOn(undefined, date);
    if (open.length === 0) continue;
    const movedToday = movesOn.get(date);
    if (movedToday !== undefined) move(movedToday, date);
    const absentToday = new Set<string>();
    const november = date.slice(0, 7) === '2026-11';
    for (const { students } of classes)
      for (const s of students)
        if (random() < absenceRate && !(november && s === chronic)) absentToday.add(s);
    if (november && chronicDays.length < 3) {
      absentToday.add(chronic);
      chronicDays.push(date);
    }
    for (const studentId of absentToday)
      if (studentId !== chronic && corrections() < reportedShare)
        student(reportAbsence(studentId, `report-${studentId}-${date}`, date), `${date}T07:40:00.000Z`);
    const day: { slotCode: string; classId: string; command: TakeRollCall }[] = [];
    for (const { classId } of classes) {
      const students = rosters.get(classId) ?? [];
      for (const slotCode of YEAR_SLOTS) {
        const absent = students.filter((s) => absentToday.has(s));
        const late = students
          .filter((s) => !absentToday.has(s) && random() < lateRate)
          .map((studentId) => ({ studentId, minutes: 1 + Math.floor(random() * 20) }));
        day.push({
          slotCode,
          classId,
          command: takeRollCall(classId, students, date, slotCode, { absent, late }),
        });
      }
    }
    // Every class's lesson of a slot before any class's next lesson, as the day goes.
    for (const slotCode of YEAR_SLOTS)
      for (const { classId, command } of day) {
        if (command.slotCode !== slotCode) continue;
        const at = `${date}T${slotStart(slotCode)}:00.000Z`;
        const streamId = rollCallStreamId(SCHOOL, classId, date, slotCode);
        const wrongStream = rollCallStreamId(SCHOOL, classId, date, WRONG_SLOT);
        if (corrections() < voidedShare && !rollCalls.has(wrongStream)) {
          rollCall(wrongStream, { ...command, slotCode: WRONG_SLOT }, at);
          rollCall(
            wrongStream,
            {
              type: 'VoidRollCall',
              classOrGroupId: classId,
              actor: TEACHER,
              actorTeaches: [classId],
              reason: 'saisi sur le mauvais créneau',
            },
            at,
          );
        }
        rollCall(streamId, command, at);
        if (corrections() < amendedShare) amendLater(streamId, command, absentToday);
      }
    for (const studentId of absentToday) {
      if (studentId === chronic || random() >= justifiedShare) continue;
      const late = corrections() < lateJustifiedShare ? 14 + Math.floor(corrections() * 14) : 0;
      const arrives = addDays(date, 1 + Math.floor(random() * 7) + late);
      pending.set(arrives, [...(pending.get(arrives) ?? []), { studentId, date }]);
    }
    for (const [i, due] of (pending.get(date) ?? []).entries())
      justify(due.studentId, due.date, date, `j-${due.studentId}-${due.date}-${i}`, random() < 0.9);
    pending.delete(date);
    for (const { streamId, command } of amendments.get(date) ?? [])
      rollCall(streamId, command, `${date}T17:30:00.000Z`);
    amendments.delete(date);
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
