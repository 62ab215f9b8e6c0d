import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { signToken } from '../src/api/auth/sign-token';
import { EVENT_STORE, PROJECTION_RUNNER } from '../src/api/core/tokens';
import { SchoolYearOfGrades, makeSchoolYearOfGrades } from '../src/demo/assessment-year';
import { ASSESSMENT_EVENT_TYPES, REPORT_EVENT_TYPES, assessmentStreamId } from '../src/domain/assessment';
import { addDays } from '../src/domain/shared/calendar';
import { EventStore } from '../src/event-store/event-store';
import { SqliteEventStore } from '../src/event-store/sqlite';
import { createLogger } from '../src/logger';
import { createApp } from '../src/main';
import { AssessmentViews } from '../src/api/assessment/assessment-views';
import { AuthenticatedUser } from '../src/api/auth/user';
import { readModelsPathFor } from '../src/config';
import { AssessmentsTable, assessmentsProjection, readPeriodRows } from '../src/projections/assessment';
import { EnrolmentsTable, enrolmentsProjection } from '../src/projections/structure';
import { LiveProjections } from '../src/projections/live-projections';
import { systemClock } from '../src/system-clock';
import {
  RegionClass,
  buildLogOfSchoolYear,
  buildRegion,
  buildSchoolYearForService,
  copyTemplate,
  regionOf,
} from './attendance-setup';
import { BareRouteModule, benchConfig, withCpu } from './attendance.bench';
import {
  Scenario,
  gc,
  median,
  ms,
  now,
  profiled,
  requireAllAnswered,
  seconds,
  sqliteStoreOf,
} from './harness';
import { LoadGenerator, LoadRequest } from './http-load.worker';
import { rate, ratio, rebuildFromZero } from './store.bench';

/**
 * Issue 11's figures: a class's grades entered over HTTP by 50 teachers at once, the assessment read
 * models rebuilt from a year of grades, and one class's grade book read over HTTP.
 */

const TEACHERS = 50;
const CLASS_SIZE = 30;
const SUBJECT = 'MATHS';

/** The trimesters of a region's school year (September to August). */
const trimestersOf = (start: string, end: string) => {
  const year = Number(start.slice(0, 4));
  return {
    trimester: [
      { start, end: `${year}-11-30` },
      { start: `${year}-12-01`, end: addDays(`${year + 1}-03-01`, -1) },
      { start: `${year + 1}-03-01`, end },
    ],
  };
};

/** A class's grades as a teacher types them: halves, a few absents. */
const gradesOf = (c: RegionClass, n: number) =>
  c.students.map((studentId, k) => ({
    studentId,
    value: (k * 7 + n * 3) % 41 === 0 ? 'ABS' : ((k * 13 + n * 5) % 41) / 2,
  }));

/**
 * 50 teachers, each with their own class of 30 (one school of 50 classes, SIECLE import, trimesters),
 * each POSTing the grades of the whole class for a fresh assessment, over HTTP from 50 concurrent
 * clients, durable, every projection running. The assessments are created up front (not measured),
 * then a warm-up of grades; only the grades requests are measured. Baseline: the bare POST route with
 * the same bodies, before and after.
 */
export const gradesEntry = (perClass: number): Scenario => ({
  name: 'grades-entry',
  settings: {
    classes: TEACHERS,
    studentsPerClass: CLASS_SIZE,
    connections: TEACHERS,
    gradesRequests: TEACHERS * perClass,
    synchronous: 'full',
    subject:
      'POST /schools/:schoolId/assessments/:id/grades, 30 grades, each request a fresh assessment of another class, its teacher token (classes, subjects) and Idempotency-Key',
    setup:
      'the assessments created up front over HTTP (POST /assessments, not measured); warm-up: 5 grades requests per class',
    baseline:
      'a @Public() POST route on the same server, same bodies: 2 s before and 2 s after the grades, mean',
    projectionThread: 'REGISTRE_PROJECTION_THREAD (worker unless set to main)',
  },
  async run(dir) {
    const region = regionOf(TEACHERS, TEACHERS, CLASS_SIZE);
    const [schoolId] = region.schoolIds;
    const periods = trimestersOf(region.schoolYear.start, region.schoolYear.end);
    const dbPath = join(dir, 'registre.db');
    await copyTemplate(
      `region-grades-${TEACHERS}-${region.date}`,
      (path) => buildRegion(path, region, periods),
      dbPath,
    );
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
      for (const c of region.classes)
        tokens.set(
          c.classId,
          `Bearer ${await signToken(
            config,
            {
              sub: `prof-${c.classId}`,
              role: 'teacher',
              schoolId,
              classes: [c.classId],
              subjects: [SUBJECT],
              ttl: '1h',
            },
            systemClock,
          )}`,
        );
      const WARM = 5;
      const assessments = WARM + perClass;
      const assessmentId = (c: RegionClass, n: number) => `${c.classId}-${SUBJECT}-${n}`;
      const headers = (c: RegionClass, key: string) => ({
        authorization: tokens.get(c.classId) as string,
        'content-type': 'application/json',
        'idempotency-key': key,
      });
      // Request i is class i mod 50: the 50 requests in flight are 50 teachers' classes.
      const eachClass = <T>(from: number, to: number, make: (c: RegionClass, n: number) => T): T[] =>
        Array.from({ length: to - from }, (_, i) => i + from).flatMap((n) =>
          region.classes.map((c) => make(c, n)),
        );
      const create = eachClass(0, assessments, (c, n) => ({
        method: 'POST' as const,
        path: `/schools/${schoolId}/assessments`,
        headers: headers(c, `create-${assessmentId(c, n)}`),
        body: JSON.stringify({
          assessmentId: assessmentId(c, n),
          classId: c.classId,
          subjectId: SUBJECT,
          date: region.date,
          title: `Interrogation n° ${n + 1}`,
          outOf: 20,
        }),
      }));
      const grades = (from: number, to: number) =>
        eachClass(from, to, (c, n) => ({
          method: 'POST' as const,
          path: `/schools/${schoolId}/assessments/${assessmentId(c, n)}/grades`,
          headers: headers(c, `grades-${assessmentId(c, n)}`),
          body: JSON.stringify({ grades: gradesOf(c, n) }),
        }));
      const warm = grades(0, WARM);
      const measured = grades(WARM, assessments);
      const bare = measured.map((r) => ({ ...r, path: '/bench/bare' }));
      const send = (requests: readonly LoadRequest[], until: { amount?: number; seconds?: number } = {}) =>
        load.run({ url, connections: TEACHERS, opening: bare[0], requests, ...until });
      const measureBare = async () => {
        const result = await withCpu(() => send(bare, { seconds: 2 }));
        if (result.non2xx > 0 || result.errors > 0)
          throw new Error(
            `bare route: status codes ${JSON.stringify(result.statusCodes)}, ${result.errors} errors`,
          );
        return result;
      };

      requireAllAnswered('creating the assessments', await send(create), create.length);
      await send(bare, { amount: 2_000 });
      requireAllAnswered('warm-up grades', await send(warm), warm.length);
      await runner.catchUp();
      const bareBefore = await measureBare();

      const store = app.get<EventStore>(EVENT_STORE);
      const sqlite = sqliteStoreOf(store);
      const commitsBefore = sqlite?.stats.commits ?? 0;
      const result = await profiled('grades-entry', () => withCpu(() => send(measured)));
      const commits = sqlite ? sqlite.stats.commits - commitsBefore : NaN;
      requireAllAnswered('grades', result, measured.length);
      const bareAfter = await measureBare();

      const sample = region.classes[7];
      const stored = await store.readStream(
        assessmentStreamId(schoolId, assessmentId(sample, assessments - 1)),
      );
      if (stored.map((e) => e.type).join() !== 'AssessmentCreated,GradesRecorded')
        throw new Error(
          `grades entry: ${sample.classId}'s last assessment holds ${stored.map((e) => e.type).join()}`,
        );
      await runner.catchUp();

      const baseline = {
        perSecond: (bareBefore.perSecond + bareAfter.perSecond) / 2,
        cpuMs: (bareBefore.cpuMs + bareAfter.cpuMs) / 2,
        p50Ms: (bareBefore.p50Ms + bareAfter.p50Ms) / 2,
        p99Ms: Math.max(bareBefore.p99Ms, bareAfter.p99Ms),
      };
      return [
        ratio(
          'grades_entry_ratio',
          `a class's grades (${CLASS_SIZE}) over HTTP, ${TEACHERS} teachers at once (durable) vs bare POST route`,
          result.perSecond / baseline.perSecond,
          0.4,
        ),
        rate(
          'grades_entry_per_s',
          "classes' grades recorded per second (each a GradesRecorded of 30)",
          result.perSecond,
        ),
        ms('grades_entry_p50_ms', 'grades request median latency', result.p50Ms),
        ms('grades_entry_p99_ms', 'grades request p99 latency', result.p99Ms),
        ms('grades_entry_cpu_ms', 'CPU per grades request, every thread of the process', result.cpuMs),
        rate('grades_entry_bare_per_s', 'bare POST route, same server and bodies', baseline.perSecond),
        ms('grades_entry_bare_p50_ms', 'bare POST route median latency', baseline.p50Ms),
        ms('grades_entry_bare_p99_ms', 'bare POST route p99 latency', baseline.p99Ms),
        ms('grades_entry_bare_cpu_ms', 'CPU per bare request, every thread of the process', baseline.cpuMs),
        {
          key: 'grades_entry_per_fsync',
          label: 'grades requests per commit (group commit)',
          value: measured.length / commits,
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

const generated = new Map<string, SchoolYearOfGrades>();

/** The generated year (kept for the process: each run copies the same database). */
const yearOfGrades = (options: Parameters<typeof makeSchoolYearOfGrades>[0]): SchoolYearOfGrades => {
  const key = JSON.stringify(options);
  let year = generated.get(key);
  if (!year) {
    year = makeSchoolYearOfGrades(options);
    generated.set(key, year);
  }
  return year;
};

const HANDLED: ReadonlySet<string> = new Set([...ASSESSMENT_EVENT_TYPES, ...REPORT_EVENT_TYPES]);

/**
 * The floor: the same log read with raw better-sqlite3, each assessment or report event's data
 * parsed with JSON.parse and counted per assessment (per report for positionings and appreciations).
 */
const parseAndFold = (path: string): { seconds: number; events: number } => {
  const db = new BetterSqlite3(path, { readonly: true });
  const rows = db.prepare<[], [string, string]>('SELECT type, data FROM events ORDER BY position').raw();
  gc();
  const t = now();
  const counts = new Map<string, number>();
  let events = 0;
  for (const [type, data] of rows.iterate()) {
    if (!HANDLED.has(type)) continue;
    const parsed = JSON.parse(data) as {
      assessmentId?: string;
      classId?: string;
      subjectId?: string;
      periodId?: string;
    };
    const key = parsed.assessmentId ?? `${parsed.classId}/${parsed.subjectId}/${parsed.periodId}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    events++;
  }
  const elapsed = seconds(t);
  db.close();
  if (counts.size === 0) throw new Error('the raw fold found no assessment event');
  return { seconds: elapsed, events };
};

/** How many events the log holds, and how many grades its GradesRecorded events carry. */
const logSummaryOf = (path: string): { events: number; grades: number } => {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db
      .prepare<[], { events: number; grades: number }>(
        `SELECT count(*) AS events,
           coalesce(sum(CASE WHEN type = 'GradesRecorded' THEN json_array_length(data, '$.grades') END), 0) AS grades
         FROM events`,
      )
      .get() as { events: number; grades: number };
  } finally {
    db.close();
  }
};

/**
 * The assessments projection alone rebuilt from position 0 through the real runner, over a generated
 * school year of grades (≈150 per student, levels, corrections, changes, cancels, positionings and
 * appreciations, the school's structure) in a real store. Baseline: JSON.parse of each of the same
 * events' data and a count per assessment, read from the same log, before and after (mean).
 */
export const assessmentRebuild = (students: number): Scenario => {
  const options = { students };
  return {
    name: 'assessment-rebuild',
    settings: {
      students,
      classSize: 28,
      subjects: 10,
      assessmentsPerSubjectPerYear: 15,
      generator: 'makeSchoolYearOfGrades (src/demo/assessment-year.ts), seed 42',
      projection: assessmentsProjection.name,
      baseline:
        "raw better-sqlite3 SELECT type, data of the same log, JSON.parse of each handled event's data, count per assessment",
    },
    async run(dir) {
      // The generated year is built into its log once and not kept: a rebuild measured with the
      // generator's objects still in its heap paid for marking them in every full collection.
      const measure = async (name: string, generate: () => SchoolYearOfGrades) => {
        const path = join(dir, `${name}.db`);
        await copyTemplate(name, (p) => buildLogOfSchoolYear(p, generate()), path);
        const before = parseAndFold(path);
        const store = SqliteEventStore.open({ path, synchronous: 'normal' });
        const rebuild = await profiled(name, () =>
          rebuildFromZero(store, join(dir, `${name}-assessments.db`), [assessmentsProjection]),
        );
        await store.close();
        const after = parseAndFold(path);
        return { events: before.events, raw: (before.seconds + after.seconds) / 2, rebuild, path };
      };
      const {
        events,
        raw: rawSeconds,
        rebuild: rebuildSeconds,
        path,
      } = await measure(`grades-year-log-${students}`, () => makeSchoolYearOfGrades(options));
      // Context: the same school without positionings and appreciations (one report row per event).
      const alone = await measure(`grades-year-log-${students}-no-reports`, () =>
        makeSchoolYearOfGrades({ ...options, reports: false }),
      );
      const year = logSummaryOf(path);
      const grades = year.grades;
      return [
        ratio(
          'assessment_rebuild_ratio',
          `assessments projection rebuilt (${events.toLocaleString('en')} assessment and report events, ${students.toLocaleString('en')} students) vs JSON.parse + count`,
          rawSeconds / rebuildSeconds,
          0.5,
        ),
        rate(
          'assessment_rebuild_events_per_s',
          'assessment and report events applied per second',
          events / rebuildSeconds,
        ),
        rate('assessment_rebuild_grades_per_s', 'grades rebuilt per second', grades / rebuildSeconds),
        {
          key: 'assessment_rebuild_seconds',
          label: `rebuild time (${year.events.toLocaleString('en')} events in the log)`,
          value: rebuildSeconds,
          unit: 's',
          better: 'lower',
        },
        rate(
          'assessment_rebuild_raw_events_per_s',
          'raw JSON.parse + count, same events',
          events / rawSeconds,
        ),
        {
          key: 'assessment_rebuild_no_reports_ratio',
          label: `the same without positionings and appreciations (${alone.events.toLocaleString('en')} assessment events) vs JSON.parse + count`,
          value: alone.raw / alone.rebuild,
          unit: 'x',
          better: 'higher',
        },
      ];
    },
  };
};

const GRADE_BOOK_VARIANTS = 20;

/**
 * One class's grade book (30 students × 40 assessments of the subject in the period) read over HTTP
 * by the class's teacher, one request at a time over one connection, the service idle, on a school
 * of 10 classes of 30 with 10 subjects of 120 assessments a year each (reports included). Variants
 * over classes, subjects and trimesters. Floor: the bare GET route, same server, same connection.
 */
export const gradeBookRead = (times: number): Scenario => {
  const options = { students: 300, classSize: CLASS_SIZE, subjects: 10, assessmentsPerSubject: 120 };
  return {
    name: 'grade-book-read',
    settings: {
      ...options,
      subject: `GET /schools/:schoolId/grade-books/:class/:subject/:period ${times} times, one at a time over one connection, the service idle (${GRADE_BOOK_VARIANTS} variants of class, subject, trimester)`,
      baseline:
        "a @Public() GET route on the same server, same connection, after, with the teacher's token (verified at the edge, as every route but /health and /docs)",
    },
    async run(dir) {
      const year = yearOfGrades(options);
      const dbPath = join(dir, 'registre.db');
      await copyTemplate(
        `grades-year-service-${JSON.stringify(options).replace(/\W+/g, '-')}`,
        (p) => buildSchoolYearForService(p, year),
        dbPath,
      );
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
        const requests: LoadRequest[] = [];
        const variants: { user: AuthenticatedUser; classId: string; subjectId: string; periodId: string }[] =
          [];
        for (let i = 0; i < GRADE_BOOK_VARIANTS; i++) {
          const { classId } = year.classes[(i * 7) % year.classes.length];
          const subjectId = year.subjects[(i * 3) % year.subjects.length];
          const period = year.periods[i % year.periods.length];
          variants.push({
            user: {
              sub: `prof-${classId}`,
              role: 'teacher',
              schoolId: year.schoolId,
              classes: [classId],
              subjects: [subjectId],
            },
            classId,
            subjectId,
            periodId: period.id,
          });
          const token = await signToken(
            config,
            {
              sub: `prof-${classId}`,
              role: 'teacher',
              schoolId: year.schoolId,
              classes: [classId],
              subjects: [subjectId],
              ttl: '1h',
            },
            systemClock,
          );
          requests.push({
            method: 'GET',
            path: `/schools/${year.schoolId}/grade-books/${classId}/${subjectId}/${period.id}`,
            headers: { authorization: `Bearer ${token}` },
          });
        }
        const first = await fetch(`${url}${requests[0].path}`, { headers: requests[0].headers });
        const answer = await first.text();
        const book = JSON.parse(answer) as { assessments?: unknown[]; students?: unknown[] };
        if (first.status !== 200 || book.assessments?.length !== 40 || book.students?.length !== CLASS_SIZE)
          throw new Error(
            `grade book: ${first.status}, ${book.assessments?.length} assessments, ${book.students?.length} students`,
          );
        // With the teacher's token: the service's edge verifies a token before any route but /health
        // and /docs, so a bare route asked without one measures a 401.
        const bareRead: LoadRequest = { ...requests[0], path: '/bench/bare-read' };
        const one = (list: readonly LoadRequest[], amount: number) =>
          load.run({ url, connections: 1, opening: bareRead, requests: list, amount });
        await one([bareRead], times);
        await one(requests, requests.length * 2);
        const result = await profiled('grade-book-read', () => one(requests, times));
        requireAllAnswered('grade book', result, times);
        const bare = await one([bareRead], times);
        requireAllAnswered('bare read', bare, times);

        // Where a request's time goes, measured in this process without HTTP: the rows read on a
        // connection of our own, the view (its read on the pool's thread, then the averages), and
        // JSON.stringify of its answer.
        const REPEATS = 5;
        const db = new BetterSqlite3(readModelsPathFor(dbPath), { readonly: true });
        const tables = {
          ...runner.tables<AssessmentsTable>(assessmentsProjection.name),
          ...runner.tables<EnrolmentsTable>(enrolmentsProjection.name),
        };
        const views = app.get(AssessmentViews, { strict: false });
        const rowsMs: number[] = [];
        const viewMs: number[] = [];
        const stringifyMs: number[] = [];
        for (let r = 0; r < REPEATS; r++)
          for (const v of variants) {
            const period = year.periods.find((p) => p.id === v.periodId) as (typeof year.periods)[number];
            let t = now();
            readPeriodRows(db, tables, year.schoolId, { kind: 'class', id: v.classId }, period, v.subjectId);
            rowsMs.push(seconds(t) * 1000);
            t = now();
            const view = await views.gradeBook(v.user, year.schoolId, v.classId, v.subjectId, v.periodId);
            viewMs.push(seconds(t) * 1000);
            t = now();
            JSON.stringify(view);
            stringifyMs.push(seconds(t) * 1000);
          }
        db.close();
        return [
          ms(
            'grade_book_p99_ms',
            `a class's grade book (${CLASS_SIZE} students × 40 assessments): p99, idle`,
            result.p99Ms,
            20,
          ),
          ms('grade_book_p50_ms', "a class's grade book: median, idle", result.p50Ms),
          ms('grade_book_bare_p50_ms', 'bare GET route, same server: median', bare.p50Ms),
          ms('grade_book_bare_p99_ms', 'bare GET route, same server: p99', bare.p99Ms),
          ms(
            'grade_book_rows_ms',
            'of which: readPeriodRows alone (SQLite + JSON.parse of the rows), median',
            median(rowsMs),
          ),
          ms(
            'grade_book_view_ms',
            'of which: the view without HTTP (read on a pool thread, then averages), median',
            median(viewMs),
          ),
          ms(
            'grade_book_stringify_ms',
            'of which: JSON.stringify of the answer, median',
            median(stringifyMs),
          ),
          {
            key: 'grade_book_bytes',
            label: 'answer size',
            value: Buffer.byteLength(answer),
            unit: 'B',
            better: 'lower',
          },
        ];
      } finally {
        await app.close();
        await load.close();
      }
    },
  };
};
