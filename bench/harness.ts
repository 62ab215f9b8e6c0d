import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One figure of a bench run. `better` says which way is good, for the comparison with the last run. */
export interface Figure {
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
  readonly target?: { readonly op: '>=' | '<='; readonly value: number };
}

export interface Scenario {
  readonly name: string;
  /** One run: measure the baseline and the subject in the same run, return every figure. */
  run(workdir: string): Promise<Figure[]>;
  /** Settings worth writing next to the figures (sizes, modes). */
  readonly settings: Record<string, unknown>;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

export const seconds = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e9;

export const now = (): bigint => process.hrtime.bigint();

export const withTempDir = async <T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> => {
  const dir = mkdtempSync(join(process.env.REGISTRE_BENCH_DIR ?? tmpdir(), `registre-bench-${prefix}-`));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect) collect();
};
