/**
 * Work done in steps: a generator that yields between steps (say, after each student) and returns
 * its result. The domain stays pure — no timers, no I/O — and a caller serving other requests may
 * let them run between steps; run to its end at once, it gives the same result.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once. */
export const runSteps = <T>(steps: Steps<T>): T => {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
};
