import type { Clock } from './domain/shared/clock';

/** The machine's clock: the only place the service reads the wall-clock time. */
export const systemClock: Clock = { now: () => new Date() };
