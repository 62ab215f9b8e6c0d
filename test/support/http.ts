import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { signToken, TokenRequest } from '../../src/api/auth/sign-token';
import { AppOverrides, createApp } from '../../src/main';
import { loadConfig, RegistreConfig } from '../../src/config';
import { Clock, fixedClock } from '../../src/domain/shared/clock';
import { Role } from '../../src/domain/shared/event';
import { createLogger } from '../../src/logger';
import { TsImportReaderModule } from './import-reader-script';
import { TS_PROJECTION_WORKER } from './projection-worker-script';
import { TS_READ_THREAD } from './read-pool-script';
import { TEST_NOW } from './clock';

export { TEST_NOW };

export const TEST_SECRET = 'registre-test-secret-at-least-32-characters';
export const SCHOOL = '0670001A';
export const OTHER_SCHOOL = '0670002B';

/** The clock of the test apps and tokens unless a test gives its own: stopped at TEST_NOW. */
export const testClock: Clock = fixedClock(TEST_NOW);

/** Every pino line the app wrote, parsed. */
export class CapturedLog {
  private readonly lines: string[] = [];
  readonly destination = { write: (line: string) => void this.lines.push(line) };

  entries(): Record<string, unknown>[] {
    return this.lines
      .flatMap((chunk) => chunk.split('\n').filter((line) => line.length > 0))
      .map((line) => JSON.parse(line));
  }

  withMessage(message: string): Record<string, unknown>[] {
    return this.entries().filter((entry) => entry.msg === message);
  }
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: RegistreConfig;
  readonly dir: string;
  readonly log: CapturedLog;
  readonly http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

export interface TestAppOptions extends Omit<AppOverrides, 'logger'> {
  /** Where the app reads the time: testClock (TEST_NOW) unless given. */
  readonly clock?: Clock;
  /** REGISTRE_* variables on top of a temp-dir SQLite file and TEST_SECRET. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The real service on a fresh SQLite file in a temp dir, logs captured, ready for supertest. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'registre-api-'));
  const config = loadConfig({
    REGISTRE_DB_PATH: join(dir, 'registre.db'),
    REGISTRE_JWT_SECRET: TEST_SECRET,
    REGISTRE_SYNCHRONOUS: 'normal',
    REGISTRE_WAIT_MS: '2000',
    // `REGISTRE_READ_THREADS=0 npx jest …` runs a spec's reads on the request thread, as debugging does.
    ...(process.env.REGISTRE_READ_THREADS !== undefined && {
      REGISTRE_READ_THREADS: process.env.REGISTRE_READ_THREADS,
    }),
    ...options.env,
  });
  const log = new CapturedLog();
  const { env: _env, ...overrides } = options;
  const app = await createApp(config, {
    workerScript: TS_PROJECTION_WORKER,
    readThread: TS_READ_THREAD,
    clock: testClock,
    ...overrides,
    imports: [TsImportReaderModule, ...(overrides.imports ?? [])],
    logger: createLogger({ level: config.logLevel, destination: log.destination }),
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    dir,
    log,
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TokenExtra = Partial<Omit<TokenRequest, 'role' | 'schoolId'>> & {
  readonly secret?: string;
  /** When the token is issued: testClock (TEST_NOW) unless given, like the test apps. */
  readonly clock?: Clock;
};

/** A bearer header value for TEST_SECRET (or `extra.secret`), issued at TEST_NOW, with sensible defaults per role. */
export async function tokenFor(role: Role, school: string = SCHOOL, extra: TokenExtra = {}): Promise<string> {
  const { secret = TEST_SECRET, clock = testClock, ...claims } = extra;
  const token = await signToken(
    { auth: { kind: 'secret', secret, source: 'env' } },
    {
      sub: `${role}-01`,
      role,
      schoolId: school,
      ...(role === 'teacher' ? { classes: ['5B'], subjects: ['MATHS'] } : {}),
      ...claims,
    },
    clock,
  );
  return `Bearer ${token}`;
}
