import type { Steps } from '../domain/shared/steps';

/** Students (or steps) handled between two turns of the event loop: about 10 to 30 ms of work. */
export const STEPS_BETWEEN_YIELDS = 200;

/** Lets the event loop answer what is waiting (other requests, timers) before going on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the steps, letting the event loop turn every `every` steps: a 10,000-student plan no longer
 * holds the thread serving HTTP in one piece. The result is the one runSteps gives.
 */
export const runStepsYielding = async <T>(steps: Steps<T>, every = STEPS_BETWEEN_YIELDS): Promise<T> => {
  for (let done = 1; ; done++) {
    const next = steps.next();
    if (next.done) return next.value;
    if (done % every === 0) await yieldToEventLoop();
  }
};
