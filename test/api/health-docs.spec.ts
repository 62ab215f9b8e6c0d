import { EVENT_STORE } from '../../src/api/core/tokens';
import { EventStore } from '../../src/event-store/event-store';
import { CounterTestModule } from '../support/counter-slice';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

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
      projections: expect.arrayContaining([
        { name: 'audit-trail', checkpoint: write.body.position, lag: 0 },
        { name: 'stream-stats', checkpoint: expect.any(String), lag: expect.any(Number) },
      ]),
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
      expect(res.body).toEqual({ status: 'degraded', store: 'unreachable', head: null, projections: [] });
    } finally {
      await t.close();
    }
  });
});
