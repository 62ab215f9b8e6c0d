import { Decider } from '../shared/decider';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { Actor, DomainEvent } from '../shared/event';
import { ownEntry } from '../shared/records';
import { ClosedSpan, checkAttendancePeriodOpen, checkAttendanceWriter } from './closed-periods';

const ROLL_CALL_WRITERS = ['teacher', 'cpe'] as const;
import {
  Lateness,
  LessonOfRollCall,
  RollCallList,
  RollCallActor,
  RollCallSubmission,
  ValidatedRollCall,
  canonicalList,
  checkTaker,
  sameList,
  validateRollCall,
} from './roll-call-rules';

// ---- events ------------------------------------------------------------------------------------

export type RollCallTakenData = LessonOfRollCall & {
  /** Everybody enrolled on that date: the students not listed were present. */
  readonly register: readonly string[];
  readonly absent: readonly string[];
  readonly late: readonly Lateness[];
  readonly lateAsAbsenceAfterMinutes: number | null;
  readonly takenBy: Actor;
};

export type RollCallAmendedData = LessonOfRollCall & {
  /** 1 is the roll call as taken; every amendment adds one. */
  readonly version: number;
  readonly register: readonly string[];
  readonly absent: readonly string[];
  readonly late: readonly Lateness[];
  readonly lateAsAbsenceAfterMinutes: number | null;
  readonly previous: RollCallList;
  readonly added: RollCallList;
  readonly removed: RollCallList;
  readonly amendedBy: Actor;
  readonly reason: string | null;
  /** Set when the amendment restores the list of an earlier version. */
  readonly revertsTo: number | null;
};

export type RollCallVoidedData = LessonOfRollCall & {
  readonly studentIds: readonly string[];
  readonly voidedBy: Actor;
  readonly reason: string;
};

export type RollCallTaken = DomainEvent<'RollCallTaken', RollCallTakenData>;
export type RollCallAmended = DomainEvent<'RollCallAmended', RollCallAmendedData>;
export type RollCallVoided = DomainEvent<'RollCallVoided', RollCallVoidedData>;
export type RollCallEvent = RollCallTaken | RollCallAmended | RollCallVoided;

export const ROLL_CALL_EVENT_TYPES = ['RollCallTaken', 'RollCallAmended', 'RollCallVoided'] as const;

// ---- state -------------------------------------------------------------------------------------

export type RecordedRollCall = {
  readonly status: 'taken' | 'voided';
  readonly lesson: LessonOfRollCall;
  readonly version: number;
  readonly register: readonly string[];
  readonly list: RollCallList;
  /** The list of every version, index 0 being version 1. */
  readonly versions: readonly RollCallList[];
  /** Who put each current absence on the list: removing someone else's absence needs a reason. */
  readonly absenceRecordedBy: Readonly<Record<string, string>>;
  readonly lateAsAbsenceAfterMinutes: number | null;
  readonly takenBy: Actor;
  readonly voided: { readonly reason: string; readonly by: Actor } | null;
};

export type RollCall = { readonly status: 'none' } | RecordedRollCall;

export const initialRollCall = (): RollCall => ({ status: 'none' });

const lessonOf = (data: LessonOfRollCall): LessonOfRollCall => ({
  classOrGroupId: data.classOrGroupId,
  groupKind: data.groupKind,
  date: data.date,
  slot: { code: data.slot.code, start: data.slot.start, end: data.slot.end },
  halfDay: data.halfDay,
});

export const evolveRollCall = (state: RollCall, event: RollCallEvent): RollCall => {
  switch (event.type) {
    case 'RollCallTaken': {
      const list = { absent: event.data.absent, late: event.data.late };
      return {
        status: 'taken',
        lesson: lessonOf(event.data),
        version: 1,
        register: event.data.register,
        list,
        versions: [list],
        absenceRecordedBy: Object.fromEntries(event.data.absent.map((s) => [s, event.data.takenBy.id])),
        lateAsAbsenceAfterMinutes: event.data.lateAsAbsenceAfterMinutes,
        takenBy: event.data.takenBy,
        voided: null,
      };
    }
    case 'RollCallAmended': {
      if (state.status === 'none') return state;
      const list = { absent: event.data.absent, late: event.data.late };
      const recordedBy: Record<string, string> = {};
      for (const studentId of event.data.absent)
        recordedBy[studentId] = ownEntry(state.absenceRecordedBy, studentId) ?? event.data.amendedBy.id;
      return {
        ...state,
        version: event.data.version,
        register: event.data.register,
        list,
        versions: [...state.versions, list],
        absenceRecordedBy: recordedBy,
        lateAsAbsenceAfterMinutes: event.data.lateAsAbsenceAfterMinutes,
      };
    }
    case 'RollCallVoided':
      if (state.status === 'none') return state;
      return { ...state, status: 'voided', voided: { reason: event.data.reason, by: event.data.voidedBy } };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};

// ---- commands ----------------------------------------------------------------------------------

/** Take the roll call of a lesson; a different list for a lesson already called is an amendment. */
export type TakeRollCall = RollCallSubmission & {
  readonly type: 'TakeRollCall';
  readonly reason?: string;
};

/** A correction names the class or group of the lesson whose stream it is sent to. */
type Correction = RollCallActor & {
  readonly classOrGroupId: string;
  /** The closed periods of the lesson's class (of a group: of its classes); none: all open. */
  readonly context?: { readonly closedPeriods?: readonly ClosedSpan[] };
};

/** Restore the list of an earlier version (undo a wiping resend, for instance). */
export type RevertRollCall = Correction & {
  readonly type: 'RevertRollCall';
  /**
   * Without it, the version before the last — decided on the state this command is decided on, so
   * that an amendment made meanwhile moves the target with it.
   */
  readonly toVersion?: number;
  readonly reason: string;
};

/** Wrong class, wrong slot: the roll call stays in the log but no longer counts. */
export type VoidRollCall = Correction & {
  readonly type: 'VoidRollCall';
  readonly reason: string;
};

export type RollCallCommand = TakeRollCall | RevertRollCall | VoidRollCall;

// ---- decisions ---------------------------------------------------------------------------------

const hasText = (value: string | undefined | null): value is string =>
  typeof value === 'string' && value.trim() !== '';

const refuseVoided = (state: RollCall) => {
  if (state.status === 'voided')
    throw conflict('ROLL_CALL.VOIDED', 'this roll call was voided; take the right one instead', {
      reason: state.voided?.reason,
    });
};

const recorded = (state: RollCall): RecordedRollCall => {
  if (state.status === 'none')
    throw notFound('ROLL_CALL.NOT_TAKEN', 'no roll call was taken for this lesson');
  return state;
};

/** Everybody the roll call says something about: the register and, after a revert, anyone restored to the list. */
export const studentsOf = (state: RecordedRollCall): string[] =>
  [...new Set([...state.register, ...state.list.absent, ...state.list.late.map((l) => l.studentId)])].sort();

const difference = (from: RollCallList, to: RollCallList): RollCallList => ({
  absent: to.absent.filter((s) => !from.absent.includes(s)),
  late: to.late.filter((l) => !from.late.some((p) => p.studentId === l.studentId && p.minutes === l.minutes)),
});

const amended = (
  state: RecordedRollCall,
  next: { list: RollCallList; register: readonly string[]; lateAsAbsenceAfterMinutes: number | null },
  actor: Actor,
  reason: string | undefined,
  revertsTo: number | null,
): RollCallAmended => {
  const removed = difference(next.list, state.list);
  const removedOthersAbsences = removed.absent.filter(
    (s) => ownEntry(state.absenceRecordedBy, s) !== actor.id,
  );
  if (removedOthersAbsences.length > 0 && !hasText(reason))
    throw conflict('ROLL_CALL.REASON_REQUIRED', 'removing absences recorded by someone else needs a reason', {
      field: 'reason',
      studentIds: removedOthersAbsences,
      recordedBy: Object.fromEntries(
        removedOthersAbsences.map((s) => [s, ownEntry(state.absenceRecordedBy, s)]),
      ),
    });
  return {
    type: 'RollCallAmended',
    data: {
      ...state.lesson,
      version: state.version + 1,
      register: next.register,
      absent: next.list.absent,
      late: next.list.late,
      lateAsAbsenceAfterMinutes: next.lateAsAbsenceAfterMinutes,
      previous: state.list,
      added: difference(state.list, next.list),
      removed,
      amendedBy: actor,
      reason: hasText(reason) ? reason : null,
      revertsTo,
    },
  };
};

const checkSameLesson = (state: RecordedRollCall, validated: ValidatedRollCall) => {
  const { lesson } = state;
  const sent = validated.lesson;
  if (
    lesson.classOrGroupId !== sent.classOrGroupId ||
    lesson.date !== sent.date ||
    lesson.slot.code !== sent.slot.code
  )
    throw conflict('ROLL_CALL.LESSON_MISMATCH', 'this stream holds the roll call of another lesson', {
      field: 'slot',
      recorded: { classOrGroupId: lesson.classOrGroupId, date: lesson.date, slotCode: lesson.slot.code },
    });
};

export const takeRollCall = (command: TakeRollCall, state: RollCall): RollCallEvent[] => {
  checkTaker(command, command.classOrGroupId, command.groupKind === 'class' ? 'classId' : 'groupId');
  checkAttendanceWriter(
    command.actor,
    command.context.closedPeriods,
    { from: command.date },
    ROLL_CALL_WRITERS,
  );
  refuseVoided(state);
  const validated = validateRollCall(command);
  const periodOpen = () =>
    checkAttendancePeriodOpen(
      command.actor,
      command.context.closedPeriods,
      { from: validated.lesson.date },
      command.reason,
    );
  if (state.status === 'none') {
    periodOpen();
    return [
      {
        type: 'RollCallTaken',
        data: {
          ...validated.lesson,
          register: validated.register,
          absent: validated.list.absent,
          late: validated.list.late,
          lateAsAbsenceAfterMinutes: validated.lateAsAbsenceAfterMinutes,
          takenBy: command.actor,
        },
      },
    ];
  }
  const current = recorded(state);
  checkSameLesson(current, validated);
  if (sameList(current.list, validated.list)) return [];
  periodOpen();
  return [amended(current, validated, command.actor, command.reason, null)];
};

export const revertRollCall = (command: RevertRollCall, state: RollCall): RollCallEvent[] => {
  checkTaker(command, command.classOrGroupId);
  const current = recorded(state);
  checkAttendanceWriter(
    command.actor,
    command.context?.closedPeriods,
    { from: current.lesson.date },
    ROLL_CALL_WRITERS,
  );
  refuseVoided(current);
  if (!hasText(command.reason))
    throw conflict('ROLL_CALL.REASON_REQUIRED', 'reverting a roll call needs a reason', { field: 'reason' });
  const toVersion = command.toVersion ?? Math.max(1, current.version - 1);
  if (!Number.isInteger(toVersion) || toVersion < 1 || toVersion > current.version)
    throw invalid('ROLL_CALL.VERSION_UNKNOWN', `version ${toVersion} does not exist`, {
      field: 'toVersion',
      latestVersion: current.version,
    });
  const target = canonicalList(current.versions[toVersion - 1]);
  if (sameList(current.list, target)) return [];
  checkAttendancePeriodOpen(
    command.actor,
    command.context?.closedPeriods,
    { from: current.lesson.date },
    command.reason,
  );
  const next = {
    list: target,
    register: current.register,
    lateAsAbsenceAfterMinutes: current.lateAsAbsenceAfterMinutes,
  };
  return [amended(current, next, command.actor, command.reason, toVersion)];
};

export const voidRollCall = (command: VoidRollCall, state: RollCall): RollCallEvent[] => {
  checkTaker(command, command.classOrGroupId);
  const current = recorded(state);
  checkAttendanceWriter(
    command.actor,
    command.context?.closedPeriods,
    { from: current.lesson.date },
    ROLL_CALL_WRITERS,
  );
  if (current.status === 'voided') return [];
  if (!hasText(command.reason))
    throw conflict('ROLL_CALL.REASON_REQUIRED', 'voiding a roll call needs a reason', { field: 'reason' });
  checkAttendancePeriodOpen(
    command.actor,
    command.context?.closedPeriods,
    { from: current.lesson.date },
    command.reason,
  );
  return [
    {
      type: 'RollCallVoided',
      data: {
        ...current.lesson,
        studentIds: studentsOf(current),
        voidedBy: command.actor,
        reason: command.reason,
      },
    },
  ];
};

export const decideRollCall = (command: RollCallCommand, state: RollCall): RollCallEvent[] => {
  switch (command.type) {
    case 'TakeRollCall':
      return takeRollCall(command, state);
    case 'RevertRollCall':
      return revertRollCall(command, state);
    case 'VoidRollCall':
      return voidRollCall(command, state);
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const rollCallDecider: Decider<RollCallCommand, RollCall, RollCallEvent> = {
  initialState: initialRollCall,
  evolve: evolveRollCall,
  decide: decideRollCall,
};
