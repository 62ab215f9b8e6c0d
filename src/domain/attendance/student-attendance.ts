import { Decider } from '../shared/decider';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { Actor } from '../shared/event';
import { ownEntry } from '../shared/records';
import { ClosedSpan, checkAttendancePeriodOpen, checkAttendanceWriter } from './closed-periods';

/** Who records absences outside roll calls and decides justifications; the principal only after a council. */
const OFFICE = ['cpe'] as const;
import {
  DateHalfDay,
  SlotBound,
  TimetableInputs,
  checkDate,
  checkInSchoolYear,
  checkNotAfter,
  halfDayKey,
  slotsInRange,
  slotsOverlapping,
} from './coverage';
import { ReasonDefinition, SchoolYear, SlotOnDate } from './school-inputs';
import {
  CoverageEvent,
  Justification,
  JustificationReceived,
  JustificationSource,
  StudentAttendance,
  StudentAttendanceEvent,
  evolveStudentAttendance,
  initialStudentAttendance,
} from './student-attendance-events';
import { HalfDay, IsoDate, WallClockTime } from '../shared/calendar';

// ---- commands ----------------------------------------------------------------------------------

/** What the handler reads from the settings read model for facts recorded outside a roll call. */
export type AttendanceContext = TimetableInputs & {
  readonly schoolYear: SchoolYear;
  /** Europe/Paris date at which the command is handled. */
  readonly today: IsoDate;
  /** How far ahead an absence or an outing may be recorded. */
  readonly maxDaysAhead: number;
  /**
   * The closed periods of the student's classes (DOMAIN.md, "Class council"): a date is closed when
   * the council of the class the student was in on it, or of the class they were in on the period's
   * last day, was held. None: all open.
   */
  readonly closedPeriods?: readonly ClosedSpan[];
};

export type JustificationContext = {
  readonly schoolYear: SchoolYear;
  readonly reasons: readonly ReasonDefinition[];
  /** As in `AttendanceContext`. */
  readonly closedPeriods?: readonly ClosedSpan[];
};

/** For a command on what is already recorded: the closed periods of the student's classes. */
export type ClosedPeriodsContext = Pick<AttendanceContext, 'closedPeriods'>;

type StudentCommand = {
  readonly studentId: string;
  readonly actor: Actor;
};

/** The CPE records an absence ahead of time (the family called) or after the fact. */
export type ReportAbsence = StudentCommand & {
  readonly type: 'ReportAbsence';
  readonly factId: string;
  readonly from: SlotBound;
  readonly to: SlotBound;
  readonly classId?: string;
  readonly reasonCode?: string;
  readonly note?: string;
  /** Needed, from the principal, for a date in a closed period. */
  readonly reason?: string;
  readonly context: AttendanceContext;
};

export type RecordEarlyDeparture = StudentCommand & {
  readonly type: 'RecordEarlyDeparture';
  readonly factId: string;
  readonly date: IsoDate;
  readonly at: WallClockTime;
  readonly classId?: string;
  readonly authorisedBy?: string;
  readonly note?: string;
  /** Needed, from the principal, for a date in a closed period. */
  readonly reason?: string;
  readonly context: AttendanceContext;
};

export type RecordInfirmaryVisit = StudentCommand & {
  readonly type: 'RecordInfirmaryVisit';
  readonly factId: string;
  readonly date: IsoDate;
  readonly from: WallClockTime;
  readonly to: WallClockTime;
  readonly classId?: string;
  readonly note?: string;
  readonly context: AttendanceContext;
};

/** One student's part in a school outing; the handler sends one per student with one exemption id. */
export type RecordCollectiveExemption = StudentCommand & {
  readonly type: 'RecordCollectiveExemption';
  readonly factId: string;
  readonly exemptionId: string;
  readonly classOrGroupId: string;
  readonly label: string;
  readonly from: SlotBound;
  readonly to: SlotBound;
  /** False for a student of the class who did not go (default true): nothing is recorded for them. */
  readonly participating?: boolean;
  readonly note?: string;
  readonly context: AttendanceContext;
};

/** Void a fact or a justification recorded by mistake (wrong student, wrong day). */
export type VoidAttendanceFact = StudentCommand & {
  readonly type: 'VoidAttendanceFact';
  readonly factId: string;
  readonly reason: string;
  readonly context?: ClosedPeriodsContext;
};

export type ReceiveJustification = StudentCommand & {
  readonly type: 'ReceiveJustification';
  readonly justificationId: string;
  readonly from: DateHalfDay;
  readonly to: DateHalfDay;
  readonly reasonCode: string;
  readonly source: JustificationSource;
  readonly receivedOn: IsoDate;
  readonly note?: string;
  readonly context: JustificationContext;
};

export type AcceptJustification = StudentCommand & {
  readonly type: 'AcceptJustification';
  readonly justificationId: string;
  /** The CPE may requalify the family's reason. */
  readonly reasonCode?: string;
  /** Needed when an earlier decision is changed. */
  readonly reason?: string;
  readonly context: Pick<JustificationContext, 'reasons' | 'closedPeriods'>;
};

export type RejectJustification = StudentCommand & {
  readonly type: 'RejectJustification';
  readonly justificationId: string;
  readonly note?: string;
  readonly reason?: string;
  readonly context?: ClosedPeriodsContext;
};

/** The paperwork was received: a flag of its own, independent of acceptance. */
export type RegulariseJustification = StudentCommand & {
  readonly type: 'RegulariseJustification';
  readonly justificationId: string;
};

export type StudentAttendanceCommand =
  | ReportAbsence
  | RecordEarlyDeparture
  | RecordInfirmaryVisit
  | RecordCollectiveExemption
  | VoidAttendanceFact
  | ReceiveJustification
  | AcceptJustification
  | RejectJustification
  | RegulariseJustification;

// ---- decisions ---------------------------------------------------------------------------------

const hasText = (value: string | undefined | null): value is string =>
  typeof value === 'string' && value.trim() !== '';

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

/** What a client sent, without what the server derived (the slots, the day it was recorded). */
const requestPart = (data: object): string => {
  const {
    slots: _slots,
    recordedOn: _recordedOn,
    receivedOn: _receivedOn,
    ...request
  } = data as Record<string, unknown>;
  return canonical(request);
};

const checkNewId = (state: StudentAttendance, event: CoverageEvent | JustificationReceived): boolean => {
  const id = event.type === 'JustificationReceived' ? event.data.justificationId : event.data.factId;
  const existing = ownEntry(state.facts, id)?.data ?? ownEntry(state.justifications, id)?.received;
  if (!existing) return true;
  if (requestPart(existing) === requestPart(event.data)) return false;
  throw conflict('ATTENDANCE.ID_CONFLICT', `${id} already names another fact`, { field: 'factId', id });
};

const recordOnce = (
  state: StudentAttendance,
  event: CoverageEvent | JustificationReceived,
): StudentAttendanceEvent[] => (checkNewId(state, event) ? [event] : []);

const checkPastDay = (date: unknown, context: AttendanceContext): IsoDate => {
  const checked = checkDate('ATTENDANCE.DATE_INVALID', 'date', date);
  checkInSchoolYear('ATTENDANCE.DATE_OUTSIDE_SCHOOL_YEAR', 'date', checked, context.schoolYear);
  checkNotAfter('ATTENDANCE.DATE_IN_FUTURE', 'date', checked, context.today, 0);
  return checked;
};

const checkRange = (from: SlotBound, to: SlotBound, context: AttendanceContext) => {
  checkDate('ATTENDANCE.DATE_INVALID', 'from.date', from.date);
  checkDate('ATTENDANCE.DATE_INVALID', 'to.date', to.date);
  checkInSchoolYear('ATTENDANCE.DATE_OUTSIDE_SCHOOL_YEAR', 'from.date', from.date, context.schoolYear);
  checkInSchoolYear('ATTENDANCE.DATE_OUTSIDE_SCHOOL_YEAR', 'to.date', to.date, context.schoolYear);
  checkNotAfter('ATTENDANCE.DATE_TOO_FAR_AHEAD', 'to.date', to.date, context.today, context.maxDaysAhead);
  return slotsInRange(from, to, context);
};

const bound = (b: SlotBound): SlotBound =>
  b.slotCode === undefined ? { date: b.date } : { date: b.date, slotCode: b.slotCode };

/** A new fact over days of a closed period: only the principal, with a reason. */
const inOpenPeriod = (
  c: StudentCommand & { readonly reason?: string; readonly context?: ClosedPeriodsContext },
  dates: { readonly from: IsoDate; readonly to?: IsoDate },
  events: StudentAttendanceEvent[],
): StudentAttendanceEvent[] => {
  if (events.length > 0) checkAttendancePeriodOpen(c.actor, c.context?.closedPeriods, dates, c.reason);
  return events;
};

const reportAbsence = (c: ReportAbsence, state: StudentAttendance) => {
  checkAttendanceWriter(c.actor, c.context.closedPeriods, { from: c.from.date, to: c.to.date }, OFFICE);
  return inOpenPeriod(
    c,
    { from: c.from.date, to: c.to.date },
    recordOnce(state, {
      type: 'AbsenceReported',
      data: {
        factId: c.factId,
        studentId: c.studentId,
        classId: c.classId ?? null,
        from: bound(c.from),
        to: bound(c.to),
        reasonCode: c.reasonCode ?? null,
        note: c.note ?? null,
        slots: checkRange(c.from, c.to, c.context),
        recordedOn: c.context.today,
      },
    }),
  );
};

const recordEarlyDeparture = (c: RecordEarlyDeparture, state: StudentAttendance) => {
  checkAttendanceWriter(c.actor, c.context.closedPeriods, { from: c.date }, OFFICE);
  const date = checkPastDay(c.date, c.context);
  return inOpenPeriod(
    c,
    { from: date },
    recordOnce(state, {
      type: 'DepartureDuringDayRecorded',
      data: {
        factId: c.factId,
        studentId: c.studentId,
        classId: c.classId ?? null,
        date,
        at: c.at,
        authorisedBy: c.authorisedBy ?? null,
        note: c.note ?? null,
        slots: slotsOverlapping(date, c.at, '24:00', c.context, { from: 'at', to: 'at' }),
        recordedOn: c.context.today,
      },
    }),
  );
};

const recordInfirmaryVisit = (c: RecordInfirmaryVisit, state: StudentAttendance) => {
  const date = checkPastDay(c.date, c.context);
  return recordOnce(state, {
    type: 'InfirmaryVisitRecorded',
    data: {
      factId: c.factId,
      studentId: c.studentId,
      classId: c.classId ?? null,
      date,
      from: c.from,
      to: c.to,
      note: c.note ?? null,
      slots: slotsOverlapping(date, c.from, c.to, c.context, { from: 'from', to: 'to' }),
      recordedOn: c.context.today,
    },
  });
};

/**
 * What an outing does for one student, given what the student's stream already holds: it covers the
 * students who went; it leaves out those who did not go, and those for whom an absence (or a
 * departure) was already reported on every slot of it — a student at home is not on the trip.
 * Where a reported absence covers only part of the outing, the outing covers the rest and counting
 * lets the absence win on the slots they share.
 */
export type ExemptionOutcome =
  | { readonly status: 'covered'; readonly absencesReported: readonly string[] }
  | { readonly status: 'not_participating' }
  | { readonly status: 'absence_reported'; readonly absencesReported: readonly string[] }
  | { readonly status: 'exemption_voided' };

const slotKey = (slot: SlotOnDate) => `${slot.date}|${slot.code}`;

const absencesReportedOver = (state: StudentAttendance, slots: readonly SlotOnDate[]) => {
  const outing = new Set(slots.map(slotKey));
  const missed = new Set<string>();
  const factIds: string[] = [];
  for (const fact of Object.values(state.facts)) {
    if (fact.voided || (fact.kind !== 'absence_report' && fact.kind !== 'departure')) continue;
    const shared = fact.slots.map(slotKey).filter((key) => outing.has(key));
    if (shared.length === 0) continue;
    factIds.push(fact.id);
    for (const key of shared) missed.add(key);
  }
  return { factIds: factIds.sort(), everySlot: missed.size === outing.size };
};

const checkOuting = (c: RecordCollectiveExemption) => {
  if (!hasText(c.label))
    throw invalid('ATTENDANCE.LABEL_REQUIRED', 'an outing needs a label', { field: 'label' });
  return checkRange(c.from, c.to, c.context);
};

const outcomeOver = (
  c: RecordCollectiveExemption,
  state: StudentAttendance,
  slots: readonly SlotOnDate[],
): ExemptionOutcome => {
  const recorded = ownEntry(state.facts, c.factId);
  if (c.participating === false) {
    if (recorded && !recorded.voided)
      throw conflict(
        'ATTENDANCE.EXEMPTION_ALREADY_RECORDED',
        `${c.studentId} is already covered by ${c.factId}: void that fact to leave the student out`,
        { field: 'notParticipating', studentId: c.studentId, factId: c.factId },
      );
    return { status: 'not_participating' };
  }
  if (recorded?.voided) return { status: 'exemption_voided' };
  const absences = absencesReportedOver(state, slots);
  if (!recorded && absences.everySlot)
    return { status: 'absence_reported', absencesReported: absences.factIds };
  return { status: 'covered', absencesReported: absences.factIds };
};

export const collectiveExemptionOutcome = (
  c: RecordCollectiveExemption,
  state: StudentAttendance,
): ExemptionOutcome => outcomeOver(c, state, checkOuting(c));

const recordCollectiveExemption = (c: RecordCollectiveExemption, state: StudentAttendance) => {
  const slots = checkOuting(c);
  if (outcomeOver(c, state, slots).status !== 'covered') return [];
  return recordOnce(state, {
    type: 'CollectiveExemptionRecorded',
    data: {
      factId: c.factId,
      exemptionId: c.exemptionId,
      studentId: c.studentId,
      classOrGroupId: c.classOrGroupId,
      label: c.label,
      from: bound(c.from),
      to: bound(c.to),
      note: c.note ?? null,
      slots,
      recordedOn: c.context.today,
    },
  });
};

const datesOfSlots = (slots: readonly SlotOnDate[]) => ({
  from: slots.reduce((min, s) => (s.date < min ? s.date : min), slots[0].date),
  to: slots.reduce((max, s) => (s.date > max ? s.date : max), slots[0].date),
});

const voidFact = (c: VoidAttendanceFact, state: StudentAttendance): StudentAttendanceEvent[] => {
  const fact = ownEntry(state.facts, c.factId);
  const justification = ownEntry(state.justifications, c.factId);
  const dates = fact
    ? datesOfSlots(fact.slots)
    : justification && { from: justification.from.date, to: justification.to.date };
  if (!dates)
    throw notFound('ATTENDANCE.FACT_NOT_FOUND', `no fact ${c.factId} for this student`, {
      field: 'factId',
      factId: c.factId,
    });
  checkAttendanceWriter(c.actor, c.context?.closedPeriods, dates, OFFICE);
  if (fact?.voided ?? justification?.voided) return [];
  if (!hasText(c.reason))
    throw invalid('ATTENDANCE.REASON_REQUIRED', 'voiding needs a reason', { field: 'reason' });
  checkAttendancePeriodOpen(c.actor, c.context?.closedPeriods, dates, c.reason);
  return [
    {
      type: 'AttendanceFactVoided',
      data: {
        factId: c.factId,
        studentId: c.studentId,
        kind: fact ? fact.kind : 'justification',
        reason: c.reason,
        dates,
      },
    },
  ];
};

const checkHalfDay = (field: string, value: DateHalfDay | undefined): DateHalfDay => {
  checkDate('JUSTIFICATION.DATE_INVALID', `${field}.date`, value?.date);
  const halfDay: unknown = value?.halfDay;
  if (halfDay !== 'AM' && halfDay !== 'PM')
    throw invalid('JUSTIFICATION.HALF_DAY_INVALID', `${field}.halfDay must be AM or PM`, {
      field: `${field}.halfDay`,
    });
  return { date: (value as DateHalfDay).date, halfDay: halfDay as HalfDay };
};

const findReason = (reasons: readonly ReasonDefinition[], code: string, field: string): ReasonDefinition => {
  const reason = reasons.find((r) => r.code === code);
  if (!reason)
    throw invalid('JUSTIFICATION.REASON_UNKNOWN', `reason ${code} is not in the school's list`, {
      field,
      reasonCode: code,
      knownReasons: reasons.map((r) => r.code),
    });
  return reason;
};

const receiveJustification = (c: ReceiveJustification, state: StudentAttendance) => {
  const from = checkHalfDay('from', c.from);
  const to = checkHalfDay('to', c.to);
  if (halfDayKey(to) < halfDayKey(from))
    throw invalid('JUSTIFICATION.RANGE_INVERTED', 'the range ends before it starts', { field: 'to' });
  checkInSchoolYear('JUSTIFICATION.DATE_OUTSIDE_SCHOOL_YEAR', 'from.date', from.date, c.context.schoolYear);
  checkInSchoolYear('JUSTIFICATION.DATE_OUTSIDE_SCHOOL_YEAR', 'to.date', to.date, c.context.schoolYear);
  findReason(c.context.reasons, c.reasonCode, 'reasonCode');
  return recordOnce(state, {
    type: 'JustificationReceived',
    data: {
      justificationId: c.justificationId,
      studentId: c.studentId,
      from,
      to,
      reasonCode: c.reasonCode,
      source: c.source,
      receivedOn: checkDate('JUSTIFICATION.DATE_INVALID', 'receivedOn', c.receivedOn),
      note: c.note ?? null,
    },
  });
};

const openJustification = (state: StudentAttendance, id: string): Justification => {
  const justification = ownEntry(state.justifications, id);
  if (!justification)
    throw notFound('JUSTIFICATION.NOT_FOUND', `no justification ${id} for this student`, {
      field: 'justificationId',
      id,
    });
  if (justification.voided)
    throw conflict('JUSTIFICATION.VOIDED', `justification ${id} was voided`, {
      field: 'justificationId',
      id,
    });
  return justification;
};

const requireReasonToChange = (justification: Justification, reason: string | undefined) => {
  if (justification.decision !== 'pending' && !hasText(reason))
    throw conflict(
      'JUSTIFICATION.REASON_REQUIRED',
      `changing a decision already ${justification.decision} needs a reason`,
      {
        field: 'reason',
        decision: justification.decision,
      },
    );
};

/**
 * Accepting or rejecting a justification changes how its absences count: when they lie in a closed
 * period, whenever the justification came, the decision is the principal's, with a reason.
 */
const justificationDates = (justification: Justification) => ({
  from: justification.from.date,
  to: justification.to.date,
});

const checkJustificationDecider = (
  c: StudentCommand & { readonly context?: ClosedPeriodsContext },
  justification: Justification,
) => checkAttendanceWriter(c.actor, c.context?.closedPeriods, justificationDates(justification), OFFICE);

const checkJustificationPeriodOpen = (
  c: StudentCommand & { readonly reason?: string; readonly context?: ClosedPeriodsContext },
  justification: Justification,
) =>
  checkAttendancePeriodOpen(c.actor, c.context?.closedPeriods, justificationDates(justification), c.reason);

const acceptJustification = (c: AcceptJustification, state: StudentAttendance): StudentAttendanceEvent[] => {
  const justification = openJustification(state, c.justificationId);
  checkJustificationDecider(c, justification);
  const reasonCode = c.reasonCode ?? justification.accepted?.reasonCode ?? justification.received.reasonCode;
  if (justification.decision === 'accepted' && justification.accepted?.reasonCode === reasonCode) return [];
  const reason = findReason(c.context.reasons, reasonCode, 'reasonCode');
  if (!reason.legitimate)
    throw conflict(
      'JUSTIFICATION.REASON_NOT_LEGITIMATE',
      `reason ${reasonCode} is not a legitimate reason; reject it`,
      {
        field: 'reasonCode',
        reasonCode,
      },
    );
  requireReasonToChange(justification, c.reason);
  checkJustificationPeriodOpen(c, justification);
  const { legitimate, countsAsAbsence, schoolResponsibility } = reason;
  return [
    {
      type: 'JustificationAccepted',
      data: {
        justificationId: justification.id,
        studentId: c.studentId,
        from: justification.from,
        to: justification.to,
        reasonCode,
        reasonFlags: { legitimate, countsAsAbsence, schoolResponsibility },
        reason: justification.decision === 'pending' ? null : (c.reason as string),
      },
    },
  ];
};

const rejectJustification = (c: RejectJustification, state: StudentAttendance): StudentAttendanceEvent[] => {
  const justification = openJustification(state, c.justificationId);
  checkJustificationDecider(c, justification);
  if (justification.decision === 'rejected') return [];
  requireReasonToChange(justification, c.reason);
  checkJustificationPeriodOpen(c, justification);
  return [
    {
      type: 'JustificationRejected',
      data: {
        justificationId: justification.id,
        studentId: c.studentId,
        from: justification.from,
        to: justification.to,
        note: c.note ?? null,
        reason: justification.decision === 'pending' ? null : (c.reason as string),
      },
    },
  ];
};

const regulariseJustification = (
  c: RegulariseJustification,
  state: StudentAttendance,
): StudentAttendanceEvent[] => {
  const justification = openJustification(state, c.justificationId);
  if (justification.regularised) return [];
  return [
    {
      type: 'JustificationRegularised',
      data: {
        justificationId: justification.id,
        studentId: c.studentId,
        from: justification.from,
        to: justification.to,
      },
    },
  ];
};

export const decideStudentAttendance = (
  command: StudentAttendanceCommand,
  state: StudentAttendance,
): StudentAttendanceEvent[] => {
  switch (command.type) {
    case 'ReportAbsence':
      return reportAbsence(command, state);
    case 'RecordEarlyDeparture':
      return recordEarlyDeparture(command, state);
    case 'RecordInfirmaryVisit':
      return recordInfirmaryVisit(command, state);
    case 'RecordCollectiveExemption':
      return recordCollectiveExemption(command, state);
    case 'VoidAttendanceFact':
      return voidFact(command, state);
    case 'ReceiveJustification':
      return receiveJustification(command, state);
    case 'AcceptJustification':
      return acceptJustification(command, state);
    case 'RejectJustification':
      return rejectJustification(command, state);
    case 'RegulariseJustification':
      return regulariseJustification(command, state);
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const studentAttendanceDecider: Decider<
  StudentAttendanceCommand,
  StudentAttendance,
  StudentAttendanceEvent
> = {
  initialState: initialStudentAttendance,
  evolve: evolveStudentAttendance,
  decide: decideStudentAttendance,
};
