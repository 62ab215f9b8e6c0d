import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TEST_NOW_SECONDS } from '../support/clock';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

const ISSUER = 'https://idp.test/realms/registre';
const AUDIENCE = 'registre-api';

const serveJwks = (keys: JWK[]): Promise<{ server: Server; url: string }> =>
  new Promise((resolve) => {
    const server = createServer((request, response) => {
      if (request.url !== '/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json` }),
    );
  });

const signed = (key: KeyLike, alg: string, kid: string, claims: Record<string, unknown> = {}) =>
  new SignJWT({ role: 'principal', schoolId: SCHOOL, ...claims })
    .setProtectedHeader({ alg, kid })
    .setSubject('principal-idp')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(TEST_NOW_SECONDS)
    .setExpirationTime(TEST_NOW_SECONDS + 600)
    .sign(key)
    .then((token) => `Bearer ${token}`);

describe('tokens from an identity provider (JWKS)', () => {
  const projections = `/schools/${SCHOOL}/projections`;
  let rsa: { privateKey: KeyLike; publicKey: KeyLike };
  let ec: { privateKey: KeyLike; publicKey: KeyLike };
  let jwks: { server: Server; url: string };
  let t: TestApp;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    jwks = await serveJwks([
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ]);
    t = await startTestApp({
      env: {
        REGISTRE_JWT_SECRET: '',
        REGISTRE_JWKS_URL: jwks.url,
        REGISTRE_JWT_ISSUER: ISSUER,
        REGISTRE_JWT_AUDIENCE: AUDIENCE,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => jwks.server.close(resolve));
  });

  it('accepts RS256 and ES256 tokens signed by the provider keys', async () => {
    const viaRsa = await t
      .http()
      .get(projections)
      .set('Authorization', await signed(rsa.privateKey, 'RS256', 'rsa-1'));
    expect(viaRsa.status).toBe(200);
    const viaEc = await t
      .http()
      .get(projections)
      .set('Authorization', await signed(ec.privateKey, 'ES256', 'ec-1'));
    expect(viaEc.status).toBe(200);
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    const stranger = await generateKeyPair('RS256');
    const res = await t
      .http()
      .get(projections)
      .set('Authorization', await signed(stranger.privateKey, 'RS256', 'rsa-1'));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('refuses an HS256 token: with a JWKS, a shared secret proves nothing', async () => {
    const res = await t
      .http()
      .get(projections)
      .set('Authorization', await tokenFor('principal'));
    expect(res.status).toBe(401);
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const otherIssuer = await new SignJWT({ role: 'principal', schoolId: SCHOOL })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setSubject('p')
      .setIssuer('https://evil.test')
      .setAudience(AUDIENCE)
      .setExpirationTime(TEST_NOW_SECONDS + 600)
      .sign(rsa.privateKey);
    expect((await t.http().get(projections).set('Authorization', `Bearer ${otherIssuer}`)).status).toBe(401);
    const otherAudience = await new SignJWT({ role: 'principal', schoolId: SCHOOL })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setSubject('p')
      .setIssuer(ISSUER)
      .setAudience('another-api')
      .setExpirationTime(TEST_NOW_SECONDS + 600)
      .sign(rsa.privateKey);
    expect((await t.http().get(projections).set('Authorization', `Bearer ${otherAudience}`)).status).toBe(
      401,
    );
  });

  it('still applies school binding to provider tokens', async () => {
    const res = await t
      .http()
      .get('/schools/0670002B/projections')
      .set('Authorization', await signed(rsa.privateKey, 'RS256', 'rsa-1'));
    expect(res.status).toBe(403);
  });
});

describe('an unreachable identity provider', () => {
  it('answers 503 AUTH.JWKS_UNAVAILABLE rather than calling the token invalid', async () => {
    const closed = await serveJwks([]);
    await new Promise((resolve) => closed.server.close(resolve));
    const t = await startTestApp({ env: { REGISTRE_JWT_SECRET: '', REGISTRE_JWKS_URL: closed.url } });
    try {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT({ role: 'admin', schoolId: SCHOOL })
        .setProtectedHeader({ alg: 'RS256', kid: 'k' })
        .setSubject('a')
        .setExpirationTime(TEST_NOW_SECONDS + 600)
        .sign(privateKey);
      const res = await t
        .http()
        .get(`/schools/${SCHOOL}/projections`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('AUTH.JWKS_UNAVAILABLE');
    } finally {
      await t.close();
    }
  });
});

describe('an identity provider that goes away after its keys were fetched', () => {
  it('answers an unknown kid with 503 AUTH.JWKS_UNAVAILABLE, and 401 while the provider answers', async () => {
    const rsa = await generateKeyPair('RS256');
    const jwks = await serveJwks([{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256' }]);
    const t = await startTestApp({ env: { REGISTRE_JWT_SECRET: '', REGISTRE_JWKS_URL: jwks.url } });
    const projections = `/schools/${SCHOOL}/projections`;
    const rotated = await generateKeyPair('RS256');
    const tokenOf = (key: KeyLike, kid: string) =>
      new SignJWT({ role: 'principal', schoolId: SCHOOL })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject('principal-idp')
        .setIssuedAt(TEST_NOW_SECONDS)
        .setExpirationTime(TEST_NOW_SECONDS + 600)
        .sign(key)
        .then((token) => `Bearer ${token}`);
    try {
      const known = await t
        .http()
        .get(projections)
        .set('Authorization', await tokenOf(rsa.privateKey, 'rsa-1'));
      expect(known.status).toBe(200);
      const unknownWhileUp = await t
        .http()
        .get(projections)
        .set('Authorization', await tokenOf(rotated.privateKey, 'rsa-2'));
      expect(unknownWhileUp.status).toBe(401);
      expect(unknownWhileUp.body.code).toBe('AUTH.TOKEN_INVALID');

      jwks.server.closeAllConnections();
      await new Promise((resolve) => jwks.server.close(resolve));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const unknownWhileDown = await t
        .http()
        .get(projections)
        .set('Authorization', await tokenOf(rotated.privateKey, 'rsa-3'));
      expect(unknownWhileDown.status).toBe(503);
      expect(unknownWhileDown.body.code).toBe('AUTH.JWKS_UNAVAILABLE');
      expect(unknownWhileDown.headers['retry-after']).toBe('5');
    } finally {
      await t.close();
      if (jwks.server.listening) await new Promise((resolve) => jwks.server.close(resolve));
    }
  }, 20_000);
});
