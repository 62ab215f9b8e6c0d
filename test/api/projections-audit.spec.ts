import { EVENT_STORE } from '../../src/api/core/tokens';
import { EventStore } from '../../src/event-store/event-store';
import { anEvent } from '../projections/support';
import { CounterTestModule } from '../support/counter-slice';
import { OTHER_SCHOOL, SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

interface Entry {
  position: string;
  streamId: string;
  schoolId: string;
}

describe('projection administration and the audit trail', () => {
  let t: TestApp;
  let lastPosition: string;
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule] });
    const here = await tokenFor('cpe', SCHOOL);
    const there = await tokenFor('cpe', OTHER_SCHOOL);
    for (let i = 0; i < 5; i++) {
      await t
        .http()
        .post(`/schools/${SCHOOL}/counters/a/increments`)
        .set('Authorization', here)
        .send({ by: 1 });
      await t
        .http()
        .post(`/schools/${OTHER_SCHOOL}/counters/a/increments`)
        .set('Authorization', there)
        .send({ by: 1 });
      const last = await t
        .http()
        .post(`/schools/${SCHOOL}/counters/b/increments`)
        .set('Authorization', here)
        .send({ by: 1 });
      lastPosition = last.body.position;
    }
  });
  afterAll(() => t.close());

  const audit = async (query: string, role: 'auditor' | 'principal' | 'admin' = 'auditor') =>
    t
      .http()
      .get(`/schools/${SCHOOL}/audit?minPosition=${lastPosition}${query}`)
      .set('Authorization', await tokenFor(role));

  it('shows only the school of the route, in log order', async () => {
    const res = await audit('');
    expect(res.status).toBe(200);
    expect(res.body.entries).toHaveLength(10);
    expect(res.body.entries.every((entry: Entry) => entry.schoolId === SCHOOL)).toBe(true);
    const positions = res.body.entries.map((entry: Entry) => BigInt(entry.position));
    expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
    expect(res.body.next).toBeNull();
    expect(res.body.nextAfter).toBeNull();
  });

  it('pages with limit and the opaque cursor `next`, null on the last page', async () => {
    const first = await audit('&limit=4');
    expect(first.body.entries).toHaveLength(4);
    expect(first.body.next).toBe(
      Buffer.from(JSON.stringify([first.body.entries[3].position])).toString('base64url'),
    );
    expect(first.body.nextAfter).toBe(first.body.entries[3].position);
    const second = await audit(`&limit=4&after=${first.body.next}`);
    const third = await audit(`&limit=4&after=${second.body.next}`);
    const all = (await audit('')).body.entries.map((entry: Entry) => entry.position);
    expect(
      [...first.body.entries, ...second.body.entries, ...third.body.entries].map(
        (entry: Entry) => entry.position,
      ),
    ).toEqual(all);
    expect(third.body.entries).toHaveLength(2);
    expect([third.body.next, third.body.nextAfter]).toEqual([null, null]);
  });

  it('still takes the bare position older clients pass as after', async () => {
    const first = await audit('&limit=4');
    const byCursor = await audit(`&limit=4&after=${first.body.next}`);
    const byPosition = await audit(`&limit=4&after=${first.body.nextAfter}`);
    expect(byPosition.body).toEqual(byCursor.body);
  });

  it('refuses a cursor that is not one with 400 naming after', async () => {
    for (const after of ['Zm9v', Buffer.from('[1]').toString('base64url'), 'not*a*cursor']) {
      const res = await audit(`&after=${after}`);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'after' })]);
    }
    const res = await audit('&after=Zm9v');
    expect(res.body.details).toEqual([
      {
        field: 'after',
        rule: 'cursor',
        message: 'after must be the `next` of a previous page of the same list',
      },
    ]);
  });

  it('filters by stream', async () => {
    const res = await audit(`&stream=counter-${SCHOOL}-b&limit=3`);
    expect(res.body.entries).toHaveLength(3);
    expect(res.body.entries.every((entry: Entry) => entry.streamId === `counter-${SCHOOL}-b`)).toBe(true);
    const rest = await audit(`&stream=counter-${SCHOOL}-b&after=${res.body.nextAfter}`);
    expect(rest.body.entries).toHaveLength(2);
  });

  it('refuses a teacher, and a limit out of range', async () => {
    const teacher = await t
      .http()
      .get(`/schools/${SCHOOL}/audit`)
      .set('Authorization', await tokenFor('teacher'));
    expect(teacher.status).toBe(403);
    const tooMany = await audit('&limit=501', 'principal');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details).toEqual([
      { field: 'limit', rule: 'max', message: 'limit must not be greater than 500' },
    ]);
    const none = await audit('&limit=0', 'principal');
    expect(none.body.details).toEqual([
      { field: 'limit', rule: 'min', message: 'limit must not be less than 1' },
    ]);
  });

  it('lists projection status for admin, auditor and principal', async () => {
    for (const role of ['admin', 'auditor', 'principal'] as const) {
      const res = await t
        .http()
        .get(`/schools/${SCHOOL}/projections`)
        .set('Authorization', await tokenFor(role));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'audit-trail', version: 3, head: expect.any(String) }),
        ]),
      );
    }
  });

  it('rebuilds a projection for a deployment admin only, the old tables answering until the swap', async () => {
    const principal = await t
      .http()
      .post(`/schools/${SCHOOL}/projections/audit-trail/rebuild`)
      .set('Authorization', await tokenFor('principal'));
    expect(principal.status).toBe(403);
    const schoolAdmin = await t
      .http()
      .post(`/schools/${SCHOOL}/projections/audit-trail/rebuild`)
      .set('Authorization', await tokenFor('admin'));
    expect([schoolAdmin.status, schoolAdmin.body.code]).toEqual([403, 'AUTH.DEPLOYMENT_ADMIN_REQUIRED']);
    const admin = await tokenFor('admin', '*');
    const unknown = await t
      .http()
      .post(`/schools/${SCHOOL}/projections/nope/rebuild`)
      .set('Authorization', admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('PROJECTION.UNKNOWN');
    const started = await t
      .http()
      .post(`/schools/${SCHOOL}/projections/audit-trail/rebuild`)
      .set('Authorization', admin);
    expect(started.status).toBe(202);
    // The worker may finish so small a rebuild before it is asked for the status.
    expect(started.body).toMatchObject({ name: 'audit-trail' });
    if (started.body.status === 'building') expect(started.body.build).toMatchObject({ generation: 1 });
    else expect(started.body).toMatchObject({ status: 'live', lag: 0 });
    let status = started.body;
    for (let i = 0; i < 100 && status.status === 'building'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const res = await t.http().get(`/schools/${SCHOOL}/projections`).set('Authorization', admin);
      status = res.body.find((p: { name: string }) => p.name === 'audit-trail');
    }
    expect(status).toMatchObject({ status: 'live', lag: 0 });
    expect((await audit('')).body.entries).toHaveLength(10);
  });
});

describe("a CPE reading the audit trail of the school's attendance", () => {
  let t: TestApp;
  let last = '0';
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule] });
    const store = t.app.get<EventStore>(EVENT_STORE);
    const append = async (streamId: string, schoolId = SCHOOL) => {
      last = (await store.appendToStream(streamId, [anEvent('Recorded', { schoolId })])).position.toString();
    };
    await append(`rollcall-${SCHOOL}-5B-2026-11-16-M1`);
    await append(`counter-${SCHOOL}-a`);
    await append(`attendance-${SCHOOL}-s1`);
    await append(`student-${SCHOOL}-s1`);
    await append(`attendance-${OTHER_SCHOOL}-s9`, OTHER_SCHOOL);
    await append(`school-${SCHOOL}`);
    await append(`attendance-${SCHOOL}-s2`);
  });
  afterAll(() => t.close());

  const audit = async (query: string) =>
    t
      .http()
      .get(`/schools/${SCHOOL}/audit?minPosition=${last}${query}`)
      .set('Authorization', await tokenFor('cpe'));

  it('shows the roll-call and attendance streams of the school, and nothing else', async () => {
    const res = await audit('');
    expect(res.status).toBe(200);
    expect(res.body.entries.map((entry: Entry) => entry.streamId)).toEqual([
      `rollcall-${SCHOOL}-5B-2026-11-16-M1`,
      `attendance-${SCHOOL}-s1`,
      `attendance-${SCHOOL}-s2`,
    ]);
    expect(res.body.nextAfter).toBeNull();
  });

  it('pages through the attendance entries only', async () => {
    const first = await audit('&limit=2');
    expect(first.body.entries.map((entry: Entry) => entry.streamId)).toEqual([
      `rollcall-${SCHOOL}-5B-2026-11-16-M1`,
      `attendance-${SCHOOL}-s1`,
    ]);
    const second = await audit(`&limit=2&after=${first.body.nextAfter}`);
    expect(second.body.entries.map((entry: Entry) => entry.streamId)).toEqual([`attendance-${SCHOOL}-s2`]);
  });

  it("reads a student's attendance entries, not their other streams", async () => {
    const res = await audit('&studentId=s1');
    expect(res.body.entries.map((entry: Entry) => entry.streamId)).toEqual([`attendance-${SCHOOL}-s1`]);
    const principal = await t
      .http()
      .get(`/schools/${SCHOOL}/audit?minPosition=${last}&studentId=s1`)
      .set('Authorization', await tokenFor('principal'));
    expect(principal.body.entries.map((entry: Entry) => entry.streamId)).toEqual([
      `attendance-${SCHOOL}-s1`,
      `student-${SCHOOL}-s1`,
    ]);
  });

  it('reads one attendance stream by name', async () => {
    const res = await audit(`&stream=attendance-${SCHOOL}-s1`);
    expect(res.status).toBe(200);
    expect(res.body.entries.map((entry: Entry) => entry.streamId)).toEqual([`attendance-${SCHOOL}-s1`]);
  });

  it('refuses another stream asked for by name with 403 AUDIT.STREAM_FORBIDDEN', async () => {
    for (const stream of [`student-${SCHOOL}-s1`, `school-${SCHOOL}`, `attendance-${OTHER_SCHOOL}-s9`]) {
      const res = await audit(`&stream=${stream}`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        statusCode: 403,
        code: 'AUDIT.STREAM_FORBIDDEN',
        message: `a CPE reads the audit trail of roll calls and attendance only, not of ${stream}`,
        details: { stream },
      });
    }
  });

  it('leaves the principal reading every stream of the school', async () => {
    const res = await t
      .http()
      .get(`/schools/${SCHOOL}/audit?minPosition=${last}`)
      .set('Authorization', await tokenFor('principal'));
    expect(res.body.entries).toHaveLength(6);
  });
});
