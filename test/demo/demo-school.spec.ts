import BetterSqlite3, { Database } from 'better-sqlite3';
import {
  DEMO_CALENDAR,
  DEMO_MONTH,
  DEMO_SEED,
  DEMO_SLOTS,
  DemoRefusedError,
  DemoSchool,
  buildDemoSchool,
  fullName,
  weeklyLessons,
} from '../../src/demo';
import { expectedLessons, openHalfDaysOn } from '../../src/domain/attendance';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { ProjectionRunner, TableNames } from '../../src/projections';
import {
  AttendanceTable,
  attendanceProjection,
  classTotals,
  monthCounts,
  rollCallCompleteness,
  rollCallCompletenessProjection,
  rollCallHistory,
  schoolAlerts,
  studentLedger,
} from '../../src/projections/attendance';
import {
  classTimetablesOf,
  enrolmentsProjection,
  readClosures,
  readCompetencyItems,
  readSchoolCalendar,
  readStudentsOfClassOn,
  readStudentsOfGroupOn,
  schoolSettingsProjection,
  schoolStructureProjection,
  structureProjections,
} from '../../src/projections/structure';
import { TempDir, tempDir } from '../support/temp-db';
import { AFTER_THE_MONTH, recordRealSchoolYear } from './demo-fixtures';
import { datesBetween } from '../../src/domain/shared/calendar';

describe('the demo school', () => {
  let dir: TempDir;
  let store: SqliteEventStore;
  let db: Database;
  let runner: ProjectionRunner;
  let demo: DemoSchool;
  let tables: TableNames<AttendanceTable>;
  const rollCallId = (l: { classOrGroupId: string; date: string; slotCode: string }) =>
    `rollcall-${demo.schoolId}-${l.classOrGroupId}-${l.date}-${l.slotCode}`;

  beforeAll(async () => {
    dir = tempDir('registre-demo-');
    store = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
    demo = await buildDemoSchool(store, { now: AFTER_THE_MONTH });
    db = new BetterSqlite3(dir.file('read-models.db'));
    db.pragma('journal_mode = WAL');
    runner = new ProjectionRunner({
      store,
      db,
      projections: [...structureProjections, attendanceProjection, rollCallCompletenessProjection],
    });
    await runner.catchUp();
    tables = runner.tables<AttendanceTable>(attendanceProjection.name);
  });

  afterAll(async () => {
    await runner.stop();
    db.close();
    await store.close();
    dir.remove();
  });

  it('is built through the deciders, a month of roll calls and their corrections', () => {
    expect(demo.outcome).toBe('built');
    expect(demo.eventsWritten).toBeGreaterThan(1_000);
    expect(demo.schoolId).toBe('0670001A');
  });

  it('writes nothing when it is built a second time', async () => {
    const head = await store.headPosition();
    const again = await buildDemoSchool(store, { now: AFTER_THE_MONTH });
    expect(again).toMatchObject({ outcome: 'already-there', eventsWritten: 0 });
    expect(await store.headPosition()).toBe(head);
  });

  it('gives every command an id derived from the demo seed, so that it knows its own events', async () => {
    const events = await store.readAll();
    expect(events.filter((e) => !e.metadata.commandId.startsWith(`${DEMO_SEED}:`))).toEqual([]);
  });

  it('defines the competency items its assessments evaluate in the school catalogue, 27 over 12 subjects', () => {
    const structure = runner.tables(schoolStructureProjection.name);
    const items = readCompetencyItems(db, structure, demo.schoolId);
    expect([items.length, new Set(items.map((i) => i.subjectId)).size]).toEqual([27, 12]);
    expect(readCompetencyItems(db, structure, demo.schoolId, 'MATHS')).toEqual([
      {
        itemId: 'MAT-CALC',
        subjectId: 'MATHS',
        label: 'Calculer avec des nombres',
        socleComponent: 'CPD_SCI',
        retired: false,
      },
      {
        itemId: 'MAT-MODEL',
        subjectId: 'MATHS',
        label: 'Modéliser une situation',
        socleComponent: 'SYS_NAT',
        retired: false,
      },
      {
        itemId: 'MAT-RAIS',
        subjectId: 'MATHS',
        label: 'Raisonner et démontrer',
        socleComponent: 'CPD_SCI',
        retired: false,
      },
    ]);
  });

  it('imports six classes of 28 and two groups of 28 from a SIECLE export, names accented as they are', () => {
    const enrolments = runner.tables(enrolmentsProjection.name);
    const inClass = (classId: string) =>
      readStudentsOfClassOn(db, enrolments, demo.schoolId, classId, '2026-09-01');
    expect(['6A', '6B', '5A', '5B', '4A', '3A'].map((c) => inClass(c).length)).toEqual([
      28, 28, 28, 28, 28, 28,
    ]);
    for (const groupId of ['LATIN-5', 'EURO-ANG'])
      expect(readStudentsOfGroupOn(db, enrolments, demo.schoolId, groupId, '2026-11-17')).toHaveLength(28);
    const names = inClass('6B').map((s) => `${s.firstName} ${s.lastName}`);
    expect(names).toEqual(expect.arrayContaining(['Léa MARTIN', 'Lucas MARTIN', 'Théo MOREL']));
    const structure = runner.tables(schoolStructureProjection.name);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM "${structure.assignments}"`).get()).toEqual({
      n: 6 * 10 + 2,
    });
  });

  it('leaves one student over the threshold with an open alert, and one alert withdrawn by a late certificate', () => {
    const { overThreshold, alertWithdrawn } = demo.roster.story;
    expect(schoolAlerts(db, tables, { schoolId: demo.schoolId })).toEqual([
      expect.objectContaining({ studentId: overThreshold.studentId, month: '2026-11', tier: 'monthly' }),
    ]);
    const withdrawn = schoolAlerts(db, tables, { schoolId: demo.schoolId, status: 'withdrawn' });
    expect(withdrawn).toEqual([
      expect.objectContaining({
        studentId: alertWithdrawn.studentId,
        countAtRaise: 4,
        currentCount: 0,
        raisedAt: expect.stringMatching(/^2026-11-13T/),
        withdrawnAt: expect.stringMatching(/^2026-11-24T/),
      }),
    ]);
    const counts = monthCounts(db, tables, { schoolId: demo.schoolId, month: '2026-11' });
    const unjustified = (id: string) => counts.find((c) => c.studentId === id)?.unjustifiedHalfDays;
    expect(unjustified(overThreshold.studentId)).toBe(5);
    expect(counts.filter((c) => c.unjustifiedHalfDays >= 4).map((c) => c.studentId)).toEqual([
      overThreshold.studentId,
    ]);
  });

  it('keeps the wiped roll call with each version, who sent it and why it was reverted', () => {
    const lesson = demo.highlights.amendedRollCall;
    const history = rollCallHistory(db, tables, rollCallId(lesson));
    const { wipedFirst, wipedSecond } = demo.roster.story;
    expect(history).toEqual([
      expect.objectContaining({
        type: 'RollCallTaken',
        version: 1,
        actor: { id: lesson.teacherId, role: 'teacher' },
      }),
      expect.objectContaining({
        type: 'RollCallAmended',
        version: 2,
        actor: { id: lesson.teacherId, role: 'teacher' },
        removed: expect.objectContaining({
          absent: [wipedFirst.studentId, wipedSecond.studentId].sort(),
        }),
      }),
      expect.objectContaining({
        type: 'RollCallAmended',
        version: 3,
        actor: { id: 'cpe-01', role: 'cpe' },
        revertsTo: 1,
        reason: expect.stringContaining('liste par défaut'),
      }),
    ]);
  });

  it('stores the roll call sent twice once, and keeps the voided one with its reason', async () => {
    expect(await store.readStream(rollCallId(demo.highlights.resentRollCall))).toHaveLength(1);
    const voided = rollCallHistory(db, tables, rollCallId(demo.highlights.voidedRollCall));
    expect(voided.map((c) => [c.type, c.actor.id])).toEqual([
      ['RollCallTaken', 'cpe-01'],
      ['RollCallVoided', 'cpe-01'],
    ]);
    expect(voided[1].reason).toContain('LATIN-5');
  });

  it('counts neither the infirmary visit nor the outing as absences, and keeps the roll call entries', () => {
    const { atInfirmary, missedOuting } = demo.roster.story;
    const slotOf = (studentId: string, date: string, code: string) =>
      studentLedger(db, tables, { schoolId: demo.schoolId, studentId, from: date, to: date })
        .days.flatMap((d) => d.halfDays.flatMap((h) => h.slots))
        .find((s) => s.slot.code === code);
    const infirmary = demo.highlights.infirmary;
    expect(slotOf(atInfirmary.studentId, infirmary.date, 'M3')).toMatchObject({
      presence: 'school_responsibility',
      counted: false,
    });
    const { outing } = demo.highlights;
    const classmates = demo.roster.students.filter((s) => s.classId === outing.classId && s !== missedOuting);
    for (const student of classmates.slice(0, 5))
      expect(slotOf(student.studentId, outing.date, 'S1')).toMatchObject({
        presence: 'school_responsibility',
        counted: false,
        rollCallIds: [rollCallId({ classOrGroupId: outing.classId, date: outing.date, slotCode: 'S1' })],
      });
    expect(slotOf(missedOuting.studentId, outing.date, 'S1')).toMatchObject({ counted: true });
  });

  it('counts the half-days of the student who changed class in the class he was in that day', () => {
    const { changesClass } = demo.roster.story;
    const inClass = (classId: string) =>
      classTotals(db, tables, { schoolId: demo.schoolId, classId, from: '2026-11-01', to: '2026-11-30' })
        .students[changesClass.studentId]?.halfDaysAbsent;
    expect([inClass('5A'), inClass('5B')]).toEqual([1, 1]);
  });

  it('has lessons without a roll call for the completeness view', () => {
    const completeness = runner.tables<'rollcalls'>(rollCallCompletenessProjection.name);
    const taken = (l: { classOrGroupId: string; date: string; slotCode: string }) =>
      db
        .prepare(
          `SELECT status FROM "${completeness.rollcalls}" WHERE class_id = ? AND date = ? AND slot_code = ?`,
        )
        .get(l.classOrGroupId, l.date, l.slotCode);
    for (const lesson of demo.highlights.forgottenRollCalls) expect(taken(lesson)).toBeUndefined();
    expect(fullName(demo.roster.story.overThreshold)).toBe('Enzo FONTAINE');
  });

  it('declares every class’s week, so that completeness misses exactly the roll calls never taken', () => {
    const settings = runner.tables(schoolSettingsProjection.name);
    const declared = classTimetablesOf(db, settings, demo.schoolId, DEMO_MONTH.from, DEMO_MONTH.to);
    const key = (l: { classOrGroupId: string; weekday: number; slotCode: string; teacherId: string }) =>
      `${l.classOrGroupId} ${l.weekday} ${l.slotCode} ${l.teacherId}`;
    expect(declared.map(key).sort()).toEqual(weeklyLessons().map(key).sort());
    expect(declared.every((l) => l.from === '2026-09-01' && l.until === undefined)).toBe(true);
    const expected = expectedLessons(declared, DEMO_MONTH.from, DEMO_MONTH.to, {
      slots: DEMO_SLOTS,
      calendar: readSchoolCalendar(db, settings, demo.schoolId),
    });
    const report = rollCallCompleteness(db, runner.tables<'rollcalls'>(rollCallCompletenessProjection.name), {
      schoolId: demo.schoolId,
      ...DEMO_MONTH,
      expected,
    });
    const missing = report.missing.map((l) => `${l.classOrGroupId} ${l.date} ${l.slotCode}`);
    const forgotten = demo.highlights.forgottenRollCalls.map(
      (l) => `${l.classOrGroupId} ${l.date} ${l.slotCode}`,
    );
    // The museum outing left after S1: its two afternoon lessons had no roll call either.
    const { outing } = demo.highlights;
    const outingAfternoon = ['S2', 'S3'].map((slot) => `${outing.classId} ${outing.date} ${slot}`);
    expect([...missing].sort()).toEqual([...forgotten, ...outingAfternoon].sort());
    expect(report.unexpected).toEqual([]);
    expect(report.taken).toBe(report.expected - missing.length);
  });

  it('records its calendar as events, the same calendar its roll calls were taken under', () => {
    const settings = runner.tables(schoolSettingsProjection.name);
    const calendar = readSchoolCalendar(db, settings, demo.schoolId);
    for (const date of datesBetween('2026-09-01', '2027-07-03'))
      expect([date, openHalfDaysOn(calendar, date)]).toEqual([date, openHalfDaysOn(DEMO_CALENDAR, date)]);
    expect(readClosures(db, settings, demo.schoolId).map((c) => [c.closureId, c.kind, c.withdrawn])).toEqual([
      ['toussaint-2026', 'holidays', null],
      ['armistice-2026', 'bank-holiday', null],
    ]);
    const expected = expectedLessons(weeklyLessons(), DEMO_MONTH.from, DEMO_MONTH.to, {
      slots: DEMO_SLOTS,
      calendar,
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.filter((l) => l.date === '2026-11-11')).toEqual([]);
    expect(expectedLessons(weeklyLessons(), '2026-11-11', '2026-11-11', { slots: DEMO_SLOTS })).not.toEqual(
      [],
    );
  });
});

describe('building the demo', () => {
  it('refuses a school that holds data the demo did not write, and writes nothing', async () => {
    const dir = tempDir('registre-demo-refused-');
    const store = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
    try {
      await recordRealSchoolYear(store);
      await expect(buildDemoSchool(store, { now: AFTER_THE_MONTH })).rejects.toThrow(DemoRefusedError);
      expect(await store.headPosition()).toBe(1n);
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it('refuses to replay a month that is not over yet', async () => {
    const dir = tempDir('registre-demo-early-');
    const store = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
    try {
      await expect(buildDemoSchool(store, { now: new Date('2026-11-20T08:00:00Z') })).rejects.toThrow(
        /cannot be built before/,
      );
      expect(await store.headPosition()).toBe(0n);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
