import { Clock } from '../../src/domain/shared/clock';

/**
 * The instant tests live at unless they say otherwise, so that no test depends on the machine's
 * date: Monday 7 December 2026 in Paris, a week after the November 2026 fixtures (every fact they
 * record is in the past, the school year 2026-2027 is the current one).
 */
export const TEST_NOW = '2026-12-07T09:00:00+01:00';

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  private at: number;

  constructor(at: string = TEST_NOW) {
    this.at = new Date(at).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(milliseconds: number): void {
    this.at += milliseconds;
  }

  /** Back (or on) to an instant: a test that shares the clock starts from the same one. */
  set(at: string): void {
    this.at = new Date(at).getTime();
  }
}

/** TEST_NOW in seconds since the epoch, for tokens signed by hand (`iat`, `exp`). */
export const TEST_NOW_SECONDS = new Date(TEST_NOW).getTime() / 1000;
