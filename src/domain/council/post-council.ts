import { Actor } from '../shared/event';

/**
 * After its council is held a period is closed: its grades, levels, justifications, roll calls and
 * enrolments still change, but each change is a post-council correction the council view lists with
 * the figure the council saw (`before`) and the figure now (`after`). The streams holding those facts
 * are the assessment, attendance and structure streams; this file only names what a correction is and
 * which events came after the hold.
 */

export const POST_COUNCIL_CORRECTION_KINDS = [
  'grade',
  'level',
  'justification',
  'rollCall',
  'enrolment',
] as const;
export type PostCouncilCorrectionKind = (typeof POST_COUNCIL_CORRECTION_KINDS)[number];

export type PostCouncilCorrection = {
  readonly kind: PostCouncilCorrectionKind;
  /** The stream and event of the correction, so the view links to the ledger behind it. */
  readonly streamId: string;
  readonly eventId: string;
  /** The event's position in the global log. */
  readonly position: bigint;
  readonly by: Actor;
  /** UTC instant the correction was recorded (the event's `recordedAt`). */
  readonly at: string;
  readonly reason: string;
  /** What the council saw (from the hold's snapshot), and what stands now. */
  readonly before: unknown;
  readonly after: unknown;
};

/** The least an event of the period must say to be placed against the hold. */
export type PositionedEvent = { readonly position: bigint; readonly type: string };

/**
 * The events of the period recorded after the council was held: those whose global position is
 * strictly greater than the `CouncilHeld` event's, in the order given. After a reopening and a new
 * hold, pass the position of the latest `CouncilHeld`: changes made while the council was reopened
 * were seen by the council that held it again. Which of these events are corrections, and of what
 * kind, is for the caller, who knows each area's events.
 */
export const classifyAfterHold = <E extends PositionedEvent>(
  heldAtPosition: bigint,
  events: readonly E[],
): E[] => events.filter((event) => event.position > heldAtPosition);
