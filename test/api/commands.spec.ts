import { scopedCommandId } from '../../src/api/core/command-context';
import { PROJECTION_RUNNER } from '../../src/api/core/tokens';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { CounterTestModule } from '../support/counter-slice';
import { OTHER_SCHOOL, SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

const increments = (counter: string, school = SCHOOL) => `/schools/${school}/counters/${counter}/increments`;

describe('a command through the CommandBus', () => {
  let t: TestApp;
  let cpe: string;
  let auditor: string;
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule] });
    cpe = await tokenFor('cpe', SCHOOL, { sub: 'cpe-42' });
    auditor = await tokenFor('auditor');
  });
  afterAll(() => t.close());

  it('answers the position, revision and event types it wrote', async () => {
    const res = await t.http().post(increments('answer')).set('Authorization', cpe).send({ by: 3 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      position: expect.stringMatching(/^[1-9]\d*$/),
      revision: 0,
      deduplicated: false,
      events: ['CounterIncremented'],
    });
  });

  it('writes exactly one JSON log line per command, with commandId, actor, stream, outcome and duration', async () => {
    const before = t.log.withMessage('command').length;
    const res = await t
      .http()
      .post(increments('logged'))
      .set('Authorization', cpe)
      .set('Idempotency-Key', 'log-line-1')
      .send({ by: 2, reason: 'family called' });
    expect(res.status).toBe(201);
    const lines = t.log.withMessage('command').slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      component: 'commands',
      command: 'IncrementCounter',
      commandId: scopedCommandId(SCHOOL, 'cpe-42', 'log-line-1'),
      actor: { id: 'cpe-42', role: 'cpe' },
      schoolId: SCHOOL,
      stream: `counter-${SCHOOL}-logged`,
      outcome: 'appended',
      ms: expect.any(Number),
    });
    const refused = await t.http().post(increments('logged')).set('Authorization', cpe).send({ by: 'x' });
    expect(refused.status).toBe(400);
    expect(t.log.withMessage('command').slice(before)).toHaveLength(1);
  });

  it('answers a resent Idempotency-Key with the first answer and appends nothing', async () => {
    const send = () =>
      t
        .http()
        .post(increments('idem'))
        .set('Authorization', cpe)
        .set('Idempotency-Key', 'k-1')
        .send({ by: 5 });
    const first = await send();
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.body).toEqual({
      position: first.body.position,
      revision: 0,
      deduplicated: true,
      events: [],
    });
    const next = await t
      .http()
      .post(increments('idem'))
      .set('Authorization', cpe)
      .set('Idempotency-Key', 'k-2')
      .send({ by: 5 });
    expect(next.body.revision).toBe(1);
  });

  it('keeps two schools choosing the same Idempotency-Key apart', async () => {
    const elsewhere = await tokenFor('cpe', OTHER_SCHOOL, { sub: 'cpe-42' });
    const here = await t
      .http()
      .post(increments('shared'))
      .set('Authorization', cpe)
      .set('Idempotency-Key', 'same')
      .send({ by: 1 });
    const there = await t
      .http()
      .post(increments('shared', OTHER_SCHOOL))
      .set('Authorization', elsewhere)
      .set('Idempotency-Key', 'same')
      .send({ by: 1 });
    expect(here.body.deduplicated).toBe(false);
    expect(there.body.deduplicated).toBe(false);
    expect(there.body.position).not.toBe(here.body.position);
  });

  it('lets a query see its own write with ?minPosition= (read-your-writes)', async () => {
    const write = await t
      .http()
      .post(increments('ryw'))
      .set('Authorization', cpe)
      .set('X-Correlation-Id', 'campaign-7')
      .send({ by: 1, reason: 'typo in the first count' });
    const read = await t
      .http()
      .get(`/schools/${SCHOOL}/audit?minPosition=${write.body.position}&correlationId=campaign-7`)
      .set('Authorization', auditor);
    expect(read.status).toBe(200);
    expect(read.body.entries).toEqual([
      expect.objectContaining({
        position: write.body.position,
        streamId: `counter-${SCHOOL}-ryw`,
        correlationId: 'campaign-7',
        reason: 'typo in the first count',
      }),
    ]);
  });

  it('holds the query until the projection has applied the write', async () => {
    const runner = t.app.get<ProjectionRunner>(PROJECTION_RUNNER);
    await runner.stop();
    const write = await t.http().post(increments('held')).set('Authorization', cpe).send({ by: 1 });
    const pending = t
      .http()
      .get(`/schools/${SCHOOL}/audit?minPosition=${write.body.position}&stream=counter-${SCHOOL}-held`)
      .set('Authorization', auditor);
    const stale = await t
      .http()
      .get(`/schools/${SCHOOL}/audit?stream=counter-${SCHOOL}-held`)
      .set('Authorization', auditor);
    expect(stale.body.entries).toEqual([]);
    setTimeout(() => runner.start(), 100);
    const read = await pending;
    expect(read.status).toBe(200);
    expect(read.body.entries).toEqual([expect.objectContaining({ position: write.body.position })]);
  });

  it('answers 503 PROJECTION.NOT_CAUGHT_UP when the view cannot reach minPosition in time', async () => {
    const quick = await startTestApp({ env: { REGISTRE_WAIT_MS: '50' } });
    try {
      const res = await quick
        .http()
        .get(`/schools/${SCHOOL}/audit?minPosition=999999`)
        .set('Authorization', auditor);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toMatchObject({
        code: 'PROJECTION.NOT_CAUGHT_UP',
        details: { minPosition: '999999' },
      });
    } finally {
      await quick.close();
    }
  });

  it('refuses a minPosition that is not a position', async () => {
    const res = await t.http().get(`/schools/${SCHOOL}/audit?minPosition=-3`).set('Authorization', auditor);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'minPosition' })]);
  });
});
