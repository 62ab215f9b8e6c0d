import { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { RollCallEvent } from '../../src/domain/attendance';
import { EventStore, ReadAllOptions } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import {
  auditTrailProjection,
  ProjectionApplyError,
  Projection,
  ProjectionRunner,
  readAuditTrail,
  readStreamStats,
  Recorded,
  streamStatsProjection,
} from '../../src/projections';
import {
  anEvent,
  appendEach,
  appendRollCallsAmongOtherEvents,
  checkpointsOf,
  openReadModels,
  openStore,
  recordingProjection,
  rollCallWatcher,
  rowsOf,
  TempFiles,
  tempFiles,
} from './support';

/** Every message a runner logs, by level. */
const recordingLogger = () => {
  const logged: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    void logged.push({ level, message, fields });
  return { logged, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
};

/** Resolves once `reached()` holds, polling every few milliseconds; rejects after a second. */
const eventually = async (reached: () => boolean): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    if (reached()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('never reached');
};

/** The store as the runner sees it, with `afterRead` run on each batch read before the runner gets it. */
const observedStore = (
  store: SqliteEventStore,
  afterRead: (batch: readonly unknown[], options: ReadAllOptions) => Promise<void>,
): EventStore =>
  ({
    readAll: async (options: ReadAllOptions) => {
      const batch = await store.readAll(options);
      await afterRead(batch, options);
      return batch;
    },
    headPosition: () => store.headPosition(),
    onAppended: (listener: (head: bigint) => void) => store.onAppended(listener),
  }) as unknown as EventStore;

describe('ProjectionRunner', () => {
  let files: TempFiles;
  let store: SqliteEventStore;
  let db: Database;
  const runners: ProjectionRunner[] = [];
  const runnerOf = (options: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}) => {
    const runner = new ProjectionRunner({
      store,
      db,
      projections: [streamStatsProjection, auditTrailProjection],
      ...options,
    });
    runners.push(runner);
    return runner;
  };

  beforeEach(() => {
    files = tempFiles();
    store = openStore(files.eventsPath);
    db = openReadModels(files.readModelsPath);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await store.close();
    db.close();
    files.remove();
  });

  it("counts the changes to a projection's tables, not the events it skips", async () => {
    const runner = runnerOf({ projections: [recordingProjection({ handles: ['StudentRegistered'] })] });
    await runner.catchUp();
    const before = runner.changesOf('recording');

    await appendEach(store, 'rollcall-0670001A-5B-2026-09-01-M1', 'RollCallTaken', 2);
    await runner.catchUp();
    expect(runner.changesOf('recording')).toBe(before);

    await appendEach(store, 'student-0670001A-s1', 'StudentRegistered', 1);
    await runner.catchUp();
    const afterRegistration = runner.changesOf('recording');
    expect(afterRegistration).toBeGreaterThan(before);

    await runner.rebuild('recording');
    expect(runner.changesOf('recording')).toBeGreaterThan(afterRegistration);
  });

  it('catches up with the log and keeps the checkpoint with the rows', async () => {
    await appendEach(store, 'rollcall-0670001A-5B-2026-09-01-M1', 'RollCallTaken', 3);
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 2);
    await store.appendToStream('rollcall-0670001A-5B-2026-09-01-M1', [
      anEvent('RollCallAmended', { reason: 'typo' }),
    ]);
    const runner = runnerOf({ batchSize: 4 });

    await runner.catchUp();

    const stats = readStreamStats(db, runner.tables('stream-stats'));
    expect(stats).toEqual([
      { category: 'attendance', type: 'AbsenceReported', count: 2, lastPosition: 5n },
      { category: 'rollcall', type: 'RollCallAmended', count: 1, lastPosition: 6n },
      { category: 'rollcall', type: 'RollCallTaken', count: 3, lastPosition: 3n },
    ]);
    const trail = readAuditTrail(db, runner.tables('audit-trail'), { schoolId: '0670001A' });
    expect(trail.map((entry) => entry.position)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(trail[5]).toMatchObject({
      type: 'RollCallAmended',
      actorId: 'cpe-1',
      actorRole: 'cpe',
      reason: 'typo',
    });
    expect(checkpointsOf(db, 'stream-stats')).toEqual([
      { version: 1, generation: 0, status: 'live', checkpoint: 6 },
    ]);
  });

  it('reads batches without metadata only when every projection read for reads the metadata of few events', async () => {
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 3);
    const asked: (string | undefined)[] = [];
    const seen: string[] = [];
    const reads = observedStore(store, async (_batch, options) => void asked.push(options.metadata));
    const frugal: Projection = {
      ...recordingProjection({ name: 'frugal' }),
      readsMetadataOf: 'few events',
      apply(_db, _tables, events) {
        for (const event of events) seen.push(`${event.position} ${event.metadata.recordedAt}`);
      },
    };

    const alone = runnerOf({ store: reads, projections: [frugal] });
    await alone.catchUp();
    expect(asked).toEqual(['on-first-read']);
    expect(seen).toEqual(
      (await store.readAll()).map((event) => `${event.position} ${event.metadata.recordedAt}`),
    );
    expect(seen[0]).toMatch(/^1 2026-09-01T/);
    await alone.stop();

    asked.length = 0;
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 1);
    const together = runnerOf({ store: reads, projections: [frugal, recordingProjection({})] });
    await together.catchUp();
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((metadata) => metadata === undefined)).toBe(true);
    expect(seen).toHaveLength(4);
  });

  it('moves the checkpoint past batches in which it handles nothing', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 5);
    await appendEach(store, 'student-0670001A-s1', 'StudentRegistered', 1);
    const onlyRegistrations = recordingProjection({ handles: ['StudentRegistered'] });
    const runner = runnerOf({ projections: [onlyRegistrations], batchSize: 2 });

    await runner.catchUp();

    expect(rowsOf(db, runner.tables('recording'))).toEqual({
      events: [['6', 'student-0670001A-s1', 'StudentRegistered']],
    });
    expect(checkpointsOf(db, 'recording')[0].checkpoint).toBe(6);
  });

  it('never hands a projection an event outside `handles`, and moves its checkpoint past them', async () => {
    const head = await appendRollCallsAmongOtherEvents(store);
    const handed: Recorded<RollCallEvent>[] = [];
    const runner = runnerOf({ projections: [rollCallWatcher(handed)], batchSize: 2 });

    await runner.catchUp();

    expect(handed.map((event) => [event.position, event.type])).toEqual([
      [1n, 'RollCallTaken'],
      [5n, 'RollCallVoided'],
    ]);
    expect(checkpointsOf(db, 'roll-call-watcher')[0].checkpoint).toBe(Number(head));
  });

  it('keeps the rows and the checkpoint of the previous batch when a batch fails half-way', async () => {
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 4);
    await appendEach(store, 'attendance-0670001A-s1', 'Poison', 1);
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 1);
    const fragile = recordingProjection({ failOn: 'Poison' });
    const { logged, logger } = recordingLogger();
    const runner = runnerOf({ projections: [fragile, streamStatsProjection], batchSize: 3, logger });

    const failure = await runner.catchUp().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProjectionApplyError);
    expect(failure).toMatchObject({ projection: 'recording', checkpoint: 3n, name: 'ProjectionApplyError' });
    expect((failure as Error).cause).toEqual(new Error('refusing Poison at 5'));
    expect(logged.filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        message: (failure as Error).message,
        fields: { projection: 'recording', version: 1, err: new Error('refusing Poison at 5') },
      },
    ]);
    expect(rowsOf(db, runner.tables('recording')).events.map((row) => row[0])).toEqual(['1', '2', '3']);
    expect(checkpointsOf(db, 'recording')[0].checkpoint).toBe(3);
    // One failing projection holds back no other.
    expect(checkpointsOf(db, 'stream-stats')[0].checkpoint).toBe(6);
    const [recording] = await runner.status();
    expect(recording.lastError).toMatch(/refusing Poison at 5/);
    // A build that failed is not swapped in, even once the others are at the head.
    expect(recording).toMatchObject({ liveVersion: null, status: 'building' });

    // Retried on the next catch-up, it stops at the same place again and still never half-applies.
    await expect(runner.catchUp()).rejects.toBeInstanceOf(ProjectionApplyError);
    expect(rowsOf(db, runner.tables('recording')).events).toHaveLength(3);
  });

  it('reports its checkpoint, the head and the lag', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 7);
    const runner = runnerOf({ batchSize: 3 });

    const before = await runner.status();
    expect(before).toEqual([
      expect.objectContaining({ name: 'stream-stats', version: 1, liveVersion: null, status: 'building' }),
      expect.objectContaining({ name: 'audit-trail', version: 3, liveVersion: null, status: 'building' }),
    ]);
    expect(before[0]).toMatchObject({ checkpoint: '0', head: '7', lag: 7, build: { version: 1, lag: 7 } });

    await runner.catchUp();
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);

    const after = await runner.status();
    expect(after[0]).toStrictEqual({
      name: 'stream-stats',
      version: 1,
      liveVersion: 1,
      checkpoint: '7',
      head: '9',
      lag: 2,
      status: 'live',
    });
  });

  it('sizes its batches to take about batchTargetMs once told to: fast events fill batchSize', async () => {
    const events = Array.from({ length: 2_500 }, () => anEvent('CounterIncremented'));
    await store.appendToStream('counter-0670001A-c', events);
    const limits: number[] = [];
    const runner = runnerOf({
      store: observedStore(store, async (_batch, options) => void limits.push(options.limit ?? 0)),
      projections: [streamStatsProjection],
      batchSize: 1_000,
      batchTargetMs: 250,
    });
    await runner.catchUp();
    expect(limits).toEqual([200, 1_000, 1_000, 1_000]);
    expect(checkpointsOf(db, 'stream-stats')).toEqual([
      { version: 1, generation: 0, status: 'live', checkpoint: 2_500 },
    ]);
  });

  it('keeps slow batches small, so that its checkpoint moves several times a second', async () => {
    await store.appendToStream(
      'counter-0670001A-c',
      Array.from({ length: 400 }, () => anEvent('CounterIncremented')),
    );
    const limits: number[] = [];
    const runner = runnerOf({
      // Each event costs a millisecond: 200 of them take twice the target.
      store: observedStore(store, async (batch, options) => {
        limits.push(options.limit ?? 0);
        await new Promise((resolve) => setTimeout(resolve, batch.length));
      }),
      projections: [streamStatsProjection],
      batchSize: 5_000,
      batchTargetMs: 100,
    });
    await runner.catchUp();
    expect(limits).toEqual([200, 200, 200]);
  });

  it("reads a projection's own batchSize when it reads alone, and the runner's batch next to one without", async () => {
    await store.appendToStream(
      'counter-0670001A-c',
      Array.from({ length: 25 }, () => anEvent('CounterIncremented')),
    );
    const smallBatches = { ...recordingProjection({ name: 'small-batches' }), batchSize: 10 };
    const limitsOf = async (projections: Projection[]) => {
      const limits: number[] = [];
      const own = openReadModels(join(files.dir, `read-models-${projections.length}.db`));
      const runner = runnerOf({
        store: observedStore(store, async (_batch, options) => void limits.push(options.limit ?? 0)),
        db: own,
        projections,
        batchSize: 20,
      });
      await runner.catchUp();
      await runner.stop();
      own.close();
      return limits;
    };
    expect(await limitsOf([smallBatches])).toEqual([10, 10, 10]);
    expect(await limitsOf([smallBatches, streamStatsProjection])).toEqual([20, 20]);
  });

  it('resolves waitFor once a started runner has projected an append, and times out otherwise', async () => {
    const runner = runnerOf();
    runner.start();

    const { position } = await store.appendToStream('attendance-0670001A-s1', [anEvent('AbsenceReported')]);
    await expect(runner.waitFor('audit-trail', position, 5_000)).resolves.toBe(true);
    expect(readAuditTrail(db, runner.tables('audit-trail'), { schoolId: '0670001A' })).toHaveLength(1);

    await expect(runner.waitFor('audit-trail', position + 1n, 50)).resolves.toBe(false);
  });

  it('answers a pending waitFor false on close, its timer stopped, so that nothing outlives the runner', async () => {
    const runner = runnerOf();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const waiting = runner.waitFor('audit-trail', 1_000n, 60_000);
    expect(timers()).toBe(before + 1);
    await runner.close();
    await expect(waiting).resolves.toBe(false);
    expect(timers()).toBe(before);
  });

  it('gathers appends for wakeDelayMs before catching up, unless a query waits for a position', async () => {
    const runner = runnerOf({ wakeDelayMs: 60_000 });
    runner.start();
    await runner.waitFor('stream-stats', 0n, 1_000);

    const first = await appendEach(store, 'school-0670001A', 'PeriodDefined', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(checkpointsOf(db, 'stream-stats')[0].checkpoint).toBe(0);

    await expect(runner.waitFor('stream-stats', first, 5_000)).resolves.toBe(true);
    expect(checkpointsOf(db, 'stream-stats')[0].checkpoint).toBe(Number(first));
  });

  it('does not see appends after stop()', async () => {
    const runner = runnerOf();
    runner.start();
    const first = await appendEach(store, 'school-0670001A', 'PeriodDefined', 1);
    await runner.waitFor('stream-stats', first, 5_000);
    await runner.stop();

    await appendEach(store, 'school-0670001A', 'PeriodDefined', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(checkpointsOf(db, 'stream-stats')[0].checkpoint).toBe(Number(first));
  });

  it('catches up once more when woken during a run', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 3);
    const runner = runnerOf({ batchSize: 1 });
    const running = runner.catchUp();
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);

    await runner.catchUp();
    await running;

    expect(checkpointsOf(db, 'stream-stats')[0].checkpoint).toBe(5);
  });

  it('applies nothing twice when a second runner reads batches the first has already applied', async () => {
    await appendEach(store, 'rollcall-0670001A-5B-2026-09-01-M1', 'RollCallTaken', 5);
    const second = openReadModels(files.readModelsPath);
    try {
      const first = runnerOf({ batchSize: 2 });
      const late = new ProjectionRunner({
        store,
        db: second,
        projections: [streamStatsProjection, auditTrailProjection],
        batchSize: 3,
      });
      await first.catchUp();
      const rows = rowsOf(db, first.tables('stream-stats'));

      await late.catchUp();

      expect(rowsOf(db, first.tables('stream-stats'))).toEqual(rows);
      expect(rowsOf(db, first.tables('audit-trail')).entries).toHaveLength(5);
    } finally {
      second.close();
    }
  });

  it('refuses a projection given twice with the same version', () => {
    expect(() => runnerOf({ projections: [streamStatsProjection, streamStatsProjection] })).toThrow(
      /given twice/,
    );
  });
  it('refuses a batchSize that is not a positive integer', () => {
    for (const batchSize of [0, -1, 2.5]) {
      expect(() => runnerOf({ batchSize })).toThrow(`batchSize must be a positive integer, got ${batchSize}`);
    }
  });

  it('refuses a projection whose version is not a positive integer', () => {
    for (const version of [0, -1, 1.5]) {
      expect(() => runnerOf({ projections: [recordingProjection({ version })] })).toThrow(
        'projection recording: version must be a positive integer',
      );
    }
  });

  it('names its projections in the order given, with their live checkpoint once a first build is live', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 3);
    const runner = runnerOf();

    expect(runner.names()).toEqual(['stream-stats', 'audit-trail']);
    expect(runner.liveCheckpointOf('stream-stats')).toBeUndefined();
    await runner.catchUp();
    expect(runner.liveCheckpointOf('stream-stats')).toBe(3n);
    expect(() => runner.liveCheckpointOf('nothing')).toThrow('unknown projection nothing');
  });

  it('shows no negative lag when its read models are ahead of the log (an older log restored)', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 3);
    await runnerOf().catchUp();
    const olderFiles = tempFiles();
    const olderLog = openStore(olderFiles.eventsPath);
    try {
      await appendEach(olderLog, 'school-0670001A', 'PeriodDefined', 1);
      const [stats] = await runnerOf({ store: olderLog }).status();
      expect(stats).toMatchObject({ checkpoint: '3', head: '1', lag: 0 });
    } finally {
      await olderLog.close();
      olderFiles.remove();
    }
  });

  it('resumes after a restart from its stored live tables, without building them again', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 3);
    await runnerOf({ projections: [recordingProjection({})] }).catchUp();
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);

    const restarted = runnerOf({ projections: [recordingProjection({})] });
    expect((await restarted.status())[0]).toStrictEqual({
      name: 'recording',
      version: 1,
      liveVersion: 1,
      checkpoint: '3',
      head: '5',
      lag: 2,
      status: 'live',
    });
    await restarted.catchUp();

    expect(rowsOf(db, restarted.tables('recording')).events.map((row) => row[0])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(checkpointsOf(db, 'recording')).toEqual([
      { version: 1, generation: 0, status: 'live', checkpoint: 5 },
    ]);
  });

  it('resumes an unfinished build after a restart where it stopped, and swaps it in at the head', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 10);
    const interrupted: ProjectionRunner = runnerOf({
      batchSize: 5,
      projections: [recordingProjection({ duringApply: () => void interrupted.stop() })],
    });
    await interrupted.catchUp();
    expect(checkpointsOf(db, 'recording')).toEqual([
      { version: 1, generation: 0, status: 'building', checkpoint: 5 },
    ]);

    const restarted = runnerOf({ projections: [recordingProjection({})] });
    expect((await restarted.status())[0]).toMatchObject({ status: 'building', build: { checkpoint: '5' } });
    await restarted.catchUp();

    expect(rowsOf(db, restarted.tables('recording')).events).toHaveLength(10);
    expect(checkpointsOf(db, 'recording')).toEqual([
      { version: 1, generation: 0, status: 'live', checkpoint: 10 },
    ]);
  });

  it('swaps in, in the same catch-up, a build resumed exactly at the head next to one far behind', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 10);
    const stoppedAtHead: ProjectionRunner = runnerOf({
      batchSize: 5,
      projections: [
        recordingProjection({
          duringApply: (events) => {
            if (events[events.length - 1].position === 10n) void stoppedAtHead.stop();
          },
        }),
      ],
    });
    await stoppedAtHead.catchUp();
    expect(checkpointsOf(db, 'recording')).toEqual([
      { version: 1, generation: 0, status: 'building', checkpoint: 10 },
    ]);

    const restarted = runnerOf({ projections: [streamStatsProjection, recordingProjection({})] });
    await restarted.catchUp();

    expect(
      (await restarted.status()).map((status) => [status.name, status.status, status.checkpoint]),
    ).toEqual([
      ['stream-stats', 'live', '10'],
      ['recording', 'live', '10'],
    ]);
  });

  it('builds a projection added next to one already at the head from position 0', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 4);
    await runnerOf({ projections: [streamStatsProjection] }).catchUp();

    const runner = runnerOf({ projections: [streamStatsProjection, recordingProjection({})] });
    await runner.catchUp();

    expect(rowsOf(db, runner.tables('recording')).events.map((row) => row[0])).toEqual(['1', '2', '3', '4']);
  });

  it('keeps the live version when it got ahead of a new build during the same catch-up', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 4);
    await runnerOf({ projections: [recordingProjection({})] }).catchUp();
    let appended = false;
    const runner = runnerOf({
      store: observedStore(store, async (batch) => {
        if (appended || batch.length === 0) return;
        appended = true;
        await appendEach(store, 'school-0670001A', 'PeriodDefined', 1);
      }),
      projections: [recordingProjection({}), recordingProjection({ version: 2 })],
    });

    await runner.catchUp();
    // The build stopped at 4 while the live version read on to 5: swapping would move queries back.
    expect(runner.liveCheckpointOf('recording')).toBe(5n);
    expect((await runner.status())[0]).toMatchObject({
      liveVersion: 1,
      build: { version: 2, checkpoint: '4' },
    });

    await runner.catchUp();
    expect((await runner.status())[0]).toMatchObject({ liveVersion: 2, checkpoint: '5', status: 'live' });
  });

  it('warns when the code is older than the live version, and builds the older version again', async () => {
    await runnerOf({ projections: [recordingProjection({ version: 2 })] }).catchUp();
    const { logged, logger } = recordingLogger();

    const rolledBack = runnerOf({ projections: [recordingProjection({})], logger });

    expect(logged.filter((line) => line.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'projection code is older than its live version: building it again',
        fields: { projection: 'recording', liveVersion: 2, version: 1 },
      },
    ]);
    expect((await rolledBack.status())[0]).toMatchObject({ liveVersion: 2, build: { version: 1 } });
  });

  it('leaves where it was a table generation another process removed', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);
    const runner = runnerOf({ projections: [recordingProjection({})] });
    await runner.catchUp();
    db.prepare("DELETE FROM projections WHERE name = 'recording'").run();
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);

    await runner.catchUp();

    expect(runner.liveCheckpointOf('recording')).toBe(2n);
    expect(rowsOf(db, runner.tables('recording')).events).toHaveLength(2);
  });

  it('answers waitFor at once for a position its live tables include, without being started', async () => {
    const position = await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);
    const runner = runnerOf();
    await runner.catchUp();

    await expect(runner.waitFor('stream-stats', position, 20)).resolves.toBe(true);
  });

  it('projects nothing for waitFor until started', async () => {
    const position = await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);
    const runner = runnerOf();

    await expect(runner.waitFor('stream-stats', position, 20)).resolves.toBe(false);
    expect(checkpointsOf(db, 'stream-stats')[0].checkpoint).toBe(0);
  });

  it('projects an append by itself once started, at once or after wakeDelayMs', async () => {
    const atOnce = runnerOf({ projections: [streamStatsProjection] });
    const gathering = runnerOf({ projections: [auditTrailProjection], wakeDelayMs: 20 });
    atOnce.start();
    gathering.start();

    const position = await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);

    await eventually(() => atOnce.liveCheckpointOf('stream-stats') === position);
    await eventually(() => gathering.liveCheckpointOf('audit-trail') === position);
  });

  it('stops listening at close(), even when started twice', async () => {
    const runner = runnerOf();
    runner.start();
    runner.start();
    const first = await appendEach(store, 'school-0670001A', 'PeriodDefined', 1);
    await runner.waitFor('stream-stats', first, 5_000);
    await runner.close();

    await appendEach(store, 'school-0670001A', 'PeriodDefined', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(checkpointsOf(db, 'stream-stats')[0].checkpoint).toBe(Number(first));
  });

  it('catches up again when asked after stop()', async () => {
    const runner = runnerOf();
    runner.start();
    await runner.stop();
    const position = await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);

    await runner.catchUp();

    expect(runner.liveCheckpointOf('stream-stats')).toBe(position);
  });

  it('catches up once more, in the same run, when asked as the run reads its last batch', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);
    let joined: Promise<void> | undefined;
    const runner: ProjectionRunner = runnerOf({
      store: observedStore(store, async (batch) => {
        if (joined || batch.length === 0) return;
        await appendEach(store, 'school-0670001A', 'PeriodDefined', 1);
        joined = runner.catchUp();
      }),
    });

    const running = runner.catchUp();
    await running;

    expect(joined).toBe(running);
    expect(runner.liveCheckpointOf('stream-stats')).toBe(3n);
  });

  it('catches up once more when an append wakes a started runner as it reads its last batch', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);
    let wake = (): void => undefined;
    let woken = false;
    const runner: ProjectionRunner = runnerOf({
      store: observedStore(store, async (batch) => {
        if (woken || batch.length === 0) return;
        woken = true;
        await appendEach(store, 'school-0670001A', 'PeriodDefined', 1);
        wake();
      }),
      wakeOn: (listener) => {
        wake = listener;
        return () => undefined;
      },
    });

    runner.start();

    await eventually(() => runner.liveCheckpointOf('stream-stats') === 3n);
  });

  it('logs that a started runner stopped catching up when a projection fails', async () => {
    await appendEach(store, 'attendance-0670001A-s1', 'Poison', 1);
    const { logged, logger } = recordingLogger();
    const runner = runnerOf({ projections: [recordingProjection({ failOn: 'Poison' })], logger });

    runner.start();

    const stopped = () => logged.filter((line) => line.message.startsWith('projection catch-up stopped'));
    await eventually(() => stopped().length > 0);
    expect(stopped()).toEqual([
      {
        level: 'error',
        message: 'projection catch-up stopped; it resumes at the next append',
        fields: { err: expect.any(ProjectionApplyError) },
      },
    ]);
  });

  it('replaces, when asked to rebuild, a build still in progress', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 3);
    const runner = runnerOf({ projections: [recordingProjection({})] });

    await runner.rebuild('recording');

    // The unfinished build is dropped first, so the rebuild takes its place rather than sitting beside it.
    expect(checkpointsOf(db, 'recording')).toEqual([
      { version: 1, generation: 0, status: 'live', checkpoint: 3 },
    ]);
    expect(rowsOf(db, runner.tables('recording')).events).toHaveLength(3);
  });

  it("rejects a rebuild with its own build's failure, not with another projection's", async () => {
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 2);
    await appendEach(store, 'attendance-0670001A-s1', 'Poison', 1);
    const runner = runnerOf({
      projections: [recordingProjection({ failOn: 'Poison' }), streamStatsProjection],
    });

    await expect(runner.rebuild('stream-stats')).resolves.toBeUndefined();
    await expect(runner.rebuild('recording')).rejects.toMatchObject({
      name: 'ProjectionApplyError',
      projection: 'recording',
      checkpoint: 0n,
    });
  });
  it('builds a newer version without a warning, and an older one even without a logger', async () => {
    await runnerOf({ projections: [recordingProjection({})] }).catchUp();
    const { logged, logger } = recordingLogger();

    const upgraded = runnerOf({ projections: [recordingProjection({ version: 2 })], logger });
    await upgraded.catchUp();

    expect(logged.filter((line) => line.level === 'warn')).toEqual([]);
    const rolledBack = runnerOf({ projections: [recordingProjection({})] });
    expect((await rolledBack.status())[0]).toMatchObject({ liveVersion: 2, build: { version: 1 } });
  });
});
