import BetterSqlite3 from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { PROJECTION_RUNNER } from '../../src/api/core/tokens';
import { LiveProjections } from '../../src/projections/live-projections';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { ProjectionWorker } from '../../src/projections/worker/projection-worker';
import { CounterTestModule } from '../support/counter-slice';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

interface AuditEntry {
  readonly position: string;
}

const tablesIn = (path: string): string[] => {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
  } finally {
    db.close();
  }
};

const eventually = async (check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('projections in their own worker thread (the default of `serve`)', () => {
  let t: TestApp;
  let cpe: string;
  let auditor: string;
  let projections: LiveProjections;

  const increment = async (counter = 'a') => {
    const res = await t
      .http()
      .post(`/schools/${SCHOOL}/counters/${counter}/increments`)
      .set('Authorization', cpe)
      .send({ by: 1 });
    expect(res.status).toBe(201);
    return res.body.position as string;
  };
  const audit = (minPosition: string) =>
    t.http().get(`/schools/${SCHOOL}/audit?minPosition=${minPosition}`).set('Authorization', auditor);

  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule], env: { REGISTRE_PROJECTION_THREAD: 'worker' } });
    cpe = await tokenFor('cpe');
    auditor = await tokenFor('auditor');
    projections = t.app.get<LiveProjections>(PROJECTION_RUNNER);
  });
  afterAll(() => t.close());

  it('runs the projections in a worker, not on the thread serving HTTP', () => {
    expect(projections).toBeInstanceOf(ProjectionWorker);
    expect(projections).not.toBeInstanceOf(ProjectionRunner);
  });

  it('keeps read models in their own file, apart from the events', () => {
    expect(t.config.readModelsPath).not.toBe(t.config.dbPath);
    expect(tablesIn(t.config.dbPath)).not.toContain('projections');
    expect(tablesIn(t.config.readModelsPath)).toContain('projections');
    expect(tablesIn(t.config.readModelsPath)).not.toContain('events');
  });

  it('lets a query see its own write with ?minPosition= through the worker', async () => {
    const position = await increment();
    const res = await audit(position);
    expect(res.status).toBe(200);
    expect(res.body.entries.map((entry: AuditEntry) => entry.position)).toContain(position);
  });

  it('reports every projection at lag 0 once caught up', async () => {
    await increment();
    await projections.catchUp();
    const res = await t.http().get(`/schools/${SCHOOL}/projections`).set('Authorization', auditor);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(3);
    for (const status of res.body) expect(status).toMatchObject({ status: 'live', lag: 0 });
  });

  it('answers every query during a rebuild, then drops the old tables only after the swap', async () => {
    const position = await increment();
    const before = projections.tables('audit-trail');
    const admin = await tokenFor('admin', '*');
    const started = await t
      .http()
      .post(`/schools/${SCHOOL}/projections/audit-trail/rebuild`)
      .set('Authorization', admin);
    expect(started.status).toBe(202);
    const statuses: number[] = [];
    let swapped = false;
    while (!swapped) {
      const res = await audit(position);
      statuses.push(res.status);
      swapped = projections.tables('audit-trail').entries !== before.entries;
    }
    expect(new Set(statuses)).toEqual(new Set([200]));
    await eventually(
      () => !tablesIn(t.config.readModelsPath).includes(before.entries),
      `old table ${before.entries} dropped`,
    );
    const after = await audit(position);
    expect(after.body.entries.map((entry: AuditEntry) => entry.position)).toContain(position);
  });

  it('replaces a worker that dies; the new one resumes from the checkpoints', async () => {
    const thread = (projections as unknown as { worker: Worker }).worker;
    await thread.terminate();
    // Until the new worker is up: the service answers, says it is degraded, and never a 500.
    const health = await t
      .http()
      .get('/health')
      .set('Authorization', await tokenFor('admin', '*'));
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', store: 'reachable', projections: [] });
    const status = await t.http().get(`/schools/${SCHOOL}/projections`).set('Authorization', auditor);
    expect([status.status, status.body.code]).toEqual([503, 'PROJECTION.UNAVAILABLE']);
    expect(status.headers['retry-after']).toBe('1');
    await eventually(
      () => (projections as unknown as { worker: Worker }).worker !== thread,
      'a new worker started',
    );
    const position = await increment('b');
    const res = await audit(position);
    expect(res.status).toBe(200);
    expect(res.body.entries.map((entry: AuditEntry) => entry.position)).toContain(position);
    expect(t.log.withMessage('projection worker exited; starting a new one')).toHaveLength(1);
  });
});
