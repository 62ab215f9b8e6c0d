import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, PROJECTION_RUNNER } from '../../../src/api/core/tokens';
import { EventStore } from '../../../src/event-store/event-store';
import { LiveProjections } from '../../../src/projections/live-projections';
import { Projection } from '../../../src/projections';
import { REGISTRE_PROJECTIONS } from '../../../src/projections/registre-projections';
import {
  halfDaysNoted,
  halfDayTally,
  halfDayTallyV1,
  halfDayTallyV2,
  tallyStream,
} from '../../projections/fixtures/half-day-tally';
import { OTHER_SCHOOL, SCHOOL, startTestApp, TestApp, tokenFor } from '../../support/http';

/** The rebuild of half-day-tally from v1 (counting facts) to v2 (adding their half-days), as the trail shows it. */
const REBUILD_OF_4521 = {
  id: '1',
  projection: 'half-day-tally',
  from: { version: 1, generation: 0, position: '3' },
  to: { version: 2, generation: 0, position: '3' },
  swappedAt: '2026-12-07T08:00:00.000Z',
  rowsChanged: 1,
  allRowsKept: true,
  tables: ['students'],
  rows: [
    {
      table: 'students',
      studentId: '4521',
      key: { school_id: SCHOOL, student_id: '4521' },
      before: { school_id: SCHOOL, student_id: '4521', half_days: 2 },
      after: { school_id: SCHOOL, student_id: '4521', half_days: 5 },
    },
  ],
};

describe('GET /schools/{id}/audit/rebuilds: figures changed by a fix in the code, not by a fact', () => {
  let dir: string;
  let app: TestApp | undefined;

  /** The service on the same files each time, with these projections. */
  const start = async (projections: readonly Projection[]): Promise<TestApp> => {
    await app?.close();
    app = await startTestApp({
      projections: [...REGISTRE_PROJECTIONS, ...projections],
      env: { REGISTRE_DB_PATH: join(dir, 'registre.db') },
    });
    return app;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'registre-rebuilds-'));
    const v1 = await start([halfDayTallyV1]);
    const store = v1.app.get<EventStore>(EVENT_STORE);
    await store.appendToStream(tallyStream(SCHOOL, '4521'), [halfDaysNoted(SCHOOL, '4521', 2)]);
    await store.appendToStream(tallyStream(SCHOOL, '4522'), [halfDaysNoted(SCHOOL, '4522', 1)]);
    await store.appendToStream(tallyStream(SCHOOL, '4521'), [halfDaysNoted(SCHOOL, '4521', 3)]);
    await v1.app.get<LiveProjections>(PROJECTION_RUNNER).catchUp();
    // The fix ships: v2 builds beside v1 and is swapped in once at the head.
    const v2 = await start([halfDayTallyV1, halfDayTallyV2]);
    await v2.app.get<LiveProjections>(PROJECTION_RUNNER).catchUp();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string, role: 'auditor' | 'principal' | 'cpe' = 'auditor', school = SCHOOL) =>
    (app as TestApp)
      .http()
      .get(path)
      .set('Authorization', await tokenFor(role, school));

  it("lists the school's rebuilds with the figures they changed", async () => {
    const res = await get(`/schools/${SCHOOL}/audit/rebuilds`);

    expect(res.status).toBe(200);
    const { rows: _rows, ...withoutRows } = REBUILD_OF_4521;
    expect(res.body).toEqual({ rebuilds: [withoutRows], next: null });
  });

  it("shows one student's rows as both versions held them", async () => {
    const of4521 = await get(`/schools/${SCHOOL}/audit/rebuilds?studentId=4521`, 'principal');
    const of4522 = await get(`/schools/${SCHOOL}/audit/rebuilds?studentId=4522`, 'principal');

    expect(of4521.status).toBe(200);
    expect(of4521.body).toEqual({ rebuilds: [REBUILD_OF_4521], next: null });
    // 4522 noted one half-day once: counting facts or half-days gives the same 1.
    expect(of4522.body).toEqual({ rebuilds: [], next: null });
  });

  it("adds the rebuilds to a student's trail, apart from the facts", async () => {
    const res = await get(`/schools/${SCHOOL}/audit?studentId=4521`);

    expect(res.status).toBe(200);
    expect(res.body.rebuilds).toEqual([REBUILD_OF_4521]);
  });

  it('shows another school none of them, and a CPE neither the list nor the rebuilds in the trail', async () => {
    const other = await get(`/schools/${OTHER_SCHOOL}/audit/rebuilds`, 'auditor', OTHER_SCHOOL);
    const cpe = await get(`/schools/${SCHOOL}/audit/rebuilds`, 'cpe');
    const cpeTrail = await get(`/schools/${SCHOOL}/audit?studentId=4521`, 'cpe');

    expect(other.body).toEqual({ rebuilds: [], next: null });
    expect(cpe.status).toBe(403);
    expect(cpeTrail.status).toBe(200);
    expect(cpeTrail.body.rebuilds).toBeUndefined();
  });

  it('pages newest first with the cursor of the previous page, and refuses one of another list', async () => {
    const runner = (app as TestApp).app.get<LiveProjections>(PROJECTION_RUNNER);
    // A rebuild that changes nothing is not listed.
    await runner.rebuild('half-day-tally');
    // v3 counts every half-day twice: both students' rows change again.
    const v3 = await start([halfDayTallyV2, halfDayTally(3, (event) => 2 * event.data.halfDays)]);
    await v3.app.get<LiveProjections>(PROJECTION_RUNNER).catchUp();

    const first = await get(`/schools/${SCHOOL}/audit/rebuilds?limit=1`);
    const second = await get(`/schools/${SCHOOL}/audit/rebuilds?limit=1&after=${first.body.next}`);
    const bad = await get(`/schools/${SCHOOL}/audit/rebuilds?after=WyJ4Il0`);

    expect(first.body).toMatchObject({
      rebuilds: [{ id: '3', from: { version: 2, generation: 1 }, to: { version: 3 }, rowsChanged: 2 }],
    });
    expect(second.body).toMatchObject({ rebuilds: [{ id: '1', rowsChanged: 1 }], next: null });
    expect(bad.status).toBe(400);
  });
});
