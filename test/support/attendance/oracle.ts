import { resolveSlot, rollCallStreamId } from '../../../src/domain/attendance';
import { SCHOOL, SLOTS } from '../../../src/demo/attendance-year';
import { CLASS } from './builders';
import { AttendanceBook } from './harness';
import { PROPERTY_DATES } from './arbitraries';
import { CountingMode } from '../../../src/domain/shared/school-defaults';
import { minutesBetween } from '../../../src/domain/shared/calendar';

export type OracleHalfDay = {
  absent: boolean;
  justified: boolean;
  latenesses: number;
  missedMinutes: number;
};

/**
 * Half-days computed straight from the final facts, slot by slot over the whole grid, written apart
 * from `counting.ts` so that the two can disagree.
 */
export const oracleHalfDays = (
  book: AttendanceBook,
  studentId: string,
  mode: CountingMode,
): Map<string, OracleHalfDay> => {
  const state = book.studentState(studentId);
  const result = new Map<string, OracleHalfDay>();
  for (const date of PROPERTY_DATES) {
    for (const halfDay of ['AM', 'PM'] as const) {
      let counted = 0;
      let justifiedCount = 0;
      let everyObservedMissed = true;
      let latenesses = 0;
      let missedMinutes = 0;
      for (const slot of SLOTS.map((s) => resolveSlot(s)).filter((s) => s.halfDay === halfDay)) {
        const rollCall = book.rollCallState(rollCallStreamId(SCHOOL, CLASS, date, slot.code));
        const live = rollCall.status === 'taken' ? rollCall : undefined;
        const covering = Object.values(state.facts).filter(
          (f) => !f.voided && f.slots.some((s) => s.date === date && s.code === slot.code),
        );
        const reported = covering.some((f) => f.kind === 'absence_report' || f.kind === 'departure');
        // A student at home was not on the outing; the infirmary saw the student at school.
        const atSchool =
          covering.some((f) => f.kind === 'infirmary') ||
          (!reported && covering.some((f) => f.kind === 'collective_exemption'));
        const late = live?.list.late.find((l) => l.studentId === studentId);
        const lateTooMuch =
          late !== undefined &&
          live?.lateAsAbsenceAfterMinutes != null &&
          late.minutes > live.lateAsAbsenceAfterMinutes;
        const onList =
          live !== undefined &&
          (live.register.includes(studentId) || live.list.absent.includes(studentId) || late !== undefined);
        if (late && !lateTooMuch) latenesses++;
        const missed = atSchool
          ? false
          : onList
            ? live.list.absent.includes(studentId) || lateTooMuch
            : reported;
        const decisions = Object.values(state.justifications).filter(
          (j) =>
            !j.voided &&
            `${j.from.date}${j.from.halfDay}` <= `${date}${halfDay}` &&
            `${date}${halfDay}` <= `${j.to.date}${j.to.halfDay}` &&
            j.decision === 'accepted',
        );
        const excused = decisions.some(
          (j) => !j.accepted?.reasonFlags.countsAsAbsence || j.accepted?.reasonFlags.schoolResponsibility,
        );
        const countsHere = missed && !excused;
        if (onList && !countsHere) everyObservedMissed = false;
        if (countsHere) {
          counted++;
          missedMinutes += minutesBetween(slot.start, slot.end);
          if (decisions.length > 0) justifiedCount++;
        }
      }
      const absent = counted > 0 && (mode === 'gross' || everyObservedMissed);
      if (absent || latenesses > 0 || missedMinutes > 0)
        result.set(`${date}|${halfDay}`, {
          absent,
          justified: absent && justifiedCount === counted,
          latenesses,
          missedMinutes,
        });
    }
  }
  return result;
};
