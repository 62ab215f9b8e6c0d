import fc from 'fast-check';
import { tableNamesFor } from '../../../src/projections';
import {
  attendanceProjection,
  monthCounts,
  schoolAlerts,
  studentLedger,
} from '../../../src/projections/attendance';
import { DEFAULT_COUNTING_SETTINGS, totalsOf } from '../../../src/domain/attendance';
import {
  AttendanceBook,
  PROPERTY_STUDENTS,
  SCHOOL,
  asRecorded,
  attendanceHistory,
  oracleHalfDays,
  runStep,
  scratchReadModel,
  settingChanged,
} from '../../support/attendance-fixtures';
import { applyAsTheRunnerDoes } from '../support';
import { CountingMode } from '../../../src/domain/shared/school-defaults';

const tables = tableNamesFor(attendanceProjection);
const cutsArbitrary = fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 });

describe('the attendance projection, for any history', () => {
  it('holds the counts computed from the final facts, however the log is split into batches', () =>
    fc.assert(
      fc.property(
        attendanceHistory,
        cutsArbitrary,
        fc.constantFrom<CountingMode>('gross', 'full'),
        (steps, cuts, mode) => {
          const book = new AttendanceBook();
          for (const step of steps) runStep(book, step);
          const events = asRecorded([
            { streamId: `school-${SCHOOL}`, event: settingChanged('countingMode', mode, '2026-09-01') },
            ...book.log,
          ]);
          const { db, close } = scratchReadModel(attendanceProjection, tables);
          try {
            for (let at = 0, i = 0; at < events.length; at += cuts[i++ % cuts.length]) {
              const batch = events.slice(at, at + cuts[i % cuts.length]);
              db.transaction(() => applyAsTheRunnerDoes(attendanceProjection, db, tables, batch))();
              for (const month of ['2026-11', '2026-12'])
                for (const row of monthCounts(db, tables, { schoolId: SCHOOL, month }))
                  for (const value of Object.values(row))
                    if (typeof value === 'number') expect(value).toBeGreaterThanOrEqual(0);
            }
            for (const studentId of PROPERTY_STUDENTS) {
              const oracle = [...oracleHalfDays(book, studentId, mode).values()];
              const stored = ['2026-11', '2026-12']
                .map((month) =>
                  monthCounts(db, tables, { schoolId: SCHOOL, month }).find((r) => r.studentId === studentId),
                )
                .reduce(
                  (sum, row) => ({
                    absent: sum.absent + (row?.halfDaysAbsent ?? 0),
                    unjustified: sum.unjustified + (row?.unjustifiedHalfDays ?? 0),
                    latenesses: sum.latenesses + (row?.latenesses ?? 0),
                    missedMinutes: sum.missedMinutes + (row?.missedMinutes ?? 0),
                  }),
                  { absent: 0, unjustified: 0, latenesses: 0, missedMinutes: 0 },
                );
              expect(stored).toEqual({
                absent: oracle.filter((h) => h.absent).length,
                unjustified: oracle.filter((h) => h.absent && !h.justified).length,
                latenesses: oracle.reduce((sum, h) => sum + h.latenesses, 0),
                missedMinutes: oracle.reduce((sum, h) => sum + h.missedMinutes, 0),
              });
              const ledger = studentLedger(db, tables, {
                schoolId: SCHOOL,
                studentId,
                from: '2026-11-30',
                to: '2026-12-02',
              });
              expect(ledger.totals).toEqual(
                totalsOf(
                  book.count(studentId, [
                    { effectiveFrom: '2026-09-01', settings: { ...DEFAULT_COUNTING_SETTINGS, mode } },
                  ]),
                ),
              );
            }
            for (const alert of schoolAlerts(db, tables, { schoolId: SCHOOL, status: 'all' })) {
              const row = monthCounts(db, tables, { schoolId: SCHOOL, month: alert.month }).find(
                (r) => r.studentId === alert.studentId,
              );
              expect(alert.status === 'open').toBe((row?.unjustifiedHalfDays ?? 0) >= alert.threshold);
            }
          } finally {
            close();
          }
        },
      ),
      { numRuns: 60 },
    ));
});
