import { SignJWT } from 'jose';
import { CounterTestModule } from '../support/counter-slice';
import { TEST_NOW_SECONDS } from '../support/clock';
import { OTHER_SCHOOL, SCHOOL, startTestApp, TEST_SECRET, TestApp, tokenFor } from '../support/http';

const projections = `/schools/${SCHOOL}/projections`;
const increments = (school = SCHOOL) => `/schools/${school}/counters/c1/increments`;

const rawToken = (claims: Record<string, unknown>, secret: string, lifetimeSeconds: number | null) => {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(TEST_NOW_SECONDS);
  if (lifetimeSeconds !== null) jwt = jwt.setExpirationTime(TEST_NOW_SECONDS + lifetimeSeconds);
  return jwt.sign(new TextEncoder().encode(secret)).then((token) => `Bearer ${token}`);
};

describe('authentication and authorisation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule] });
  });
  afterAll(() => t.close());

  it('refuses a request without a token with 401 AUTH.UNAUTHENTICATED', async () => {
    const res = await t.http().get(projections);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      statusCode: 401,
      code: 'AUTH.UNAUTHENTICATED',
      message: expect.stringContaining('Bearer'),
      details: {},
    });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses an expired token with 401 AUTH.TOKEN_EXPIRED', async () => {
    const res = await t
      .http()
      .get(projections)
      .set('Authorization', await tokenFor('admin', SCHOOL, { ttl: '-1h' }));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.TOKEN_EXPIRED');
  });

  it('refuses a token signed with another secret with 401', async () => {
    const forged = await tokenFor('admin', SCHOOL, { secret: 'another-secret-of-at-least-32-characters!!' });
    const res = await t.http().get(projections).set('Authorization', forged);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await tokenFor('cpe')).slice('Bearer '.length).split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'x', role: 'admin', schoolId: '*', exp: 9999999999 }),
    ).toString('base64url');
    const res = await t
      .http()
      .get(projections)
      .set('Authorization', `Bearer ${header}.${payload}.${signature}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it.each([
    ['garbage', 'Bearer not-a-jwt'],
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s with 401', async (_, header) => {
    const res = await t.http().get(projections).set('Authorization', header);
    expect(res.status).toBe(401);
    expect(res.body.code).toMatch(/^AUTH\.(UNAUTHENTICATED|TOKEN_INVALID)$/);
  });

  it.each([
    ['without exp', { sub: 'a', role: 'admin', schoolId: SCHOOL }, null],
    ['with an unknown role', { sub: 'a', role: 'janitor', schoolId: SCHOOL }, 3600],
    ['with a school that is not a UAI', { sub: 'a', role: 'admin', schoolId: '67' }, 3600],
    [
      'of a teacher without classes',
      { sub: 'a', role: 'teacher', schoolId: SCHOOL, subjects: ['MATHS'] },
      3600,
    ],
    ['of a principal claiming all schools', { sub: 'a', role: 'principal', schoolId: '*' }, 3600],
    ['without sub', { role: 'admin', schoolId: SCHOOL }, 3600],
  ])('refuses a token %s with 401 AUTH.TOKEN_INVALID', async (_, claims, lifetimeSeconds) => {
    const res = await t
      .http()
      .get(projections)
      .set('Authorization', await rawToken(claims, TEST_SECRET, lifetimeSeconds));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('refuses an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'a', role: 'admin', schoolId: SCHOOL, exp: 9999999999 }),
    ).toString('base64url');
    const res = await t.http().get(projections).set('Authorization', `Bearer ${header}.${payload}.`);
    expect(res.status).toBe(401);
  });

  it('refuses another school with 403 AUTH.SCHOOL_FORBIDDEN', async () => {
    const res = await t
      .http()
      .get(`/schools/${OTHER_SCHOOL}/projections`)
      .set('Authorization', await tokenFor('admin'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AUTH.SCHOOL_FORBIDDEN', details: { schoolId: OTHER_SCHOOL } });
  });

  it('refuses a role the route does not allow with 403 AUTH.ROLE_FORBIDDEN', async () => {
    const res = await t
      .http()
      .get(projections)
      .set('Authorization', await tokenFor('cpe'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AUTH.ROLE_FORBIDDEN', details: { role: 'cpe' } });
  });

  it('refuses any write from an auditor with 403, even on a route without @Roles', async () => {
    const auditor = await tokenFor('auditor');
    const write = await t.http().post(increments()).set('Authorization', auditor).send({ by: 1 });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('AUTH.READ_ONLY_ROLE');
    const explode = await t
      .http()
      .post(`/schools/${SCHOOL}/counters/c1/explode`)
      .set('Authorization', auditor);
    expect(explode.status).toBe(403);
  });

  it('lets a valid token through', async () => {
    const res = await t
      .http()
      .get(projections)
      .set('Authorization', await tokenFor('principal'));
    expect(res.status).toBe(200);
    expect(res.body.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['audit-trail', 'stream-stats']),
    );
  });

  it('lets an all-schools admin into any school, and binds a school admin to its own', async () => {
    const everywhere = await tokenFor('admin', '*');
    expect(
      (await t.http().get(`/schools/${OTHER_SCHOOL}/projections`).set('Authorization', everywhere)).status,
    ).toBe(200);
    const bound = await tokenFor('admin', SCHOOL);
    expect(
      (await t.http().get(`/schools/${OTHER_SCHOOL}/projections`).set('Authorization', bound)).status,
    ).toBe(403);
  });

  it('takes the actor and school of a command from the token, never from the body', async () => {
    const sneaky = await t
      .http()
      .post(increments())
      .set('Authorization', await tokenFor('cpe', SCHOOL, { sub: 'cpe-honest' }))
      .send({ by: 1, actor: { id: 'principal-01', role: 'principal' } });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.details).toEqual([expect.objectContaining({ field: 'actor', rule: 'unknownField' })]);

    const written = await t
      .http()
      .post(increments())
      .set('Authorization', await tokenFor('cpe', SCHOOL, { sub: 'cpe-honest' }))
      .send({ by: 1 });
    expect(written.status).toBe(201);
    const trail = await t
      .http()
      .get(`/schools/${SCHOOL}/audit?minPosition=${written.body.position}`)
      .set('Authorization', await tokenFor('auditor'));
    expect(trail.body.entries).toEqual([
      expect.objectContaining({
        actorId: 'cpe-honest',
        actorRole: 'cpe',
        schoolId: SCHOOL,
        type: 'CounterIncremented',
      }),
    ]);
  });
});
