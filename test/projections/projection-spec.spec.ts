import { Database } from 'better-sqlite3';
import { TableNames } from '../../src/projections';
import { inStream, projectionSpec, withMetadata } from '../support/projection-spec';
import { recordingProjection } from './support';

const spec = projectionSpec(recordingProjection({}));
const events = (db: Database, t: TableNames<'events'>) =>
  db.prepare(`SELECT position, stream_id, type FROM "${t.events}" ORDER BY position`).all();

const given = () =>
  spec.given(
    inStream('rollcall-0670001A-5B-2026-11-16-M1', { type: 'RollCallTaken', data: {} }),
    inStream('attendance-0670001A-s01', { type: 'AbsenceReported', data: {} }),
    inStream('rollcall-0670001A-5B-2026-11-16-M1', { type: 'RollCallVoided', data: {} }),
  );

describe('the projection spec helper', () => {
  it('applies the events given, in order, through the runner, and compares every row of a table', () =>
    given().thenRows('events', [
      { position: 1, stream_id: 'rollcall-0670001A-5B-2026-11-16-M1', type: 'RollCallTaken' },
      { position: 2, stream_id: 'attendance-0670001A-s01', type: 'AbsenceReported' },
      { position: 3, stream_id: 'rollcall-0670001A-5B-2026-11-16-M1', type: 'RollCallVoided' },
    ]));

  it('compares rows as a set: the order the spec lists them in does not matter', () =>
    given().thenRows('events', [
      { position: 3, stream_id: 'rollcall-0670001A-5B-2026-11-16-M1', type: 'RollCallVoided' },
      { position: 1, stream_id: 'rollcall-0670001A-5B-2026-11-16-M1', type: 'RollCallTaken' },
      { position: 2, stream_id: 'attendance-0670001A-s01', type: 'AbsenceReported' },
    ]));

  it('fails when a row differs, when one is missing and when one is left over', async () => {
    await expect(
      given().thenRows('events', [
        { position: 1, stream_id: 'rollcall-0670001A-5B-2026-11-16-M1', type: 'RollCallTaken' },
        { position: 2, stream_id: 'attendance-0670001A-s02', type: 'AbsenceReported' },
        { position: 3, stream_id: 'rollcall-0670001A-5B-2026-11-16-M1', type: 'RollCallVoided' },
      ]),
    ).rejects.toThrow(/toEqual/);
    await expect(
      given().thenRows('events', [
        { position: 1, stream_id: 'rollcall-0670001A-5B-2026-11-16-M1', type: 'RollCallTaken' },
        { position: 2, stream_id: 'attendance-0670001A-s01', type: 'AbsenceReported' },
      ]),
    ).rejects.toThrow(/toEqual/);
    await expect(
      spec.given().thenRows('events', [{ position: 1, stream_id: 's', type: 'X' }]),
    ).rejects.toThrow(/toEqual/);
  });

  it('answers a query with what it returns, and fails when that differs', async () => {
    await given().then(events, [
      { position: 1, stream_id: 'rollcall-0670001A-5B-2026-11-16-M1', type: 'RollCallTaken' },
      { position: 2, stream_id: 'attendance-0670001A-s01', type: 'AbsenceReported' },
      { position: 3, stream_id: 'rollcall-0670001A-5B-2026-11-16-M1', type: 'RollCallVoided' },
    ]);
    await expect(given().then(events, [])).rejects.toThrow(/toEqual/);
  });

  it('fills the metadata a case leaves out and keeps what it states', async () => {
    const metadataSpec = projectionSpec(
      {
        name: 'metadata',
        version: 1,
        tables: ['seen'],
        handles: ['*'],
        setup: (db, t) =>
          db.exec(`CREATE TABLE "${t.seen}" (position INTEGER PRIMARY KEY, metadata TEXT NOT NULL) STRICT`),
        apply: (db, t, batch) => {
          const insert = db.prepare(`INSERT INTO "${t.seen}" (position, metadata) VALUES (?, ?)`);
          for (const e of batch) insert.run(e.position, JSON.stringify(e.metadata));
        },
      },
      { recordedFrom: '2026-11-16T07:00:00.000Z' },
    );
    await metadataSpec
      .given(
        inStream('s-1', { type: 'A', data: {} }),
        withMetadata({ actor: { id: 'teacher-math', role: 'teacher' }, reason: 'wrong slot' }, [
          { streamId: 's-1', type: 'B', data: {} },
        ]),
      )
      .then(
        (db, t) =>
          (
            db.prepare(`SELECT metadata FROM "${t.seen}" ORDER BY position`).all() as { metadata: string }[]
          ).map((r) => JSON.parse(r.metadata) as unknown),
        [
          {
            commandId: 'given-1',
            correlationId: 'given-1',
            causationId: 'given-1',
            recordedAt: '2026-11-16T07:00:00.000Z',
            actor: { id: 'cpe-1', role: 'cpe' },
            schoolId: '0670001A',
            schemaVersion: 1,
          },
          {
            commandId: 'given-2',
            correlationId: 'given-2',
            causationId: 'given-2',
            recordedAt: '2026-11-16T07:01:00.000Z',
            actor: { id: 'teacher-math', role: 'teacher' },
            schoolId: '0670001A',
            schemaVersion: 1,
            reason: 'wrong slot',
          },
        ],
      );
  });
});
