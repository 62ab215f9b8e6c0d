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
import { ProjectionRunner } from '../src/projections';
import { attendanceProjection } from '../src/projections/attendance';
import { Projection } from '../src/projections/projection';
import { REGISTRE_PROJECTIONS } from '../src/projections/registre-projections';
import { RollCallTakenData } from '../src/domain/attendance';
import { SCHOOL } from '../src/demo/attendance-year';
import { openReadModelDb } from '../src/event-store/create-store';
import { buildLogOfSchoolYear, copyTemplate, schoolYearOf } from './attendance-setup';
import { benchEvent, benchStream } from './events';
import { Figure, Scenario, gc, now, seconds } from './harness';

const BATCH = 10_000;

/**
 * The same rows our store writes, inserted by hand: the floor our append path is compared with.
 * Each event has its row in the hash chain too (32 bytes, as the store writes it); computing the
 * link is left to the store, which is what it costs over the floor.
 */
const rawInserter = (db: BetterSqlite3.Database) => {
  const insertStream = db.prepare('INSERT INTO streams (stream_id, revision) VALUES (?, ?)');
  const insertEvent = db.prepare(
    'INSERT INTO events (stream_num, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertLink = db.prepare('INSERT INTO event_chain (position, hash) VALUES (?, ?)');
  const link = Buffer.alloc(32, 0xab);
  return (streamId: string, events: readonly EventToAppend[]) => {
    const streamNum = insertStream.run(streamId, events.length - 1).lastInsertRowid;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const { lastInsertRowid } = insertEvent.run(
        streamNum,
        i,
        randomUUID(),
        e.type,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
      );
      insertLink.run(lastInsertRowid, link);
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

const REBUILD_BATCH = process.env.REGISTRE_BENCH_REBUILD_BATCH
  ? Number(process.env.REGISTRE_BENCH_REBUILD_BATCH)
  : undefined;
/** Roll calls per transaction of the raw baseline. */
const RAW_ROLL_CALLS_PER_TX = 1_000;

/**
 * The floor for an attendance read model: one row per student and lesson of every roll call taken,
 * written by hand into a table keyed as a lesson's row would be, 1,000 roll calls per transaction.
 */
const writeRawLessonRows = (path: string, rollCalls: readonly RollCallTakenData[]): number => {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE lessons (
    school_id TEXT NOT NULL, student_id TEXT NOT NULL, date TEXT NOT NULL, slot TEXT NOT NULL,
    class_id TEXT NOT NULL, status TEXT NOT NULL, minutes INTEGER,
    PRIMARY KEY (school_id, student_id, date, slot)) STRICT, WITHOUT ROWID`);
  const insert = db.prepare('INSERT INTO lessons VALUES (?, ?, ?, ?, ?, ?, ?)');
  const write = db.transaction((chunk: readonly RollCallTakenData[]) => {
    for (const rc of chunk) {
      const absent = new Set(rc.absent);
      const late = new Map(rc.late.map((l) => [l.studentId, l.minutes]));
      for (const studentId of rc.register) {
        const minutes = late.get(studentId);
        const status = absent.has(studentId) ? 'absent' : minutes !== undefined ? 'late' : 'present';
        insert.run(SCHOOL, studentId, rc.date, rc.slot.code, rc.classOrGroupId, status, minutes ?? null);
      }
    }
  });
  gc();
  const t = now();
  for (let at = 0; at < rollCalls.length; at += RAW_ROLL_CALLS_PER_TX)
    write(rollCalls.slice(at, at + RAW_ROLL_CALLS_PER_TX));
  const elapsed = seconds(t);
  db.close();
  return elapsed;
};

/** Rebuilds `projections` from position 0 into a fresh read-model file, as the service opens it. */
export const rebuildFromZero = async (
  store: SqliteEventStore,
  readModelsPath: string,
  projections: readonly Projection[],
): Promise<number> => {
  const db = openReadModelDb({ readModelsPath });
  const runner = new ProjectionRunner({
    store,
    db,
    projections,
    ...(REBUILD_BATCH !== undefined && { batchSize: REBUILD_BATCH }),
  });
  gc();
  const t = now();
  await runner.catchUp();
  const elapsed = seconds(t);
  const behind = (await runner.status()).filter((s) => s.lag !== 0);
  await runner.stop();
  db.close();
  if (behind.length > 0) throw new Error(`rebuild did not reach the head: ${JSON.stringify(behind)}`);
  return elapsed;
};

/**
 * Every projection of the service, then the attendance projection alone, rebuilt from position 0 over a
 * generated school year (roll calls of every lesson, amendments and voids, reports, justifications,
 * moves, the school's structure) in a real store; the baseline writes one row per student and lesson
 * of the same roll calls by hand.
 */
export const readSideRebuild = (students: number): Scenario => ({
  name: 'read-side-rebuild',
  settings: {
    students,
    classSize: 28,
    projections: REGISTRE_PROJECTIONS.map((p) => p.name),
    batchSize: REBUILD_BATCH ?? 'service default',
    rawRollCallsPerTransaction: RAW_ROLL_CALLS_PER_TX,
  },
  async run(dir) {
    const year = schoolYearOf(students);
    const path = join(dir, 'log.db');
    await copyTemplate(`school-year-log-${students}`, (p) => buildLogOfSchoolYear(p, year), path);
    const rollCalls = year.events.flatMap(({ event }) =>
      event.type === 'RollCallTaken' ? [event.data as RollCallTakenData] : [],
    );
    const events = year.events.length;

    const rawSeconds = writeRawLessonRows(join(dir, 'raw.db'), rollCalls);
    const store = SqliteEventStore.open({ path, synchronous: 'normal' });
    const allSeconds = await rebuildFromZero(store, join(dir, 'all.db'), REGISTRE_PROJECTIONS);
    const attendanceSeconds = await rebuildFromZero(store, join(dir, 'attendance.db'), [
      attendanceProjection,
    ]);
    await store.close();
    const bytes = fileBytes(path);

    return [
      ratio(
        'read_side_rebuild_ratio',
        `rebuild of every projection (${events.toLocaleString('en')} events, ${students.toLocaleString('en')} students) vs raw one row per student and lesson`,
        rawSeconds / allSeconds,
        0.6,
      ),
      rate('read_side_rebuild_events_per_s', 'rebuild of every projection', events / allSeconds),
      {
        ...rate(
          'attendance_rebuild_rollcalls_per_s',
          'attendance projection alone, roll calls of 28',
          rollCalls.length / attendanceSeconds,
        ),
        target: { op: '>=', value: 5_000 },
      },
      {
        key: 'attendance_rebuild_ratio',
        label: 'attendance projection alone vs raw one row per student and lesson',
        value: rawSeconds / attendanceSeconds,
        unit: 'x',
        better: 'higher',
      },
      rate(
        'read_side_rebuild_raw_rollcalls_per_s',
        'raw better-sqlite3, one row per student and lesson, 1,000 roll calls per transaction',
        rollCalls.length / rawSeconds,
      ),
      {
        key: 'bytes_per_event',
        label: 'database bytes per event of the school year (events + indexes)',
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
