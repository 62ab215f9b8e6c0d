import { checkReason } from '../assessment/assessment-rules';
import { addDays, IsoDate, isIsoDate } from '../shared/calendar';
import { Decider } from '../shared/decider';
import { conflict, forbidden, invalid } from '../shared/domain-error';
import { Actor, DomainEvent, eventTypeGuard } from '../shared/event';
import { describeUnsafeCharacter, unsafeCharacterIn } from '../shared/text';

/**
 * `council-{uai}-{classId}-{period}`: what the principal records for one class council — the date it
 * meets, each student's synthesis and mention, the class's general appreciation — then the hold,
 * which closes the period (DOMAIN.md, "Class council"), and any reopening, with its reason.
 *
 * Once held, the decisions are what the council decided: changing them is refused until the council
 * is reopened (an event with a reason) and held again.
 */

/** The limit of the council's synthesis per student and of the class's general appreciation. */
export const COUNCIL_TEXT_MAX_LENGTH = 1000;

/** How long before the period's last day a council may meet, at the earliest. */
export const COUNCIL_EARLIEST_DAYS_BEFORE_PERIOD_END = 21;

export type CouncilKeys = {
  readonly classId: string;
  readonly periodId: string;
};

export type CouncilScheduledData = CouncilKeys & {
  /** The day the council meets. */
  readonly date: IsoDate;
  readonly scheduledBy: Actor;
};

export type StudentSynthesisWrittenData = CouncilKeys & {
  readonly studentId: string;
  /** Empty: the synthesis is withdrawn. */
  readonly text: string;
  readonly previous: string | null;
  readonly writtenBy: Actor;
};

export type MentionAwardedData = CouncilKeys & {
  readonly studentId: string;
  /** One of the school's `councilMentions` in force; null: the mention is withdrawn. */
  readonly mention: string | null;
  readonly previous: string | null;
  readonly awardedBy: Actor;
};

export type ClassAppreciationWrittenData = CouncilKeys & {
  /** Empty: the appreciation is withdrawn. */
  readonly text: string;
  readonly previous: string | null;
  readonly writtenBy: Actor;
};

/** What the council saw, as the handler read it; kept whole so that later corrections compare to it. */
export type CouncilSnapshot = Readonly<Record<string, unknown>>;

export type CouncilHeldData = CouncilKeys & {
  readonly heldOn: IsoDate;
  readonly heldBy: Actor;
  /** The council's students: those in the class on the period's last day, sorted. */
  readonly students: readonly string[];
  readonly snapshot: CouncilSnapshot;
};

export type CouncilReopenedData = CouncilKeys & {
  readonly reason: string;
  readonly reopenedBy: Actor;
};

export type CouncilScheduled = DomainEvent<'CouncilScheduled', CouncilScheduledData>;
export type StudentSynthesisWritten = DomainEvent<'StudentSynthesisWritten', StudentSynthesisWrittenData>;
export type MentionAwarded = DomainEvent<'MentionAwarded', MentionAwardedData>;
export type ClassAppreciationWritten = DomainEvent<'ClassAppreciationWritten', ClassAppreciationWrittenData>;
export type CouncilHeld = DomainEvent<'CouncilHeld', CouncilHeldData>;
export type CouncilReopened = DomainEvent<'CouncilReopened', CouncilReopenedData>;
export type CouncilEvent =
  | CouncilScheduled
  | StudentSynthesisWritten
  | MentionAwarded
  | ClassAppreciationWritten
  | CouncilHeld
  | CouncilReopened;

export const COUNCIL_EVENT_TYPES = [
  'CouncilScheduled',
  'StudentSynthesisWritten',
  'MentionAwarded',
  'ClassAppreciationWritten',
  'CouncilHeld',
  'CouncilReopened',
] as const satisfies readonly CouncilEvent['type'][];
export const isCouncilEvent = eventTypeGuard<CouncilEvent>(COUNCIL_EVENT_TYPES);

// ---- state -------------------------------------------------------------------------------------

/**
 * `open`: nothing scheduled, never held; `scheduled`: a date is set; `held`: the period is closed;
 * `reopened`: held once, reopened since and not held again.
 */
export type CouncilStatus = 'open' | 'scheduled' | 'held' | 'reopened';

export type CouncilHold = {
  readonly heldOn: IsoDate;
  readonly heldBy: string;
  readonly students: readonly string[];
  readonly snapshot: CouncilSnapshot;
};

export type Council = {
  readonly status: CouncilStatus;
  readonly scheduledOn: IsoDate | null;
  readonly syntheses: ReadonlyMap<string, string>;
  readonly mentions: ReadonlyMap<string, string>;
  readonly classAppreciation: string | null;
  /** The last hold, kept when the council is reopened. */
  readonly lastHold: CouncilHold | null;
  /** The reason of the last reopening while the council stays reopened: a resend is recognised. */
  readonly reopenReason: string | null;
};

export const initialCouncil = (): Council => ({
  status: 'open',
  scheduledOn: null,
  syntheses: new Map(),
  mentions: new Map(),
  classAppreciation: null,
  lastHold: null,
  reopenReason: null,
});

export const councilStatus = (state: Council): CouncilStatus => state.status;

/** The period is closed while its council is held and not reopened since. */
export const isPeriodClosed = (state: Council): boolean => state.status === 'held';

const withEntry = (
  entries: ReadonlyMap<string, string>,
  key: string,
  value: string | null,
): ReadonlyMap<string, string> => {
  const next = new Map(entries);
  if (value === null) next.delete(key);
  else next.set(key, value);
  return next;
};

export const evolveCouncil = (state: Council, event: CouncilEvent): Council => {
  switch (event.type) {
    case 'CouncilScheduled':
      return {
        ...state,
        scheduledOn: event.data.date,
        status: state.status === 'open' ? 'scheduled' : state.status,
      };
    case 'StudentSynthesisWritten':
      return {
        ...state,
        syntheses: withEntry(
          state.syntheses,
          event.data.studentId,
          event.data.text === '' ? null : event.data.text,
        ),
      };
    case 'MentionAwarded':
      return { ...state, mentions: withEntry(state.mentions, event.data.studentId, event.data.mention) };
    case 'ClassAppreciationWritten':
      return { ...state, classAppreciation: event.data.text === '' ? null : event.data.text };
    case 'CouncilHeld':
      return {
        ...state,
        status: 'held',
        reopenReason: null,
        lastHold: {
          heldOn: event.data.heldOn,
          heldBy: event.data.heldBy.id,
          students: event.data.students,
          snapshot: event.data.snapshot,
        },
      };
    case 'CouncilReopened':
      return { ...state, status: 'reopened', reopenReason: event.data.reason };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};

// ---- commands ----------------------------------------------------------------------------------

/** The period the council closes, as the structure read model gives it (`end` included). */
export type CouncilPeriod = { readonly start: IsoDate; readonly end: IsoDate };

/** What the handler reads for a council command. */
export type CouncilContext = {
  /** The council's students: those enrolled in the class on the period's last day. */
  readonly students: ReadonlySet<string>;
  readonly period: CouncilPeriod;
  /** Today in Europe/Paris, from the injected clock. */
  readonly today: IsoDate;
  /**
   * The school's `councilMentions` setting in force on the council's date (default Félicitations,
   * Compliments, Encouragements). A disciplinary warning is a sanction, never one of them.
   */
  readonly councilMentions: readonly string[];
};

type OnCouncil = CouncilKeys & { readonly actor: Actor };

export type ScheduleCouncil = OnCouncil & {
  readonly type: 'ScheduleCouncil';
  readonly date: IsoDate;
  readonly context: Pick<CouncilContext, 'period'>;
};

export type WriteStudentSynthesis = OnCouncil & {
  readonly type: 'WriteStudentSynthesis';
  readonly studentId: string;
  /** Empty withdraws it. */
  readonly text: string;
  readonly context: Pick<CouncilContext, 'students'>;
};

export type AwardMention = OnCouncil & {
  readonly type: 'AwardMention';
  readonly studentId: string;
  /** Null withdraws it. */
  readonly mention: string | null;
  readonly context: Pick<CouncilContext, 'students' | 'councilMentions'>;
};

export type WriteClassAppreciation = OnCouncil & {
  readonly type: 'WriteClassAppreciation';
  /** Empty withdraws it. */
  readonly text: string;
};

export type HoldCouncil = OnCouncil & {
  readonly type: 'HoldCouncil';
  /** The day the council met; the scheduled date when not given. */
  readonly heldOn?: IsoDate;
  readonly snapshot: CouncilSnapshot;
  readonly context: Pick<CouncilContext, 'students' | 'period' | 'today'>;
};

export type ReopenCouncil = OnCouncil & {
  readonly type: 'ReopenCouncil';
  readonly reason: string;
};

export type CouncilCommand =
  | ScheduleCouncil
  | WriteStudentSynthesis
  | AwardMention
  | WriteClassAppreciation
  | HoldCouncil
  | ReopenCouncil;

const keysOf = ({ classId, periodId }: CouncilKeys): CouncilKeys => ({ classId, periodId });

/** The council's decisions are the principal's (DESIGN.md, roles); the others read them. */
const checkCouncilWriter = ({ actor }: OnCouncil): void => {
  if (actor.role !== 'principal')
    throw forbidden('COUNCIL.ROLE_FORBIDDEN', `a ${actor.role} does not record the class council`, {
      role: actor.role,
    });
};

const refuseHeld = (command: OnCouncil, state: Council): void => {
  if (state.status === 'held')
    throw conflict(
      'COUNCIL.HELD',
      `the council of ${command.classId} for ${command.periodId} was held: reopen it, with a reason, to change it`,
      { classId: command.classId, periodId: command.periodId },
    );
};

const checkStudentOfCouncil = (
  command: OnCouncil & { readonly studentId: string },
  students: ReadonlySet<string>,
) => {
  if (!students.has(command.studentId))
    throw conflict(
      'COUNCIL.STUDENT_NOT_IN_COUNCIL',
      `${command.studentId} was not in ${command.classId} on the last day of ${command.periodId}`,
      {
        field: 'studentId',
        studentId: command.studentId,
        classId: command.classId,
        periodId: command.periodId,
      },
    );
};

/** A synthesis or appreciation: trimmed, at most 1000 characters, line breaks allowed. */
const checkCouncilText = (value: unknown, field: string): string => {
  if (typeof value !== 'string')
    throw invalid('COUNCIL.TEXT_INVALID', `${field} must be a text (empty to withdraw it)`, { field });
  const text = value.trim();
  if (text.length > COUNCIL_TEXT_MAX_LENGTH)
    throw invalid(
      'COUNCIL.TEXT_TOO_LONG',
      `${field} is at most ${COUNCIL_TEXT_MAX_LENGTH} characters, got ${text.length}`,
      { field, maxLength: COUNCIL_TEXT_MAX_LENGTH, length: text.length },
    );
  const unsafe = unsafeCharacterIn(text, { multiline: true });
  if (unsafe !== undefined)
    throw invalid('COUNCIL.TEXT_INVALID', `${field} ${describeUnsafeCharacter(unsafe)}`, { field });
  return text;
};

const checkDate = (value: unknown, field: string): IsoDate => {
  if (!isIsoDate(value))
    throw invalid('COUNCIL.DATE_INVALID', `${field} must be YYYY-MM-DD, got ${String(value)}`, { field });
  return value;
};

/** A council meets at the earliest three weeks before the period's last day. */
const checkNotTooEarly = (command: OnCouncil, date: IsoDate, period: CouncilPeriod, field: string): void => {
  const earliest = addDays(period.end, -COUNCIL_EARLIEST_DAYS_BEFORE_PERIOD_END);
  if (date < earliest)
    throw conflict(
      'COUNCIL.TOO_EARLY',
      `the council of ${command.periodId} meets from ${earliest} (${COUNCIL_EARLIEST_DAYS_BEFORE_PERIOD_END} days before the period ends on ${period.end}), not ${date}`,
      { field, date, earliest, periodEnd: period.end },
    );
};

export const scheduleCouncil = (command: ScheduleCouncil, state: Council): CouncilEvent[] => {
  checkCouncilWriter(command);
  refuseHeld(command, state);
  const date = checkDate(command.date, 'date');
  checkNotTooEarly(command, date, command.context.period, 'date');
  if (state.scheduledOn === date) return [];
  return [{ type: 'CouncilScheduled', data: { ...keysOf(command), date, scheduledBy: command.actor } }];
};

/**
 * A student who left the class before the period's last day is not the council's: their synthesis
 * and mention are refused, but one written before they left may still be withdrawn.
 */
export const writeStudentSynthesis = (command: WriteStudentSynthesis, state: Council): CouncilEvent[] => {
  checkCouncilWriter(command);
  refuseHeld(command, state);
  const text = checkCouncilText(command.text, 'text');
  const previous = state.syntheses.get(command.studentId) ?? null;
  if ((previous ?? '') === text) return [];
  if (text !== '') checkStudentOfCouncil(command, command.context.students);
  return [
    {
      type: 'StudentSynthesisWritten',
      data: { ...keysOf(command), studentId: command.studentId, text, previous, writtenBy: command.actor },
    },
  ];
};

export const awardMention = (command: AwardMention, state: Council): CouncilEvent[] => {
  checkCouncilWriter(command);
  refuseHeld(command, state);
  const { mention } = command;
  if (mention !== null && typeof mention !== 'string')
    throw invalid('COUNCIL.MENTION_INVALID', 'mention must be a text (or null to withdraw it)', {
      field: 'mention',
    });
  const previous = state.mentions.get(command.studentId) ?? null;
  if (previous === mention) return [];
  if (mention !== null) {
    checkStudentOfCouncil(command, command.context.students);
    const mentions = command.context.councilMentions;
    if (!mentions.includes(mention))
      throw conflict(
        'COUNCIL.MENTION_NOT_IN_LIST',
        `"${mention}" is not one of the school's council mentions: ${mentions.join(', ')}`,
        { field: 'mention', mention, mentions: [...mentions] },
      );
  }
  return [
    {
      type: 'MentionAwarded',
      data: { ...keysOf(command), studentId: command.studentId, mention, previous, awardedBy: command.actor },
    },
  ];
};

export const writeClassAppreciation = (command: WriteClassAppreciation, state: Council): CouncilEvent[] => {
  checkCouncilWriter(command);
  refuseHeld(command, state);
  const text = checkCouncilText(command.text, 'text');
  const previous = state.classAppreciation;
  if ((previous ?? '') === text) return [];
  return [
    {
      type: 'ClassAppreciationWritten',
      data: { ...keysOf(command), text, previous, writtenBy: command.actor },
    },
  ];
};

/** JSON with its object keys sorted: two snapshots the handler built alike compare equal. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );

const sameHold = (
  hold: CouncilHold,
  heldOn: IsoDate,
  students: readonly string[],
  snapshot: CouncilSnapshot,
) =>
  hold.heldOn === heldOn &&
  hold.students.length === students.length &&
  hold.students.every((s, i) => s === students[i]) &&
  canonicalJson(hold.snapshot) === canonicalJson(snapshot);

/**
 * Holding closes the period. The council met on the given day or the scheduled one: not in the
 * future, and not more than three weeks before the period ends. Holding again what is held changes
 * nothing when it is the same hold, and is refused otherwise (reopen first).
 */
export const holdCouncil = (command: HoldCouncil, state: Council): CouncilEvent[] => {
  checkCouncilWriter(command);
  const given = command.heldOn ?? state.scheduledOn;
  if (given === null)
    throw conflict(
      'COUNCIL.DATE_REQUIRED',
      `the council of ${command.classId} for ${command.periodId} has no date: give the day it met`,
      { field: 'heldOn' },
    );
  const heldOn = checkDate(given, 'heldOn');
  const { snapshot, context } = command;
  if (snapshot === null || typeof snapshot !== 'object' || Array.isArray(snapshot))
    throw invalid('COUNCIL.SNAPSHOT_INVALID', 'snapshot must be an object: the figures the council saw', {
      field: 'snapshot',
    });
  const students = [...context.students].sort();
  if (
    state.status === 'held' &&
    state.lastHold !== null &&
    sameHold(state.lastHold, heldOn, students, snapshot)
  )
    return [];
  refuseHeld(command, state);
  if (heldOn > context.today)
    throw conflict(
      'COUNCIL.DATE_IN_FUTURE',
      `a council is held once it has met: ${heldOn} is after today (${context.today})`,
      {
        field: 'heldOn',
        heldOn,
        today: context.today,
      },
    );
  checkNotTooEarly(command, heldOn, context.period, 'heldOn');
  return [
    {
      type: 'CouncilHeld',
      data: { ...keysOf(command), heldOn, heldBy: command.actor, students, snapshot },
    },
  ];
};

/** Reopening is itself a fact with a reason; sending the same reopening again changes nothing. */
export const reopenCouncil = (command: ReopenCouncil, state: Council): CouncilEvent[] => {
  checkCouncilWriter(command);
  const reason = checkReason(command.reason, 'reopening a held council');
  if (state.status === 'reopened' && state.reopenReason === reason) return [];
  if (state.status !== 'held')
    throw conflict(
      'COUNCIL.NOT_HELD',
      `the council of ${command.classId} for ${command.periodId} is not held: there is nothing to reopen`,
      { classId: command.classId, periodId: command.periodId, status: state.status },
    );
  return [{ type: 'CouncilReopened', data: { ...keysOf(command), reason, reopenedBy: command.actor } }];
};

export const decideCouncil = (command: CouncilCommand, state: Council): CouncilEvent[] => {
  switch (command.type) {
    case 'ScheduleCouncil':
      return scheduleCouncil(command, state);
    case 'WriteStudentSynthesis':
      return writeStudentSynthesis(command, state);
    case 'AwardMention':
      return awardMention(command, state);
    case 'WriteClassAppreciation':
      return writeClassAppreciation(command, state);
    case 'HoldCouncil':
      return holdCouncil(command, state);
    case 'ReopenCouncil':
      return reopenCouncil(command, state);
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const councilDecider: Decider<CouncilCommand, Council, CouncilEvent> = {
  initialState: initialCouncil,
  evolve: evolveCouncil,
  decide: decideCouncil,
};
