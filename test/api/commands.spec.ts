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

  it('answers 503 PROJECTION.NOT_CAUGHT_UP, saying how far behind, once the view stops moving', async () => {
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
        details: {
          projections: ['audit-trail'],
          minPosition: '999999',
          reason: 'stalled',
          behind: [{ name: 'audit-trail', checkpoint: '0', positionsShort: 999999 }],
        },
      });
      expect(res.body.message).toMatch(/audit-trail is 999999 positions short.*no progress for 50 ms/);
    } finally {
      await quick.close();
    }
  });

  it('keeps the query waiting past REGISTRE_WAIT_MS while the view moves toward its position', async () => {
    const patient = await startTestApp({
      imports: [CounterTestModule],
      env: { REGISTRE_WAIT_MS: '300', REGISTRE_WAIT_MAX_MS: '5000' },
    });
    const write = () => patient.http().post(increments('steady')).set('Authorization', cpe).send({ by: 1 });
    try {
      const first = await write();
      const target = BigInt(first.body.position) + 3n;
      const pending = patient
        .http()
        .get(`/schools/${SCHOOL}/audit?minPosition=${target}&stream=counter-${SCHOOL}-steady`)
        .set('Authorization', auditor)
        .then((res) => res);
      // Three more writes, 200 ms apart: 600 ms in all, each step within the 300 ms stall window.
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await write();
      }
      const read = await pending;
      expect(read.status).toBe(200);
      expect(read.body.entries).toHaveLength(4);
      expect(read.body.entries[3].position).toBe(target.toString());
    } finally {
      await patient.close();
    }
  });

  it('refuses a minPosition that is not a position', async () => {
    const res = await t.http().get(`/schools/${SCHOOL}/audit?minPosition=-3`).set('Authorization', auditor);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'minPosition' })]);
  });
});
