import { CounterTestModule, INTERNAL_DETAIL } from '../support/counter-slice';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

const increments = `/schools/${SCHOOL}/counters/c1/increments`;

describe('error answers', () => {
  let t: TestApp;
  let cpe: string;
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule] });
    cpe = await tokenFor('cpe');
  });
  afterAll(() => t.close());

  const post = (body: unknown, path = increments) =>
    t
      .http()
      .post(path)
      .set('Authorization', cpe)
      .set('Content-Type', 'application/json')
      .send(body as object);

  it('refuses an unknown field with 400 VALIDATION naming it', async () => {
    const res = await post({ by: 1, colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION',
      message: expect.stringContaining('colour'),
      details: [{ field: 'colour', rule: 'unknownField', message: 'colour is not an accepted field' }],
    });
  });

  it('names every broken rule with its dotted path, nested fields included', async () => {
    const res = await post({ by: 'three', origin: { device: '', extra: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION');
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'by', rule: 'isInt' }),
        expect.objectContaining({ field: 'origin.device', rule: 'isLength' }),
        expect.objectContaining({ field: 'origin.extra', rule: 'unknownField' }),
      ]),
    );
    const byInt = res.body.details.find((d: { rule: string }) => d.rule === 'isInt');
    expect(byInt.message).toMatch(/^by /);
  });

  it('answers a body that is not JSON with 400, not 500', async () => {
    const res = await post('{"by": 1,');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'INVALID_JSON', details: {} });
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    const res = await t.http().get('/no/such/route').set('Authorization', cpe);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: expect.any(String),
      details: {},
    });
  });

  it('maps a broken domain rule to 409 with its code and details', async () => {
    const res = await post({ by: 100 }, `/schools/${SCHOOL}/counters/full/increments`);
    expect(res.status).toBe(201);
    for (let i = 0; i < 9; i++) await post({ by: 100 }, `/schools/${SCHOOL}/counters/full/increments`);
    const over = await post({ by: 1 }, `/schools/${SCHOOL}/counters/full/increments`);
    expect(over.status).toBe(409);
    expect(over.body).toEqual({
      statusCode: 409,
      code: 'COUNTER.OVER_LIMIT',
      message: expect.stringContaining('1001'),
      details: { total: 1001 },
    });
  });

  it('maps a stale If-Match to 409 with the current revision', async () => {
    const path = `/schools/${SCHOOL}/counters/locked/increments`;
    await post({ by: 1 }, path);
    await post({ by: 1 }, path);
    const stale = await t.http().post(path).set('Authorization', cpe).set('If-Match', '"0"').send({ by: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      code: 'STORE.WRONG_EXPECTED_REVISION',
      details: { currentRevision: 1 },
    });
    const fresh = await t.http().post(path).set('Authorization', cpe).set('If-Match', '"1"').send({ by: 1 });
    expect(fresh.status).toBe(201);
    expect(fresh.body.revision).toBe(2);
  });

  it.each([['bad key!'], ['x'.repeat(129)], ['é']])(
    'refuses the Idempotency-Key %j with 400 naming the header',
    async (key) => {
      const res = await t
        .http()
        .post(increments)
        .set('Authorization', cpe)
        .set('Idempotency-Key', key)
        .send({ by: 1 });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    },
  );

  it('answers an unexpected failure with 500 INTERNAL, hiding the cause and logging the stack', async () => {
    const res = await t
      .http()
      .post(`/schools/${SCHOOL}/counters/c1/explode`)
      .set('Authorization', cpe)
      .set('X-Request-Id', 'req-explode-1');
    expect(res.status).toBe(500);
    expect(res.headers['x-request-id']).toBe('req-explode-1');
    expect(res.body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: expect.stringContaining('req-explode-1'),
      details: { requestId: 'req-explode-1' },
    });
    expect(JSON.stringify(res.body)).not.toContain('secret.db');
    const [logged] = t.log.withMessage('request failed');
    expect(logged).toMatchObject({
      level: 'error',
      requestId: 'req-explode-1',
      err: { message: INTERNAL_DETAIL },
    });
    expect((logged.err as { stack: string }).stack).toContain('counter-slice');
  });
});
