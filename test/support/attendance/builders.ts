import {
  AbsenceReported,
  AttendanceContext,
  AttendanceFactVoided,
  CollectiveExemptionRecorded,
  DateHalfDay,
  DepartureDuringDayRecorded,
  GroupKind,
  InfirmaryVisitRecorded,
  JustificationAccepted,
  JustificationContext,
  JustificationReceived,
  JustificationRegularised,
  JustificationRejected,
  Lateness,
  LessonOfRollCall,
  ReasonFlags,
  RecordCollectiveExemption,
  RollCallAmended,
  RollCallCommand,
  RollCallContext,
  RollCallList,
  RollCallTaken,
  RollCallVoided,
  SlotBound,
  SlotOnDate,
  SlotRef,
  StudentAttendanceCommand,
  TakeRollCall,
  resolveSlot,
} from '../../../src/domain/attendance';
import { HalfDay } from '../../../src/domain/shared/calendar';
import { Actor } from '../../../src/domain/shared/event';
import { EventToAppend, RecordedEvent } from '../../../src/event-store/event-store';
import {
  CPE,
  REASONS,
  SCHOOL,
  SCHOOL_YEAR,
  SLOTS,
  StreamEvent,
  TEACHER,
  metadataFor,
} from '../../../src/demo/attendance-year';
import { IsoDate } from '../../../src/domain/shared/calendar';

/** The school the attendance specs run in, and the commands and events they are written with. */

// ---- the school -------------------------------------------------------------------------------

// The school-year generator and what it needs live in src/demo (the bench is built from src).
export {
  CPE,
  REASONS,
  SCHOOL,
  SCHOOL_YEAR,
  SLOTS,
  TEACHER,
  makeSchoolYearOfAttendance,
  metadataFor,
} from '../../../src/demo/attendance-year';
export type {
  SchoolYearOfAttendance,
  SchoolYearOptions,
  StreamEvent,
} from '../../../src/demo/attendance-year';
export { seededRandom } from '../../../src/demo/seeded-random';

export const OTHER_CPE: Actor = { id: 'cpe-2', role: 'cpe' };
export const OTHER_TEACHER: Actor = { id: 'teacher-art', role: 'teacher' };

export const CLASS = '5B';
export const STUDENTS = ['s01', 's02', 's03', 's04', 's05'];

/** A Monday well inside the school year; "today" for the commands defaults to the same day. */
export const MONDAY = '2026-11-16';

export const slotRef = (code: string) => {
  const slot = SLOTS.find((s) => s.code === code);
  if (!slot) throw new Error(`no slot ${code} in the fixtures`);
  return resolveSlot(slot);
};

export const rollCallContext = (overrides: Partial<RollCallContext> = {}): RollCallContext => ({
  slots: SLOTS,
  enrolled: new Set(STUDENTS),
  schoolYear: SCHOOL_YEAR,
  today: MONDAY,
  maxDaysAhead: 0,
  ...overrides,
});

export const attendanceContext = (overrides: Partial<AttendanceContext> = {}): AttendanceContext => ({
  slots: SLOTS,
  schoolYear: SCHOOL_YEAR,
  today: MONDAY,
  maxDaysAhead: 30,
  ...overrides,
});

export const justificationContext = (
  overrides: Partial<JustificationContext> = {},
): JustificationContext => ({
  schoolYear: SCHOOL_YEAR,
  reasons: REASONS,
  ...overrides,
});

// ---- commands ---------------------------------------------------------------------------------

type RollCallOptions = {
  classOrGroupId?: string;
  groupKind?: GroupKind;
  date?: IsoDate;
  slotCode?: string;
  absent?: readonly string[];
  late?: readonly Lateness[];
  actor?: Actor;
  /** The classes and groups the actor's token lists; TEACHER teaches the roll call's class or group. */
  actorTeaches?: readonly string[];
  reason?: string;
  context?: Partial<RollCallContext>;
};

const taughtBy = (actor: Actor, classOrGroupId: string, given?: readonly string[]) =>
  given ?? (actor.id === TEACHER.id ? [classOrGroupId] : []);

export const takeRollCall = (o: RollCallOptions = {}): TakeRollCall => ({
  type: 'TakeRollCall',
  classOrGroupId: o.classOrGroupId ?? CLASS,
  groupKind: o.groupKind ?? 'class',
  date: o.date ?? MONDAY,
  slotCode: o.slotCode ?? 'M1',
  absent: o.absent ?? [],
  late: o.late ?? [],
  actor: o.actor ?? TEACHER,
  actorTeaches: taughtBy(o.actor ?? TEACHER, o.classOrGroupId ?? CLASS, o.actorTeaches),
  ...(o.reason !== undefined && { reason: o.reason }),
  context: rollCallContext(o.context),
});

type CorrectionOptions = { classOrGroupId?: string; actor?: Actor; actorTeaches?: readonly string[] };

const correctionSender = (o: CorrectionOptions) => {
  const actor = o.actor ?? CPE;
  const classOrGroupId = o.classOrGroupId ?? CLASS;
  return { classOrGroupId, actor, actorTeaches: taughtBy(actor, classOrGroupId, o.actorTeaches) };
};

export const voidRollCall = (o: CorrectionOptions & { reason?: string } = {}): RollCallCommand => ({
  type: 'VoidRollCall',
  ...correctionSender(o),
  reason: o.reason ?? 'wrong class',
});

export const revertRollCall = (
  o: CorrectionOptions & { toVersion?: number; reason?: string } = {},
): RollCallCommand => ({
  type: 'RevertRollCall',
  ...correctionSender(o),
  ...(o.toVersion !== undefined && { toVersion: o.toVersion }),
  reason: o.reason ?? 'defaults resent by the app wiped the absences',
});

type StudentOptions = { studentId?: string; actor?: Actor };

export const reportAbsence = (
  o: StudentOptions & {
    factId?: string;
    from?: SlotBound;
    to?: SlotBound;
    classId?: string;
    reasonCode?: string;
    context?: Partial<AttendanceContext>;
  } = {},
): StudentAttendanceCommand => ({
  type: 'ReportAbsence',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId ?? 'report-1',
  from: o.from ?? { date: MONDAY },
  to: o.to ?? o.from ?? { date: MONDAY },
  ...(o.classId !== undefined && { classId: o.classId }),
  ...(o.reasonCode !== undefined && { reasonCode: o.reasonCode }),
  context: attendanceContext(o.context),
});

export const recordEarlyDeparture = (
  o: StudentOptions & {
    factId?: string;
    date?: IsoDate;
    at?: string;
    context?: Partial<AttendanceContext>;
  } = {},
): StudentAttendanceCommand => ({
  type: 'RecordEarlyDeparture',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId ?? 'departure-1',
  date: o.date ?? MONDAY,
  at: o.at ?? '14:30',
  authorisedBy: 'mother',
  context: attendanceContext(o.context),
});

export const recordInfirmaryVisit = (
  o: StudentOptions & {
    factId?: string;
    date?: IsoDate;
    from?: string;
    to?: string;
    context?: Partial<AttendanceContext>;
  } = {},
): StudentAttendanceCommand => ({
  type: 'RecordInfirmaryVisit',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId ?? 'infirmary-1',
  date: o.date ?? MONDAY,
  from: o.from ?? '08:10',
  to: o.to ?? '08:50',
  context: attendanceContext(o.context),
});

export const recordCollectiveExemption = (
  o: StudentOptions & {
    factId?: string;
    exemptionId?: string;
    classOrGroupId?: string;
    label?: string;
    from?: SlotBound;
    to?: SlotBound;
    participating?: boolean;
    context?: Partial<AttendanceContext>;
  } = {},
): RecordCollectiveExemption => ({
  type: 'RecordCollectiveExemption',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId ?? `outing-1-${o.studentId ?? 's01'}`,
  exemptionId: o.exemptionId ?? 'outing-1',
  classOrGroupId: o.classOrGroupId ?? CLASS,
  label: o.label ?? 'Musée de Strasbourg',
  from: o.from ?? { date: MONDAY, slotCode: 'M1' },
  to: o.to ?? { date: MONDAY, slotCode: 'M4' },
  ...(o.participating !== undefined && { participating: o.participating }),
  context: attendanceContext(o.context),
});

export const voidAttendanceFact = (
  o: StudentOptions & { factId: string; reason?: string },
): StudentAttendanceCommand => ({
  type: 'VoidAttendanceFact',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  factId: o.factId,
  reason: o.reason ?? 'recorded for the wrong student',
});

export const receiveJustification = (
  o: StudentOptions & {
    justificationId?: string;
    from?: DateHalfDay;
    to?: DateHalfDay;
    reasonCode?: string;
    receivedOn?: IsoDate;
  } = {},
): StudentAttendanceCommand => ({
  type: 'ReceiveJustification',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  justificationId: o.justificationId ?? 'just-1',
  from: o.from ?? { date: MONDAY, halfDay: 'AM' },
  to: o.to ?? o.from ?? { date: MONDAY, halfDay: 'PM' },
  reasonCode: o.reasonCode ?? 'MALADIE',
  source: 'family',
  receivedOn: o.receivedOn ?? MONDAY,
  context: justificationContext(),
});

export const acceptJustification = (
  o: StudentOptions & { justificationId?: string; reasonCode?: string; reason?: string } = {},
): StudentAttendanceCommand => ({
  type: 'AcceptJustification',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  justificationId: o.justificationId ?? 'just-1',
  ...(o.reasonCode !== undefined && { reasonCode: o.reasonCode }),
  ...(o.reason !== undefined && { reason: o.reason }),
  context: { reasons: REASONS },
});

export const rejectJustification = (
  o: StudentOptions & { justificationId?: string; reason?: string; note?: string } = {},
): StudentAttendanceCommand => ({
  type: 'RejectJustification',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  justificationId: o.justificationId ?? 'just-1',
  ...(o.reason !== undefined && { reason: o.reason }),
  ...(o.note !== undefined && { note: o.note }),
});

export const regulariseJustification = (
  o: StudentOptions & { justificationId?: string } = {},
): StudentAttendanceCommand => ({
  type: 'RegulariseJustification',
  studentId: o.studentId ?? 's01',
  actor: o.actor ?? CPE,
  justificationId: o.justificationId ?? 'just-1',
});

// ---- events, written out literally ---------------------------------------------------------------
//
// Given and expected events are stated, never produced by the decider under test: a builder fills
// the fields a case does not care about with literal defaults (5B, MONDAY, M1, the teacher, s01),
// and a case states every field it is about.

/** The default timetable (M1..M4 in the morning, S1..S4 in the afternoon), written out. */
export const LESSON_SLOTS: Readonly<Record<string, SlotRef>> = {
  M1: { code: 'M1', start: '08:00', end: '08:55', halfDay: 'AM' },
  M2: { code: 'M2', start: '08:55', end: '09:50', halfDay: 'AM' },
  M3: { code: 'M3', start: '10:05', end: '11:00', halfDay: 'AM' },
  M4: { code: 'M4', start: '11:00', end: '11:55', halfDay: 'AM' },
  S1: { code: 'S1', start: '13:30', end: '14:25', halfDay: 'PM' },
  S2: { code: 'S2', start: '14:25', end: '15:20', halfDay: 'PM' },
  S3: { code: 'S3', start: '15:35', end: '16:30', halfDay: 'PM' },
  S4: { code: 'S4', start: '16:30', end: '17:25', halfDay: 'PM' },
};

const ALL_DAY = ['M1', 'M2', 'M3', 'M4', 'S1', 'S2', 'S3', 'S4'];

/** The named lessons of one day (every lesson of the day when none is named), as facts record them. */
export const slotsOn = (date: IsoDate, ...codes: string[]): SlotOnDate[] =>
  (codes.length > 0 ? codes : ALL_DAY).map((code) => {
    const slot = LESSON_SLOTS[code];
    if (!slot) throw new Error(`no slot ${code} in the fixtures`);
    return { ...slot, date };
  });

type LessonOptions = {
  classOrGroupId?: string;
  groupKind?: GroupKind;
  date?: IsoDate;
  slotCode?: string;
  /** The half-day the lesson falls in, when a setting moves it (the slot's own otherwise). */
  halfDay?: HalfDay;
};

const lessonOf = (o: LessonOptions): LessonOfRollCall => {
  const { code, start, end, halfDay } = LESSON_SLOTS[o.slotCode ?? 'M1'];
  return {
    classOrGroupId: o.classOrGroupId ?? CLASS,
    groupKind: o.groupKind ?? 'class',
    date: o.date ?? MONDAY,
    slot: { code, start, end },
    halfDay: o.halfDay ?? halfDay,
  };
};

const NONE: RollCallList = { absent: [], late: [] };

/** A first roll call of 5B on MONDAY at M1, by the teacher, everybody on the register present. */
export const rollCallTaken = (
  o: LessonOptions & {
    register?: readonly string[];
    absent?: readonly string[];
    late?: readonly Lateness[];
    lateAsAbsenceAfterMinutes?: number | null;
    takenBy?: Actor;
  } = {},
): RollCallTaken => ({
  type: 'RollCallTaken',
  data: {
    ...lessonOf(o),
    register: o.register ?? STUDENTS,
    absent: o.absent ?? [],
    late: o.late ?? [],
    lateAsAbsenceAfterMinutes: o.lateAsAbsenceAfterMinutes ?? null,
    takenBy: o.takenBy ?? TEACHER,
  },
});

/** An amendment: its version, its new list, the list it replaced and the difference, all stated. */
export const rollCallAmended = (
  o: LessonOptions & {
    version: number;
    absent?: readonly string[];
    late?: readonly Lateness[];
    previous?: Partial<RollCallList>;
    added?: Partial<RollCallList>;
    removed?: Partial<RollCallList>;
    register?: readonly string[];
    lateAsAbsenceAfterMinutes?: number | null;
    amendedBy?: Actor;
    reason?: string | null;
    revertsTo?: number | null;
  },
): RollCallAmended => ({
  type: 'RollCallAmended',
  data: {
    ...lessonOf(o),
    version: o.version,
    register: o.register ?? STUDENTS,
    absent: o.absent ?? [],
    late: o.late ?? [],
    lateAsAbsenceAfterMinutes: o.lateAsAbsenceAfterMinutes ?? null,
    previous: { ...NONE, ...o.previous },
    added: { ...NONE, ...o.added },
    removed: { ...NONE, ...o.removed },
    amendedBy: o.amendedBy ?? TEACHER,
    reason: o.reason ?? null,
    revertsTo: o.revertsTo ?? null,
  },
});

/** A roll call voided by the CPE, naming the students it concerned (the register by default). */
export const rollCallVoided = (
  o: LessonOptions & { studentIds?: readonly string[]; reason?: string; voidedBy?: Actor } = {},
): RollCallVoided => ({
  type: 'RollCallVoided',
  data: {
    ...lessonOf(o),
    studentIds: o.studentIds ?? STUDENTS,
    voidedBy: o.voidedBy ?? CPE,
    reason: o.reason ?? 'wrong class',
  },
});

type FactOptions = {
  factId?: string;
  studentId?: string;
  slots?: readonly SlotOnDate[];
  recordedOn?: IsoDate;
  note?: string | null;
};

/** s01 reported absent all MONDAY (report-1), as `reportAbsence()` sends it. */
export const absenceReported = (
  o: FactOptions & {
    classId?: string | null;
    from?: SlotBound;
    to?: SlotBound;
    reasonCode?: string | null;
  } = {},
): AbsenceReported => ({
  type: 'AbsenceReported',
  data: {
    factId: o.factId ?? 'report-1',
    studentId: o.studentId ?? 's01',
    classId: o.classId ?? null,
    from: o.from ?? { date: MONDAY },
    to: o.to ?? o.from ?? { date: MONDAY },
    reasonCode: o.reasonCode ?? null,
    note: o.note ?? null,
    slots: o.slots ?? slotsOn(MONDAY),
    recordedOn: o.recordedOn ?? MONDAY,
  },
});

/** s01 collected by their mother on MONDAY at 14:30 (departure-1), missing S2..S4. */
export const departureRecorded = (
  o: FactOptions & {
    classId?: string | null;
    date?: IsoDate;
    at?: string;
    authorisedBy?: string | null;
  } = {},
): DepartureDuringDayRecorded => ({
  type: 'DepartureDuringDayRecorded',
  data: {
    factId: o.factId ?? 'departure-1',
    studentId: o.studentId ?? 's01',
    classId: o.classId ?? null,
    date: o.date ?? MONDAY,
    at: o.at ?? '14:30',
    authorisedBy: o.authorisedBy === undefined ? 'mother' : o.authorisedBy,
    note: o.note ?? null,
    slots: o.slots ?? slotsOn(MONDAY, 'S2', 'S3', 'S4'),
    recordedOn: o.recordedOn ?? MONDAY,
  },
});

/** s01 at the infirmary on MONDAY from 08:10 to 08:50 (infirmary-1), during M1. */
export const infirmaryVisitRecorded = (
  o: FactOptions & { classId?: string | null; date?: IsoDate; from?: string; to?: string } = {},
): InfirmaryVisitRecorded => ({
  type: 'InfirmaryVisitRecorded',
  data: {
    factId: o.factId ?? 'infirmary-1',
    studentId: o.studentId ?? 's01',
    classId: o.classId ?? null,
    date: o.date ?? MONDAY,
    from: o.from ?? '08:10',
    to: o.to ?? '08:50',
    note: o.note ?? null,
    slots: o.slots ?? slotsOn(MONDAY, 'M1'),
    recordedOn: o.recordedOn ?? MONDAY,
  },
});

/** s01 on 5B's outing to the museum (outing-1) on MONDAY morning, M1..M4. */
export const collectiveExemptionRecorded = (
  o: FactOptions & {
    exemptionId?: string;
    classOrGroupId?: string;
    label?: string;
    from?: SlotBound;
    to?: SlotBound;
  } = {},
): CollectiveExemptionRecorded => ({
  type: 'CollectiveExemptionRecorded',
  data: {
    factId: o.factId ?? `outing-1-${o.studentId ?? 's01'}`,
    exemptionId: o.exemptionId ?? 'outing-1',
    studentId: o.studentId ?? 's01',
    classOrGroupId: o.classOrGroupId ?? CLASS,
    label: o.label ?? 'Musée de Strasbourg',
    from: o.from ?? { date: MONDAY, slotCode: 'M1' },
    to: o.to ?? { date: MONDAY, slotCode: 'M4' },
    note: o.note ?? null,
    slots: o.slots ?? slotsOn(MONDAY, 'M1', 'M2', 'M3', 'M4'),
    recordedOn: o.recordedOn ?? MONDAY,
  },
});

type JustificationOptions = {
  justificationId?: string;
  studentId?: string;
  from?: DateHalfDay;
  to?: DateHalfDay;
};

const justificationOf = (o: JustificationOptions) => ({
  justificationId: o.justificationId ?? 'just-1',
  studentId: o.studentId ?? 's01',
  from: o.from ?? { date: MONDAY, halfDay: 'AM' as const },
  to: o.to ?? o.from ?? { date: MONDAY, halfDay: 'PM' as const },
});

/** A family's note for s01 (just-1) covering MONDAY, for illness, received that day. */
export const justificationReceived = (
  o: JustificationOptions & { reasonCode?: string; receivedOn?: IsoDate; note?: string | null } = {},
): JustificationReceived => ({
  type: 'JustificationReceived',
  data: {
    ...justificationOf(o),
    reasonCode: o.reasonCode ?? 'MALADIE',
    source: 'family',
    receivedOn: o.receivedOn ?? MONDAY,
    note: o.note ?? null,
  },
});

/** The flags of MALADIE in the school's list: legitimate, counted as an absence. */
export const ILLNESS_FLAGS: ReasonFlags = {
  legitimate: true,
  countsAsAbsence: true,
  schoolResponsibility: false,
};

/** just-1 accepted as MALADIE, a first decision (no reason). */
export const justificationAccepted = (
  o: JustificationOptions & { reasonCode?: string; reasonFlags?: ReasonFlags; reason?: string | null } = {},
): JustificationAccepted => ({
  type: 'JustificationAccepted',
  data: {
    ...justificationOf(o),
    reasonCode: o.reasonCode ?? 'MALADIE',
    reasonFlags: o.reasonFlags ?? ILLNESS_FLAGS,
    reason: o.reason ?? null,
  },
});

/** just-1 rejected, a first decision (no reason, no note). */
export const justificationRejected = (
  o: JustificationOptions & { note?: string | null; reason?: string | null } = {},
): JustificationRejected => ({
  type: 'JustificationRejected',
  data: { ...justificationOf(o), note: o.note ?? null, reason: o.reason ?? null },
});

/** just-1's paperwork received. */
export const justificationRegularised = (o: JustificationOptions = {}): JustificationRegularised => ({
  type: 'JustificationRegularised',
  data: justificationOf(o),
});

/** A fact of s01 voided: its id, its kind, the dates it touched (MONDAY by default) and why. */
export const attendanceFactVoided = (o: {
  factId: string;
  kind: AttendanceFactVoided['data']['kind'];
  studentId?: string;
  reason?: string;
  dates?: { from: IsoDate; to: IsoDate };
}): AttendanceFactVoided => ({
  type: 'AttendanceFactVoided',
  data: {
    factId: o.factId,
    studentId: o.studentId ?? 's01',
    kind: o.kind,
    reason: o.reason ?? 'recorded for the wrong student',
    dates: o.dates ?? { from: MONDAY, to: MONDAY },
  },
});

// ---- the log, as the store records it -------------------------------------------------------------

/** Stream events given global positions and revisions, as `readAll` would return them. */
export const asRecorded = (events: readonly StreamEvent[], firstPosition = 1n): RecordedEvent[] => {
  const revisions = new Map<string, number>();
  return events.map(({ streamId, event }, i) => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    return {
      id: `${event.metadata.commandId}-${revision}`,
      streamId,
      revision,
      position: firstPosition + BigInt(i),
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: event.metadata,
    };
  });
};

/** A `SettingChanged` of the school stream, as issue #3's settings write it. */
export const settingChanged = (
  key: string,
  value: unknown,
  effectiveFrom: IsoDate,
  at = '2026-09-01T06:00:00.000Z',
): EventToAppend => ({
  type: 'SettingChanged',
  data: { schoolId: SCHOOL, effectiveFrom, key, value },
  metadata: metadataFor(
    { id: 'principal-1', role: 'principal' },
    at,
    `setting-${key}-${effectiveFrom}-${value}`,
  ),
});
