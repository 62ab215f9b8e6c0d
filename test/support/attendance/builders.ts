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
  JustificationRejected,
  Lateness,
  RecordCollectiveExemption,
  RollCallAmended,
  RollCallCommand,
  RollCallContext,
  RollCallTaken,
  RollCallVoided,
  SlotBound,
  StudentAttendanceCommand,
  StudentAttendanceEvent,
  TakeRollCall,
  decideStudentAttendance,
  evolveStudentAttendance,
  initialRollCall,
  initialStudentAttendance,
  resolveSlot,
  rollCallDecider,
} from '../../../src/domain/attendance';
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

// ---- events, as the deciders write them ---------------------------------------------------------

const only = <E>(events: readonly E[]): E => {
  if (events.length !== 1) throw new Error(`expected one event, got ${events.length}`);
  return events[0];
};

/** The event a first roll call writes. */
export const rollCallTaken = (o: RollCallOptions = {}): RollCallTaken =>
  only(rollCallDecider.decide(takeRollCall(o), initialRollCall())) as RollCallTaken;

/** The amendment from one list to another (the first list taken by `previousActor`, the teacher by default). */
export const rollCallAmended = (
  o: RollCallOptions & { previous: { absent?: string[]; late?: Lateness[] }; previousActor?: Actor },
): RollCallAmended => {
  const state = rollCallDecider.evolve(
    initialRollCall(),
    rollCallTaken({
      ...o,
      absent: o.previous.absent ?? [],
      late: o.previous.late ?? [],
      actor: o.previousActor ?? TEACHER,
      reason: undefined,
    }),
  );
  return only(rollCallDecider.decide(takeRollCall(o), state)) as RollCallAmended;
};

export const rollCallVoided = (
  o: RollCallOptions & { reason?: string; voidedBy?: Actor } = {},
): RollCallVoided =>
  only(
    rollCallDecider.decide(
      voidRollCall({ reason: o.reason, actor: o.voidedBy }),
      rollCallDecider.evolve(initialRollCall(), rollCallTaken(o)),
    ),
  ) as RollCallVoided;

const firstStudentEvent = (
  command: StudentAttendanceCommand,
  given: readonly StudentAttendanceEvent[] = [],
) =>
  only(decideStudentAttendance(command, given.reduce(evolveStudentAttendance, initialStudentAttendance())));

export const absenceReported = (o: Parameters<typeof reportAbsence>[0] = {}): AbsenceReported =>
  firstStudentEvent(reportAbsence(o)) as AbsenceReported;

export const departureRecorded = (
  o: Parameters<typeof recordEarlyDeparture>[0] = {},
): DepartureDuringDayRecorded => firstStudentEvent(recordEarlyDeparture(o)) as DepartureDuringDayRecorded;

export const infirmaryVisitRecorded = (
  o: Parameters<typeof recordInfirmaryVisit>[0] = {},
): InfirmaryVisitRecorded => firstStudentEvent(recordInfirmaryVisit(o)) as InfirmaryVisitRecorded;

export const collectiveExemptionRecorded = (
  o: Parameters<typeof recordCollectiveExemption>[0] = {},
): CollectiveExemptionRecorded =>
  firstStudentEvent(recordCollectiveExemption(o)) as CollectiveExemptionRecorded;

export const justificationReceived = (
  o: Parameters<typeof receiveJustification>[0] = {},
): JustificationReceived => firstStudentEvent(receiveJustification(o)) as JustificationReceived;

export const justificationAccepted = (
  o: Parameters<typeof receiveJustification>[0] & { acceptedAs?: string } = {},
): JustificationAccepted =>
  firstStudentEvent(
    acceptJustification({
      studentId: o.studentId,
      justificationId: o.justificationId,
      reasonCode: o.acceptedAs,
    }),
    [justificationReceived(o)],
  ) as JustificationAccepted;

export const justificationRejected = (
  o: Parameters<typeof receiveJustification>[0] = {},
): JustificationRejected =>
  firstStudentEvent(rejectJustification({ studentId: o.studentId, justificationId: o.justificationId }), [
    justificationReceived(o),
  ]) as JustificationRejected;

export const attendanceFactVoided = (
  given: StudentAttendanceEvent,
  o: { reason?: string } = {},
): AttendanceFactVoided => {
  const factId =
    'factId' in given.data ? given.data.factId : (given.data as { justificationId: string }).justificationId;
  return firstStudentEvent(
    voidAttendanceFact({ studentId: given.data.studentId, factId, reason: o.reason }),
    [given],
  ) as AttendanceFactVoided;
};

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
