import { Database } from 'better-sqlite3';
import { EventMetadata } from '../../src/domain/shared/event';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import {
  auditAreaOf,
  AuditTrailQuery,
  auditTrailProjection,
  auditTrailSql,
  AuditTrailTable,
  ProjectionRunner,
  readAuditTrail,
  studentsConcerned,
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

  it('finds the events about a student: their streams and the roll calls that list them', async () => {
    await store.appendToStream('rollcall-0670001A-5B-2026-09-01-M1', [
      anEvent('RollCallTaken', { data: { register: ['s1', 's2', 's3'], absent: ['s1'], late: [] } }),
      anEvent('RollCallAmended', {
        data: {
          absent: ['s1'],
          late: [{ studentId: 's2', minutes: 5 }],
          added: { absent: [], late: [{ studentId: 's2', minutes: 5 }] },
          removed: { absent: [], late: [] },
        },
      }),
    ]);
    await store.appendToStream('attendance-0670001A-s1', [anEvent('AbsenceReported', { data: {} })]);
    await store.appendToStream('student-0670001A-s2', [anEvent('StudentEnrolled', { data: {} })]);
    await store.appendToStream('rollcall-0670001A-5B-2026-09-01-M2', [
      anEvent('RollCallVoided', { data: { studentIds: ['s3'] } }),
    ]);
    await store.appendToStream('attendance-0670002B-s1', [
      anEvent('AbsenceReported', { schoolId: '0670002B', data: {} }),
    ]);
    await runner.catchUp();
    const tables = runner.tables('audit-trail');
    const about = (studentId: string, area?: 'attendance') =>
      readAuditTrail(db, tables, { schoolId: '0670001A', studentId, ...(area ? { area } : {}) }).map(
        (entry) => entry.position,
      );

    expect(about('s1')).toEqual([1n, 3n]);
    expect(about('s2')).toEqual([2n, 4n]);
    expect(about('s2', 'attendance')).toEqual([2n]);
    expect(about('s3')).toEqual([5n]);
    expect(
      readAuditTrail(db, tables, { schoolId: '0670001A', area: 'attendance' }).map((entry) => entry.streamId),
    ).toEqual([
      'rollcall-0670001A-5B-2026-09-01-M1',
      'rollcall-0670001A-5B-2026-09-01-M1',
      'attendance-0670001A-s1',
      'rollcall-0670001A-5B-2026-09-01-M2',
    ]);
    expect(
      readAuditTrail(db, tables, {
        schoolId: '0670001A',
        streamId: 'rollcall-0670001A-5B-2026-09-01-M1',
        after: 1n,
      }).map((entry) => entry.type),
    ).toEqual(['RollCallAmended']);
  });

  it('names the students an event is about and the area of its stream', () => {
    expect(studentsConcerned('attendance-0670001A-s9', '0670001A', { studentId: 's9' })).toEqual(['s9']);
    expect(studentsConcerned('student-0670001A-s8', '0670001A', {})).toEqual(['s8']);
    expect(studentsConcerned('student-0670002B-s8', '0670001A', {})).toEqual([]);
    expect(
      studentsConcerned('assessment-0670001A-c1', '0670001A', {
        grades: [
          { studentId: 'b1', value: 12 },
          { studentId: 'b2', value: 'ABS' },
        ],
      }),
    ).toEqual(['b1', 'b2']);
    expect(
      studentsConcerned('assessment-0670001A-c2', '0670001A', {
        levels: [{ studentId: 'b3', itemId: 'MAT-1', value: 3 }],
      }),
    ).toEqual(['b3']);
    expect(
      studentsConcerned('rollcall-0670001A-5B-2026-09-01-M1', '0670001A', {
        register: ['a', 'b', 'c'],
        absent: ['a'],
        late: [{ studentId: 'b', minutes: 3 }],
      }),
    ).toEqual(['a', 'b']);
    expect(studentsConcerned('x', null, 'not an object')).toEqual([]);
    expect(auditAreaOf('rollcall-0670001A-5B-2026-09-01-M1', '0670001A')).toBe('attendance');
    expect(auditAreaOf('attendance-0670001A-s1', '0670001A')).toBe('attendance');
    expect(auditAreaOf('attendance-0670002B-s1', '0670001A')).toBeNull();
    expect(auditAreaOf('student-0670001A-s1', '0670001A')).toBeNull();
    expect(auditAreaOf('rollcall-0670001A-5B', null)).toBeNull();
  });

  it('reads every filter of the trail through an index, never scanning the entries or sorting them', () => {
    const tables = runner.tables<AuditTrailTable>('audit-trail');
    const plan = (query: Omit<AuditTrailQuery, 'schoolId'>) => {
      const { sql, keys, values } = auditTrailSql(tables, { schoolId: '0670001A', ...query });
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...keys, 0, ...values, 100) as { detail: string }[])
        .map((row) => row.detail)
        .join('\n');
    };
    const filters: [Omit<AuditTrailQuery, 'schoolId'>, RegExp][] = [
      [{}, /^SEARCH e USING INDEX \S+_school \(school_id=\? AND position>\?\)$/],
      [
        { area: 'attendance' },
        /^SEARCH e USING INDEX \S+_area \(school_id=\? AND area=\? AND position>\?\)$/,
      ],
      [
        { streamId: 'rollcall-0670001A-5B-2026-09-01-M1', area: 'attendance' },
        /^SEARCH e USING INDEX \S+_stream \(school_id=\? AND stream_id=\? AND position>\?\)$/,
      ],
      [
        { correlationId: 'campaign-7', area: 'attendance' },
        /^SEARCH e USING INDEX \S+_correlation \(school_id=\? AND correlation_id=\? AND position>\?\)$/,
      ],
      [
        { studentId: 's1', area: 'attendance' },
        /^SEARCH s USING PRIMARY KEY \(school_id=\? AND student_id=\? AND position>\?\)\nSEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)$/,
      ],
    ];
    for (const [query, expected] of filters) expect(plan(query)).toMatch(expected);
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
