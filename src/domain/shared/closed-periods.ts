import { IsoDate } from './calendar';

/**
 * The days of a period whose class council is held (DOMAIN.md, "Class council"), as a handler reads
 * them for a class: `from` and `to` included. Grades, absences and enrolments check changes against them.
 */
export type ClosedSpan = {
  readonly periodId: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
};

/** The first closed span sharing a day with `from`..`to` (both included), if any. */
export const closedSpanOver = (
  spans: readonly ClosedSpan[] | undefined,
  from: IsoDate,
  to: IsoDate = from,
): ClosedSpan | undefined => (spans ?? []).find((span) => span.from <= to && from <= span.to);
