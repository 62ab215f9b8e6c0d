import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { signToken } from '../src/api/auth/sign-token';
import { PROJECTION_RUNNER } from '../src/api/core/tokens';
import { RegistreConfig } from '../src/config';
import { SCHOOL_YEAR } from '../src/demo/attendance-year';
import { openHalfDaysOn, rollCallStreamId } from '../src/domain/attendance';
import { IsoDate, datesBetween } from '../src/domain/shared/calendar';
import { Clock } from '../src/domain/shared/clock';
import { createLogger } from '../src/logger';
import { createApp } from '../src/main';
import { LiveProjections } from '../src/projections/live-projections';
import { SchoolYearSetup, buildSchoolYearForService, copyTemplate, schoolYearOf } from './attendance-setup';
import { BENCH_READ_THREADS, BareRouteModule, benchConfig } from './attendance.bench';
import { Figure, Scenario, ms, requireAllAnswered } from './harness';
import { LoadGenerator, LoadRequest } from './http-load.worker';
import { rate, ratio } from './store.bench';

/**
 * The read side of the real service over HTTP, on a school of `students` with a year of roll calls
 * and justifications: what the views cost idle, and what readers do to roll calls (and the read
 * models' lag) when 50 of them read while 50 others take roll calls.
 */

const WRITERS = 50;
const READERS = 50;
/** Phase C: the same readers at a person's pace, a view every half second each (100 views/s offered). */
const PACED_VIEWS_PER_SECOND = 2;
/** Not taken by the generated year (M1..S3): every school day has one free lesson per class. */
const FREE_SLOT = 'S4';
/** The service's "today": the day after the generated year's last lessons, so each S4 of the year is in the past. */
const BENCH_TODAY = '2027-07-01T08:00:00+02:00';
/** A list view asks for one page of this many. */
const PAGE = 100;
const VARIANTS = 20;

/** The baseline of a view: BareRouteModule's GET route on the same server. */
const BARE_READ: LoadRequest = { method: 'GET', path: '/bench/bare-read', headers: {} };

/** The system clock moved to BENCH_TODAY: it runs, so that lag in time means something. */
const benchClock = (): Clock => {
  const offset = Date.parse(BENCH_TODAY) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
};

/** A view people open every day, its query varied over classes, students and dates. */
type View = {
  readonly key: string;
  readonly label: string;
  /** Target for the idle p99, in ms, where the issue sets one. */
  readonly idleTarget?: number;
  readonly paths: readonly string[];
};

const pick = <T>(list: readonly T[], i: number): T => list[(i * 7919) % list.length];

const viewsOf = (year: SchoolYearSetup, schoolDays: readonly IsoDate[]): View[] => {
  const base = `/schools/${year.schoolId}`;
  const students = year.classes.flatMap((c) => c.students);
  const months = [...new Set(schoolDays.map((d) => d.slice(0, 7)))];
  const variants = (path: (i: number) => string) => Array.from({ length: VARIANTS }, (_, i) => path(i));
  const monthRange = (month: string) => {
    const days = schoolDays.filter((d) => d.startsWith(month));
    return `from=${month}-01&to=${days[days.length - 1]}`;
  };
  return [
    {
      key: 'class_day',
      label: 'a class day',
      idleTarget: 10,
      paths: variants(
        (i) => `${base}/classes/${pick(year.classes, i).classId}/attendance?date=${pick(schoolDays, i)}`,
      ),
    },
    {
      key: 'student_counts',
      label: "a student's counts",
      idleTarget: 10,
      paths: variants((i) => `${base}/students/${pick(students, i)}/attendance/counts`),
    },
    {
      key: 'student_ledger',
      label: "a student's ledger (a month)",
      paths: variants(
        (i) =>
          `${base}/students/${pick(students, i)}/attendance?${monthRange(pick(months, i))}&limit=${PAGE}`,
      ),
    },
    {
      key: 'day_completeness',
      label: "a day's completeness",
      idleTarget: 10,
      paths: variants((i) => {
        const day = pick(schoolDays, i);
        return `${base}/attendance/completeness?from=${day}&to=${day}&limit=${PAGE}`;
      }),
    },
    {
      key: 'month_completeness',
      label: "a month's completeness",
      paths: variants((i) => `${base}/attendance/completeness?${monthRange(pick(months, i))}&limit=${PAGE}`),
    },
    {
      key: 'alerts_page',
      label: 'one page of alerts',
      idleTarget: 10,
      paths: variants(
        (i) => `${base}/attendance/alerts?status=${i % 2 === 0 ? 'open' : 'all'}&limit=${PAGE}`,
      ),
    },
    {
      key: 'audit_page',
      label: 'one page of audit',
      idleTarget: 10,
      paths: variants((i) =>
        i % 2 === 0
          ? `${base}/audit?limit=${PAGE}`
          : `${base}/audit?stream=attendance-${year.schoolId}-${pick(students, i)}&limit=${PAGE}`,
      ),
    },
  ];
};

const withoutPaging = (path: string): string =>
  path.replace(/[?&](limit|after)=[^&]*/g, (match) => (match.startsWith('?') ? '?' : '')).replace('?&', '?');

/** The school, its year in the store and every projection caught up, the service listening. */
type Service = {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly config: RegistreConfig;
  readonly runner: LiveProjections;
  readonly year: SchoolYearSetup;
  readonly schoolDays: readonly IsoDate[];
  readonly views: View[];
  readonly reader: string;
  readonly writer: string;
  readonly admin: string;
};

const startService = async (dir: string, students: number): Promise<Service> => {
  const year = schoolYearOf(students);
  const dbPath = join(dir, 'registre.db');
  await copyTemplate(`school-year-service-${students}`, (p) => buildSchoolYearForService(p, year), dbPath);
  const config = benchConfig(dbPath);
  const clock = benchClock();
  const app = await createApp(config, {
    logger: createLogger({ level: config.logLevel, destination: { write: () => undefined } }),
    imports: [BareRouteModule],
    clock,
  });
  try {
    await app.listen({ port: 0, host: config.host });
    const runner = app.get<LiveProjections>(PROJECTION_RUNNER);
    await runner.catchUp();
    const token = (sub: string, role: 'cpe' | 'principal' | 'admin', schoolId = year.schoolId) =>
      signToken(config, { sub, role, schoolId, ttl: '1h' }, clock);
    const schoolDays = datesBetween(SCHOOL_YEAR.start, '2027-06-30').filter((d) =>
      openHalfDaysOn(undefined, d).includes('PM'),
    );
    const service: Service = {
      app,
      url: await app.getUrl(),
      config,
      runner,
      year,
      schoolDays,
      views: viewsOf(year, schoolDays),
      reader: `Bearer ${await token('principal-01', 'principal')}`,
      writer: `Bearer ${await token('cpe-01', 'cpe')}`,
      admin: `Bearer ${await token('admin-01', 'admin', '*')}`,
    };
    await acceptedPaths(service);
    return service;
  } catch (error) {
    await app.close();
    throw error;
  }
};

/**
 * Asks each view once. Pagination (`limit`) is being added route by route: a route that still
 * refuses it is asked without it, and says so; any other refusal stops the bench.
 */
const acceptedPaths = async (service: Service): Promise<void> => {
  for (const [index, view] of service.views.entries()) {
    const ask = (path: string) =>
      fetch(`${service.url}${path}`, { headers: { authorization: service.reader } });
    let answer = await ask(view.paths[0]);
    if (answer.status === 400 && /limit/.test(await answer.text())) {
      process.stdout.write(`  (${view.key}: the route does not take limit yet; asked without it)\n`);
      service.views[index] = { ...view, paths: view.paths.map(withoutPaging) };
      answer = await ask(service.views[index].paths[0]);
    }
    if (answer.status !== 200)
      throw new Error(`${view.key}: ${view.paths[0]} answered ${answer.status}: ${await answer.text()}`);
  }
};

const readRequests = (service: Service, view: View): LoadRequest[] =>
  view.paths.map((path) => ({
    method: 'GET',
    path,
    headers: { authorization: service.reader },
    label: view.key,
  }));

/**
 * Every S4 of the year, class after class: each request a roll call no one has taken (the year's
 * few S4 streams — roll calls typed on the wrong slot, then voided — left out), its absentee a
 * student who stays in the class all year.
 */
const freeRollCalls = (service: Service): LoadRequest[] => {
  const { year } = service;
  const taken = new Set(year.events.map(({ streamId }) => streamId));
  const moved = new Set(
    year.events
      .filter(({ event }) => event.type === 'StudentMovedClass')
      .map(({ event }) => (event.data as { studentId: string }).studentId),
  );
  return service.schoolDays.flatMap((date) =>
    year.classes.flatMap(({ classId, students }) => {
      if (taken.has(rollCallStreamId(year.schoolId, classId, date, FREE_SLOT))) return [];
      const staying = students.filter((studentId) => !moved.has(studentId));
      return [
        {
          method: 'POST' as const,
          path: `/schools/${year.schoolId}/roll-calls`,
          headers: {
            authorization: service.writer,
            'content-type': 'application/json',
            'idempotency-key': `bench-${classId}-${date}-${FREE_SLOT}`,
          },
          body: JSON.stringify({
            classId,
            date,
            slot: FREE_SLOT,
            absent: staying.length > 0 ? [staying[date.charCodeAt(9) % staying.length]] : [],
            late: [],
          }),
        },
      ];
    }),
  );
};

type Health = { projections: { name: string; lag: number; lagMs: number | null }[] };

/** The worst projection of one /health answer (deployment admin): its lag in time and in events. */
const worstLag = (body: unknown): { ms: number; events: number; worst: string } => {
  const { projections } = body as Health;
  const worst = projections.reduce((a, b) => ((b.lagMs ?? Infinity) > (a.lagMs ?? Infinity) ? b : a));
  return { ms: worst.lagMs ?? NaN, events: Math.max(...projections.map((p) => p.lag)), worst: worst.name };
};

export const mixedLoad = (students: number): Scenario => ({
  name: 'mixed-load',
  settings: {
    students,
    year: `${SCHOOL_YEAR.start} to 2027-06-30, every lesson M1..S3 taken, justifications`,
    writers: WRITERS,
    readers: READERS,
    subject: `phase A: ${WRITERS} clients POST distinct ${FREE_SLOT} roll calls; phase B: the same with ${READERS} clients GET the views round and round (each connection first GETs the bare route, not measured, as the writers do); phase C: the same with the readers at ${PACED_VIEWS_PER_SECOND} views/s each`,
    views:
      'class day, student counts and ledger, day and month completeness, alerts page, audit page (limit=100)',
    lag: 'worst projection lag from GET /health (admin), sent by the load generator the moment the last roll call of phase B is answered (readers still running), and every 250 ms during phase B',
    baseline: 'phase A (writers alone) in the same run',
    projectionThread: 'REGISTRE_PROJECTION_THREAD (worker unless set to main)',
    readThreads: BENCH_READ_THREADS,
  },
  async run(dir) {
    const load = new LoadGenerator();
    const service = await startService(dir, students);
    try {
      const { url, runner } = service;
      const rollCalls = freeRollCalls(service);
      const warm = rollCalls.slice(0, Math.floor(rollCalls.length / 10));
      const third = Math.floor((rollCalls.length - warm.length) / 3);
      const alone = rollCalls.slice(warm.length, warm.length + third);
      const mixed = rollCalls.slice(warm.length + third, warm.length + 2 * third);
      const paced = rollCalls.slice(warm.length + 2 * third, warm.length + 3 * third);
      const reads = interleave(service.views.map((view) => readRequests(service, view)));
      const health: LoadRequest = {
        method: 'GET',
        path: '/health',
        headers: { authorization: service.admin },
      };
      const send = (
        requests: readonly LoadRequest[],
        extra: { readers?: typeof reads; perConnectionPerSecond?: number } = {},
      ) =>
        load.run({
          url,
          connections: WRITERS,
          opening: BARE_READ,
          requests,
          ...(extra.readers && {
            readers: {
              connections: READERS,
              opening: BARE_READ,
              requests: extra.readers,
              ...(extra.perConnectionPerSecond !== undefined && {
                perConnectionPerSecond: extra.perConnectionPerSecond,
              }),
            },
            probe: { request: health, everyMs: 250 },
          }),
        });

      requireAllAnswered('warm-up roll calls', await send(warm), warm.length);
      await load.run({ url, connections: 10, requests: reads, amount: reads.length * 2 });
      await runner.catchUp();

      const phaseA = await send(alone);
      requireAllAnswered('phase A', phaseA, alone.length);
      await runner.catchUp();

      const phaseB = await send(mixed, { readers: reads });
      const probes = phaseB.probes ?? [];
      const atEnd = probes.find((probe) => probe.last);
      if (!atEnd) throw new Error('phase B: /health was not read at the end');
      const lag = worstLag(atEnd.body);
      const worstDuring = Math.max(...probes.map((probe) => worstLag(probe.body).ms));
      requireAllAnswered('phase B', phaseB, mixed.length);
      const views = phaseB.views ?? {};
      const failed = Object.entries(views).filter(([, v]) => v.non2xx > 0);
      if (failed.length > 0)
        throw new Error(
          `phase B: views answered non-2xx: ${failed.map(([k, v]) => `${k} ${v.non2xx}`).join(', ')}`,
        );
      const readsPerSecond =
        Object.values(views).reduce((sum, v) => sum + v.count, 0) / Math.max(phaseB.seconds, 1e-9);

      await runner.catchUp();
      const phaseC = await send(paced, { readers: reads, perConnectionPerSecond: PACED_VIEWS_PER_SECOND });
      requireAllAnswered('phase C', phaseC, paced.length);
      const pacedViews = phaseC.views ?? {};
      const pacedAnswered = Object.values(pacedViews).reduce((sum, v) => sum + v.count, 0);

      return [
        ratio(
          'mixed_load_ratio',
          `roll calls/s with ${READERS} readers / alone (${students.toLocaleString('en')} students, a year of data)`,
          phaseB.perSecond / phaseA.perSecond,
          0.7,
        ),
        rate('mixed_load_alone_per_s', `roll calls per second, ${WRITERS} writers alone`, phaseA.perSecond),
        rate('mixed_load_mixed_per_s', `roll calls per second, with ${READERS} readers`, phaseB.perSecond),
        rate('mixed_load_reads_per_s', 'view reads per second answered during phase B', readsPerSecond),
        ms('mixed_load_rollcall_p99_ms', 'roll call p99 latency with readers', phaseB.p99Ms),
        ...service.views.flatMap((view) => [
          ms(
            `mixed_load_${view.key}_p99_ms`,
            `${view.label}: p99 under load`,
            views[view.key]?.p99Ms ?? NaN,
            50,
          ),
          ms(
            `mixed_load_${view.key}_p50_ms`,
            `${view.label}: median under load`,
            views[view.key]?.p50Ms ?? NaN,
          ),
        ]),
        ratio(
          'mixed_load_paced_ratio',
          `roll calls/s with ${READERS} readers at ${PACED_VIEWS_PER_SECOND} views/s each / alone`,
          phaseC.perSecond / phaseA.perSecond,
          0.7,
        ),
        rate(
          'mixed_load_paced_reads_per_s',
          'view reads per second answered during phase C (paced readers)',
          pacedAnswered / Math.max(phaseC.seconds, 1e-9),
        ),
        ...service.views.map((view) =>
          ms(
            `mixed_load_paced_${view.key}_p99_ms`,
            `${view.label}: p99 under load, readers at ${PACED_VIEWS_PER_SECOND} views/s each`,
            pacedViews[view.key]?.p99Ms ?? NaN,
          ),
        ),
        ms(
          'mixed_load_lag_ms',
          `read models' lag at the end of phase B (worst: ${lag.worst}), /health`,
          lag.ms,
          1000,
        ),
        ms(
          'mixed_load_max_lag_ms',
          `worst lag /health reported during phase B (read every 250 ms, ${probes.length} answers)`,
          worstDuring,
        ),
        {
          key: 'mixed_load_lag_events',
          label: 'read models behind the head at the end of phase B, in events (worst projection)',
          value: lag.events,
          unit: 'events',
          better: 'lower',
        },
      ];
    } finally {
      await service.app.close();
      await load.close();
    }
  },
});

/** One request of each view in turn, so that every reader's connection asks all of them. */
const interleave = (lists: readonly LoadRequest[][]): LoadRequest[] =>
  Array.from({ length: Math.max(...lists.map((l) => l.length)) }, (_, i) =>
    lists.flatMap((list) => (i < list.length ? [list[i]] : [])),
  ).flat();

export const viewCost = (students: number, times: number): Scenario => ({
  name: 'view-cost',
  settings: {
    students,
    year: `${SCHOOL_YEAR.start} to 2027-06-30, every lesson M1..S3 taken, justifications`,
    subject: `each view GET ${times} times, one at a time over one connection, the service idle (${VARIANTS} variants of classes, students, dates)`,
    baseline: 'a @Public() GET route on the same server, no query, same connection',
    pagination: `limit=${PAGE} where a list is asked (dropped, with a note, on a route that does not take it yet)`,
  },
  async run(dir) {
    const load = new LoadGenerator();
    const service = await startService(dir, students);
    try {
      const one = (requests: readonly LoadRequest[]) =>
        load.run({ url: service.url, connections: 1, opening: BARE_READ, requests, amount: times });
      await one([BARE_READ]);
      // Every view warmed before any is measured (each variant twice): the first view measured no
      // longer meets read threads that have answered nothing yet.
      for (const view of service.views) {
        const requests = readRequests(service, view);
        await load.run({ url: service.url, connections: 1, requests, amount: 2 * requests.length });
      }
      const figures: Figure[] = [];
      for (const view of service.views) {
        const requests = readRequests(service, view);
        const result = await one(requests);
        requireAllAnswered(view.key, result, times);
        figures.push(
          ms(`view_cost_${view.key}_p50_ms`, `${view.label}: median, idle`, result.p50Ms),
          ms(`view_cost_${view.key}_p99_ms`, `${view.label}: p99, idle`, result.p99Ms, view.idleTarget),
        );
      }
      const bare = await one([BARE_READ]);
      figures.push(
        ms('view_cost_bare_p50_ms', 'bare GET route, same server: median', bare.p50Ms),
        ms('view_cost_bare_p99_ms', 'bare GET route, same server: p99', bare.p99Ms),
      );
      return figures;
    } finally {
      await service.app.close();
      await load.close();
    }
  },
});
