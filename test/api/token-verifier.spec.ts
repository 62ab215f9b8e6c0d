import { SignJWT } from 'jose';
import { createTokenVerifier } from '../../src/api/auth/token-verifier';
import { ManualClock, TEST_NOW } from '../support/clock';
import { TEST_SECRET } from '../support/http';

const SCHOOL = '0670001A';
const secret = new TextEncoder().encode(TEST_SECRET);
const NOW_SECONDS = new Date(TEST_NOW).getTime() / 1000;
const verifierFor = (clock = new ManualClock()) =>
  createTokenVerifier({ kind: 'secret', secret: TEST_SECRET, source: 'env' }, clock);

const tokenExpiringIn = (seconds: number, claims: Record<string, unknown> = {}) =>
  new SignJWT({ role: 'cpe', schoolId: SCHOOL, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('cpe-01')
    .setIssuedAt(NOW_SECONDS)
    .setExpirationTime(NOW_SECONDS + seconds)
    .sign(secret);

describe('token verifier: tokens verified a moment ago', () => {
  it('refuses a token once it has expired, even though it was accepted before', async () => {
    const clock = new ManualClock();
    const verifier = verifierFor(clock);
    const token = await tokenExpiringIn(10);
    await expect(verifier.verify(token)).resolves.toMatchObject({
      sub: 'cpe-01',
      role: 'cpe',
      schoolId: SCHOOL,
    });
    clock.advance(30_000);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH.TOKEN_EXPIRED' });
  });

  it('answers a token again with the same user, and never lends it to a token that differs', async () => {
    const verifier = verifierFor();
    const token = await tokenExpiringIn(3600);
    const first = await verifier.verify(token);
    await expect(verifier.verify(token)).resolves.toEqual(first);
    const [header, payload, signature] = token.split('.');
    const otherSignature = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verifier.verify(`${header}.${payload}.${otherSignature}`)).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
    });
  });

  it('refuses a token whose claims are not usable every time it is sent', async () => {
    const verifier = verifierFor();
    const token = await tokenExpiringIn(3600, { role: 'janitor' });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });
});

describe('token verifier: lifetime and issue time', () => {
  const nowSeconds = () => NOW_SECONDS;
  const tokenWith = (times: { iat?: number; exp?: number }) => {
    let jwt = new SignJWT({ role: 'cpe', schoolId: SCHOOL })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('cpe-01');
    if (times.iat !== undefined) jwt = jwt.setIssuedAt(times.iat);
    if (times.exp !== undefined) jwt = jwt.setExpirationTime(times.exp);
    return jwt.sign(secret);
  };

  it('refuses a token valid for 100 years with 401 AUTH.TOKEN_LIFETIME_TOO_LONG', async () => {
    const iat = nowSeconds();
    const token = await tokenWith({ iat, exp: iat + 100 * 365 * 86_400 });
    await expect(verifierFor().verify(token)).rejects.toMatchObject({
      status: 401,
      code: 'AUTH.TOKEN_LIFETIME_TOO_LONG',
      details: { lifetimeSeconds: 3_153_600_000, maxLifetimeSeconds: 43_200 },
    });
  });

  it('accepts exactly the configured lifetime, and refuses one second more', async () => {
    const iat = nowSeconds();
    const verifier = createTokenVerifier(
      { kind: 'secret', secret: TEST_SECRET, source: 'env', maxLifetimeSeconds: 3600 },
      new ManualClock(),
    );
    await expect(verifier.verify(await tokenWith({ iat, exp: iat + 3600 }))).resolves.toMatchObject({
      sub: 'cpe-01',
    });
    await expect(verifier.verify(await tokenWith({ iat, exp: iat + 3601 }))).rejects.toMatchObject({
      code: 'AUTH.TOKEN_LIFETIME_TOO_LONG',
    });
  });

  it('refuses a token issued in the future beyond a minute, with 401 AUTH.TOKEN_ISSUED_IN_FUTURE', async () => {
    const iat = nowSeconds() + 3600;
    await expect(verifierFor().verify(await tokenWith({ iat, exp: iat + 600 }))).rejects.toMatchObject({
      status: 401,
      code: 'AUTH.TOKEN_ISSUED_IN_FUTURE',
    });
    const slightlyAhead = nowSeconds() + 30;
    await expect(
      verifierFor().verify(await tokenWith({ iat: slightlyAhead, exp: slightlyAhead + 600 })),
    ).resolves.toMatchObject({ sub: 'cpe-01' });
  });

  it('refuses a token without iat, or without exp', async () => {
    await expect(verifierFor().verify(await tokenWith({ exp: nowSeconds() + 600 }))).rejects.toMatchObject({
      status: 401,
      code: 'AUTH.TOKEN_INVALID',
    });
    await expect(verifierFor().verify(await tokenWith({ iat: nowSeconds() }))).rejects.toMatchObject({
      status: 401,
      code: 'AUTH.TOKEN_INVALID',
    });
  });
});
