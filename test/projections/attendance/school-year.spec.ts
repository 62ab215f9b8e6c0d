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
