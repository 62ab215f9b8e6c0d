import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Decider } from '../src/domain/shared/decider';
import { DomainEvent } from '../src/domain/shared/event';
import { EventToAppend } from '../src/event-store/event-store';
import { handleCommand } from '../src/event-store/handle-command';
import { SqliteEventStore } from '../src/event-store/sqlite';
import { applyPragmas } from '../src/event-store/sqlite/schema';
import { ProjectionRunner, streamCategory, streamStatsProjection } from '../src/projections';
import { benchEvent, benchStream } from './events';
import { Figure, Scenario, gc, now, seconds } from './harness';

const BATCH = 10_000;
const REBUILD_BATCH = Number(process.env.REGISTRE_BENCH_REBUILD_BATCH ?? 2_000);

/** The same rows our store writes, inserted by hand: the floor our append path is compared with. */
const rawInserter = (db: BetterSqlite3.Database) => {
  const insertStream = db.prepare('INSERT INTO streams (stream_id, revision) VALUES (?, ?)');
  const insertEvent = db.prepare(
    'INSERT INTO events (stream_num, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  return (streamId: string, events: readonly EventToAppend[]) => {
    const streamNum = insertStream.run(streamId, events.length - 1).lastInsertRowid;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      insertEvent.run(streamNum, i, randomUUID(), e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
    }
  };
};

const openRaw = (path: string, synchronous: 'full' | 'normal') => {
  // Let the store lay out the schema, then write to it without the store.
  SqliteEventStore.open({ path }).close();
  const db = new BetterSqlite3(path);
  applyPragmas(db, synchronous, 5000);
  return db;
};

export const batchedAppend = (calls: number): Scenario => ({
  name: 'batched-append',
  settings: { eventsPerCall: BATCH, calls, synchronous: 'full' },
  async run(dir) {
    const events = Array.from({ length: BATCH }, (_, i) => benchEvent(i));

    const raw = openRaw(join(dir, 'raw.db'), 'full');
    const insert = rawInserter(raw);
    const writeRaw = raw.transaction((streamId: string) => insert(streamId, events));
    const store = SqliteEventStore.open({ path: join(dir, 'store.db'), synchronous: 'full' });
    // Interleaved call by call, so that the other load on a shared machine falls on both sides alike.
    let rawSeconds = 0;
    let storeSeconds = 0;
    for (let c = 0; c < calls; c++) {
      gc();
      let t = now();
      writeRaw(benchStream(c));
      rawSeconds += seconds(t);
      gc();
      t = now();
      await store.appendToStream(benchStream(c), events, {
        expectedRevision: 'no_stream',
        commandId: randomUUID(),
      });
      storeSeconds += seconds(t);
    }
    raw.close();
    await store.close();

    const total = calls * BATCH;
    return [
      ratio(
        'batched_append_ratio',
        'batched append (10,000 events/call) vs raw better-sqlite3',
        rawSeconds / storeSeconds,
        0.8,
      ),
      rate('batched_append_events_per_s', 'batched append', total / storeSeconds),
      rate('batched_append_raw_events_per_s', 'raw better-sqlite3 same rows', total / rawSeconds),
    ];
  },
});

type Noted = DomainEvent<'Noted', { n: number }>;
const noteOnce: Decider<{ n: number }, boolean, Noted> = {
  initialState: () => false,
  evolve: () => true,
  decide: (command, noted) => (noted ? [] : [{ type: 'Noted', data: { n: command.n } }]),
};

export const groupCommit = (commands: number, callers: number, rawTransactions: number): Scenario => ({
  name: 'group-commit',
  settings: {
    commands,
    callers,
    rawTransactions,
    synchronous: 'full',
    path: 'handleCommand (findCommand, read, decide, append)',
  },
  async run(dir) {
    const raw = openRaw(join(dir, 'raw.db'), 'full');
    const insert = rawInserter(raw);
    const event = benchEvent(1);
    const store = SqliteEventStore.open({ path: join(dir, 'store.db'), synchronous: 'full' });
    const commitsBefore = store.stats.commits;
    // Ten rounds, each a slice of the baseline then a slice of ours: the disk is shared, and its
    // fsync rate drifts with the other load; interleaving makes both sides see the same drift.
    const ROUNDS = 10;
    const perCaller = Math.max(1, Math.round(commands / callers / ROUNDS));
    const rawPerRound = Math.max(1, Math.round(rawTransactions / ROUNDS));
    let rawSeconds = 0;
    let storeSeconds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      gc();
      let t = now();
      for (let i = 0; i < rawPerRound; i++) raw.transaction(() => insert(`raw-${round}-${i}`, [event]))();
      rawSeconds += seconds(t);
      gc();
      t = now();
      await Promise.all(
        Array.from({ length: callers }, async (_, caller) => {
          for (let i = 0; i < perCaller; i++) {
            await handleCommand(
              store,
              `bench-${round}-${caller}-${i}`,
              noteOnce,
              { n: i },
              {
                commandId: randomUUID(),
                actor: { id: 'bench', role: 'cpe' },
                schoolId: '0670001A',
                now: new Date(),
              },
            );
          }
        }),
      );
      storeSeconds += seconds(t);
    }
    const commits = store.stats.commits - commitsBefore;
    raw.close();
    await store.close();

    const done = perCaller * callers * ROUNDS;
    const storeRate = done / storeSeconds;
    const rawRate = (rawPerRound * ROUNDS) / rawSeconds;
    return [
      ratio(
        'group_commit_ratio',
        `durable commands, ${callers} concurrent callers, vs raw one transaction per event (FULL)`,
        storeRate / rawRate,
        3,
      ),
      rate('group_commit_commands_per_s', 'durable single-event commands (group commit)', storeRate),
      rate('group_commit_raw_tx_per_s', 'raw one transaction per event, synchronous=FULL', rawRate),
      {
        key: 'group_commit_commands_per_commit',
        label: 'commands per fsync (group size)',
        value: done / commits,
        unit: 'commands',
        better: 'higher',
      },
    ];
  },
});

export const rebuild = (events: number): Scenario => ({
  name: 'projection-rebuild',
  settings: { events, projection: 'stream-stats', batchSize: REBUILD_BATCH },
  async run(dir) {
    const path = join(dir, 'log.db');
    const store = SqliteEventStore.open({ path, synchronous: 'normal' });
    const sample = Array.from({ length: BATCH }, (_, i) => benchEvent(i));
    for (let c = 0; c < events / BATCH; c++) await store.appendToStream(benchStream(c), sample);

    // Baseline: the same events already in memory as JSON text, parsed and folded.
    const reader = new BetterSqlite3(path, { readonly: true });
    const rows = reader
      .prepare(
        'SELECT s.stream_id, e.type, e.data, e.metadata FROM events e JOIN streams s USING (stream_num) ORDER BY e.position',
      )
      .raw()
      .all() as [string, string, string, string][];
    reader.close();
    gc();
    let t = now();
    const fold = new Map<string, number>();
    for (const [streamId, type, data, metadata] of rows) {
      JSON.parse(data);
      JSON.parse(metadata);
      const key = `${streamCategory(streamId)}\u0000${type}`;
      fold.set(key, (fold.get(key) ?? 0) + 1);
    }
    const rawSeconds = seconds(t);
    rows.length = 0;

    const readModels = new BetterSqlite3(join(dir, 'read-models.db'));
    readModels.pragma('journal_mode = WAL');
    readModels.pragma('synchronous = NORMAL');
    const runner = new ProjectionRunner({
      store,
      db: readModels,
      projections: [streamStatsProjection],
      batchSize: 10_000,
    });
    gc();
    t = now();
    await runner.catchUp();
    const rebuildSeconds = seconds(t);
    const [status] = await runner.status();
    if (status.lag !== 0) throw new Error(`rebuild did not reach the head: ${JSON.stringify(status)}`);
    readModels.close();
    const bytes = fileBytes(path);
    await store.close();

    return [
      ratio(
        'rebuild_ratio',
        `projection rebuild of ${events.toLocaleString('en')} events vs JSON.parse + fold in memory`,
        rawSeconds / rebuildSeconds,
        0.5,
      ),
      rate('rebuild_events_per_s', 'projection rebuild', events / rebuildSeconds),
      rate('rebuild_raw_events_per_s', 'JSON.parse + fold in memory', events / rawSeconds),
      {
        key: 'bytes_per_event',
        label: 'database bytes per event (events + indexes)',
        value: bytes / events,
        unit: 'B',
        better: 'lower',
      },
    ];
  },
});

const fileBytes = (path: string): number => {
  const db = new BetterSqlite3(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(path).size;
};

export const ratio = (key: string, label: string, value: number, target: number): Figure => ({
  key,
  label,
  value,
  unit: 'x',
  better: 'higher',
  target: { op: '>=', value: target },
});

export const rate = (key: string, label: string, value: number): Figure => ({
  key,
  label,
  value,
  unit: '/s',
  better: 'higher',
});
