import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '../src/event-store/event-store';
import { PiiProtectingStore } from '../src/event-store/pii/pii-protecting-store';
import { SqliteEventStore } from '../src/event-store/sqlite';

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

/** A latency in milliseconds, lower is better, with its target when it has one. */
export const ms = (key: string, label: string, value: number, target?: number): Figure => ({
  key,
  label,
  value,
  unit: 'ms',
  better: 'lower',
  ...(target !== undefined ? { target: { op: '<=', value: target } } : {}),
});

/** What a load answered, for `requireAllAnswered`. */
type Answered = {
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: unknown;
};

/** A measured load counts only if every request of it answered 2xx. */
export const requireAllAnswered = (what: string, result: Answered, expected: number): void => {
  if (result.ok !== expected || result.non2xx > 0 || result.errors > 0)
    throw new Error(
      `${what}: ${result.ok} of ${expected} answered 2xx (status codes ${JSON.stringify(result.statusCodes)}, ${result.errors} errors)`,
    );
};

/**
 * With REGISTRE_BENCH_PROFILE=dir, the main thread's CPU profile of the measured part alone, written
 * to dir/<name>-<time>.cpuprofile (open it in Chrome's DevTools).
 */
export const profiled = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
  const dir = process.env.REGISTRE_BENCH_PROFILE;
  if (!dir) return body();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await body();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
};

/** The SQLite store behind the service's store (the PII seal wraps it), for its commit counts. */
export const sqliteStoreOf = (store: EventStore): SqliteEventStore | undefined => {
  if (store instanceof SqliteEventStore) return store;
  if (store instanceof PiiProtectingStore) return sqliteStoreOf(store.inner);
  return undefined;
};
