import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const SECRET = 's'.repeat(32);

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'registre-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (vars: Record<string, string> = {}) => ({
    REGISTRE_DB_PATH: join(dir, 'registre.db'),
    REGISTRE_JWT_SECRET: SECRET,
    ...vars,
  });

  const problemOf = (vars: Record<string, string>): string => {
    try {
      loadConfig(env(vars));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).message;
    }
    throw new Error(`accepted ${JSON.stringify(vars)}`);
  };

  it('gives the documented defaults', () => {
    const config = loadConfig({ REGISTRE_JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      store: 'sqlite',
      dbPath: join(process.cwd(), 'data', 'registre.db'),
      readModelsPath: join(process.cwd(), 'data', 'registre.read-models.db'),
      keysPath: join(process.cwd(), 'data', 'registre.keys.db'),
      synchronous: 'full',
      logLevel: 'info',
      demo: false,
      waitMs: 2000,
      waitMaxMs: 30_000,
      healthMaxLagMs: 1000,
      auth: { kind: 'secret', secret: SECRET, source: 'env' },
      projectionThread: 'worker',
      imports: { maxBytes: 52428800, concurrency: 2, queue: 4, workerMemoryMb: 1536, maxStudents: 10000 },
      reads: { threads: 2, queue: 1000, inFlight: 4, niceness: 10 },
    });
  });

  it('caps tokens at 12 hours and bounds slow and large requests by default', () => {
    const config = loadConfig({ REGISTRE_JWT_SECRET: SECRET });
    expect(config.auth.maxLifetimeSeconds).toBe(43_200);
    expect(config.http).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      jsonBodyLimitBytes: 1_048_576,
    });
  });

  it.each([
    ['90s', 90],
    ['30m', 1800],
    ['1d', 86_400],
    ['3600', 3600],
  ])('reads REGISTRE_JWT_MAX_LIFETIME=%s as %i seconds', (value, seconds) => {
    expect(loadConfig(env({ REGISTRE_JWT_MAX_LIFETIME: value })).auth.maxLifetimeSeconds).toBe(seconds);
  });

  it('puts read models beside the events file, or where REGISTRE_READ_MODELS_PATH says', () => {
    const beside = loadConfig({ REGISTRE_JWT_SECRET: SECRET, REGISTRE_DB_PATH: join(dir, 'school.sqlite') });
    expect(beside.readModelsPath).toBe(join(dir, 'school.read-models.db'));
    const elsewhere = loadConfig({
      REGISTRE_JWT_SECRET: SECRET,
      REGISTRE_READ_MODELS_PATH: join(dir, 'views', 'rm.db'),
    });
    expect(elsewhere.readModelsPath).toBe(join(dir, 'views', 'rm.db'));
  });

  it('keeps the students keys in a file of their own, beside the events unless REGISTRE_KEYS_PATH says', () => {
    const beside = loadConfig({ REGISTRE_JWT_SECRET: SECRET, REGISTRE_DB_PATH: join(dir, 'school.sqlite') });
    expect(beside.keysPath).toBe(join(dir, 'school.keys.db'));
    expect(problemOf({ REGISTRE_DB_PATH: join(dir, 'a.db'), REGISTRE_KEYS_PATH: join(dir, 'a.db') })).toBe(
      'REGISTRE_KEYS_PATH must be a file of its own, neither the events nor the read models',
    );
  });

  it('reads every variable', () => {
    const config = loadConfig({
      REGISTRE_PORT: '8080',
      REGISTRE_HOST: '127.0.0.1',
      REGISTRE_STORE: 'esdb',
      REGISTRE_ESDB_URL: 'esdb://localhost:2113?tls=false',
      REGISTRE_DB_PATH: join(dir, 'rm.db'),
      REGISTRE_KEYS_PATH: join(dir, 'keys', 'k.db'),
      REGISTRE_SYNCHRONOUS: 'normal',
      REGISTRE_JWKS_URL: 'https://idp.example/jwks.json',
      REGISTRE_JWT_ISSUER: 'https://idp.example',
      REGISTRE_JWT_AUDIENCE: 'registre',
      REGISTRE_LOG_LEVEL: 'debug',
      REGISTRE_DEMO: '1',
      REGISTRE_WAIT_MS: '500',
      REGISTRE_WAIT_MAX_MS: '10000',
      REGISTRE_HEALTH_MAX_LAG_MS: '5000',
      REGISTRE_PROJECTION_DELAY_MS: '0',
      REGISTRE_PROJECTION_THREAD: 'main',
      REGISTRE_JWT_MAX_LIFETIME: '8h',
      REGISTRE_REQUEST_TIMEOUT_MS: '20000',
      REGISTRE_HEADERS_TIMEOUT_MS: '5000',
      REGISTRE_JSON_BODY_LIMIT: '65536',
      REGISTRE_IMPORT_MAX_BYTES: '1048576',
      REGISTRE_IMPORT_CONCURRENCY: '1',
      REGISTRE_IMPORT_QUEUE: '0',
      REGISTRE_IMPORT_WORKER_MEMORY_MB: '256',
      REGISTRE_IMPORT_MAX_STUDENTS: '3000',
      REGISTRE_READ_THREADS: '0',
      REGISTRE_READ_QUEUE: '50',
      REGISTRE_READ_IN_FLIGHT: '2',
      REGISTRE_READ_NICENESS: '0',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      store: 'esdb',
      esdbUrl: 'esdb://localhost:2113?tls=false',
      dbPath: join(dir, 'rm.db'),
      readModelsPath: join(dir, 'rm.db'),
      keysPath: join(dir, 'keys', 'k.db'),
      synchronous: 'normal',
      auth: {
        kind: 'jwks',
        jwksUrl: 'https://idp.example/jwks.json',
        issuer: 'https://idp.example',
        audience: 'registre',
        maxLifetimeSeconds: 28_800,
      },
      logLevel: 'debug',
      demo: true,
      waitMs: 500,
      waitMaxMs: 10_000,
      healthMaxLagMs: 5000,
      projectionDelayMs: 0,
      projectionThread: 'main',
      http: { requestTimeoutMs: 20_000, headersTimeoutMs: 5000, jsonBodyLimitBytes: 65_536 },
      imports: { maxBytes: 1048576, concurrency: 1, queue: 0, workerMemoryMb: 256, maxStudents: 3000 },
      reads: { threads: 0, queue: 50, inFlight: 2, niceness: 0 },
    });
  });

  it('keeps read models in ./data/read-models.db by default with EventStoreDB', () => {
    const config = loadConfig({
      REGISTRE_STORE: 'esdb',
      REGISTRE_ESDB_URL: 'esdb://h:2113',
      REGISTRE_JWT_SECRET: SECRET,
    });
    expect(config.dbPath).toBe(join(process.cwd(), 'data', 'read-models.db'));
  });

  it.each([
    [{ REGISTRE_PORT: 'abc' }, "REGISTRE_PORT must be an integer 1–65535, got 'abc'"],
    [{ REGISTRE_PORT: '70000' }, 'REGISTRE_PORT must be an integer 1–65535'],
    [{ REGISTRE_PORT: '3000.5' }, 'REGISTRE_PORT must be an integer'],
    [{ REGISTRE_STORE: 'postgres' }, "REGISTRE_STORE must be one of sqlite|esdb, got 'postgres'"],
    [{ REGISTRE_SYNCHRONOUS: 'off' }, 'REGISTRE_SYNCHRONOUS must be one of full|normal'],
    [{ REGISTRE_STORE: 'esdb' }, 'REGISTRE_ESDB_URL is required when REGISTRE_STORE=esdb'],
    [{ REGISTRE_ESDB_URL: 'http://localhost:2113' }, 'REGISTRE_ESDB_URL must be a URL starting with esdb://'],
    [{ REGISTRE_JWT_SECRET: 'short' }, 'REGISTRE_JWT_SECRET must be at least 32 characters, got 5'],
    [{ REGISTRE_JWKS_URL: 'https://idp/jwks' }, 'REGISTRE_JWT_SECRET and REGISTRE_JWKS_URL are both set'],
    [
      { REGISTRE_JWT_SECRET: '', REGISTRE_JWKS_URL: 'not a url' },
      'REGISTRE_JWKS_URL must be a URL starting with https://',
    ],
    [
      { REGISTRE_LOG_LEVEL: 'verbose' },
      'REGISTRE_LOG_LEVEL must be one of fatal|error|warn|info|debug|trace|silent',
    ],
    [{ REGISTRE_DEMO: 'yes' }, "REGISTRE_DEMO must be one of 0|1, got 'yes'"],
    [{ REGISTRE_WAIT_MS: '-1' }, 'REGISTRE_WAIT_MS must be an integer 0–60000'],
    [
      { REGISTRE_WAIT_MS: '5000', REGISTRE_WAIT_MAX_MS: '4000' },
      'REGISTRE_WAIT_MAX_MS must not be below REGISTRE_WAIT_MS (5000)',
    ],
    [{ REGISTRE_HEALTH_MAX_LAG_MS: '1s' }, 'REGISTRE_HEALTH_MAX_LAG_MS must be an integer 0–86400000'],
    [{ REGISTRE_PROJECTION_DELAY_MS: '5000' }, 'REGISTRE_PROJECTION_DELAY_MS must be an integer 0–1000'],
    [
      { REGISTRE_PROJECTION_THREAD: 'both' },
      "REGISTRE_PROJECTION_THREAD must be one of worker|main, got 'both'",
    ],
    [
      { REGISTRE_JWT_MAX_LIFETIME: '100y' },
      "REGISTRE_JWT_MAX_LIFETIME must be a time span 60s–30d such as 90s, 30m, 12h or 1d, got '100y'",
    ],
    [{ REGISTRE_JWT_MAX_LIFETIME: '31d' }, 'REGISTRE_JWT_MAX_LIFETIME must be a time span 60s–30d'],
    [{ REGISTRE_REQUEST_TIMEOUT_MS: '0' }, 'REGISTRE_REQUEST_TIMEOUT_MS must be an integer 500–600000'],
    [
      { REGISTRE_REQUEST_TIMEOUT_MS: '5000', REGISTRE_HEADERS_TIMEOUT_MS: '10000' },
      'REGISTRE_HEADERS_TIMEOUT_MS must not exceed REGISTRE_REQUEST_TIMEOUT_MS (5000)',
    ],
    [{ REGISTRE_JSON_BODY_LIMIT: '1mb' }, 'REGISTRE_JSON_BODY_LIMIT must be an integer 1024–16777216'],
    [{ REGISTRE_IMPORT_MAX_STUDENTS: '0' }, 'REGISTRE_IMPORT_MAX_STUDENTS must be an integer 1–1000000'],
    [
      { REGISTRE_IMPORT_MAX_STUDENTS: '10k' },
      "REGISTRE_IMPORT_MAX_STUDENTS must be an integer 1–1000000, got '10k'",
    ],
    [{ REGISTRE_READ_THREADS: '17' }, "REGISTRE_READ_THREADS must be an integer 0–16, got '17'"],
    [{ REGISTRE_READ_QUEUE: '-1' }, 'REGISTRE_READ_QUEUE must be an integer 0–100000'],
    [{ REGISTRE_READ_IN_FLIGHT: '0' }, 'REGISTRE_READ_IN_FLIGHT must be an integer 1–64'],
    [{ REGISTRE_READ_NICENESS: '20' }, 'REGISTRE_READ_NICENESS must be an integer 0–19'],
    [
      { REGISTRE_DB_PATH: '/srv/r.db', REGISTRE_READ_MODELS_PATH: '/srv/r.db' },
      'REGISTRE_READ_MODELS_PATH must not be the events file (REGISTRE_DB_PATH)',
    ],
  ])('refuses %j naming the variable and the rule', (vars, expected) => {
    expect(problemOf(vars)).toContain(expected);
  });

  it('never prints a secret it refuses', () => {
    expect(problemOf({ REGISTRE_JWT_SECRET: 'hunter2-hunter2' })).not.toContain('hunter2');
  });

  it('reports every wrong variable at once', () => {
    const message = problemOf({ REGISTRE_PORT: 'x', REGISTRE_STORE: 'y', REGISTRE_WAIT_MS: 'z' });
    expect(message.split('\n')).toHaveLength(3);
  });

  it('creates a secret beside the database once (0600) and reuses it', () => {
    const vars = { REGISTRE_DB_PATH: join(dir, 'nested', 'registre.db') };
    const first = loadConfig(vars);
    expect(first.auth).toMatchObject({
      kind: 'secret',
      source: 'generated',
      file: join(dir, 'nested', 'jwt-secret'),
    });
    const file = join(dir, 'nested', 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.auth.kind === 'secret' ? first.auth.secret : '');
    expect(first.auth.kind === 'secret' && first.auth.secret.length).toBeGreaterThanOrEqual(32);
    const second = loadConfig(vars);
    expect(second.auth).toEqual({ ...first.auth, source: 'file' });
  });

  it('creates no secret file when the configuration is refused', () => {
    expect(() => loadConfig({ REGISTRE_DB_PATH: join(dir, 'registre.db'), REGISTRE_PORT: '0' })).toThrow(
      ConfigError,
    );
    expect(() => statSync(join(dir, 'jwt-secret'))).toThrow();
  });
});
