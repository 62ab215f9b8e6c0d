import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import type { Database } from 'better-sqlite3';
import { TableNames } from '../../src/projections/projection';
import { reads as registreReads } from '../../src/projections/read-pool';

/** Blocks the thread it runs on, as a long SQL statement would. */
export const blockFor = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

export const readItems = (
  db: Database,
  t: TableNames<'items'>,
  min: number,
): { readonly n: number; readonly label: string }[] =>
  db
    .prepare<[number], { n: number; label: string }>(
      `SELECT n, label FROM "${t.items}" WHERE n >= ? ORDER BY n`,
    )
    .all(min);

/**
 * The service's reads, plus reads that misbehave on purpose. Exported as `reads`: the pool's
 * threads load this module by that name.
 */
export const reads = {
  ...registreReads,
  readItems,
  blockThenReadItems: (db: Database, t: TableNames<'items'>, ms: number, min: number) => {
    blockFor(ms);
    return readItems(db, t, min);
  },
  crash: (_db: Database, _t: TableNames<never>): never => process.exit(3),
  /** The niceness of the thread the read runs on (Linux). */
  ownNiceness: (_db: Database, _t: TableNames<never>): number =>
    getPriority(Number(readlinkSync('/proc/thread-self').split('/').pop())),
};

export const testReads = reads;
export type TestReads = typeof reads;
