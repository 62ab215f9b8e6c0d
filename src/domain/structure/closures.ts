import { conflict, invalid, notFound } from '../shared/domain-error';
import { DomainEvent, eventTypeGuard } from '../shared/event';
import { addDays, daysBetween, IsoDate, isIsoDate } from '../shared/calendar';

/**
 * Days the school is closed — holidays, bank holidays, a strike or a flood — declared on the school
 * stream. A closure is withdrawn, never erased: the auditor still sees it and why it went.
 */

export const CLOSURE_KINDS = ['holidays', 'bank-holiday', 'other'] as const;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];

/** Summer holidays run about 60 days: 120 leaves room and still catches a year typed for a month. */
export const MAX_CLOSURE_DAYS = 120;
export const MAX_CLOSURE_LABEL_LENGTH = 120;
// Ids end up in URLs (`/closures/{closureId}/withdrawal`): letters, digits, . _ -
export const CLOSURE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

export type Closure = {
  readonly closureId: string;
  /** First and last closed dates, both included. */
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly label: string;
  readonly kind: ClosureKind;
};

type WithSchool<D> = { readonly schoolId: string } & D;

export type ClosureDeclared = DomainEvent<'ClosureDeclared', WithSchool<Closure>>;
export type ClosureWithdrawn = DomainEvent<
  'ClosureWithdrawn',
  WithSchool<{ readonly closureId: string; readonly reason: string }>
>;
export type CalendarEvent = ClosureDeclared | ClosureWithdrawn;

export const CALENDAR_EVENT_TYPES = [
  'ClosureDeclared',
  'ClosureWithdrawn',
] as const satisfies readonly CalendarEvent['type'][];

export const isCalendarEvent = eventTypeGuard<CalendarEvent>(CALENDAR_EVENT_TYPES);

export type KnownClosure = Closure & { readonly withdrawal: { readonly reason: string } | null };

export type DeclareClosureData = WithSchool<{
  readonly closureId: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly label: string;
  readonly kind: ClosureKind;
}>;
export type WithdrawClosureData = WithSchool<{ readonly closureId: string; readonly reason: string }>;

export const evolveClosures = (
  closures: ReadonlyMap<string, KnownClosure>,
  event: CalendarEvent,
): ReadonlyMap<string, KnownClosure> => {
  switch (event.type) {
    case 'ClosureDeclared': {
      const { schoolId: _schoolId, ...closure } = event.data;
      return new Map(closures).set(closure.closureId, { ...closure, withdrawal: null });
    }
    case 'ClosureWithdrawn': {
      const known = closures.get(event.data.closureId);
      return known
        ? new Map(closures).set(known.closureId, { ...known, withdrawal: { reason: event.data.reason } })
        : closures;
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

const checkClosureId = (closureId: unknown): string => {
  if (typeof closureId !== 'string' || !CLOSURE_ID.test(closureId))
    throw invalid(
      'CALENDAR.CLOSURE_ID_INVALID',
      `closureId ${JSON.stringify(closureId)} must be 1 to 40 letters, digits, . _ or -, starting with a letter or digit`,
      { field: 'closureId' },
    );
  return closureId;
};

const validClosure = (data: DeclareClosureData): Closure => {
  const closureId = checkClosureId(data.closureId);
  for (const field of ['from', 'to'] as const)
    if (!isIsoDate(data[field]))
      throw invalid('CALENDAR.CLOSURE_DATE_INVALID', `${field} must be a date YYYY-MM-DD`, {
        field,
        value: data[field],
      });
  const { from, to } = data;
  if (to < from)
    throw invalid(
      'CALENDAR.CLOSURE_RANGE_INVERTED',
      `the closure ends on ${to}, before it starts on ${from}`,
      {
        field: 'to',
        from,
        to,
      },
    );
  const days = daysBetween(from, to) + 1;
  if (days > MAX_CLOSURE_DAYS)
    throw invalid(
      'CALENDAR.CLOSURE_TOO_LONG',
      `a closure covers at most ${MAX_CLOSURE_DAYS} days; ${from} to ${to} is ${days} (declare it in parts)`,
      { field: 'to', days, maxDays: MAX_CLOSURE_DAYS },
    );
  const label = typeof data.label === 'string' ? data.label.trim() : '';
  if (label.length === 0 || label.length > MAX_CLOSURE_LABEL_LENGTH)
    throw invalid(
      'CALENDAR.CLOSURE_LABEL_INVALID',
      `a closure needs a label of 1 to ${MAX_CLOSURE_LABEL_LENGTH} characters`,
      { field: 'label' },
    );
  if (!(CLOSURE_KINDS as readonly unknown[]).includes(data.kind))
    throw invalid('CALENDAR.CLOSURE_KIND_INVALID', `kind must be ${CLOSURE_KINDS.join(', ')}`, {
      field: 'kind',
    });
  return { closureId, from, to, label, kind: data.kind };
};

const sameClosure = (a: Closure, b: Closure): boolean =>
  a.from === b.from && a.to === b.to && a.label === b.label && a.kind === b.kind;

export const declareClosure = (
  data: DeclareClosureData,
  closures: ReadonlyMap<string, KnownClosure>,
): ClosureDeclared[] => {
  const closure = validClosure(data);
  const known = closures.get(closure.closureId);
  if (known?.withdrawal)
    throw conflict(
      'CALENDAR.CLOSURE_WITHDRAWN',
      `closure ${closure.closureId} was withdrawn (${known.withdrawal.reason}); declare the dates under a new id`,
      { field: 'closureId', closureId: closure.closureId },
    );
  if (known && sameClosure(known, closure)) return [];
  if (known)
    throw conflict(
      'CALENDAR.CLOSURE_ID_TAKEN',
      `closure ${closure.closureId} is already declared as ${known.label}, ${known.from} to ${known.to}; withdraw it and declare the new dates under a new id`,
      {
        field: 'closureId',
        closureId: closure.closureId,
        declared: { from: known.from, to: known.to, label: known.label, kind: known.kind },
      },
    );
  return [{ type: 'ClosureDeclared', data: { schoolId: data.schoolId, ...closure } }];
};

export const withdrawClosure = (
  data: WithdrawClosureData,
  closures: ReadonlyMap<string, KnownClosure>,
): ClosureWithdrawn[] => {
  const reason = typeof data.reason === 'string' ? data.reason.trim() : '';
  if (reason.length === 0)
    throw invalid('CALENDAR.REASON_REQUIRED', 'withdrawing a closure needs a reason', { field: 'reason' });
  const known = closures.get(data.closureId);
  if (!known)
    throw notFound('CALENDAR.CLOSURE_UNKNOWN', `no closure ${String(data.closureId)} in this school`, {
      field: 'closureId',
      closureId: data.closureId,
    });
  if (known.withdrawal)
    throw conflict(
      'CALENDAR.CLOSURE_WITHDRAWN',
      `closure ${known.closureId} was already withdrawn (${known.withdrawal.reason})`,
      { field: 'closureId', closureId: known.closureId },
    );
  return [
    { type: 'ClosureWithdrawn', data: { schoolId: data.schoolId, closureId: known.closureId, reason } },
  ];
};

/** The closed dates of some closures between two dates (both included), each with the label that closes it. */
export const closedDatesOf = (
  closures: readonly Closure[],
  from: IsoDate,
  to: IsoDate,
): ReadonlyMap<IsoDate, string> => {
  const closed = new Map<IsoDate, string>();
  const ordered = [...closures].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (const closure of ordered) {
    const last = closure.to < to ? closure.to : to;
    for (let date = closure.from > from ? closure.from : from; date <= last; date = addDays(date, 1))
      if (!closed.has(date)) closed.set(date, closure.label);
  }
  return closed;
};
