import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

export type StoreKind = 'sqlite' | 'esdb';
export type Synchronous = 'full' | 'normal';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** Where the projection runner applies events: its own worker thread, or the thread serving HTTP. */
export type ProjectionThread = 'worker' | 'main';

const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'esdb'];
const SYNCHRONOUS_MODES: readonly Synchronous[] = ['full', 'normal'];
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const PROJECTION_THREADS: readonly ProjectionThread[] = ['worker', 'main'];
const MIN_SECRET_LENGTH = 32;
const MAX_WAIT_MS = 60_000;
const MIB = 1024 * 1024;
/** A token lives at most this long unless REGISTRE_JWT_MAX_LIFETIME says otherwise: one school day. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 12 * 3600;
const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;
const TIME_SPAN_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Where JWT signatures are checked against: a shared secret (HS256) or an identity provider's JWKS. */
export type AuthConfig =
  | {
      readonly kind: 'secret';
      readonly secret: string;
      /** 'generated': created on this start in `file`; 'file': reused from `file`; 'env': REGISTRE_JWT_SECRET. */
      readonly source: 'env' | 'file' | 'generated';
      readonly file?: string;
      readonly issuer?: string;
      readonly audience?: string;
      /** Longest `exp − iat` accepted, in seconds; also the longest `registre token --ttl`. */
      readonly maxLifetimeSeconds?: number;
    }
  | {
      readonly kind: 'jwks';
      readonly jwksUrl: string;
      readonly issuer?: string;
      readonly audience?: string;
      readonly maxLifetimeSeconds?: number;
    };

/** How long requests may take to arrive, and how large a JSON body may be. */
export interface HttpLimits {
  /** Until the request line and headers have arrived (Node `headersTimeout`). */
  readonly headersTimeoutMs: number;
  /** Until the whole request, body included, has arrived (Node `requestTimeout`): 408, then closed. */
  readonly requestTimeoutMs: number;
  readonly jsonBodyLimitBytes: number;
}

export interface RegistreConfig {
  readonly port: number;
  readonly host: string;
  readonly store: StoreKind;
  /** The SQLite file of the events (sqlite); with esdb, the read models' file. Absolute. */
  readonly dbPath: string;
  /**
   * The read models' own SQLite file, absolute. Apart from the events so that the projection worker
   * never waits for (nor holds up) the events' single writer; derived data, rebuilt if lost.
   */
  readonly readModelsPath: string;
  /**
   * Who read which student's record (the DPO's access log), absolute: its own SQLite file, neither the
   * event log (reading is not a school fact) nor the read models (a rebuild must not erase it).
   * REGISTRE_ACCESS_LOG_PATH; when absent, `registre.access-log.db` beside `dbPath` (accessLogPathFor).
   */
  readonly accessLogPath?: string;
  readonly synchronous: Synchronous;
  /**
   * The students' keys (RGPD): one SQLite file apart from the log and its backups, so that deleting a
   * student's key erases them from every copy of the log. Absolute; absent in hand-made configs
   * (benchmarks, tools): keysPathFor(dbPath) applies.
   */
  readonly keysPath?: string;
  readonly esdbUrl?: string;
  readonly auth: AuthConfig;
  readonly logLevel: LogLevel;
  readonly demo: boolean;
  /** Longest a query waits for a projection to reach a client's `minPosition` while that projection does not move. */
  readonly waitMs: number;
  /**
   * Longest a query waits in all while the projection does move (default DEFAULT_WAIT_MAX_MS, never
   * below `waitMs`). Absent in hand-made configs.
   */
  readonly waitMaxMs?: number;
  /** `/health` says `degraded` once a projection is this far behind in time (default DEFAULT_HEALTH_MAX_LAG_MS). */
  readonly healthMaxLagMs?: number;
  /** How long the projection runner waits after an append to gather more before catching up. */
  readonly projectionDelayMs: number;
  /** `serve` applies events in a worker thread by default, so the request thread only takes commands. */
  readonly projectionThread: ProjectionThread;
  /** Absent in hand-made configs (benchmarks, tools): HTTP_LIMIT_DEFAULTS apply. */
  readonly http?: HttpLimits;
  /** Imports (issue #8): file size, parses at once, parses waiting, heap of one parse's worker thread, students in a file. */
  readonly imports: ImportSettings;
  /** The threads answering queries; absent in hand-made configs (benchmarks, tools): DEFAULT_READ_SETTINGS apply. */
  readonly reads?: ReadSettings;
}

/** Queries run on threads of their own so that no view, however slow, delays a command. */
export interface ReadSettings {
  /** Read threads, each with its own read-only connection to the read models; 0 reads on the thread taking commands. */
  readonly threads: number;
  /** Reads waiting for a thread; one more is refused (503, Retry-After). */
  readonly queue: number;
  /** Reads a thread is sent ahead of its answers, so that it never idles while commands hold the request thread. */
  readonly inFlight: number;
  /** The read threads' niceness (Linux): 10 lets commands have the CPU first; 0 leaves them as the process. */
  readonly niceness: number;
}

export const DEFAULT_READ_SETTINGS: ReadSettings = { threads: 2, queue: 1000, inFlight: 4, niceness: 10 };

export interface ImportSettings {
  /** Largest import file, as sent or unpacked from a ZIP (HTTP body, CLI file). */
  readonly maxBytes: number;
  /** Files parsed at once, each in its own worker thread. */
  readonly concurrency: number;
  /** Imports waiting for a parse slot; one more is refused (503, Retry-After). */
  readonly queue: number;
  /** Old-generation heap of one parse's worker thread: a file that needs more is refused, the process lives on. */
  readonly workerMemoryMb: number;
  /** Most students a students file may list (no school has more than a few thousand): more is refused. */
  readonly maxStudents: number;
}

/** A query asking for `minPosition` waits at most this long in all, however steadily the projection moves. */
export const DEFAULT_WAIT_MAX_MS = 30_000;
/** The read models may trail the log by up to this much before `/health` says `degraded`. */
export const DEFAULT_HEALTH_MAX_LAG_MS = 1_000;

export const DEFAULT_IMPORT_SETTINGS: ImportSettings = {
  maxBytes: 50 * 1024 * 1024,
  concurrency: 2,
  queue: 4,
  workerMemoryMb: 1536,
  maxStudents: 10_000,
};

export interface ConfigProblem {
  readonly variable: string;
  readonly rule: string;
}

/** A start-up refusal: every wrong variable, each named with the rule it breaks. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => `${p.variable} ${p.rule}`).join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const shown = (value: string) => `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'`;

/** Reads every variable, collecting all problems so that one start reports them all. */
class EnvReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: Env) {}

  /** Unset and empty are the same: deployment tools often export `VAR=`. */
  raw(variable: string): string | undefined {
    const value = this.env[variable]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  fail(variable: string, rule: string): undefined {
    this.problems.push({ variable, rule });
    return undefined;
  }

  integer(variable: string, fallback: number, min: number, max: number): number {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (Number.isSafeInteger(parsed) && parsed >= min && parsed <= max) return parsed;
    this.fail(variable, `must be an integer ${min}–${max}, got ${shown(value)}`);
    return fallback;
  }

  oneOf<T extends string>(variable: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(variable, `must be one of ${allowed.join('|')}, got ${shown(value)}`);
    return fallback;
  }

  /** `90s`, `30m`, `12h`, `1d` or a number of seconds. */
  timeSpanSeconds(variable: string, fallback: number, min: number, max: number): number {
    const value = this.raw(variable);
    if (value === undefined) return fallback;
    const match = /^(\d{1,9})([smhd]?)$/.exec(value);
    const seconds = match === null ? NaN : Number(match[1]) * TIME_SPAN_SECONDS[match[2] || 's'];
    if (seconds >= min && seconds <= max) return seconds;
    this.fail(
      variable,
      `must be a time span ${min}s–${max / 86_400}d such as 90s, 30m, 12h or 1d, got ${shown(value)}`,
    );
    return fallback;
  }

  url(variable: string, protocols: readonly string[]): string | undefined {
    const value = this.raw(variable);
    if (value === undefined) return undefined;
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol.replace(/:$/, '');
    } catch {
      protocol = undefined;
    }
    if (protocol !== undefined && protocols.includes(protocol)) return value;
    return this.fail(
      variable,
      `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}, got ${shown(value)}`,
    );
  }
}

/**
 * Without a configured secret or JWKS, a single deployment still needs a stable HS256 secret: it is
 * created once beside the database (0600) so that `registre token` and `registre serve` agree.
 */
const secretFromFile = (dbPath: string): AuthConfig => {
  const file = join(dirname(dbPath), 'jwt-secret');
  try {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= MIN_SECRET_LENGTH) return { kind: 'secret', secret, source: 'file', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { kind: 'secret', secret, source: 'generated', file };
};

const readAuth = (reader: EnvReader, dbPath: string): AuthConfig | undefined => {
  const secret = reader.raw('REGISTRE_JWT_SECRET');
  const jwksUrl = reader.url('REGISTRE_JWKS_URL', ['https', 'http']);
  const issuer = reader.raw('REGISTRE_JWT_ISSUER');
  const audience = reader.raw('REGISTRE_JWT_AUDIENCE');
  const maxLifetimeSeconds = reader.timeSpanSeconds(
    'REGISTRE_JWT_MAX_LIFETIME',
    DEFAULT_TOKEN_LIFETIME_SECONDS,
    60,
    MAX_TOKEN_LIFETIME_SECONDS,
  );
  const claims = { ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}), maxLifetimeSeconds };
  if (secret !== undefined && reader.raw('REGISTRE_JWKS_URL') !== undefined) {
    return reader.fail(
      'REGISTRE_JWT_SECRET',
      'and REGISTRE_JWKS_URL are both set: choose one way to verify tokens',
    );
  }
  if (secret !== undefined) {
    if (secret.length < MIN_SECRET_LENGTH) {
      return reader.fail(
        'REGISTRE_JWT_SECRET',
        `must be at least ${MIN_SECRET_LENGTH} characters, got ${secret.length}`,
      );
    }
    return { kind: 'secret', secret, source: 'env', ...claims };
  }
  if (jwksUrl !== undefined) return { kind: 'jwks', jwksUrl, ...claims };
  if (reader.raw('REGISTRE_JWKS_URL') !== undefined || reader.problems.length > 0) return undefined;
  return { ...secretFromFile(dbPath), ...claims };
};

export const HTTP_LIMIT_DEFAULTS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  jsonBodyLimitBytes: MIB,
};

const readHttpLimits = (reader: EnvReader): HttpLimits => {
  const defaults = HTTP_LIMIT_DEFAULTS;
  const requestTimeoutMs = reader.integer(
    'REGISTRE_REQUEST_TIMEOUT_MS',
    defaults.requestTimeoutMs,
    500,
    600_000,
  );
  const headersTimeoutMs = reader.integer(
    'REGISTRE_HEADERS_TIMEOUT_MS',
    defaults.headersTimeoutMs,
    500,
    600_000,
  );
  if (headersTimeoutMs > requestTimeoutMs) {
    reader.fail(
      'REGISTRE_HEADERS_TIMEOUT_MS',
      `must not exceed REGISTRE_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    );
  }
  const jsonBodyLimitBytes = reader.integer(
    'REGISTRE_JSON_BODY_LIMIT',
    defaults.jsonBodyLimitBytes,
    1024,
    16 * MIB,
  );
  return { headersTimeoutMs, requestTimeoutMs, jsonBodyLimitBytes };
};

/** `registre.db` → `registre.read-models.db` beside it. */
export const readModelsPathFor = (dbPath: string): string =>
  join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}.read-models.db`);

/** `registre.db` → `registre.access-log.db` beside it. */
export const accessLogPathFor = (dbPath: string): string =>
  join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}.access-log.db`);
/** `registre.db` → `registre.keys.db` beside it. */
export const keysPathFor = (dbPath: string): string =>
  join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}.keys.db`);

/** With esdb the one SQLite file holds only read models. */
const readModelsBeside = (store: StoreKind, dbPath: string): string =>
  store === 'esdb' ? dbPath : readModelsPathFor(dbPath);

/** Reads and validates the configuration; throws a ConfigError naming every wrong variable. */
export function loadConfig(env: Env = process.env): RegistreConfig {
  const reader = new EnvReader(env);
  const port = reader.integer('REGISTRE_PORT', 3000, 1, 65535);
  const host = reader.raw('REGISTRE_HOST') ?? '0.0.0.0';
  const store = reader.oneOf('REGISTRE_STORE', STORE_KINDS, 'sqlite');
  const dbPath = resolve(
    reader.raw('REGISTRE_DB_PATH') ?? (store === 'esdb' ? './data/read-models.db' : './data/registre.db'),
  );
  const readModelsPath = resolve(reader.raw('REGISTRE_READ_MODELS_PATH') ?? readModelsBeside(store, dbPath));
  if (readModelsPath === dbPath && store === 'sqlite') {
    reader.fail('REGISTRE_READ_MODELS_PATH', 'must not be the events file (REGISTRE_DB_PATH)');
  }
  const givenAccessLog = reader.raw('REGISTRE_ACCESS_LOG_PATH');
  const accessLogPath = givenAccessLog === undefined ? undefined : resolve(givenAccessLog);
  if (accessLogPath === dbPath || accessLogPath === readModelsPath) {
    reader.fail('REGISTRE_ACCESS_LOG_PATH', 'must be a file of its own, not the events nor the read models');
  }
  const keysPath = resolve(reader.raw('REGISTRE_KEYS_PATH') ?? keysPathFor(dbPath));
  if (keysPath === dbPath || keysPath === readModelsPath || keysPath === accessLogPath) {
    reader.fail('REGISTRE_KEYS_PATH', 'must be a file of its own, neither the events nor the read models');
  }
  const synchronous = reader.oneOf('REGISTRE_SYNCHRONOUS', SYNCHRONOUS_MODES, 'full');
  const esdbUrl = reader.url('REGISTRE_ESDB_URL', ['esdb', 'esdb+discover']);
  if (store === 'esdb' && reader.raw('REGISTRE_ESDB_URL') === undefined) {
    reader.fail(
      'REGISTRE_ESDB_URL',
      'is required when REGISTRE_STORE=esdb (e.g. esdb://localhost:2113?tls=false)',
    );
  }
  const logLevel = reader.oneOf('REGISTRE_LOG_LEVEL', LOG_LEVELS, 'info');
  const demo = reader.oneOf('REGISTRE_DEMO', ['0', '1'], '0') === '1';
  const waitMs = reader.integer('REGISTRE_WAIT_MS', 2000, 0, MAX_WAIT_MS);
  const waitMaxMs = reader.integer('REGISTRE_WAIT_MAX_MS', Math.max(waitMs, DEFAULT_WAIT_MAX_MS), 0, 600_000);
  if (waitMaxMs < waitMs)
    reader.fail('REGISTRE_WAIT_MAX_MS', `must not be below REGISTRE_WAIT_MS (${waitMs})`);
  const healthMaxLagMs = reader.integer(
    'REGISTRE_HEALTH_MAX_LAG_MS',
    DEFAULT_HEALTH_MAX_LAG_MS,
    0,
    86_400_000,
  );
  const projectionDelayMs = reader.integer('REGISTRE_PROJECTION_DELAY_MS', 25, 0, 1000);
  const projectionThread = reader.oneOf('REGISTRE_PROJECTION_THREAD', PROJECTION_THREADS, 'worker');
  const defaults = DEFAULT_IMPORT_SETTINGS;
  const imports: ImportSettings = {
    maxBytes: reader.integer('REGISTRE_IMPORT_MAX_BYTES', defaults.maxBytes, 1024, 1024 * 1024 * 1024),
    concurrency: reader.integer('REGISTRE_IMPORT_CONCURRENCY', defaults.concurrency, 1, 16),
    queue: reader.integer('REGISTRE_IMPORT_QUEUE', defaults.queue, 0, 1000),
    workerMemoryMb: reader.integer('REGISTRE_IMPORT_WORKER_MEMORY_MB', defaults.workerMemoryMb, 64, 16384),
    maxStudents: reader.integer('REGISTRE_IMPORT_MAX_STUDENTS', defaults.maxStudents, 1, 1_000_000),
  };
  const reads: ReadSettings = {
    threads: reader.integer('REGISTRE_READ_THREADS', DEFAULT_READ_SETTINGS.threads, 0, 16),
    queue: reader.integer('REGISTRE_READ_QUEUE', DEFAULT_READ_SETTINGS.queue, 0, 100_000),
    inFlight: reader.integer('REGISTRE_READ_IN_FLIGHT', DEFAULT_READ_SETTINGS.inFlight, 1, 64),
    niceness: reader.integer('REGISTRE_READ_NICENESS', DEFAULT_READ_SETTINGS.niceness, 0, 19),
  };
  const auth = readAuth(reader, dbPath);
  const http = readHttpLimits(reader);
  if (reader.problems.length > 0 || auth === undefined) throw new ConfigError(reader.problems);
  return {
    port,
    host,
    store,
    dbPath,
    readModelsPath,
    ...(accessLogPath !== undefined ? { accessLogPath } : {}),
    keysPath,
    synchronous,
    ...(esdbUrl !== undefined ? { esdbUrl } : {}),
    auth,
    logLevel,
    demo,
    waitMs,
    waitMaxMs,
    healthMaxLagMs,
    projectionDelayMs,
    projectionThread,
    http,
    imports,
    reads,
  };
}
