import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Public } from '../src/api/auth/decorators';
import { signToken } from '../src/api/auth/sign-token';
import { EVENT_STORE, PROJECTION_RUNNER } from '../src/api/core/tokens';
import {
  DEFAULT_IMPORT_SETTINGS,
  DEFAULT_READ_SETTINGS,
  readModelsPathFor,
  RegistreConfig,
} from '../src/config';
import { CPE, REASONS } from '../src/demo/attendance-year';
import {
  StudentAttendanceCommand,
  attendanceStreamId,
  rollCallStreamId,
  studentAttendanceDecider,
} from '../src/domain/attendance';
import { openReadModelDb } from '../src/event-store/create-store';
import { EventStore } from '../src/event-store/event-store';
import { handleCommand } from '../src/event-store/handle-command';
import { SqliteEventStore } from '../src/event-store/sqlite';
import { createLogger } from '../src/logger';
import { createApp } from '../src/main';
import { systemClock } from '../src/system-clock';
import { AttendanceTable, attendanceProjection, schoolAlerts } from '../src/projections/attendance';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { LiveProjections } from '../src/projections/live-projections';
import {
  RegionClass,
  buildRegion,
  buildSchoolYear,
  copyTemplate,
  regionOf,
  schoolYearOf,
} from './attendance-setup';
import { Scenario, gc, median, ms, now, seconds, sqliteStoreOf } from './harness';
import { LoadGenerator, LoadRequest, LoadResult } from './http-load.worker';
import { rate, ratio } from './store.bench';

const CONNECTIONS = 50;
const CLASS_SIZE = 30;
const CLASSES_PER_SCHOOL = 30;

/**
 * The floors the service is compared with, on the same server: no token, no validation, no store.
 * POST /bench/bare for a roll call, GET /bench/bare-read for a view.
 */
@Controller('bench')
class BareController {
  @Public()
  @Post('bare')
  @HttpCode(200)
  bare(): { ok: true } {
    return { ok: true };
  }

  @Public()
  @Get('bare-read')
  bareRead(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [BareController] })
export class BareRouteModule {}

/**
 * CPU time of the whole process (every thread: HTTP, projections, load generator, garbage collector)
 * per request answered: on a shared 2-core machine, steadier than requests per second.
 */
export const withCpu = async (load: () => Promise<LoadResult>): Promise<LoadResult & { cpuMs: number }> => {
  const before = process.cpuUsage();
  const result = await load();
  const used = process.cpuUsage(before);
  return { ...result, cpuMs: (used.user + used.system) / 1000 / Math.max(1, result.ok) };
};

/** Threads answering the service's queries in the bench: REGISTRE_READ_THREADS, else the service's default. */
export const BENCH_READ_THREADS = Number(process.env.REGISTRE_READ_THREADS ?? DEFAULT_READ_SETTINGS.threads);

export const benchConfig = (dbPath: string): RegistreConfig => ({
  port: 0,
  host: '127.0.0.1',
  store: 'sqlite',
  dbPath,
  readModelsPath: readModelsPathFor(dbPath),
  synchronous: 'full',
  auth: { kind: 'secret', secret: randomBytes(32).toString('base64url'), source: 'env' },
  logLevel: 'info',
  demo: false,
  waitMs: 2000,
  // What the service runs with unless told otherwise (src/config.ts).
  projectionDelayMs: Number(process.env.REGISTRE_PROJECTION_DELAY_MS ?? 25),
  projectionThread: process.env.REGISTRE_PROJECTION_THREAD === 'main' ? 'main' : 'worker',
  imports: DEFAULT_IMPORT_SETTINGS,
  reads: { ...DEFAULT_READ_SETTINGS, threads: BENCH_READ_THREADS },
});

/** A roll call the way a teacher's tablet sends it: two absent, one late, its own Idempotency-Key. */
const rollCallRequest = (
  c: RegionClass,
  date: string,
  slot: string,
  token: string,
  key: string,
): LoadRequest => {
  const pick = (n: number) => c.students[(c.classId.charCodeAt(0) * 7 + n) % c.students.length];
  return {
    method: 'POST',
    path: `/schools/${c.schoolId}/roll-calls`,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify({
      classId: c.classId,
      date,
      slot,
      absent: [pick(1), pick(2)],
      late: [{ studentId: pick(3), minutes: 6 }],
    }),
  };
};

/**
 * 8 o'clock in a region: every class sends its M1 roll call, each request a different class, over
 * HTTP from 50 concurrent clients, durable (synchronous=FULL), against the real service with every
 * projection running. Baseline: a bare POST route on the same server with the same bodies.
 */
export const morningPeak = (classes: number): Scenario => ({
  name: 'attendance-morning-peak',
  settings: {
    classes,
    studentsPerClass: CLASS_SIZE,
    classesPerSchool: CLASSES_PER_SCHOOL,
    connections: CONNECTIONS,
    synchronous: 'full',
    subject:
      'POST /schools/:schoolId/roll-calls: JWT, validation, enrolment read, handleCommand, group commit',
    baseline:
      'a @Public() POST route on the same server, same bodies: 2 s before and 2 s after the peak, mean',
    projectionThread: 'REGISTRE_PROJECTION_THREAD (worker unless set to main)',
    loadGenerator:
      'autocannon in one worker thread for every load; each connection opens with one bare request, not measured',
    warmUp: 'bare route 2,000 requests + 2 s; roll calls: every class once on S3',
  },
  async run(dir) {
    const region = regionOf(classes, CLASSES_PER_SCHOOL, CLASS_SIZE);
    const dbPath = join(dir, 'registre.db');
    await copyTemplate(`region-${classes}-${region.date}`, (path) => buildRegion(path, region), dbPath);
    const config = benchConfig(dbPath);
    const load = new LoadGenerator();
    const app = await createApp(config, {
      logger: createLogger({ level: config.logLevel, destination: { write: () => undefined } }),
      imports: [BareRouteModule],
    });
    try {
      await app.listen({ port: 0, host: config.host });
      const runner = app.get<LiveProjections>(PROJECTION_RUNNER);
      await runner.catchUp();
      const url = await app.getUrl();
      const tokens = new Map<string, string>();
      for (const schoolId of region.schoolIds)
        tokens.set(
          schoolId,
          await signToken(config, { sub: 'cpe-01', role: 'cpe', schoolId, ttl: '1h' }, systemClock),
        );
      const request = (c: RegionClass, slot: string) =>
        rollCallRequest(
          c,
          region.date,
          slot,
          tokens.get(c.schoolId) as string,
          `${slot}-${c.schoolId}-${c.classId}`,
        );
      const peak = region.classes.map((c) => request(c, 'M1'));

      const bare = peak.map((r) => ({ ...r, path: '/bench/bare' }));
      // Every load opens its 50 connections with one bare request each, before measuring.
      const send = (requests: readonly LoadRequest[], until: { amount?: number; seconds?: number } = {}) =>
        load.run({ url, connections: CONNECTIONS, opening: bare[0], requests, ...until });
      const measureBare = () => withCpu(() => send(bare, { seconds: 2 }));
      await send(bare, { amount: 2_000 });
      const bareBefore = await measureBare();

      // The service has been up since seven: its roll-call path is warm when the bell rings, as warm
      // as the bare route (the region's classes once, on the afternoon slot).
      const warmUp = region.classes.map((c) => request(c, 'S3'));
      await send(warmUp);
      await runner.catchUp();

      const store = app.get<EventStore>(EVENT_STORE);
      const sqlite = sqliteStoreOf(store);
      const commitsBefore = sqlite?.stats.commits ?? 0;
      const result = await withCpu(() => send(peak));
      const commits = sqlite ? sqlite.stats.commits - commitsBefore : NaN;
      // How far behind the read models were when the last roll call was answered.
      const lagStart = now();
      await runner.catchUp();
      const projectionLagMs = seconds(lagStart) * 1000;

      if (result.non2xx > 0 || result.errors > 0 || result.ok !== peak.length)
        throw new Error(
          `morning peak: ${result.ok} of ${peak.length} roll calls answered 2xx (status codes ${JSON.stringify(result.statusCodes)}, ${result.errors} errors)`,
        );
      const stored = await Promise.all(
        region.classes.map((c) =>
          store.readStream(rollCallStreamId(c.schoolId, c.classId, region.date, 'M1')),
        ),
      );
      const notStored = stored.filter((events) => events.length !== 1 || events[0].type !== 'RollCallTaken');
      if (notStored.length > 0)
        throw new Error(`morning peak: ${notStored.length} roll calls were not stored once`);

      // The machine is shared: the baseline is taken on both sides of the peak.
      const bareAfter = await measureBare();
      const baseline = {
        cpuMs: (bareBefore.cpuMs + bareAfter.cpuMs) / 2,
        perSecond: (bareBefore.perSecond + bareAfter.perSecond) / 2,
        p99Ms: Math.max(bareBefore.p99Ms, bareAfter.p99Ms),
      };

      // Context for the ratio: the same peak on M2 while the projections wait, then catch up.
      await runner.catchUp();
      await runner.stop();
      const deferred = await send(region.classes.map((c) => request(c, 'M2')));
      runner.start();
      await runner.catchUp();
      if (deferred.ok !== peak.length)
        throw new Error(`morning peak (M2): ${deferred.ok} roll calls answered 2xx`);

      return [
        ratio(
          'morning_peak_ratio',
          `${classes.toLocaleString('en')} M1 roll calls over HTTP (durable, ${CONNECTIONS} clients) vs bare POST route`,
          result.perSecond / baseline.perSecond,
          0.3,
        ),
        rate(
          'morning_peak_rollcalls_per_s',
          'roll calls per second (each a different class)',
          result.perSecond,
        ),
        ms('morning_peak_p99_ms', 'roll call p99 latency', result.p99Ms),
        ms('morning_peak_p50_ms', 'roll call median latency', result.p50Ms),
        {
          key: 'morning_peak_seconds',
          label: `time to absorb the region's ${classes.toLocaleString('en')} roll calls`,
          value: result.seconds,
          unit: 's',
          better: 'lower',
          target: { op: '<=', value: 60 },
        },
        ms(
          'morning_peak_projection_lag_ms',
          'read models behind the last answer by (catch-up time after the peak)',
          projectionLagMs,
        ),
        rate(
          'morning_peak_projections_paused_per_s',
          'roll calls per second with the projections paused (they catch up after)',
          deferred.perSecond,
        ),
        ms('morning_peak_cpu_ms', 'CPU per roll call, every thread of the process', result.cpuMs),
        rate('morning_peak_bare_per_s', 'bare POST route, same server and bodies', baseline.perSecond),
        ms('morning_peak_bare_cpu_ms', 'CPU per bare request, every thread of the process', baseline.cpuMs),
        ms('morning_peak_bare_p99_ms', 'bare POST route p99 latency', baseline.p99Ms),
        {
          key: 'morning_peak_rollcalls_per_fsync',
          label: 'roll calls per commit (group commit)',
          value: peak.length / commits,
          unit: 'commands',
          better: 'higher',
        },
      ];
    } finally {
      await app.close();
      await load.close();
    }
  },
});

const REPEATS = 5;

/**
 * A school of `students` students with a year of roll calls and justifications; the family of the
 * student over the November threshold brings a certificate weeks later. Measured: the attendance
 * runner applying the acceptance (recounts, alert withdrawn), against a raw point read + update.
 */
export const lateJustificationRecompute = (students: number): Scenario => ({
  name: 'attendance-late-justification',
  settings: {
    students,
    classSize: 28,
    year: '2026-09-01 to 2027-06-30, 7 lessons a day',
    projection: 'attendance',
    measured: `catchUp after a JustificationAccepted, median of ${REPEATS} (the late one, then decisions changed back and forth)`,
    baseline:
      'raw better-sqlite3 SELECT + UPDATE of one row of the same database, in a transaction, median of 1,000',
  },
  async run(dir) {
    const year = schoolYearOf(students);
    const path = join(dir, 'registre.db');
    await copyTemplate(`school-year-${students}`, (p) => buildSchoolYear(p, year), path);
    const store = SqliteEventStore.open({ path, synchronous: 'full' });
    const db = openReadModelDb({ readModelsPath: readModelsPathFor(path) });
    const runner = new ProjectionRunner({ store, db, projections: [attendanceProjection] });
    try {
      await runner.catchUp();
      const tables = runner.tables<AttendanceTable>(attendanceProjection.name);
      const { studentId, month, events } = year.lateJustification;
      const alerts = () =>
        schoolAlerts(db, tables, { schoolId: year.schoolId, studentId, month, status: 'all' })
          .map((a) => a.status)
          .join(',');
      if (alerts() !== 'open')
        throw new Error(`expected one open alert before the justification, got ${alerts()}`);
      const [received, accepted] = events;
      await store.appendToStream(received.streamId, [received.event]);
      await runner.catchUp();

      const timings: number[] = [];
      const measureCatchUp = async () => {
        gc();
        const t = now();
        await runner.catchUp();
        timings.push(seconds(t) * 1000);
      };
      await store.appendToStream(accepted.streamId, [accepted.event]);
      await measureCatchUp();
      if (alerts() !== 'withdrawn')
        throw new Error(`the late justification did not withdraw the alert: ${alerts()}`);

      const justificationId = (accepted.event.data as { justificationId: string }).justificationId;
      const decide = async (command: StudentAttendanceCommand, commandId: string) =>
        handleCommand(
          store,
          attendanceStreamId(year.schoolId, studentId),
          studentAttendanceDecider,
          command,
          {
            commandId,
            actor: CPE,
            schoolId: year.schoolId,
            now: new Date(),
            reason: 'bench: decision reviewed',
          },
        );
      for (let i = 1; i < REPEATS; i++) {
        const common = { studentId, actor: CPE, justificationId, reason: 'bench: decision reviewed' };
        await decide({ type: 'RejectJustification', ...common }, `bench-reject-${i}`);
        await runner.catchUp();
        await decide(
          { type: 'AcceptJustification', ...common, context: { reasons: REASONS } },
          `bench-accept-${i}`,
        );
        await measureCatchUp();
      }

      const key = [year.schoolId, studentId, month];
      const select = db.prepare<string[], { latenesses: number }>(
        `SELECT * FROM "${tables.months}" WHERE school_id = ? AND student_id = ? AND month = ?`,
      );
      const update = db.prepare(
        `UPDATE "${tables.months}" SET latenesses = ? WHERE school_id = ? AND student_id = ? AND month = ?`,
      );
      const pointUpdate = db.transaction(() => {
        const row = select.get(...key) as { latenesses: number };
        update.run(row.latenesses, ...key);
      });
      const raw: number[] = [];
      for (let i = 0; i < 1_100; i++) {
        const t = now();
        pointUpdate();
        if (i >= 100) raw.push(seconds(t) * 1000);
      }

      const recompute = median(timings);
      return [
        ms(
          'late_justification_recompute_ms',
          `recount after one late justification, ${students.toLocaleString('en')} students with a year of data`,
          recompute,
          50,
        ),
        ms('late_justification_first_ms', 'the first late acceptance alone', timings[0]),
        ms('late_justification_raw_point_update_ms', 'raw better-sqlite3 point read + update', median(raw)),
        {
          key: 'late_justification_vs_point_update',
          label: 'recount time / raw point read + update',
          value: recompute / median(raw),
          unit: 'x',
          better: 'lower',
        },
      ];
    } finally {
      await runner.stop();
      db.close();
      await store.close();
    }
  },
});
