import BetterSqlite3, { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { rollCallStreamId } from '../../../src/domain/attendance';
import { WeeklyLesson } from '../../../src/domain/structure/class-timetables';
import { schoolStreamId } from '../../../src/domain/structure/school';
import { EventToAppend } from '../../../src/event-store/event-store';
import { SqliteEventStore } from '../../../src/event-store/sqlite';
import {
  LessonCompletenessAsk,
  LessonTables,
  computeLessonCompleteness,
  lessonCompleteness,
  lessonCompletenessCacheCounts,
  rollCallCompletenessProjection,
} from '../../../src/projections/attendance';
import { PRINCIPAL } from '../../../src/demo/attendance-year';
import { ProjectionRunner } from '../../../src/projections/projection-runner';
import { SchoolSettingsTable, schoolSettingsProjection } from '../../../src/projections/structure';
import {
  CPE,
  SCHOOL,
  SLOTS,
  TEACHER,
  metadataFor,
  rollCallTaken,
  rollCallVoided,
} from '../../support/attendance-fixtures';
import { tempDir } from '../../support/temp-db';

/** The roll calls and timetables of one school on real files, events appended one at a time. */
const readModels = async () => {
  const dir = tempDir('registre-completeness-cache-');
  const store = SqliteEventStore.open({ path: dir.file('events.db'), synchronous: 'normal' });
  const db: Database = new BetterSqlite3(dir.file('read-models.db'));
  db.pragma('journal_mode = WAL');
  const runner = new ProjectionRunner({
    store,
    db,
    projections: [rollCallCompletenessProjection, schoolSettingsProjection],
  });
  await runner.catchUp();
  let appended = 0;
  const append = async (streamId: string, event: { type: string; data: object }, actor = TEACHER) => {
    appended++;
    const recordedAt = new Date(Date.UTC(2026, 10, 1) + appended * 60_000).toISOString();
    const toAppend: EventToAppend = {
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: metadataFor(actor, recordedAt, `cmd-${appended}`),
    };
    await store.appendToStream(streamId, [toAppend]);
    await runner.catchUp();
  };
  const lesson = (date: string, slotCode: string, classOrGroupId = '5B') =>
    rollCallStreamId(SCHOOL, classOrGroupId, date, slotCode);
  return {
    db,
    get tables(): LessonTables {
      return {
        ...runner.tables<'rollcalls' | 'dates'>(rollCallCompletenessProjection.name),
        ...runner.tables<SchoolSettingsTable>(schoolSettingsProjection.name),
      };
    },
    take: (date: string, slotCode: string, classOrGroupId = '5B') =>
      append(lesson(date, slotCode, classOrGroupId), rollCallTaken({ date, slotCode, classOrGroupId })),
    void: (date: string, slotCode: string, classOrGroupId = '5B') =>
      append(
        lesson(date, slotCode, classOrGroupId),
        rollCallVoided({ date, slotCode, classOrGroupId, reason: 'wrong class' }),
        CPE,
      ),
    timetable: (classOrGroupId: string, effectiveFrom: string, lessons: WeeklyLesson[]) =>
      append(
        schoolStreamId(SCHOOL),
        {
          type: 'ClassTimetableSet',
          data: { schoolId: SCHOOL, classOrGroupId, kind: 'class', effectiveFrom, lessons },
        },
        PRINCIPAL,
      ),
    async close() {
      await runner.stop();
      db.close();
      await store.close();
      dir.remove();
    },
  };
};

type ReadModels = Awaited<ReturnType<typeof readModels>>;

/** The week of Monday 16 November 2026, its pattern read from the four weeks before. */
const WEEK: LessonCompletenessAsk = {
  schoolId: SCHOOL,
  window: { from: '2026-11-16', to: '2026-11-22', observedFrom: '2026-10-19' },
  timetable: { slots: SLOTS },
  among: ['5A', '5B'],
};

/** The answer kept or computed, checked against the one computed, with whether it was kept. */
const read = (models: ReadModels, ask: LessonCompletenessAsk = WEEK) => {
  const before = lessonCompletenessCacheCounts();
  const answer = lessonCompleteness(models.db, models.tables, ask);
  expect(answer).toEqual(computeLessonCompleteness(models.db, models.tables, ask));
  const kept = lessonCompletenessCacheCounts().hits - before.hits === 1;
  const { found, classes, called } = answer;
  const missing = found.missing.map(
    (lesson) => `${lesson.date} ${lesson.slotCode}${lesson.voided ? ' voided' : ''}`,
  );
  return { kept, expected: found.expected, taken: found.taken, missing, classes, called };
};

describe('the completeness read, kept between reads', () => {
  let models: ReadModels;
  beforeEach(async () => {
    models = await readModels();
    // 5B is called on Mondays at M1: the pattern expects it on 16 November.
    await models.take('2026-11-02', 'M1');
    await models.take('2026-11-09', 'M1');
  });
  afterEach(() => models.close());

  it('answers a repeated read from what it kept', () => {
    expect(read(models)).toEqual({
      kept: false,
      expected: 1,
      taken: 0,
      missing: ['2026-11-16 M1'],
      classes: { declared: [], inferred: ['5B'] },
      called: ['5B'],
    });
    expect(read(models).kept).toBe(true);
    expect(read(models, { ...WEEK, among: ['5A'] })).toMatchObject({ kept: false, called: [] });
  });

  it('computes again after a roll call taken in the window, and after it is voided', async () => {
    read(models);
    await models.take('2026-11-16', 'M1');
    expect(read(models)).toMatchObject({ kept: false, expected: 1, taken: 1, missing: [] });
    expect(read(models).kept).toBe(true);
    await models.void('2026-11-16', 'M1');
    expect(read(models)).toMatchObject({ kept: false, taken: 0, missing: ['2026-11-16 M1 voided'] });
  });

  it('computes again after a roll call taken before the window that changes the weekly pattern', async () => {
    read(models);
    await models.take('2026-11-03', 'S1');
    expect(read(models)).toMatchObject({ kept: false, expected: 1, missing: ['2026-11-16 M1'] });
    await models.take('2026-11-10', 'S1');
    expect(read(models)).toMatchObject({
      kept: false,
      expected: 2,
      missing: ['2026-11-16 M1', '2026-11-17 S1'],
    });
  });

  it('computes again after a timetable is declared, and after it is changed', async () => {
    read(models);
    await models.timetable('5B', '2026-11-18', [{ weekday: 'thursday', slotCode: 'M2', teacherId: 'T2' }]);
    expect(read(models)).toMatchObject({
      kept: false,
      expected: 2,
      missing: ['2026-11-16 M1', '2026-11-19 M2'],
      classes: { declared: ['5B'], inferred: ['5B'] },
    });
    expect(read(models).kept).toBe(true);
    await models.timetable('5B', '2026-11-18', [{ weekday: 'friday', slotCode: 'M3', teacherId: 'T2' }]);
    expect(read(models)).toMatchObject({ kept: false, missing: ['2026-11-16 M1', '2026-11-20 M3'] });
  });

  it('answers each ask of slots, half-day boundary and calendar by its own', () => {
    read(models);
    expect(
      read(models, { ...WEEK, timetable: { slots: SLOTS.filter((slot) => slot.code !== 'M1') } }),
    ).toMatchObject({
      kept: false,
      expected: 0,
    });
    const closedMonday = { closedDates: new Set(['2026-11-16']) };
    expect(read(models, { ...WEEK, timetable: { slots: SLOTS, calendar: closedMonday } })).toMatchObject({
      kept: false,
      expected: 0,
    });
    const closedTuesday = { closedDates: new Set(['2026-11-17']) };
    expect(read(models, { ...WEEK, timetable: { slots: SLOTS, calendar: closedTuesday } })).toMatchObject({
      kept: false,
      expected: 1,
    });
    expect(read(models, { ...WEEK, timetable: { slots: SLOTS, halfDayBoundary: '11:00' } }).kept).toBe(false);
    expect(read(models, { ...WEEK, timetable: { slots: SLOTS, calendar: closedMonday } }).kept).toBe(true);
  });

  it('computes every answer over tables of the version before, which have no stamps', () => {
    const { dates: _, ...before } = models.tables;
    const counted = lessonCompletenessCacheCounts();
    const answer = lessonCompleteness(models.db, before as LessonTables, WEEK);
    expect(answer.found.missing).toEqual([
      { classOrGroupId: '5B', teacherId: TEACHER.id, date: '2026-11-16', slotCode: 'M1', voided: false },
    ]);
    expect(lessonCompletenessCacheCounts()).toEqual(counted);
  });

  it('keeps the answers of one connection from another with the same tables', async () => {
    read(models);
    const other = await readModels();
    try {
      await other.take('2026-11-02', 'M2');
      await other.take('2026-11-09', 'M2');
      expect(read(other)).toMatchObject({ kept: false, missing: ['2026-11-16 M2'] });
    } finally {
      await other.close();
    }
  });
});

describe('the completeness read, property', () => {
  const DATES = ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-17', '2026-11-23'];
  const step = fc.oneof(
    fc.record({
      kind: fc.constantFrom('take' as const, 'void' as const),
      date: fc.constantFrom(...DATES),
      slotCode: fc.constantFrom('M1', 'S1'),
      classOrGroupId: fc.constantFrom('5A', '5B'),
    }),
    fc.record({ kind: fc.constant('timetable' as const), slotCode: fc.constantFrom('M1', 'M2') }),
    fc.record({ kind: fc.constant('read' as const), ask: fc.nat(2) }),
  );
  const ASKS: LessonCompletenessAsk[] = [
    WEEK,
    { ...WEEK, window: { from: '2026-11-16', to: '2026-11-16', observedFrom: '2026-10-19' } },
    { ...WEEK, window: { from: '2026-11-09', to: '2026-11-22', observedFrom: '2026-10-12' } },
  ];

  it('answers as the computation does, whatever roll calls and timetables come between reads', () =>
    fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 14 }), async (steps) => {
        const models = await readModels();
        try {
          for (const s of steps) {
            if (s.kind === 'read') read(models, ASKS[s.ask]);
            else if (s.kind === 'timetable')
              await models.timetable('5A', '2026-11-17', [
                { weekday: 'tuesday', slotCode: s.slotCode, teacherId: 'T2' },
              ]);
            else await models[s.kind](s.date, s.slotCode, s.classOrGroupId);
          }
          for (const ask of ASKS) read(models, ask);
        } finally {
          await models.close();
        }
      }),
      { numRuns: 25 },
    ));
});
