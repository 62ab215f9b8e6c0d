import { tableNamesFor } from '../../../src/projections';
import { attendanceProjection, monthCounts, schoolAlerts } from '../../../src/projections/attendance';
import { asRecorded, makeSchoolYearOfAttendance, scratchReadModel } from '../../support/attendance-fixtures';
import { applyAsTheRunnerDoes } from '../support';

const tables = tableNamesFor(attendanceProjection);

describe('a school term of attendance (the bench’s generator, scaled down)', () => {
  const year = makeSchoolYearOfAttendance({ students: 56, from: '2026-10-01', to: '2026-12-18' });

  it('is the same school for the same seed', () => {
    const again = makeSchoolYearOfAttendance({ students: 56, from: '2026-10-01', to: '2026-12-18' });
    expect(again.events.length).toBe(year.events.length);
    expect(again.events[again.events.length - 1]).toEqual(year.events[year.events.length - 1]);
    expect(year.classes.map((c) => c.students.length)).toEqual([28, 28]);
  });

  it('withdraws the chronic student’s alert with one late justification and leaves every other count alone', () => {
    const { db, close } = scratchReadModel(attendanceProjection, tables);
    try {
      const recorded = asRecorded([...year.events, ...year.lateJustification.events]);
      const log = recorded.slice(0, year.events.length);
      for (let i = 0; i < log.length; i += 500)
        db.transaction(() => applyAsTheRunnerDoes(attendanceProjection, db, tables, log.slice(i, i + 500)))();
      const { studentId, month } = year.lateJustification;
      const alertsOf = () =>
        schoolAlerts(db, tables, { schoolId: year.schoolId, studentId, month, status: 'all' });
      expect(alertsOf()).toEqual([expect.objectContaining({ tier: 'monthly', status: 'open' })]);
      const others = () =>
        monthCounts(db, tables, { schoolId: year.schoolId, month }).filter((r) => r.studentId !== studentId);
      const before = others();
      expect(before.length).toBeGreaterThan(10);

      db.transaction(() =>
        applyAsTheRunnerDoes(attendanceProjection, db, tables, recorded.slice(year.events.length)),
      )();

      expect(alertsOf()).toEqual([expect.objectContaining({ tier: 'monthly', status: 'withdrawn' })]);
      expect(others()).toEqual(before);
    } finally {
      close();
    }
  });
});

describe('the generated school year, as a school records it', () => {
  const term = makeSchoolYearOfAttendance({
    students: 56,
    from: '2026-10-01',
    to: '2026-12-18',
    moves: 2,
    lateJustifiedShare: 0.3,
  });
  const typesOf = (events: readonly { event: { type: string } }[]) => {
    const counts: Record<string, number> = {};
    for (const { event } of events) counts[event.type] = (counts[event.type] ?? 0) + 1;
    return counts;
  };

  it('holds the school and its students, the corrections, the reports, the justifications and the moves', () => {
    expect(typesOf(term.events)).toEqual({
      SchoolYearDefined: 1,
      ReasonDefined: 1,
      ClassOpened: 2,
      StudentRegistered: 56,
      StudentEnrolled: 56,
      StudentMovedClass: 2,
      RollCallTaken: 800,
      RollCallAmended: 16,
      RollCallVoided: 2,
      AbsenceReported: 28,
      JustificationReceived: 31,
      JustificationAccepted: 28,
      JustificationRejected: 3,
    });
  });

  it('records them day after day, the structure first, corrections days later and some justifications weeks later', () => {
    const days = term.events.map(({ event }) => event.metadata.recordedAt.slice(0, 10));
    expect(days).toEqual([...days].sort());
    const firstAttendance = term.events.findIndex(({ streamId }) => !/^(school|student)-/.test(streamId));
    expect(firstAttendance).toBe(1 + 1 + 2 + 56 * 2);
    const lateBy = (type: string, dateOf: (data: Record<string, unknown>) => string) =>
      term.events
        .filter(({ event }) => event.type === type)
        .map(({ event }) =>
          daysBetween(dateOf(event.data as Record<string, unknown>), event.metadata.recordedAt),
        );
    expect(Math.max(...lateBy('RollCallAmended', (data) => data.date as string))).toBeGreaterThanOrEqual(2);
    const justifiedAfter = lateBy('JustificationReceived', (data) => (data.from as { date: string }).date);
    expect(justifiedAfter.filter((days) => days >= 14).length).toBe(5);
  });

  it('puts a moved student on the register of the new class from the day of the move', () => {
    const moves = term.events.filter(({ event }) => event.type === 'StudentMovedClass');
    for (const { event } of moves) {
      const { studentId, toClassId, on } = event.data as { studentId: string; toClassId: string; on: string };
      const registers = term.events
        .filter(({ event: e }) => e.type === 'RollCallTaken' && (e.data as { date: string }).date >= on)
        .map(({ event: e }) => e.data as { classOrGroupId: string; register: string[] })
        .filter((data) => data.register.includes(studentId));
      expect(new Set(registers.map((data) => data.classOrGroupId))).toEqual(new Set([toClassId]));
    }
  });
});

const daysBetween = (date: string, instant: string) =>
  (Date.parse(instant.slice(0, 10)) - Date.parse(date)) / 86_400_000;
