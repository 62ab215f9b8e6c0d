import { Database } from 'better-sqlite3';
import { RollCallEvent } from '../../src/domain/attendance';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import {
  auditTrailProjection,
  ProjectionApplyError,
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
    const runner = runnerOf({ projections: [fragile, streamStatsProjection], batchSize: 3 });

    const failure = await runner.catchUp().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProjectionApplyError);
    expect(failure).toMatchObject({ projection: 'recording', checkpoint: 3n });
    expect(rowsOf(db, runner.tables('recording')).events.map((row) => row[0])).toEqual(['1', '2', '3']);
    expect(checkpointsOf(db, 'recording')[0].checkpoint).toBe(3);
    // One failing projection holds back no other.
    expect(checkpointsOf(db, 'stream-stats')[0].checkpoint).toBe(6);
    const [recording] = await runner.status();
    expect(recording.lastError).toMatch(/refusing Poison at 5/);

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
      expect.objectContaining({ name: 'audit-trail', version: 1, liveVersion: null, status: 'building' }),
    ]);
    expect(before[0]).toMatchObject({ checkpoint: '0', head: '7', lag: 7, build: { version: 1, lag: 7 } });

    await runner.catchUp();
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);

    const after = await runner.status();
    expect(after[0]).toEqual({
      name: 'stream-stats',
      version: 1,
      liveVersion: 1,
      checkpoint: '7',
      head: '9',
      lag: 2,
      status: 'live',
    });
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
});
