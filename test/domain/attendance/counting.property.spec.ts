import fc from 'fast-check';
import { DEFAULT_COUNTING_SETTINGS, totalsOf } from '../../../src/domain/attendance';
import {
  AttendanceBook,
  PROPERTY_STUDENTS,
  attendanceHistory,
  oracleHalfDays,
  runStep,
} from '../../support/attendance-fixtures';
import { CountingMode } from '../../../src/domain/shared/school-defaults';

const timeline = (mode: CountingMode) => [
  { effectiveFrom: '2026-09-01', settings: { ...DEFAULT_COUNTING_SETTINGS, mode } },
];

describe('counting, for any history of roll calls, amendments, voids, facts and justifications', () => {
  it('gives the half-days computed directly from the final facts, in both modes', () =>
    fc.assert(
      fc.property(attendanceHistory, fc.constantFrom<CountingMode>('gross', 'full'), (steps, mode) => {
        const book = new AttendanceBook();
        for (const step of steps) runStep(book, step);
        for (const studentId of PROPERTY_STUDENTS) {
          const counted = new Map(
            book.count(studentId, timeline(mode)).map((t) => [
              `${t.date}|${t.halfDay}`,
              {
                absent: t.absent,
                justified: t.justified,
                latenesses: t.latenesses,
                missedMinutes: t.missedMinutes,
              },
            ]),
          );
          expect(counted).toEqual(oracleHalfDays(book, studentId, mode));
        }
      }),
      { numRuns: 300 },
    ));

  it('changes nothing when any accepted command is sent again', () =>
    fc.assert(
      fc.property(attendanceHistory, (steps) => {
        const book = new AttendanceBook();
        for (const step of steps) {
          const first = runStep(book, step);
          if (first === 'refused' || first.length === 0) continue;
          expect(runStep(book, step)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    ));

  it('never counts below zero, nor more justified or missed than absent', () =>
    fc.assert(
      fc.property(attendanceHistory, (steps) => {
        const book = new AttendanceBook();
        for (const step of steps) {
          runStep(book, step);
          for (const studentId of PROPERTY_STUDENTS) {
            const totals = totalsOf(book.count(studentId));
            for (const value of Object.values(totals)) expect(value).toBeGreaterThanOrEqual(0);
            expect(totals.justifiedHalfDays + totals.unjustifiedHalfDays).toBe(totals.halfDaysAbsent);
          }
        }
      }),
      { numRuns: 100 },
    ));
});
