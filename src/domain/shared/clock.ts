import { IsoDate, parisWallClock } from './calendar';

/**
 * Where the service reads the time: commands' `recordedAt`, "today" for default dates and
 * days-ahead rules, token lifetimes. The system clock lives in src/system-clock.ts; tests
 * and tools pass a fixed one.
 */
export interface Clock {
  now(): Date;
}

/** A clock stopped at one instant (an ISO string with its offset, or a Date). */
export const fixedClock = (at: string | Date): Clock => {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an instant: ${String(at)}`);
  return { now: () => new Date(instant) };
};

/** The Europe/Paris date at the clock's instant (or at a given instant): the business "today". */
export const todayInParis = (at: Clock | Date): IsoDate =>
  parisWallClock(at instanceof Date ? at : at.now()).date;
