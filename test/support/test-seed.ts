import fc from 'fast-check';
import { randomInt } from 'node:crypto';
import { seededRandom } from '../../src/demo/seeded-random';

/** The variable that replays a test's randomness: its own seeded draws, or a fast-check property's seed. */
export const SEED_VARIABLE = 'REGISTRE_TEST_SEED';

export interface TestSeed {
  readonly seed: number;
  /** Uniform in [0, 1), the same sequence for the same seed. */
  readonly random: () => number;
  /** Appends the seed and how to replay it to the message of anything `work` throws. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Draws a seed (or takes REGISTRE_TEST_SEED) and prints it, so a failing run can be replayed:
 * `REGISTRE_TEST_SEED=<seed> npx jest <file>`.
 */
export const testSeed = (label: string): TestSeed => {
  const given = process.env[SEED_VARIABLE];
  let seed: number;
  if (given !== undefined && given.trim() !== '') {
    seed = Number(given);
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new Error(`${SEED_VARIABLE} must be a non-negative integer, got ${JSON.stringify(given)}`);
    }
  } else {
    seed = randomInt(2 ** 31);
  }
  const replay = `${label}: seed ${seed} (replay with ${SEED_VARIABLE}=${seed})`;
  console.log(replay);
  return {
    seed,
    random: seededRandom(seed),
    run: async (work) => {
      try {
        return await work();
      } catch (error) {
        if (error instanceof Error) error.message = `${error.message}\n\n${replay}`;
        throw error;
      }
    },
  };
};

/** With REGISTRE_TEST_SEED, the path fast-check printed, to replay the shrunk counterexample at once. */
export const PATH_VARIABLE = 'REGISTRE_TEST_PATH';

/**
 * fast-check's parameters for a property: the seed of REGISTRE_TEST_SEED (and the path of
 * REGISTRE_TEST_PATH) when given, otherwise a seed fast-check draws. A failure prints the seed and the
 * path, and the command that replays it: `REGISTRE_TEST_SEED=<seed> REGISTRE_TEST_PATH=<path> npx jest <file>`.
 * fast-check's own seeds may be negative: any 32-bit integer is taken.
 */
export const propertyParameters = <Ts>(parameters: fc.Parameters<Ts>): fc.Parameters<Ts> => {
  const given = process.env[SEED_VARIABLE];
  const path = process.env[PATH_VARIABLE];
  let seed: number | undefined;
  if (given !== undefined && given.trim() !== '') {
    seed = Number(given);
    if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) {
      throw new Error(`${SEED_VARIABLE} must be a 32-bit integer, got ${JSON.stringify(given)}`);
    }
  }
  return {
    ...parameters,
    ...(seed !== undefined && { seed }),
    ...(seed !== undefined && path !== undefined && path.trim() !== '' && { path: path.trim() }),
    reporter: (details) => {
      if (!details.failed) return;
      const replay = `${SEED_VARIABLE}=${details.seed} ${PATH_VARIABLE}=${details.counterexamplePath ?? ''}`;
      throw new Error(`${fc.defaultReportMessage(details) ?? 'Property failed'}\n\nReplay with ${replay}`, {
        cause: details.errorInstance,
      });
    },
  };
};
