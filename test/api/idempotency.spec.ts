import { EVENT_STORE } from '../../src/api/core/tokens';
import { EventStore } from '../../src/event-store/event-store';
import { CounterTestModule, counterStream } from '../support/counter-slice';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';
import { setUpSchool, Tokens, tokensFor } from './attendance/attendance-school';

const increments = (counter: string) => `/schools/${SCHOOL}/counters/${counter}/increments`;

describe('Idempotency-Key', () => {
  let t: TestApp;
  let as: Tokens;
  let cpe: string;
  let store: EventStore;
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule] });
    as = await tokensFor();
    cpe = await tokenFor('cpe', SCHOOL, { sub: 'cpe-42' });
    store = t.app.get<EventStore>(EVENT_STORE);
    await setUpSchool(t);
  });
  afterAll(() => t.close());

  const increment = (counter: string, key: string, body: object, token = cpe) =>
    t.http().post(increments(counter)).set('Authorization', token).set('Idempotency-Key', key).send(body);
  const rollCall = (key: string, body: object) =>
    t
      .http()
      .post(`/schools/${SCHOOL}/roll-calls`)
      .set('Authorization', as.cpe)
      .set('Idempotency-Key', key)
      .send(body);

  it('refuses with 422 the key of a 5A roll call sent again with a 5B one, and stores nothing', async () => {
    const lesson = { date: '2026-11-16', slot: 'M1' };
    const first = await rollCall('rc-reused', { ...lesson, classId: '5A', absent: ['a1'] });
    expect(first.status).toBe(200);

    const reused = await rollCall('rc-reused', { ...lesson, classId: '5B', absent: ['b1'] });

    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({
      statusCode: 422,
      code: 'IDEMPOTENCY.KEY_REUSED',
      message:
        'Idempotency-Key rc-reused was already used for a different request; send this one under a new key',
      details: { field: 'Idempotency-Key', idempotencyKey: 'rc-reused' },
    });
    expect(await store.readStream(`rollcall-${SCHOOL}-5B-2026-11-16-M1`)).toEqual([]);
    const resent = await rollCall('rc-reused', { ...lesson, classId: '5A', absent: ['a1'] });
    expect(resent.body).toMatchObject({ deduplicated: true, position: first.body.position });
  });

  it('refuses the key of an outing sent again with another outing, for every student, and stores nothing', async () => {
    const outing = (label: string) =>
      t
        .http()
        .post(`/schools/${SCHOOL}/collective-exemptions`)
        .set('Authorization', as.cpe)
        .set('Idempotency-Key', 'outing-reused')
        .send({ classId: '5A', label, from: { date: '2026-11-26' }, to: { date: '2026-11-26' } });
    const first = await outing('Musée zoologique');
    expect(first.status).toBe(200);
    const head = await store.headPosition();

    const reused = await outing('Cinéma');

    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({
      code: 'IDEMPOTENCY.KEY_REUSED',
      details: { idempotencyKey: 'outing-reused' },
    });
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses the same key on another route, and on the same route with another body', async () => {
    const first = await increment('reuse-a', 'k-reuse', { by: 2 });
    expect(first.status).toBe(201);

    const otherRoute = await increment('reuse-b', 'k-reuse', { by: 2 });
    const otherBody = await increment('reuse-a', 'k-reuse', { by: 3 });

    expect([otherRoute.status, otherRoute.body.code]).toEqual([422, 'IDEMPOTENCY.KEY_REUSED']);
    expect([otherBody.status, otherBody.body.code]).toEqual([422, 'IDEMPOTENCY.KEY_REUSED']);
    expect(await store.readStream(counterStream(SCHOOL, 'reuse-b'))).toEqual([]);
    expect(await store.readStream(counterStream(SCHOOL, 'reuse-a'))).toHaveLength(1);
    const log = t.log.withMessage('command').filter((line) => line.outcome === 'rejected');
    expect(log).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'IDEMPOTENCY.KEY_REUSED' })]),
    );
  });

  it('answers the same request with its fields in another order as a resend', async () => {
    const first = await increment('reordered', 'k-order', {
      by: 4,
      reason: 'recount',
      origin: { device: 'p' },
    });
    const again = await increment('reordered', 'k-order', {
      origin: { device: 'p' },
      reason: 'recount',
      by: 4,
    });

    expect(again.status).toBe(201);
    expect(again.body).toEqual({
      position: first.body.position,
      revision: 0,
      deduplicated: true,
      events: [],
    });
  });

  it('keeps apart users whose id and key would join into the same "school:user:key"', async () => {
    const colon = await tokenFor('cpe', SCHOOL, { sub: 'cpe:7' });
    const plain = await tokenFor('cpe', SCHOOL, { sub: 'cpe' });

    const first = await increment('scoped', 'x', { by: 1 }, colon);
    const second = await increment('scoped', '7:x', { by: 1 }, plain);

    expect(first.body).toMatchObject({ deduplicated: false, revision: 0 });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ deduplicated: false, revision: 1 });
  });

  it('writes a request resent 50 times at once exactly once, and answers every send with its position', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => increment('stormy', 'k-storm', { by: 1 })),
    );

    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 50 }, () => 201));
    expect(answers.filter((a) => a.body.deduplicated === false)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.position)).size).toBe(1);
    expect(await store.readStream(counterStream(SCHOOL, 'stormy'))).toHaveLength(1);
  });

  it('answers a command that changed nothing with the position its stream is at, not 0', async () => {
    const lesson = { classId: '5B', date: '2026-11-17', slot: 'M1', absent: ['b2'] };
    const first = await rollCall('rc-first', lesson);
    await increment('meanwhile', 'k-meanwhile', { by: 1 });

    const unchanged = await rollCall('rc-same-list-other-key', lesson);

    expect(unchanged.status).toBe(200);
    expect(unchanged.body).toMatchObject({
      deduplicated: false,
      unchanged: true,
      events: [],
      position: first.body.position,
    });
  });
});
