import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { RecordedEvent } from '../../../src/event-store/event-store';
import { tableNamesFor } from '../../../src/projections';
import { attendanceProjection } from '../../../src/projections/attendance';
import {
  AttendanceBook,
  PROPERTY_DATES,
  SCHOOL,
  StreamEvent,
  asRecorded,
  attendanceHistory,
  makeSchoolYearOfAttendance,
  runStep,
  scratchReadModel,
  settingChanged,
  reportAbsence,
  takeRollCall,
  voidRollCall,
} from '../../support/attendance-fixtures';
import { applyAsTheRunnerDoes } from '../support';

const tables = tableNamesFor(attendanceProjection);

/** Every row of every table of the projection, in a stable order. */
const rowsOf = (db: Database): Record<string, unknown[]> =>
  Object.fromEntries(
    Object.entries(tables).map(([name, table]) => {
      const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[])
        .map((c) => `"${c.name}"`)
        .join(', ');
      return [name, db.prepare(`SELECT * FROM "${table}" ORDER BY ${columns}`).all()];
    }),
  );

/** Applies the log in batches of the given sizes (cycled), one transaction each, as the runner does. */
const projectInBatches = (events: readonly RecordedEvent[], sizes: readonly number[]) => {
  const { db, close } = scratchReadModel(attendanceProjection, tables);
  try {
    for (let at = 0, i = 0; at < events.length; i++) {
      const batch = events.slice(at, (at += sizes[i % sizes.length]));
      db.transaction(() => applyAsTheRunnerDoes(attendanceProjection, db, tables, batch))();
    }
    return rowsOf(db);
  } finally {
    close();
  }
};

const school = `school-${SCHOOL}`;

type AlertRow = { status: string; current_count: number; count_at_raise: number };

describe('the attendance projection, however the log is cut into batches', () => {
  // More absences and latenesses than the bench's school, so that alerts are raised, grow and are withdrawn.
  const november = makeSchoolYearOfAttendance({
    students: 84,
    from: '2026-11-02',
    to: '2026-11-30',
    absenceRate: 0.08,
    lateRate: 0.03,
  });
  const log = [...november.events, ...november.lateJustification.events];

  it('writes the same rows, alerts with their instants included, in batches of 1 and of 10,000', () => {
    const events = asRecorded(log);
    const oneByOne = projectInBatches(events, [1]);
    const alerts = oneByOne.alerts as AlertRow[];
    expect(alerts.some((a) => a.status === 'withdrawn')).toBe(true);
    expect(alerts.some((a) => a.status === 'open' && a.current_count > a.count_at_raise)).toBe(true);
    expect(projectInBatches(events, [10_000])).toEqual(oneByOne);
    expect(projectInBatches(events, [97, 1, 350])).toEqual(oneByOne);
  });

  it('writes the same rows when a batch is rolled back after the projection applied it, then handed again', () => {
    // What the projection remembers between batches must not outlive a batch whose rows were rolled back.
    const events = asRecorded(log);
    const { db, close } = scratchReadModel(attendanceProjection, tables);
    try {
      for (let at = 0; at < events.length; at += 400) {
        const batch = events.slice(at, at + 400);
        expect(
          db.transaction(() => {
            applyAsTheRunnerDoes(attendanceProjection, db, tables, batch);
            throw new Error('the checkpoint could not be written');
          }),
        ).toThrow('the checkpoint could not be written');
        db.transaction(() => applyAsTheRunnerDoes(attendanceProjection, db, tables, batch))();
      }
      expect(rowsOf(db)).toEqual(projectInBatches(events, [400]));
    } finally {
      close();
    }
  });

  it('writes the same rows when a batch fails half-way and is handed again without the event that failed', () => {
    const events = asRecorded(log);
    const broken = { ...events[600], data: {} };
    const { db, close } = scratchReadModel(attendanceProjection, tables);
    try {
      db.transaction(() => applyAsTheRunnerDoes(attendanceProjection, db, tables, events.slice(0, 500)))();
      expect(
        db.transaction(() =>
          applyAsTheRunnerDoes(attendanceProjection, db, tables, [...events.slice(500, 600), broken]),
        ),
      ).toThrow();
      db.transaction(() => applyAsTheRunnerDoes(attendanceProjection, db, tables, events.slice(500)))();
      expect(rowsOf(db)).toEqual(projectInBatches(events, [500]));
    } finally {
      close();
    }
  });

  it('keeps an open alert’s count in step with the absences counted when a batch ends', () => {
    const book = new AttendanceBook();
    for (const date of ['2026-12-01', '2026-12-02', '2026-12-03'])
      for (const slotCode of ['M1', 'S1'])
        book.rollCall(takeRollCall({ date, slotCode, absent: ['s01'], context: { today: '2026-12-31' } }));
    const events = asRecorded(book.log);
    const oneByOne = projectInBatches(events, [1]);
    expect(oneByOne.alerts).toEqual([
      expect.objectContaining({ status: 'open', count_at_raise: 4, current_count: 6 }),
    ]);
    expect(projectInBatches(events, [events.length])).toEqual(oneByOne);
  });

  it('counts a reported absence again once the roll call that saw the student present is voided', () => {
    // Shrunk from the attendance property: the report counted nothing while the roll call stood, so a
    // batch that voids the roll call finds no missed lesson that half-day, and must recount anyway.
    const book = new AttendanceBook();
    const context = { today: '2026-12-31' };
    const m1 = { date: '2026-12-01', slotCode: 'M1' };
    book.student(reportAbsence({ studentId: 's01', factId: 'report-f1', from: m1, to: m1, context }));
    book.rollCall(takeRollCall({ ...m1, absent: [], context }));
    book.rollCall(voidRollCall(), { classOrGroupId: '5B', ...m1 });
    const events = asRecorded(book.log);
    const expected = {
      half_days: [
        {
          school_id: SCHOOL,
          student_id: 's01',
          date: '2026-12-01',
          half_day: 'AM',
          month: '2026-12',
          class_id: null,
          mode: 'gross',
          absent: 1,
          justified: 0,
          latenesses: 0,
          missed_slots: 1,
          missed_minutes: 55,
        },
      ],
      months: [
        {
          school_id: SCHOOL,
          student_id: 's01',
          month: '2026-12',
          half_days_absent: 1,
          justified: 0,
          unjustified: 1,
          latenesses: 0,
          missed_minutes: 55,
        },
      ],
    };
    for (const sizes of [[1], [2, 1], [events.length]]) {
      const { half_days, months } = projectInBatches(events, sizes);
      expect({ half_days, months }).toEqual(expected);
    }
  });

  it('writes the same rows when settings change in the middle of a batch', () => {
    const third = Math.floor(log.length / 3);
    const events = asRecorded([
      ...log.slice(0, third),
      {
        streamId: school,
        event: settingChanged('absenteeismThreshold', 3, '2026-11-01', '2026-11-10T07:00:00.000Z'),
      },
      ...log.slice(third, 2 * third),
      {
        streamId: school,
        event: settingChanged('countingMode', 'full', '2026-11-16', '2026-11-20T07:00:00.000Z'),
      },
      { streamId: school, event: settingChanged('persistentAbsenteeismThreshold', 5, '2026-11-01') },
      ...log.slice(2 * third),
    ]);
    const oneByOne = projectInBatches(events, [1]);
    expect(projectInBatches(events, [10_000])).toEqual(oneByOne);
    expect(projectInBatches(events, [97, 1, 350])).toEqual(oneByOne);
  });

  const settingArbitrary = fc
    .record({
      setting: fc.oneof(
        fc.record({ key: fc.constant('countingMode'), value: fc.constantFrom<unknown>('gross', 'full') }),
        fc.record({ key: fc.constant('absenteeismThreshold'), value: fc.integer({ min: 1, max: 4 }) }),
        fc.record({
          key: fc.constant('persistentAbsenteeismThreshold'),
          value: fc.integer({ min: 2, max: 6 }),
        }),
      ),
      effectiveFrom: fc.constantFrom('2026-11-01', ...PROPERTY_DATES),
      at: fc.nat(),
    })
    .map(({ setting, effectiveFrom, at }) => ({
      at,
      event: { streamId: school, event: settingChanged(setting.key, setting.value, effectiveFrom) },
    }));

  it('writes the same rows for any history, with settings changing anywhere in it', () =>
    fc.assert(
      fc.property(
        attendanceHistory,
        fc.array(settingArbitrary, { maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
        (steps, settings, cuts) => {
          const book = new AttendanceBook();
          for (const step of steps) runStep(book, step);
          // Low thresholds, so that three days are enough to raise, grow and withdraw alerts.
          const log: StreamEvent[] = [
            { streamId: school, event: settingChanged('absenteeismThreshold', 2, '2026-09-01') },
            { streamId: school, event: settingChanged('persistentAbsenteeismThreshold', 4, '2026-09-01') },
            ...book.log,
          ];
          for (const { at, event } of settings) log.splice(2 + (at % (log.length - 1)), 0, event);
          const events = asRecorded(log);
          const oneByOne = projectInBatches(events, [1]);
          expect(projectInBatches(events, cuts)).toEqual(oneByOne);
          expect(projectInBatches(events, [events.length])).toEqual(oneByOne);
        },
      ),
      { numRuns: 80 },
    ));
});
