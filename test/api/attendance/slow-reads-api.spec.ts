import type { Response } from 'supertest';
import { apiSpec } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';
import { SLOW_CLASS_DAY_READS } from '../../support/read-pool-script';
import { schoolStreams, Tokens, tokensFor } from './attendance-school';

/**
 * A class day that takes 1.5 s (SLOW_CLASS_DAY_READS) is read, then a roll call is sent: with read
 * threads the roll call answers first; with every read on the request thread it waits for the view.
 */
const slowReadThenRollCall = async (spec: ReturnType<typeof apiSpec>, as: Tokens): Promise<string[]> => {
  await spec.given(schoolStreams());
  // The threads are up and have read once before the race starts.
  await spec.http().get(`/schools/${SCHOOL}/attendance/alerts`).set('Authorization', as.cpe).expect(200);
  const answered: string[] = [];
  const noted = (name: string) => (response: Response) => {
    answered.push(`${name} ${response.status}`);
  };
  const read = spec
    .http()
    .get(`/schools/${SCHOOL}/classes/5B/attendance?date=2026-11-16`)
    .set('Authorization', as.cpe)
    .then(noted('class day'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const rollCall = spec
    .http()
    .post(`/schools/${SCHOOL}/roll-calls`)
    .set('Authorization', as.teacher)
    .send({ classId: '5B', date: '2026-11-16', slot: 'M1', absent: ['b1'], late: [] })
    .then(noted('roll call'));
  await Promise.all([read, rollCall]);
  return answered;
};

describe('a slow view and a roll call, with read threads', () => {
  const spec = apiSpec({ reads: SLOW_CLASS_DAY_READS, env: { REGISTRE_READ_THREADS: '2' } });
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  it('takes the roll call while the view is still being read', async () => {
    expect(await slowReadThenRollCall(spec, as)).toEqual(['roll call 200', 'class day 200']);
  });
});

describe('a slow view and a roll call, every read on the request thread', () => {
  const spec = apiSpec({ reads: SLOW_CLASS_DAY_READS, env: { REGISTRE_READ_THREADS: '0' } });
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  it('makes the roll call wait for the view (why the reads have threads of their own)', async () => {
    expect(await slowReadThenRollCall(spec, as)).toEqual(['class day 200', 'roll call 200']);
  });
});

describe('a view asked for while the only read thread is busy and no read may wait', () => {
  const spec = apiSpec({
    reads: SLOW_CLASS_DAY_READS,
    env: { REGISTRE_READ_THREADS: '1', REGISTRE_READ_QUEUE: '0', REGISTRE_READ_IN_FLIGHT: '1' },
  });
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  it('answers 503 READS.BUSY with Retry-After, and the view once the thread is free', async () => {
    await spec.given(schoolStreams());
    const alerts = `/schools/${SCHOOL}/attendance/alerts`;
    await spec.http().get(alerts).set('Authorization', as.cpe).expect(200);
    const classDay = spec
      .http()
      .get(`/schools/${SCHOOL}/classes/5B/attendance?date=2026-11-16`)
      .set('Authorization', as.cpe)
      .then((response) => response.status);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const refused = await spec.http().get(alerts).set('Authorization', as.cpe);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({
      statusCode: 503,
      code: 'READS.BUSY',
      details: { read: 'schoolAlerts' },
    });
    expect(await classDay).toBe(200);
    await spec.http().get(alerts).set('Authorization', as.cpe).expect(200);
  });
});
