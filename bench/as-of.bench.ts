import { join } from 'node:path';
import { signToken } from '../src/api/auth/sign-token';
import { makeSchoolYearOfGrades } from '../src/demo/assessment-year';
import { makeSchoolYearOfAttendance, StreamEvent } from '../src/demo/attendance-year';
import { createLogger } from '../src/logger';
import { createApp } from '../src/main';
import { LiveProjections } from '../src/projections/live-projections';
import { PROJECTION_RUNNER } from '../src/api/core/tokens';
import { systemClock } from '../src/system-clock';
import { buildSchoolYearForService, copyTemplate } from './attendance-setup';
import { BareRouteModule, benchConfig } from './attendance.bench';
import { Scenario, median, ms, now, requireAllAnswered, seconds } from './harness';
import { LoadGenerator, LoadRequest } from './http-load.worker';

/**
 * Issue 13's figure: a class council's view as it stood at a past instant, in a store holding a
 * school year of 1,000 students (every lesson's roll call with its corrections, justifications and
 * moves, and a year of grades, levels, positionings and appreciations), against the live view.
 */

const PERIOD = 'T1';
const CLASS = 'C03';
/** Classes asked about once each, cold. */
const COLD_CLASSES = 10;

/**
 * One school year: the attendance generator's (its structure: the school, classes, students and
 * moves) and the grades generator's assessments, reports and trimesters, merged in the order the
 * school recorded them (the grades generator's own school year, classes and students left out: they
 * are the same ones).
 */
const yearOf = (students: number): { events: StreamEvent[]; instants: string[] } => {
  const attendance = makeSchoolYearOfAttendance({ students });
  const grades = makeSchoolYearOfGrades({ students });
  const fromGrades = grades.events.filter(
    ({ streamId, event }) =>
      !streamId.startsWith('student-') &&
      !(
        streamId.startsWith('school-') &&
        (event.type === 'SchoolYearDefined' || event.type === 'ClassOpened')
      ),
  );
  const events = [...attendance.events, ...fromGrades]
    .map((entry, order) => ({ entry, order }))
    .sort(
      (a, b) =>
        a.entry.event.metadata.recordedAt.localeCompare(b.entry.event.metadata.recordedAt) ||
        a.order - b.order,
    )
    .map(({ entry }) => entry);
  // Past instants spread over the end of T1 (20 November – 4 December, every 8 hours): what an auditor
  // asks about the council.
  const instants = Array.from({ length: 42 }, (_, i) =>
    new Date(Date.UTC(2026, 10, 20, 17, 0, 0) + i * 8 * 3_600_000).toISOString(),
  );
  return { events, instants };
};

export const asOfCouncil = (students: number, times: number): Scenario => ({
  name: 'as-of-council',
  settings: {
    students,
    subject: `GET /schools/:schoolId/as-of/councils/${CLASS}/${PERIOD}?at=… ${times} times, each at another past instant (20 November – 4 December, in turn), one at a time over one connection, the service idle (after the first, a kept fold of the class's streams is extended); then once for each of ${COLD_CLASSES} other classes, cold`,
    baseline: `the live view GET /schools/:schoolId/councils/${CLASS}/${PERIOD}, same server, same connection, ${times} times`,
  },
  async run(dir) {
    const year = yearOf(students);
    const dbPath = join(dir, 'registre.db');
    await copyTemplate(`as-of-year-${students}`, (p) => buildSchoolYearForService(p, year), dbPath);
    const config = benchConfig(dbPath);
    const load = new LoadGenerator();
    const app = await createApp(config, {
      logger: createLogger({ level: config.logLevel, destination: { write: () => undefined } }),
      imports: [BareRouteModule],
    });
    try {
      await app.listen({ port: 0, host: config.host });
      await app.get<LiveProjections>(PROJECTION_RUNNER).catchUp();
      const url = await app.getUrl();
      const schoolId = '0670001A';
      const token = await signToken(
        config,
        { sub: 'auditor-bench', role: 'auditor', schoolId, ttl: '1h' },
        systemClock,
      );
      const headers = { authorization: `Bearer ${token}` };
      const live: LoadRequest = {
        method: 'GET',
        path: `/schools/${schoolId}/councils/${CLASS}/${PERIOD}`,
        headers,
      };
      const past: LoadRequest[] = year.instants.map((at) => ({
        method: 'GET',
        path: `/schools/${schoolId}/as-of/councils/${CLASS}/${PERIOD}?at=${at}`,
        headers,
      }));
      const check = await fetch(`${url}${past[0].path}`, { headers });
      const body = (await check.json()) as { students?: unknown[]; asOf?: { position: string } };
      if (check.status !== 200 || (body.students?.length ?? 0) === 0)
        throw new Error(`as-of council view: ${check.status} ${JSON.stringify(body).slice(0, 300)}`);
      const one = (list: readonly LoadRequest[], amount: number) =>
        load.run({ url, connections: 1, opening: live, requests: list, amount });
      await one([live], Math.min(times, 20));
      await one(past, Math.min(times, 5));
      const asOf = await one(past, times);
      requireAllAnswered('as-of council view', asOf, times);
      const liveResult = await one([live], times);
      requireAllAnswered('live council view', liveResult, times);
      // Cold: a class nobody asked about yet, so no fold of its streams is kept to extend — the
      // first question of an inspection.
      const coldMs: number[] = [];
      for (let c = 4; c < 4 + COLD_CLASSES; c++) {
        const classId = `C${String(c).padStart(2, '0')}`;
        const t = now();
        const answer = await fetch(
          `${url}/schools/${schoolId}/as-of/councils/${classId}/${PERIOD}?at=${year.instants[c]}`,
          { headers },
        );
        await answer.arrayBuffer();
        coldMs.push(seconds(t) * 1000);
        if (answer.status !== 200) throw new Error(`cold as-of view of ${classId}: ${answer.status}`);
      }
      return [
        ms(
          'as_of_council_p99_ms',
          `a class council's view as it stood at a past instant (${students} students' year): p99, idle`,
          asOf.p99Ms,
          200,
        ),
        ms('as_of_council_p50_ms', "a class council's view as it stood: median, idle", asOf.p50Ms, 200),
        ms(
          'as_of_council_cold_p50_ms',
          `the first view as it stood of each of ${COLD_CLASSES} other classes (nothing kept to extend): median`,
          median(coldMs),
          200,
        ),
        ms(
          'as_of_council_cold_max_ms',
          `the first view as it stood of each of ${COLD_CLASSES} other classes: slowest`,
          Math.max(...coldMs),
          200,
        ),
        ms('as_of_council_live_p50_ms', 'the live view, same class: median', liveResult.p50Ms),
        {
          key: 'as_of_council_ratio',
          label: 'as it stood ÷ live (p50)',
          value: asOf.p50Ms / liveResult.p50Ms,
          unit: 'x',
          better: 'lower',
        },
        {
          key: 'as_of_year_events',
          label: "events in the school's year",
          value: year.events.length,
          unit: 'events',
          better: 'higher',
        },
      ];
    } finally {
      await app.close();
      await load.close();
    }
  },
});
