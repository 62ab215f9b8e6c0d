import { connect, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { errorResponse } from '../../src/api/errors/error-response';
import { CounterTestModule } from '../support/counter-slice';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

const increments = `/schools/${SCHOOL}/counters/c1/increments`;

const nested = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

interface RawAnswer {
  readonly text: string;
  /** Milliseconds from the first byte written to the socket's close or the first answer bytes. */
  readonly ms: number;
  readonly closed: boolean;
}

/**
 * Writes `head` on a raw socket and waits for the server's first bytes (or the socket's end),
 * at most `capMs`: what a client that never finishes its request sees.
 */
const rawRequest = async (t: TestApp, head: string, capMs: number): Promise<RawAnswer> => {
  const server = t.app.getHttpServer();
  if (!server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const started = Date.now();
    let text = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(cap);
      socket.destroy();
      resolve({ text, ms: Date.now() - started, closed });
    };
    const cap = setTimeout(() => finish(false), capMs);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) setTimeout(() => finish(socket.destroyed), 50);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(head);
  });
};

describe('request edges: bodies, methods', () => {
  let t: TestApp;
  let cpe: string;
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule] });
    cpe = await tokenFor('cpe');
  });
  afterAll(() => t.close());

  const postRaw = (body: string) =>
    t.http().post(increments).set('Authorization', cpe).set('Content-Type', 'application/json').send(body);

  it('refuses JSON nested 1,500 levels deep with 400 INVALID_JSON.TOO_DEEP, not 500', async () => {
    const res = await postRaw(`{"by":1,"origin":${nested(1500)}}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      code: 'INVALID_JSON.TOO_DEEP',
      message: 'the request body nests objects and arrays more than 32 levels deep',
      details: { maxDepth: 32 },
    });
  });

  it('counts depth outside strings only, and lets 32 levels reach validation', async () => {
    const inString = await postRaw(JSON.stringify({ by: 1, reason: '[[[['.repeat(100) }));
    expect(inString.status).toBe(201);
    const atLimit = await postRaw(`{"by":1,"origin":${nested(31)}}`);
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.code).toBe('VALIDATION');
  });

  it('refuses a JSON body over the 1 MiB limit with 413', async () => {
    const res = await postRaw(JSON.stringify({ by: 1, reason: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.statusCode).toBe(413);
  });

  it('answers a deeply bracketed query string with 400, not 500', async () => {
    const key = `a${'[b]'.repeat(1500)}`;
    const res = await t
      .http()
      .get(`/schools/${SCHOOL}/audit?${key}=1`)
      .set('Authorization', await tokenFor('principal'));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION');
  });

  it('answers TRACE, PUT and DELETE on an existing path with 405 and the Allow header', async () => {
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH']) {
      const res = await rawRequest(
        t,
        `${method} /schools/${SCHOOL}/projections HTTP/1.1\r\nHost: x\r\nAuthorization: ${cpe}\r\nConnection: close\r\n\r\n`,
        3000,
      );
      expect(res.text).toMatch(/^HTTP\/1\.1 405 /);
      expect(res.text).toMatch(/\r\nallow: GET, HEAD\r\n/i);
      expect(res.text).toContain('"code":"METHOD_NOT_ALLOWED"');
    }
    const health = await t.http().delete('/health');
    expect(health.status).toBe(405);
    expect(health.headers.allow).toBe('GET, HEAD');
    const post = await t.http().get(increments).set('Authorization', cpe);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('POST');
  });

  it('answers a request Node cannot parse with 400 in the API error shape', async () => {
    const res = await rawRequest(t, 'FOO /health HTTP/1.1\r\nHost: x\r\n\r\n', 3000);
    expect(res.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(res.text).toContain(
      '{"statusCode":400,"code":"BAD_REQUEST","message":"the request is not valid HTTP","details":{}}',
    );
  });

  it('answers a path that does not decode, and an overlong path parameter, in the API error shape', async () => {
    const badUrl = await t
      .http()
      .get(`/schools/${SCHOOL}/classes/%ED%A0%80/students`)
      .set('Authorization', cpe);
    expect([badUrl.status, badUrl.body]).toEqual([
      400,
      {
        statusCode: 400,
        code: 'BAD_URL',
        message: 'the path is not a valid URL: a percent-encoded part does not decode to UTF-8',
        details: {},
      },
    ]);
    const long = await t
      .http()
      .get(`/schools/${SCHOOL}/classes/${'x'.repeat(101)}/students`)
      .set('Authorization', cpe);
    expect([long.status, long.body]).toEqual([
      414,
      {
        statusCode: 414,
        code: 'PATH_PARAMETER_TOO_LONG',
        message: 'a path parameter is longer than the API accepts',
        details: {},
      },
    ]);
  });

  it('keeps 404 for a path that does not exist, whatever the method', async () => {
    const res = await t.http().delete('/no/such/route').set('Authorization', cpe);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('refuses an unsigned request announcing a 50 MiB body with 401 before the body is sent', async () => {
    const res = await rawRequest(
      t,
      `POST ${increments} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n`,
      3000,
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 401 /);
    expect(res.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(res.text).toContain('"code":"AUTH.UNAUTHENTICATED"');
    expect(res.ms).toBeLessThan(2000);
  });

  it('does not invite an unsigned Expect: 100-continue request to send its body', async () => {
    const res = await rawRequest(
      t,
      `POST ${increments} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\nExpect: 100-continue\r\n\r\n`,
      3000,
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('invites a signed Expect: 100-continue request to send its body, then answers it', async () => {
    const body = '{"by":1}';
    const server = t.app.getHttpServer();
    if (!server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    const text = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      const cap = setTimeout(() => socket.destroy(), 3000);
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        if (received === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write(body);
      });
      socket.on('close', () => {
        clearTimeout(cap);
        resolve(received);
      });
      socket.write(
        `POST ${increments} HTTP/1.1\r\nHost: x\r\nAuthorization: ${cpe}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
      );
    });
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 /);
  });

  it('keeps /health, /docs, its assets and /docs-json public', async () => {
    for (const path of ['/health', '/docs', '/docs/swagger-ui.css', '/docs-json'])
      expect([path, (await t.http().get(path)).status]).toEqual([path, 200]);
  });

  it('refuses a forged token on a body route before the body is sent', async () => {
    const forged = await tokenFor('cpe', SCHOOL, { secret: 'another-secret-that-is-long-enough-000' });
    const res = await rawRequest(
      t,
      `POST ${increments} HTTP/1.1\r\nHost: x\r\nAuthorization: ${forged}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"by":`,
      3000,
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 401 /);
    expect(res.text).toContain('"code":"AUTH.TOKEN_INVALID"');
  });
});

describe('request edges: slow clients', () => {
  let t: TestApp;
  let cpe: string;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [CounterTestModule],
      env: { REGISTRE_REQUEST_TIMEOUT_MS: '1000', REGISTRE_HEADERS_TIMEOUT_MS: '500' },
    });
    cpe = await tokenFor('cpe');
  });
  afterAll(() => t.close());

  it('answers 408 and closes a signed request whose body stops arriving, within the request timeout', async () => {
    const res = await rawRequest(
      t,
      `POST ${increments} HTTP/1.1\r\nHost: x\r\nAuthorization: ${cpe}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"by":`,
      5000,
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(res.text).toContain(
      '{"statusCode":408,"code":"REQUEST_TIMEOUT","message":"the request did not arrive in full within the time allowed","details":{}}',
    );
    expect(res.ms).toBeGreaterThanOrEqual(900);
    expect(res.ms).toBeLessThan(2500);
  });

  it('closes a connection whose headers stop arriving, within the headers timeout', async () => {
    const res = await rawRequest(t, `GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: `, 5000);
    expect(res.closed || res.text.startsWith('HTTP/1.1 408')).toBe(true);
    expect(res.ms).toBeLessThan(2000);
  });
});

describe('errorResponse for a RangeError', () => {
  it('answers 400 rather than 500: deep or odd input overflowed something on the way', () => {
    const overflow = new RangeError('Maximum call stack size exceeded');
    const answer = errorResponse(overflow, 'req-1');
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'INPUT_TOO_COMPLEX',
      message: 'the request could not be processed: it nests too deeply or holds an out-of-range value',
      details: {},
    });
    expect(answer.unexpected).toBe(true);
  });
});
