import { EVENT_STORE, PROJECTION_RUNNER } from '../../src/api/core/tokens';
import { EventStore } from '../../src/event-store/event-store';
import { LiveProjections } from '../../src/projections/live-projections';
import { ManualClock } from '../support/clock';
import { CounterTestModule } from '../support/counter-slice';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

/** The read threads the test app starts: 2 unless the run asks REGISTRE_READ_THREADS. */
const READ_THREADS = Number(process.env.REGISTRE_READ_THREADS ?? 2);

describe('health and documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule] });
  });
  afterAll(() => t.close());

  it('reports the head and each projection lag to a deployment admin', async () => {
    const write = await t
      .http()
      .post(`/schools/${SCHOOL}/counters/c/increments`)
      .set('Authorization', await tokenFor('cpe'))
      .send({ by: 1 });
    await t
      .http()
      .get(`/schools/${SCHOOL}/audit?minPosition=${write.body.position}`)
      .set('Authorization', await tokenFor('admin'));
    const res = await t
      .http()
      .get('/health')
      .set('Authorization', await tokenFor('admin', '*'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      store: 'reachable',
      head: write.body.position,
      maxLagMs: 1000,
      projections: expect.arrayContaining([
        { name: 'audit-trail', checkpoint: write.body.position, lag: 0, lagMs: 0 },
        { name: 'stream-stats', checkpoint: expect.any(String), lag: expect.any(Number), lagMs: 0 },
      ]),
      // Idle after the audit read: nothing running, nothing waiting (the threads may still be opening).
      reads: { threads: READ_THREADS, ready: expect.any(Number), running: 0, waiting: 0 },
      lastVerification: null,
    });
  });

  it("tells anyone else the status only, never the log's head", async () => {
    const asAnyone = [
      undefined,
      await tokenFor('admin'),
      await tokenFor('principal'),
      'Bearer not-a-token',
      await tokenFor('admin', '*', { secret: 'another-secret-that-is-long-enough-000' }),
    ];
    for (const authorization of asAnyone) {
      const request = t.http().get('/health');
      const res = await (authorization === undefined ? request : request.set('Authorization', authorization));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    }
  });

  it('serves the Swagger UI at /docs and the OpenAPI document at /docs-json, without a token', async () => {
    const page = await t.http().get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('swagger-ui-bundle.js');
    const bundle = await t.http().get('/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    const spec = await t.http().get('/docs-json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/schools/{schoolId}/projections', '/schools/{schoolId}/audit']),
    );
    expect(spec.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it("writes Nest's own messages as pino JSON lines", () => {
    const nest = t.log.entries().filter((entry) => entry.component === 'nest');
    expect(nest.length).toBeGreaterThan(0);
    expect(nest[0]).toMatchObject({
      service: 'registre',
      level: 'info',
      context: expect.any(String),
      msg: expect.any(String),
    });
  });
});

describe('health when the store is unreachable', () => {
  it('answers 503 degraded', async () => {
    const t = await startTestApp();
    try {
      await t.app.get<EventStore>(EVENT_STORE).close();
      const anonymous = await t.http().get('/health');
      expect(anonymous.status).toBe(503);
      expect(anonymous.body).toEqual({ status: 'degraded' });
      const res = await t
        .http()
        .get('/health')
        .set('Authorization', await tokenFor('admin', '*'));
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        status: 'degraded',
        store: 'unreachable',
        head: null,
        maxLagMs: null,
        projections: [],
        reads: { threads: READ_THREADS, ready: expect.any(Number), running: 0, waiting: 0 },
        lastVerification: null,
      });
    } finally {
      await t.close();
    }
  });
});

describe('health when the read models fall behind', () => {
  const movingClock = new ManualClock();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule], clock: movingClock });
  });
  afterAll(() => t.close());

  it('says degraded, with HTTP 200, once a projection trails the log by more than a second, and by how much', async () => {
    const admin = await tokenFor('admin', '*', { clock: movingClock });
    const runner = t.app.get<LiveProjections>(PROJECTION_RUNNER);
    await runner.stop();
    const write = await t
      .http()
      .post(`/schools/${SCHOOL}/counters/behind/increments`)
      .set('Authorization', await tokenFor('cpe', SCHOOL, { clock: movingClock }))
      .send({ by: 1 });
    movingClock.advance(900);
    const early = await t.http().get('/health').set('Authorization', admin);
    expect(early.status).toBe(200);
    expect(early.body.status).toBe('ok');
    expect(early.body.projections).toContainEqual({
      name: 'audit-trail',
      checkpoint: expect.any(String),
      lag: 1,
      lagMs: 900,
    });

    movingClock.advance(600);
    const late = await t.http().get('/health').set('Authorization', admin);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ status: 'degraded', head: write.body.position, maxLagMs: 1000 });
    expect(late.body.projections).toContainEqual({
      name: 'audit-trail',
      checkpoint: expect.any(String),
      lag: 1,
      lagMs: 1500,
    });
    const anonymous = await t.http().get('/health');
    expect([anonymous.status, anonymous.body]).toEqual([200, { status: 'degraded' }]);

    runner.start();
    await runner.catchUp();
    const caughtUp = await t.http().get('/health').set('Authorization', admin);
    expect(caughtUp.body.status).toBe('ok');
    expect(caughtUp.body.projections).toContainEqual({
      name: 'audit-trail',
      checkpoint: write.body.position,
      lag: 0,
      lagMs: 0,
    });
  });
});
