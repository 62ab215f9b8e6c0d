import { randomInt } from 'node:crypto';
import { seededRandom } from '../../src/demo/seeded-random';

/** The variable that replays a test's randomness (the randomness fast-check does not draw). */
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
