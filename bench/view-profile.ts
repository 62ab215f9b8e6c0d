import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readModelsPathFor } from '../src/config';
import { makeSchoolYearOfAttendance } from '../src/demo/attendance-year';
import {
  completenessWindow,
  expectedLessons,
  lessonsToExpect,
  patternDates,
  lessonsOfTallies,
} from '../src/domain/attendance';
import { completenessPage } from '../src/api/attendance/completeness-page';
import { DEFAULT_SLOTS } from '../src/domain/settings/settings';
import { IsoDate, addDays } from '../src/domain/shared/calendar';
import { openReadModelDb } from '../src/event-store/create-store';
import { SqliteEventStore } from '../src/event-store/sqlite';
import {
  attendanceProjection,
  classDay,
  classesCalled,
  computeLessonCompleteness,
  LessonCompletenessAsk,
  lessonCompleteness,
  LessonTables,
  rollCallCompleteness,
  rollCallCompletenessProjection,
  schoolAlerts,
  studentLedger,
  studentTotals,
  weeklyTallies,
} from '../src/projections/attendance';
import { AuditTrailTable, auditTrailProjection, readAuditTrail } from '../src/projections/audit-trail';
import { ProjectionRunner } from '../src/projections/projection-runner';
import { SchoolSettingsTable, schoolSettingsProjection } from '../src/projections/structure';
import { percentile } from './harness';

/**
 * Idle cost of the daily views on a school year of 1,000 students, function by function on the read
 * models (no HTTP): the measure behind the indexes of the read side. Not a bench scenario (see
 * bench `view-cost` for the figures over HTTP).
 *
 *   npm run build && node dist/bench/view-profile.js /tmp/registre-views   # builds the store once, then reuses it
 *   REBUILD=1 ...                                                         # rebuilds the read models only
 */

const dir = process.argv[2] ?? '/tmp/registre-views';
const path = join(dir, 'events.db');
const PROJECTIONS = [
  attendanceProjection,
  rollCallCompletenessProjection,
  auditTrailProjection,
  schoolSettingsProjection,
];

const build = async (): Promise<void> => {
  const year = makeSchoolYearOfAttendance({ students: 1000 });
  mkdirSync(dir, { recursive: true });
  const store = SqliteEventStore.open({ path, synchronous: 'normal' });
  const events = year.events;
  for (let i = 0; i < events.length;) {
    const window: (typeof events)[number][] = [];
    const streams = new Set<string>();
    while (i < events.length && window.length < 500 && !streams.has(events[i].streamId)) {
      streams.add(events[i].streamId);
      window.push(events[i++]);
    }
    await Promise.all(window.map(({ streamId, event }) => store.appendToStream(streamId, [event])));
  }
  await store.close();
};

const main = async () => {
  if (!existsSync(path)) await build();
  if (process.env.REBUILD === '1') rmSync(readModelsPathFor(path), { force: true });
  const store = SqliteEventStore.open({ path, synchronous: 'normal' });
  const db = openReadModelDb({ readModelsPath: readModelsPathFor(path) });
  const runner = new ProjectionRunner({ store, db, projections: PROJECTIONS, batchSize: 10_000 });
  const started = performance.now();
  await runner.catchUp();
  console.log(`caught up in ${Math.round(performance.now() - started)} ms`);
  const t = runner.tables(attendanceProjection.name);
  const completeness = runner.tables<'rollcalls'>(rollCallCompletenessProjection.name);
  const audit = runner.tables<AuditTrailTable>(auditTrailProjection.name);
  const lessonTables: LessonTables = {
    ...runner.tables<'rollcalls' | 'dates'>(rollCallCompletenessProjection.name),
    ...runner.tables<SchoolSettingsTable>(schoolSettingsProjection.name),
  };
  const schoolId = '0670001A';
  const students = Array.from({ length: 1000 }, (_, i) => `st${String(i + 1).padStart(4, '0')}`);
  const classes = Array.from({ length: 36 }, (_, i) => `C${String(i + 1).padStart(2, '0')}`);
  const dates: IsoDate[] = [];
  for (let d: IsoDate = '2026-09-07'; d < '2027-06-26'; d = addDays(d, 1)) {
    const weekday = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (weekday >= 1 && weekday <= 5) dates.push(d);
  }
  const months = ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04'];
  const pick = <T>(list: readonly T[], i: number): T => list[(i * 7919) % list.length];

  const measure = (name: string, runs: number, run: (i: number) => unknown) => {
    run(0);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 1; i <= runs; i++) {
      const start = performance.now();
      const answer = run(i);
      times.push(performance.now() - start);
      if (i === 1) bytes = JSON.stringify(answer, (_, v) => (typeof v === 'bigint' ? String(v) : v)).length;
    }
    console.log(
      `${name.padEnd(46)} p50 ${percentile(times, 50).toFixed(2).padStart(8)} ms  p99 ${percentile(times, 99)
        .toFixed(2)
        .padStart(8)} ms  ${(bytes / 1024).toFixed(1).padStart(8)} KiB`,
    );
  };
  const completenessOf = (from: IsoDate, to: IsoDate) => {
    const window = completenessWindow({ from, to }, '2027-06-30');
    const dates = patternDates(window);
    const tallies = weeklyTallies(db, completeness, {
      schoolId,
      from: window.observedFrom,
      to: window.to,
      ...(dates !== undefined ? { dates } : {}),
    });
    const lessons = lessonsToExpect(from, [], lessonsOfTallies(tallies));
    const expected = expectedLessons([...lessons.declared, ...lessons.inferred], from, window.to, {
      slots: DEFAULT_SLOTS,
    });
    return [
      completenessPage(
        rollCallCompleteness(db, completeness, { schoolId, from, to: window.to, expected }),
        undefined,
        100,
      ),
      classesCalled(db, completeness, { schoolId, from: window.observedFrom, to: window.to, among: classes }),
    ];
  };

  measure('class day', 200, (i) =>
    classDay(db, t, { schoolId, classOrGroupId: pick(classes, i), date: pick(dates, i) }),
  );
  measure('student counts (year)', 200, (i) => {
    const studentId = pick(students, i);
    return [
      studentTotals(db, t, { schoolId, studentId, from: '2026-09-01', to: '2027-07-03' }),
      schoolAlerts(db, t, { schoolId, studentId, status: 'all' }),
    ];
  });
  measure('student ledger (month)', 100, (i) => {
    const month = pick(months, i);
    return studentLedger(db, t, {
      schoolId,
      studentId: pick(students, i),
      from: `${month}-01`,
      to: `${month}-28`,
    });
  });
  measure('completeness (day)', 100, (i) => completenessOf(pick(dates, i), pick(dates, i)));
  measure('completeness (month)', 30, (i) => {
    const month = pick(months, i);
    return completenessOf(`${month}-01`, `${month}-28`);
  });
  // The read the view runs (completeness.reads.ts): computed when its window changed, else kept.
  const askOf = (from: IsoDate, to: IsoDate, among: readonly string[] = classes): LessonCompletenessAsk => ({
    schoolId,
    window: completenessWindow({ from, to }, '2027-06-30'),
    timetable: { slots: DEFAULT_SLOTS },
    among,
  });
  const monthAsk = (i: number, among?: readonly string[]) => {
    const month = pick(months, i);
    return askOf(`${month}-01`, `${month}-28`, among);
  };
  const dayAsk = (i: number, among?: readonly string[]) => askOf(pick(dates, i), pick(dates, i), among);
  measure('completeness read (day), computed', 100, (i) =>
    computeLessonCompleteness(db, lessonTables, dayAsk(i)),
  );
  measure('completeness read (month), computed', 30, (i) =>
    computeLessonCompleteness(db, lessonTables, monthAsk(i)),
  );
  // Cold: an ask never seen (one more class taught), so nothing kept answers it.
  measure('completeness read (day), cold', 100, (i) =>
    lessonCompleteness(db, lessonTables, dayAsk(i, [...classes, `cold-${i}`])),
  );
  measure('completeness read (month), cold', 30, (i) =>
    lessonCompleteness(db, lessonTables, monthAsk(i, [...classes, `cold-${i}`])),
  );
  for (let i = 0; i < 16; i++) lessonCompleteness(db, lessonTables, dayAsk(i));
  for (let i = 0; i < months.length; i++) lessonCompleteness(db, lessonTables, monthAsk(i));
  measure('completeness read (day), warm', 16, (i) => lessonCompleteness(db, lessonTables, dayAsk(i % 16)));
  measure('completeness read (month), warm', 100, (i) => lessonCompleteness(db, lessonTables, monthAsk(i)));
  // A roll call taken in the month moves one date's stamp (in a savepoint rolled back: the bench's
  // read models stay those of the log), and the next read computes the month again.
  measure('completeness (month), after a roll call in it', 30, (i) => {
    const ask = monthAsk(i);
    db.exec('SAVEPOINT roll_call');
    try {
      const dated = lessonTables.dates;
      const moved = db
        .prepare(
          `UPDATE "${dated}" SET stamp = ? WHERE school_id = ? AND date = (
             SELECT max(date) FROM "${dated}" WHERE school_id = ? AND date BETWEEN ? AND ?)`,
        )
        .run(1e12 + i, schoolId, schoolId, ask.window.from, ask.window.to).changes;
      if (moved !== 1) throw new Error(`no roll call in ${ask.window.from}..${ask.window.to}`);
      return lessonCompleteness(db, lessonTables, ask);
    } finally {
      db.exec('ROLLBACK TO roll_call; RELEASE roll_call');
    }
  });
  measure('alerts (page of 100, all)', 200, (i) =>
    schoolAlerts(db, t, {
      schoolId,
      status: 'all',
      limit: 101,
      ...(i % 2 === 0 ? { after: [pick(months, i), pick(students, i), 'monthly', 0] as const } : {}),
    }),
  );
  measure('alerts (page of 100, open)', 200, () => schoolAlerts(db, t, { schoolId, limit: 101 }));
  measure('audit (school page)', 200, (i) =>
    readAuditTrail(db, audit, { schoolId, after: BigInt(i * 100), limit: 101 }),
  );
  measure('audit (one stream)', 200, (i) =>
    readAuditTrail(db, audit, {
      schoolId,
      streamId: `attendance-${schoolId}-${pick(students, i)}`,
      limit: 101,
    }),
  );
  measure('audit (one student)', 200, (i) =>
    readAuditTrail(db, audit, { schoolId, studentId: pick(students, i), limit: 101 }),
  );
  measure('audit (CPE area page)', 200, (i) =>
    readAuditTrail(db, audit, { schoolId, area: 'attendance', after: BigInt(i * 100), limit: 101 }),
  );
  measure('audit (one correlation id)', 200, (i) =>
    readAuditTrail(db, audit, { schoolId, correlationId: `gen-${i * 37}`, limit: 101 }),
  );
  await runner.stop();
  await store.close();
  db.close();
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
