import { IsoDate } from '../shared/calendar';
import { ClosedSpan, closedSpanOver } from '../shared/closed-periods';
import { conflict, forbidden } from '../shared/domain-error';
import { Actor, Role } from '../shared/event';

export type { ClosedSpan };
export { closedSpanOver };

/**
 * The principal writes absences only as post-council corrections: the routes that may correct a
 * closed period let the principal through, and here a principal's change that touches no closed
 * period is refused as the route refuses any other role it does not allow (same code, 403), naming
 * the roles that do it the rest of the year.
 */
export const checkAttendanceWriter = (
  actor: Actor,
  spans: readonly ClosedSpan[] | undefined,
  dates: { readonly from: IsoDate; readonly to?: IsoDate },
  allowed: readonly Role[],
): void => {
  if (actor.role === 'principal' && closedSpanOver(spans, dates.from, dates.to) === undefined)
    throw forbidden(
      'AUTH.ROLE_FORBIDDEN',
      `role principal may not do this outside a period whose council was held (allowed: ${allowed.join(', ')})`,
      { role: actor.role, allowed: [...allowed] },
    );
};

const hasText = (value: string | undefined | null): value is string =>
  typeof value === 'string' && value.trim() !== '';

/**
 * A change to the absences of a closed period — a roll call taken, amended, reverted or voided, an
 * absence or departure reported, a fact voided, a justification accepted or rejected — is still
 * possible, but only by the principal and with a reason: the council view then lists it as a
 * post-council correction. Others are refused (403); the principal without a reason, 409.
 */
export const checkAttendancePeriodOpen = (
  actor: Actor,
  spans: readonly ClosedSpan[] | undefined,
  dates: { readonly from: IsoDate; readonly to?: IsoDate },
  reason: string | undefined,
): void => {
  const span = closedSpanOver(spans, dates.from, dates.to);
  if (span === undefined) return;
  const details = { periodId: span.periodId, closedFrom: span.from, closedTo: span.to };
  if (actor.role !== 'principal')
    throw forbidden(
      'ATTENDANCE.PERIOD_CLOSED',
      `period ${span.periodId} (${span.from} to ${span.to}) is closed: its council was held; only the principal changes its absences`,
      details,
    );
  if (!hasText(reason))
    throw conflict(
      'ATTENDANCE.REASON_REQUIRED',
      `period ${span.periodId} is closed: a change to its absences needs a reason`,
      { field: 'reason', ...details },
    );
};
