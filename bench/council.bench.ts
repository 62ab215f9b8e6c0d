import BetterSqlite3, { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { CouncilViews } from '../src/api/council/council-views';
import { AssessmentInputs } from '../src/api/assessment/assessment-inputs';
import { AttendanceViews } from '../src/api/attendance/attendance-views';
import { signToken } from '../src/api/auth/sign-token';
import { AuthenticatedUser } from '../src/api/auth/user';
import { Reads } from '../src/api/core/reads';
import { CLOCK, EVENT_STORE, PROJECTION_RUNNER } from '../src/api/core/tokens';
import { makeSchoolYearOfGrades } from '../src/demo/assessment-year';
import { reportStreamId } from '../src/domain/assessment';
import { councilStreamId } from '../src/domain/council';
import { Clock } from '../src/domain/shared/clock';
import { studentStreamId } from '../src/domain/structure/student';
import { EventStore, RecordedEvent } from '../src/event-store/event-store';
import { createLogger } from '../src/logger';
import { createApp } from '../src/main';
import { assessmentsProjection } from '../src/projections/assessment';
import { attendanceProjection } from '../src/projections/attendance';
import { auditTrailProjection } from '../src/projections/audit-trail';
import { councilsProjection } from '../src/projections/council';
import { eventsToApplyFor } from '../src/projections/events-to-apply';
import { LiveProjections } from '../src/projections/live-projections';
import { Projection, TableNames, tableNamesFor } from '../src/projections/projection';
import { reads } from '../src/projections/read-pool/read-registry';
import { enrolmentsProjection } from '../src/projections/structure';
import { systemClock } from '../src/system-clock';
import { buildSchoolYearForService, copyTemplate } from './attendance-setup';
import { BareRouteModule, benchConfig } from './attendance.bench';
import { Scenario, median, ms, now, profiled, requireAllAnswered, seconds } from './harness';
import { LoadGenerator, LoadRequest } from './http-load.worker';
import { ratio } from './store.bench';

/**
 * Issue 12's figure: a class council's view (35 students, 12 subjects) read over HTTP from the
 * persisted read models, against the same view computed from scratch by folding the class's own
 * streams into an in-memory database (what a service without persisted read models would do).
 */

const CLASS_SIZE = 35;
const SUBJECTS = 12;
const PERIOD = 'T1';
/** The council's day (T1 ends on 30 November). */
const COUNCIL_DAY = '2026-11-27';

/** The projections the council view reads (structure and settings aside, read from the service). */
const FOLDED: readonly Projection[] = [
  assessmentsProjection,
  enrolmentsProjection,
  attendanceProjection,
  councilsProjection,
  auditTrailProjection,
] as unknown as readonly Projection[];

/**
 * The class's streams read from the store and folded by the projections' own code into a fresh
 * in-memory database; the view then computed by the service's `CouncilViews` over it (its reads run
 * on this thread, on that database). The school's structure and settings come from the service's
 * inputs: a class council does not fold the school stream.
 */
const fromScratch = async (
  store: EventStore,
  streamIds: readonly string[],
  inputs: AssessmentInputs,
  clock: Clock,
  user: AuthenticatedUser,
  schoolId: string,
  classId: string,
) => {
  let t = now();
  const perStream = await Promise.all(streamIds.map((id) => store.readStream(id)));
  const events: RecordedEvent[] = perStream.flat().sort((a, b) => (a.position < b.position ? -1 : 1));
  const readMs = seconds(t) * 1000;
  t = now();
  const db: Database = new BetterSqlite3(':memory:');
  try {
    const tables = new Map<string, TableNames>();
    for (const projection of FOLDED) {
      const names = tableNamesFor(projection);
      tables.set(projection.name, names);
      db.transaction(() => {
        projection.setup(db, names);
        projection.apply(db, names, eventsToApplyFor(projection)(events, 0n));
      })();
    }
    const foldMs = seconds(t) * 1000;
    t = now();
    const runner = { tables: (name: string) => tables.get(name) } as unknown as LiveProjections;
    const local = {
      run: (name: keyof typeof reads, named: TableNames | (() => TableNames), ...args: unknown[]) =>
        Promise.resolve(
          (reads[name] as (...a: unknown[]) => unknown)(
            db,
            typeof named === 'function' ? named() : named,
            ...args,
          ),
        ),
    } as unknown as Reads;
    const attendance = new AttendanceViews(local, runner, inputs.school, clock);
    const view = await new CouncilViews(local, inputs, runner, clock, attendance).view(
      user,
      schoolId,
      classId,
      PERIOD,
    );
    JSON.stringify(view);
    const viewMs = seconds(t) * 1000;
    return { events: events.length, readMs, foldMs, viewMs, view };
  } finally {
    db.close();
  }
};

export const councilView = (times: number): Scenario => {
  const options = {
    students: CLASS_SIZE * 6,
    classSize: CLASS_SIZE,
    subjects: SUBJECTS,
    assessmentsPerSubject: 24,
  };
  return {
    name: 'council-view',
    settings: {
      ...options,
      subject: `GET /schools/:schoolId/councils/:class/T1 ${times} times with the principal's token, one at a time over one connection, the service idle; the council scheduled, a synthesis per student, a mention for one in five, the class appreciation, held over HTTP before`,
      baseline:
        "a @Public() GET route on the same server, same connection, after, with the principal's token; and the same view computed from scratch: the class's student, assessment, report and council streams read from the store and folded by the projections into an in-memory database, then the view (median of 10)",
    },
    async run(dir) {
      const year = makeSchoolYearOfGrades(options);
      const dbPath = join(dir, 'registre.db');
      await copyTemplate(
        `council-year-service-${JSON.stringify(options).replace(/\W+/g, '-')}`,
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
        const { schoolId } = year;
        const { classId, students } = year.classes[2];
        const user: AuthenticatedUser = {
          sub: 'principal-bench',
          role: 'principal',
          schoolId,
          classes: [],
          subjects: [],
        };
        const token = await signToken(
          config,
          { sub: user.sub, role: 'principal', schoolId, ttl: '1h' },
          systemClock,
        );
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const councilPath = `/schools/${schoolId}/councils/${classId}/${PERIOD}`;
        const send = async (method: 'PUT' | 'POST', path: string, body: unknown) => {
          const answer = await fetch(`${url}${councilPath}${path}`, {
            method,
            headers,
            body: JSON.stringify(body),
          });
          if (answer.status !== 200 && answer.status !== 201)
            throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
        };
        // The council as a principal records it: scheduled, decisions, held (the hold reads its snapshot).
        await send('PUT', '/schedule', { date: COUNCIL_DAY });
        for (const [i, studentId] of students.entries()) {
          await send('PUT', `/students/${studentId}/synthesis`, {
            text: 'Trimestre sérieux ; le travail personnel doit gagner en régularité.',
          });
          if (i % 5 === 0) await send('PUT', `/students/${studentId}/mention`, { mention: 'Encouragements' });
        }
        await send('PUT', '/appreciation', { text: 'Classe agréable et travailleuse.' });
        await send('POST', '/hold', { heldOn: COUNCIL_DAY });
        await runner.catchUp();

        const request: LoadRequest = {
          method: 'GET',
          path: councilPath,
          headers: { authorization: headers.authorization },
        };
        const first = await fetch(`${url}${councilPath}`, { headers: request.headers });
        const answer = await first.text();
        const body = JSON.parse(answer) as {
          council?: { status?: string };
          students?: { subjects: unknown[] }[];
        };
        if (
          first.status !== 200 ||
          body.council?.status !== 'held' ||
          body.students?.length !== CLASS_SIZE ||
          body.students[0].subjects.length !== SUBJECTS
        )
          throw new Error(
            `council view: ${first.status}, ${body.council?.status}, ${body.students?.length} students, ${body.students?.[0]?.subjects.length} subjects`,
          );

        const bareRead: LoadRequest = { ...request, path: '/bench/bare-read' };
        const one = (list: readonly LoadRequest[], amount: number) =>
          load.run({ url, connections: 1, opening: bareRead, requests: list, amount });
        await one([bareRead], times);
        await one([request], Math.min(times, 50));
        const result = await profiled('council-view', () => one([request], times));
        requireAllAnswered('council view', result, times);
        const bare = await one([bareRead], times);
        requireAllAnswered('bare read', bare, times);

        // The persisted view without HTTP: the service's own CouncilViews (its reads on the pool).
        const views = app.get(CouncilViews, { strict: false });
        const persistedMs: number[] = [];
        for (let r = 0; r < 20; r++) {
          const t = now();
          JSON.stringify(await views.view(user, schoolId, classId, PERIOD));
          persistedMs.push(seconds(t) * 1000);
        }

        // From scratch: the class's streams, known before the clock starts.
        const streamIds = [
          ...students.map((id) => studentStreamId(schoolId, id)),
          ...new Set(
            year.events
              .filter(
                ({ streamId, event }) =>
                  streamId.startsWith('assessment-') &&
                  event.type === 'AssessmentCreated' &&
                  (event.data as { classOrGroupId: string }).classOrGroupId === classId,
              )
              .map(({ streamId }) => streamId),
          ),
          ...year.subjects.map((s) => reportStreamId(schoolId, classId, s, PERIOD)),
          councilStreamId(schoolId, classId, PERIOD),
        ];
        const store = app.get<EventStore>(EVENT_STORE);
        const inputs = app.get(AssessmentInputs, { strict: false });
        const clock = app.get<Clock>(CLOCK);
        const scratch: Awaited<ReturnType<typeof fromScratch>>[] = [];
        for (let r = 0; r < 11; r++)
          scratch.push(await fromScratch(store, streamIds, inputs, clock, user, schoolId, classId));
        scratch.shift(); // the first warms the statements' compilation
        const same =
          JSON.stringify(scratch[0].view) ===
          JSON.stringify(await views.view(user, schoolId, classId, PERIOD));
        if (!same) throw new Error('the view from scratch differs from the persisted one');
        const scratchMs = median(scratch.map((s) => s.readMs + s.foldMs + s.viewMs));
        return [
          ms(
            'council_view_p99_ms',
            `a class council's view (${CLASS_SIZE} students × ${SUBJECTS} subjects, held): p99, idle`,
            result.p99Ms,
            30,
          ),
          ms('council_view_p50_ms', "a class council's view: median, idle", result.p50Ms),
          ms('council_view_bare_p50_ms', 'bare GET route, same server: median', bare.p50Ms),
          ms('council_view_bare_p99_ms', 'bare GET route, same server: p99', bare.p99Ms),
          ms(
            'council_view_in_process_ms',
            'of which: the persisted view without HTTP (reads on the pool, figures, JSON.stringify), median',
            median(persistedMs),
          ),
          ms(
            'council_view_scratch_ms',
            `the same view from scratch (${scratch[0].events} events of ${streamIds.length} streams folded, then the view), median`,
            scratchMs,
          ),
          ms(
            'council_view_scratch_read_ms',
            'of which: reading the streams',
            median(scratch.map((s) => s.readMs)),
          ),
          ms(
            'council_view_scratch_fold_ms',
            'of which: folding them into an in-memory database',
            median(scratch.map((s) => s.foldMs)),
          ),
          ms(
            'council_view_scratch_view_ms',
            'of which: the view over it',
            median(scratch.map((s) => s.viewMs)),
          ),
          ratio(
            'council_view_scratch_ratio',
            'from scratch ÷ persisted over HTTP (p50)',
            scratchMs / result.p50Ms,
            1,
          ),
          {
            key: 'council_view_bytes',
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
