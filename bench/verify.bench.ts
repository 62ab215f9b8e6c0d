import BetterSqlite3 from 'better-sqlite3';
import { hash } from 'node:crypto';
import { join } from 'node:path';
import { canonicalText, GENESIS_HASH } from '../src/event-store/chain';
import { SqliteEventStore } from '../src/event-store/sqlite';
import { RANGE_CANONICAL, RANGE_LINKS } from '../src/event-store/sqlite/chain-check';
import { SqliteChainReader } from '../src/event-store/sqlite/chain-store';
import { buildLogOfSchoolYear, copyTemplate, schoolYearOf } from './attendance-setup';
import { Figure, Scenario, gc, now, seconds } from './harness';
import { rate, ratio } from './store.bench';

/**
 * `registre verify` on a school year's log against its floor: sha256 over the very bytes it hashes
 * (each event's canonical text, already in memory as UTF-8), one hash per event, nothing read.
 */
const ROUNDS = 5;

export const chainVerify = (students: number): Scenario => ({
  name: 'chain-verify',
  settings: {
    students,
    rounds: ROUNDS,
    log: 'school year of attendance (same template as read-side-rebuild)',
    threads: 'verify: the calling thread and one worker (from 20,000 events); sha256 floor: one thread',
  },
  async run(dir) {
    const path = join(dir, 'events.db');
    const year = schoolYearOf(students);
    await copyTemplate(`school-year-log-${students}`, (p) => buildLogOfSchoolYear(p, year), path);
    const store = SqliteEventStore.open({ path, synchronous: 'normal' });
    try {
      const texts = canonicalBytesOf(path);
      // Rounds alternate the floor and the subject, so that the other load on a shared machine falls
      // on both alike.
      let rawSeconds = 0;
      let verifySeconds = 0;
      let readSeconds = 0;
      let digest = '';
      let result = store.verifyChain();
      let read = 0;
      for (let round = 0; round < ROUNDS; round++) {
        gc();
        let t = now();
        for (const text of texts) digest = hash('sha256', text, 'hex');
        rawSeconds += seconds(t);
        gc();
        t = now();
        result = store.verifyChain();
        verifySeconds += seconds(t);
        gc();
        t = now();
        read = readEveryEvent(path);
        readSeconds += seconds(t);
      }
      const events = texts.length * ROUNDS;
      if (result.outcome !== 'intact' || result.events !== texts.length || digest.length !== 64)
        throw new Error(
          `the bench log did not verify: ${JSON.stringify(result, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
        );
      return [
        ratio(
          'chain_verify_ratio',
          `registre verify (${texts.length.toLocaleString('en')} events) vs sha256 of the same bytes in memory`,
          rawSeconds / verifySeconds,
          0.5,
        ),
        rate('chain_verify_events_per_s', 'registre verify', events / verifySeconds),
        rate('chain_verify_raw_events_per_s', 'sha256 of each event in memory', events / rawSeconds),
        rate(
          'chain_verify_read_events_per_s',
          'reading the same rows (with stream id and chain entry) as the verifier does, on one thread, without hashing them',
          (read * ROUNDS) / readSeconds,
        ),
      ] satisfies Figure[];
    } finally {
      await store.close();
    }
  },
});

/** Each event's canonical text after its predecessor's link, as UTF-8 bytes: what the verifier hashes. */
const canonicalBytesOf = (path: string): Buffer[] => {
  const db = new BetterSqlite3(path, { readonly: true });
  const reader = new SqliteChainReader(db);
  const texts: Buffer[] = [];
  let prev = GENESIS_HASH;
  for (let after = 0n; ;) {
    const events = reader.events(after, 10_000);
    for (const event of events) {
      const text = canonicalText(prev, event);
      texts.push(Buffer.from(text));
      prev = hash('sha256', text, 'hex');
      after = event.position;
    }
    if (events.length < 10_000) break;
  }
  db.close();
  return texts;
};

/** The verifier's reads alone, in its batches and through its queries: its floor on this file. */
const readEveryEvent = (path: string): number => {
  const db = new BetterSqlite3(path, { readonly: true });
  db.pragma(`mmap_size = ${1 << 30}`);
  const events = db.prepare<[number, number], [number]>(RANGE_CANONICAL).raw();
  const links = db.prepare<[number, number], unknown[]>(RANGE_LINKS).raw();
  let count = 0;
  for (let after = 0; ; after += 2_000) {
    const read = events.get(after, after + 2_000)?.[0] ?? 0;
    links.get(after, after + read);
    count += read;
    if (read < 2_000) break;
  }
  db.close();
  return count;
};
