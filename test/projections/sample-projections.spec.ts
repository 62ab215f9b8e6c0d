import { Database } from 'better-sqlite3';
import { EventMetadata } from '../../src/domain/shared/event';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import {
  auditTrailProjection,
  ProjectionRunner,
  readAuditTrail,
  readStreamStats,
  streamCategory,
  streamStatsProjection,
} from '../../src/projections';
import { anEvent, openReadModels, openStore, TempFiles, tempFiles } from './support';

describe('sample projections', () => {
  let files: TempFiles;
  let store: SqliteEventStore;
  let db: Database;
  let runner: ProjectionRunner;

  beforeEach(() => {
    files = tempFiles();
    store = openStore(files.eventsPath);
    db = openReadModels(files.readModelsPath);
    runner = new ProjectionRunner({ store, db, projections: [streamStatsProjection, auditTrailProjection] });
  });

  afterEach(async () => {
    await store.close();
    db.close();
    files.remove();
  });

  it('names a stream category by the prefix before the first dash', () => {
    expect(streamCategory('rollcall-0670001A-5B-2026-09-01-M1')).toBe('rollcall');
    expect(streamCategory('orphan')).toBe('orphan');
  });

  it('counts events per category and type across batches', async () => {
    await store.appendToStream('attendance-0670001A-s1', [
      anEvent('AbsenceReported'),
      anEvent('AbsenceReported'),
    ]);
    await runner.catchUp();
    await store.appendToStream('attendance-0670001A-s2', [anEvent('AbsenceReported')]);
    await store.appendToStream('orphan', [anEvent('Noted')]);
    await runner.catchUp();

    expect(readStreamStats(db, runner.tables('stream-stats'))).toEqual([
      { category: 'attendance', type: 'AbsenceReported', count: 3, lastPosition: 3n },
      { category: 'orphan', type: 'Noted', count: 1, lastPosition: 4n },
    ]);
  });

  it('tells an auditor who did what, when and why, inside one school only', async () => {
    await store.appendToStream('rollcall-0670001A-5B-2026-09-01-M1', [
      anEvent('RollCallTaken', { actorId: 't-1', role: 'teacher' }),
    ]);
    await store.appendToStream('rollcall-0670002B-4A-2026-09-01-M1', [
      anEvent('RollCallTaken', { schoolId: '0670002B' }),
    ]);
    const campaign = {
      correlationId: 'campaign-7',
      reason: 'slot shifted',
      role: 'principal' as const,
      actorId: 'p-1',
    };
    await store.appendToStream('rollcall-0670001A-5B-2026-09-01-M1', [anEvent('RollCallAmended', campaign)]);
    await store.appendToStream('rollcall-0670001A-5B-2026-09-01-M2', [anEvent('RollCallAmended', campaign)]);
    await runner.catchUp();
    const tables = runner.tables('audit-trail');

    const trail = readAuditTrail(db, tables, { schoolId: '0670001A' });
    expect(trail.map((entry) => entry.position)).toEqual([1n, 3n, 4n]);
    expect(trail[0]).toMatchObject({
      streamId: 'rollcall-0670001A-5B-2026-09-01-M1',
      revision: 0,
      type: 'RollCallTaken',
      actorId: 't-1',
      actorRole: 'teacher',
      reason: null,
    });
    expect(trail[0].recordedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(readAuditTrail(db, tables, { schoolId: '0670001A', correlationId: 'campaign-7' })).toEqual([
      expect.objectContaining({
        position: 3n,
        actorId: 'p-1',
        actorRole: 'principal',
        reason: 'slot shifted',
      }),
      expect.objectContaining({ position: 4n, correlationId: 'campaign-7' }),
    ]);
    expect(readAuditTrail(db, tables, { schoolId: '0670001A', after: 1n, limit: 1 })).toEqual([
      expect.objectContaining({ position: 3n }),
    ]);
    expect(readAuditTrail(db, tables, { schoolId: '0670002B', correlationId: 'campaign-7' })).toEqual([]);
  });

  it('reads the trail of a school and of a campaign through their indexes', () => {
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((row) => row.detail)
        .join('\n');
    const { entries } = runner.tables('audit-trail');

    expect(
      plan(`SELECT * FROM "${entries}" WHERE school_id = 'x' AND position > 10 ORDER BY position`),
    ).toMatch(/USING INDEX \S+_school/);
    expect(plan(`SELECT * FROM "${entries}" WHERE correlation_id = 'c'`)).toMatch(
      /USING INDEX \S+_correlation/,
    );
  });

  it('keeps a row for an event whose metadata lacks fields', async () => {
    const partial = { schemaVersion: 1 } as unknown as EventMetadata;
    await store.appendToStream('school-0670001A', [{ type: 'LegacyImported', data: {}, metadata: partial }]);
    await runner.catchUp();

    const rows = db
      .prepare(`SELECT type, actor_id, school_id FROM "${runner.tables('audit-trail').entries}"`)
      .all();
    expect(rows).toEqual([{ type: 'LegacyImported', actor_id: null, school_id: null }]);
  });
});
