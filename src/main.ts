import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { version } from '../package.json';
import { setupDocs } from './api/docs/docs';
import { authenticateBeforeBody } from './api/auth/authenticate-before-body';
import { TOKEN_VERIFIER } from './api/auth/tokens';
import type { TokenVerifier } from './api/auth/token-verifier';
import { answerClientError, answerRoutingError } from './api/errors/client-error';
import { registerJsonBodyParser } from './api/errors/json-body';
import { answerUnsupportedMethods } from './api/errors/method-not-allowed';
import { REGISTRE_PROJECTIONS } from './projections/registre-projections';
import { CLOCK, EVENT_STORE, LOGGER, PROJECTION_RUNNER } from './api/core/tokens';
import { systemClock } from './system-clock';
import { useClock } from './api/core/command-context';
import type { Clock } from './domain/shared/clock';
import { CoreResources } from './api/core/core.module';
import { AppModule, ModuleImport } from './app.module';
import { DEFAULT_READ_SETTINGS, HTTP_LIMIT_DEFAULTS, RegistreConfig } from './config';
import { buildDemoIfEmpty, DemoSchool } from './demo/build-demo-school';
import { createEventStore, openReadModelDb } from './event-store/create-store';
import { EventStore } from './event-store/event-store';
import { createLogger, Logger, PinoNestLogger } from './logger';
import { Projection } from './projections/projection';
import { LiveProjections } from './projections/live-projections';
import { ProjectionRunner } from './projections/projection-runner';
import { ReadPool, ReadRegistrySource, RegistreReads } from './projections/read-pool';
import { ProjectionWorker, WorkerScript } from './projections/worker/projection-worker';
import { SERVICE_BATCH } from './projections/worker/protocol';

export interface AppOverrides {
  /** Tests pass a logger writing to a stream they read back. */
  readonly logger?: Logger;
  readonly store?: EventStore;
  readonly readDb?: Database;
  /** Projections other than the service's own: they run on the request thread. */
  readonly projections?: readonly Projection[];
  /** The projection worker's entry point (tests running TypeScript give the .ts file and a loader). */
  readonly workerScript?: WorkerScript;
  /** The read threads' entry point and reads (tests give the .ts files and a loader, or slow reads). */
  readonly readThread?: WorkerScript;
  readonly reads?: ReadRegistrySource<RegistreReads>;
  /** More feature modules (tests add a tiny command slice). */
  readonly imports?: readonly ModuleImport[];
  /** Where the service reads the time (tests fix it); the system clock by default. */
  readonly clock?: Clock;
}

/** Fastify's default for bodies without a parser of their own (the imports register theirs). */
const BODY_LIMIT_BYTES = 5 * 1024 * 1024;
/** How often Node looks for requests past their headers or request timeout (its default is 30 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 250;

const warnAboutGeneratedSecret = (config: RegistreConfig, logger: Logger): void => {
  if (config.auth.kind === 'secret' && config.auth.source !== 'env') {
    logger.warn(
      { file: config.auth.file, created: config.auth.source === 'generated' },
      'JWT secret read from a generated file: set REGISTRE_JWT_SECRET (or REGISTRE_JWKS_URL) in production',
    );
  }
};

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's X-Request-Id is kept (to follow a request across services), otherwise one is made. */
const requestIdOf = (request: IncomingMessage | Http2ServerRequest): string => {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
};

const openResources = async (
  config: RegistreConfig,
  overrides: AppOverrides,
  logger: Logger,
): Promise<CoreResources> => {
  const store = overrides.store ?? (await createEventStore(config));
  try {
    const readDb = overrides.readDb ?? openReadModelDb(config);
    let reads: ReadPool | undefined;
    try {
      reads = openReadPool(config, overrides, logger, readDb);
      const clock = overrides.clock ?? systemClock;
      const runner = await startProjections(config, overrides, logger, store, readDb, clock);
      return { config, logger, store, readDb, reads, runner, clock };
    } catch (error) {
      await reads?.close();
      if (readDb.open) readDb.close();
      throw error;
    }
  } catch (error) {
    await store.close();
    throw error;
  }
};

/** The views read on threads of their own (REGISTRE_READ_THREADS), each opening the read models' file again, read only. */
const openReadPool = (
  config: RegistreConfig,
  overrides: AppOverrides,
  logger: Logger,
  readDb: Database,
): ReadPool => {
  const settings = config.reads ?? DEFAULT_READ_SETTINGS;
  const options = {
    threads: settings.threads,
    queue: settings.queue,
    inFlight: settings.inFlight,
    niceness: settings.niceness,
    db: readDb,
    logger: logger.child({ component: 'reads' }),
    ...(overrides.readThread !== undefined && { script: overrides.readThread }),
  };
  return overrides.reads !== undefined ? ReadPool.over(overrides.reads, options) : ReadPool.open(options);
};

/**
 * The service's projections in their own worker thread (the default), or on the request thread
 * when asked (REGISTRE_PROJECTION_THREAD=main) or when the caller brings its own store or projections,
 * which a worker could not open.
 */
const startProjections = async (
  config: RegistreConfig,
  overrides: AppOverrides,
  logger: Logger,
  store: EventStore,
  readDb: Database,
  clock: Clock,
): Promise<LiveProjections> => {
  const projectionLogger = logger.child({ component: 'projections' });
  const inWorker =
    config.projectionThread === 'worker' &&
    overrides.store === undefined &&
    overrides.projections === undefined;
  if (inWorker) {
    return ProjectionWorker.spawn({
      settings: {
        store: config.store,
        dbPath: config.dbPath,
        readModelsPath: config.readModelsPath,
        ...(config.keysPath !== undefined && { keysPath: config.keysPath }),
        synchronous: config.synchronous,
        ...(config.esdbUrl !== undefined && { esdbUrl: config.esdbUrl }),
        projectionDelayMs: config.projectionDelayMs,
      },
      store,
      logger: projectionLogger,
      ...(overrides.workerScript !== undefined && { script: overrides.workerScript }),
    });
  }
  return new ProjectionRunner({
    store,
    db: readDb,
    projections: overrides.projections ?? REGISTRE_PROJECTIONS,
    logger: projectionLogger,
    // A few milliseconds gather a burst of group commits (the 8 o'clock roll calls) into one
    // read-model transaction; read-your-writes queries wake the runner at once.
    wakeDelayMs: config.projectionDelayMs,
    batchSize: SERVICE_BATCH.size,
    batchTargetMs: SERVICE_BATCH.targetMs,
    clock: () => clock.now(),
  });
};

/** The service, wired and ready to listen; `app.init()` starts the projections, `app.close()` closes the store. */
export async function createApp(
  config: RegistreConfig,
  overrides: AppOverrides = {},
): Promise<NestFastifyApplication> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  warnAboutGeneratedSecret(config, logger);
  const resources = await openResources(config, overrides, logger);
  const limits = config.http ?? HTTP_LIMIT_DEFAULTS;
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register(resources, overrides.imports),
      new FastifyAdapter({
        logger: false,
        bodyLimit: BODY_LIMIT_BYTES,
        genReqId: requestIdOf,
        clientErrorHandler: answerClientError,
        frameworkErrors: answerRoutingError,
        // A half-sent request holds a socket: Node answers 408 and closes it past these limits.
        requestTimeout: limits.requestTimeoutMs,
        http: {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
        },
      }),
      {
        logger: new PinoNestLogger(logger.child({ component: 'nest' })),
        abortOnError: false,
        bodyParser: false,
      },
    );
    const fastify = app.getHttpAdapter().getInstance();
    useClock(fastify, resources.clock);
    registerJsonBodyParser(fastify, limits.jsonBodyLimitBytes);
    fastify.addHook('onRequest', async (request, reply) => {
      void reply.header('X-Request-Id', request.id);
    });
    answerUnsupportedMethods(fastify);
    authenticateBeforeBody(fastify, app.get<TokenVerifier>(TOKEN_VERIFIER));
    app.enableShutdownHooks();
    setupDocs(app, version);
    return app;
  } catch (error) {
    await resources.reads.close();
    await resources.runner.close();
    await resources.store.close();
    if (resources.readDb.open) resources.readDb.close();
    throw error;
  }
}

/**
 * Listens on the configured host and port; resolves with the URL. With REGISTRE_DEMO=1 and an empty
 * store, the demo school is built first and its read models caught up before the first request.
 */
export async function serve(
  config: RegistreConfig,
  overrides: AppOverrides = {},
): Promise<{ app: NestFastifyApplication; url: string; demo?: DemoSchool }> {
  const app = await createApp(config, overrides);
  let demo: DemoSchool | undefined;
  try {
    if (config.demo)
      demo = await buildDemoIfEmpty(app.get<EventStore>(EVENT_STORE), { now: app.get<Clock>(CLOCK).now() });
    await app.listen({ port: config.port, host: config.host });
    if (demo) await app.get<LiveProjections>(PROJECTION_RUNNER).catchUp();
  } catch (error) {
    await app.close();
    throw error;
  }
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const demoNote = config.demo ? { demo: demo ? 'built' : 'skipped: the store was not empty' } : {};
  app
    .get<Logger>(LOGGER)
    .info({ url, store: config.store, dbPath: config.dbPath, version, ...demoNote }, 'registre listening');
  return { app, url, ...(demo ? { demo } : {}) };
}
