import { Database } from 'better-sqlite3';
import { RollCallEvent } from '../../src/domain/attendance';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { foldAsOf } from '../../src/projections/as-of';
import { tableNamesFor } from '../../src/projections/projection';
import {
  auditTrailProjection,
  buildAsOf,
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
  openReadModels,
  openStore,
  rollCallWatcher,
  rowsOf,
  TempFiles,
  tempFiles,
} from './support';

describe('buildAsOf', () => {
  let files: TempFiles;
  let store: SqliteEventStore;
  let db: Database;

  beforeEach(() => {
    files = tempFiles();
    store = openStore(files.eventsPath);
    db = openReadModels(files.readModelsPath);
  });

  afterEach(async () => {
    await store.close();
    db.close();
    files.remove();
  });

  it('rebuilds the view as it stood when each position was the head', async () => {
    const runner = new ProjectionRunner({
      store,
      db,
      projections: [streamStatsProjection, auditTrailProjection],
    });
    const seenLive: { head: bigint; stats: unknown; trail: unknown }[] = [];
    const streams = [
      'rollcall-0670001A-5B-2026-09-01-M1',
      'attendance-0670001A-s1',
      'assessment-0670001A-a1',
    ];
    for (let step = 0; step < 6; step++) {
      await appendEach(store, streams[step % 3], step % 2 === 0 ? 'Recorded' : 'Corrected', step + 1);
      await runner.catchUp();
      seenLive.push({
        head: await store.headPosition(),
        stats: rowsOf(db, runner.tables('stream-stats')),
        trail: rowsOf(db, runner.tables('audit-trail')),
      });
    }

    for (const { head, stats, trail } of seenLive.slice(1, -1)) {
      const statsAsOf = await buildAsOf(streamStatsProjection, store, head, { batchSize: 4 });
      const trailAsOf = await buildAsOf(auditTrailProjection, store, head, { batchSize: 4 });
      expect(rowsOf(statsAsOf.db, statsAsOf.tables)).toEqual(stats);
      expect(rowsOf(trailAsOf.db, trailAsOf.tables)).toEqual(trail);
      statsAsOf.db.close();
      trailAsOf.db.close();
    }
  });

  it('answers with the same query code as the live view', async () => {
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 2);
    const { position: corrected } = await store.appendToStream('attendance-0670001A-s1', [
      anEvent('AbsenceVoided', { reason: 'wrong student', actorId: 'cpe-2', correlationId: 'campaign-1' }),
    ]);
    await appendEach(store, 'attendance-0670001A-s1', 'AbsenceReported', 3);

    const asOf = await buildAsOf(auditTrailProjection, store, corrected);
    try {
      expect(readAuditTrail(asOf.db, asOf.tables, { schoolId: '0670001A' })).toHaveLength(3);
      expect(
        readAuditTrail(asOf.db, asOf.tables, { schoolId: '0670001A', correlationId: 'campaign-1' }),
      ).toEqual([
        expect.objectContaining({
          position: corrected,
          actorId: 'cpe-2',
          reason: 'wrong student',
          type: 'AbsenceVoided',
        }),
      ]);
    } finally {
      asOf.db.close();
    }
    const stats = await buildAsOf(streamStatsProjection, store, 2n);
    expect(readStreamStats(stats.db, stats.tables)).toEqual([
      { category: 'attendance', type: 'AbsenceReported', count: 2, lastPosition: 2n },
    ]);
    stats.db.close();
  });

  it('gives empty tables before the first event', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 2);
    const asOf = await buildAsOf(streamStatsProjection, store, 0n);
    expect(rowsOf(asOf.db, asOf.tables)).toEqual({ counts: [] });
    asOf.db.close();
  });

  it('hands a projection only the events in its `handles`', async () => {
    const head = await appendRollCallsAmongOtherEvents(store);
    const handed: Recorded<RollCallEvent>[] = [];

    (await buildAsOf(rollCallWatcher(handed), store, head, { batchSize: 2 })).db.close();

    expect(handed.map((event) => event.type)).toEqual(['RollCallTaken', 'RollCallVoided']);
  });
});

describe('foldAsOf', () => {
  let files: TempFiles;
  let store: SqliteEventStore;

  beforeEach(() => {
    files = tempFiles();
    store = openStore(files.eventsPath);
  });

  afterEach(async () => {
    await store.close();
    files.remove();
  });

  it('gives the rows of a fold in one go, and gives the event loop back between slices', async () => {
    await appendEach(store, 'school-0670001A', 'PeriodDefined', 700);
    const events = await store.readAll();
    const projections = [streamStatsProjection, auditTrailProjection];
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const sliced = await foldAsOf(events, projections);
    clearInterval(ticking);
    try {
      for (const projection of projections) {
        const whole = await buildAsOf(projection, store, events[events.length - 1].position);
        expect(rowsOf(sliced, tableNamesFor(projection))).toEqual(rowsOf(whole.db, whole.tables));
        whole.db.close();
      }
      expect(rowsOf(sliced, tableNamesFor(auditTrailProjection)).entries).toHaveLength(700);
      // 700 events in slices of 250: three turns given back.
      expect(turns).toBeGreaterThan(0);
    } finally {
      sliced.close();
    }
  });
});
