import { DomainEvent } from '../shared/event';
import { DateHalfDay, SlotBound } from './coverage';
import { ReasonFlags, SlotOnDate } from './school-inputs';
import { IsoDate, WallClockTime } from '../shared/calendar';

/**
 * The `attendance-{uai}-{studentId}` stream: what the school-life office records about one student
 * outside roll calls — reported absences, departures, infirmary visits, outings — and the
 * justifications with their decisions. Each fact keeps an id so that it can be voided, never erased.
 */

// ---- events ------------------------------------------------------------------------------------

type CoverageData = {
  readonly factId: string;
  readonly studentId: string;
  /** The concrete slots covered, resolved against the timetable when recorded. */
  readonly slots: readonly SlotOnDate[];
  /** Europe/Paris date at which the fact was recorded (ahead of time or after the fact). */
  readonly recordedOn: IsoDate;
  readonly note: string | null;
};

export type AbsenceReportedData = CoverageData & {
  readonly classId: string | null;
  readonly from: SlotBound;
  readonly to: SlotBound;
  readonly reasonCode: string | null;
};

export type DepartureDuringDayRecordedData = CoverageData & {
  readonly classId: string | null;
  readonly date: IsoDate;
  readonly at: WallClockTime;
  /** Who collected the student or allowed the departure. */
  readonly authorisedBy: string | null;
};

export type InfirmaryVisitRecordedData = CoverageData & {
  readonly classId: string | null;
  readonly date: IsoDate;
  readonly from: WallClockTime;
  readonly to: WallClockTime;
};

export type CollectiveExemptionRecordedData = CoverageData & {
  /** Shared by every student of the outing (one correlation id, one exemption id). */
  readonly exemptionId: string;
  readonly classOrGroupId: string;
  readonly label: string;
  readonly from: SlotBound;
  readonly to: SlotBound;
};

export type CoverageKind = 'absence_report' | 'departure' | 'infirmary' | 'collective_exemption';

export type AttendanceFactVoidedData = {
  readonly factId: string;
  readonly studentId: string;
  readonly kind: CoverageKind | 'justification';
  readonly reason: string;
  /** The dates the voided fact touched, so that views know what to recompute. */
  readonly dates: { readonly from: IsoDate; readonly to: IsoDate };
};

export type JustificationSource = 'family' | 'student' | 'school';

export type JustificationRange = {
  readonly from: DateHalfDay;
  readonly to: DateHalfDay;
};

export type JustificationReceivedData = JustificationRange & {
  readonly justificationId: string;
  readonly studentId: string;
  readonly reasonCode: string;
  readonly source: JustificationSource;
  readonly receivedOn: IsoDate;
  readonly note: string | null;
};

export type JustificationAcceptedData = JustificationRange & {
  readonly justificationId: string;
  readonly studentId: string;
  readonly reasonCode: string;
  /** The reason's flags as the school's list had them when the CPE decided. */
  readonly reasonFlags: ReasonFlags;
  /** Why an earlier decision was changed (null for a first decision). */
  readonly reason: string | null;
};

export type JustificationRejectedData = JustificationRange & {
  readonly justificationId: string;
  readonly studentId: string;
  readonly note: string | null;
  readonly reason: string | null;
};

export type JustificationRegularisedData = JustificationRange & {
  readonly justificationId: string;
  readonly studentId: string;
};

export type AbsenceReported = DomainEvent<'AbsenceReported', AbsenceReportedData>;
export type DepartureDuringDayRecorded = DomainEvent<
  'DepartureDuringDayRecorded',
  DepartureDuringDayRecordedData
>;
export type InfirmaryVisitRecorded = DomainEvent<'InfirmaryVisitRecorded', InfirmaryVisitRecordedData>;
export type CollectiveExemptionRecorded = DomainEvent<
  'CollectiveExemptionRecorded',
  CollectiveExemptionRecordedData
>;
export type AttendanceFactVoided = DomainEvent<'AttendanceFactVoided', AttendanceFactVoidedData>;
export type JustificationReceived = DomainEvent<'JustificationReceived', JustificationReceivedData>;
export type JustificationAccepted = DomainEvent<'JustificationAccepted', JustificationAcceptedData>;
export type JustificationRejected = DomainEvent<'JustificationRejected', JustificationRejectedData>;
export type JustificationRegularised = DomainEvent<'JustificationRegularised', JustificationRegularisedData>;

export type CoverageEvent =
  AbsenceReported | DepartureDuringDayRecorded | InfirmaryVisitRecorded | CollectiveExemptionRecorded;
export type JustificationEvent =
  JustificationReceived | JustificationAccepted | JustificationRejected | JustificationRegularised;
export type StudentAttendanceEvent = CoverageEvent | JustificationEvent | AttendanceFactVoided;

export const STUDENT_ATTENDANCE_EVENT_TYPES = [
  'AbsenceReported',
  'DepartureDuringDayRecorded',
  'InfirmaryVisitRecorded',
  'CollectiveExemptionRecorded',
  'AttendanceFactVoided',
  'JustificationReceived',
  'JustificationAccepted',
  'JustificationRejected',
  'JustificationRegularised',
] as const;

const COVERAGE_KIND: Record<CoverageEvent['type'], CoverageKind> = {
  AbsenceReported: 'absence_report',
  DepartureDuringDayRecorded: 'departure',
  InfirmaryVisitRecorded: 'infirmary',
  CollectiveExemptionRecorded: 'collective_exemption',
};

/**
 * What a fact says on its own: reported absences and departures say "absent"; the infirmary and
 * outings say "present, under the school's responsibility". Where facts meet on a slot, counting
 * decides (an outing never covers a student reported absent).
 */
export const coverageEffect = (kind: CoverageKind): 'absent' | 'school_responsibility' =>
  kind === 'absence_report' || kind === 'departure' ? 'absent' : 'school_responsibility';

// ---- state -------------------------------------------------------------------------------------

export type Voiding = {
  readonly reason: string;
};

export type CoverageFact = {
  readonly id: string;
  readonly kind: CoverageKind;
  readonly eventType: CoverageEvent['type'];
  readonly slots: readonly SlotOnDate[];
  readonly classOrGroupId: string | null;
  readonly data: CoverageEvent['data'];
  readonly voided: Voiding | null;
};

export type JustificationDecision = 'pending' | 'accepted' | 'rejected';

export type Justification = JustificationRange & {
  readonly id: string;
  readonly received: JustificationReceivedData;
  readonly decision: JustificationDecision;
  readonly accepted: { readonly reasonCode: string; readonly reasonFlags: ReasonFlags } | null;
  readonly regularised: boolean;
  readonly voided: Voiding | null;
};

export type StudentAttendance = {
  readonly facts: Readonly<Record<string, CoverageFact>>;
  readonly justifications: Readonly<Record<string, Justification>>;
};

export const initialStudentAttendance = (): StudentAttendance => ({ facts: {}, justifications: {} });

const withJustification = (
  state: StudentAttendance,
  id: string,
  change: (j: Justification) => Justification,
): StudentAttendance => {
  const current = state.justifications[id];
  return current ? { ...state, justifications: { ...state.justifications, [id]: change(current) } } : state;
};

export const evolveStudentAttendance = (
  state: StudentAttendance,
  event: StudentAttendanceEvent,
): StudentAttendance => {
  switch (event.type) {
    case 'AbsenceReported':
    case 'DepartureDuringDayRecorded':
    case 'InfirmaryVisitRecorded':
    case 'CollectiveExemptionRecorded': {
      const fact: CoverageFact = {
        id: event.data.factId,
        kind: COVERAGE_KIND[event.type],
        eventType: event.type,
        slots: event.data.slots,
        classOrGroupId: 'classOrGroupId' in event.data ? event.data.classOrGroupId : event.data.classId,
        data: event.data,
        voided: null,
      };
      return { ...state, facts: { ...state.facts, [fact.id]: fact } };
    }
    case 'AttendanceFactVoided': {
      const voided = { reason: event.data.reason };
      const fact = state.facts[event.data.factId];
      if (fact) return { ...state, facts: { ...state.facts, [fact.id]: { ...fact, voided } } };
      return withJustification(state, event.data.factId, (j) => ({ ...j, voided }));
    }
    case 'JustificationReceived':
      return {
        ...state,
        justifications: {
          ...state.justifications,
          [event.data.justificationId]: {
            id: event.data.justificationId,
            from: event.data.from,
            to: event.data.to,
            received: event.data,
            decision: 'pending',
            accepted: null,
            regularised: false,
            voided: null,
          },
        },
      };
    case 'JustificationAccepted':
      return withJustification(state, event.data.justificationId, (j) => ({
        ...j,
        decision: 'accepted',
        accepted: { reasonCode: event.data.reasonCode, reasonFlags: event.data.reasonFlags },
      }));
    case 'JustificationRejected':
      return withJustification(state, event.data.justificationId, (j) => ({
        ...j,
        decision: 'rejected',
        accepted: null,
      }));
    case 'JustificationRegularised':
      return withJustification(state, event.data.justificationId, (j) => ({ ...j, regularised: true }));
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};
