import fc from 'fast-check';
import { RollCallCommand, StudentAttendanceCommand } from '../../../src/domain/attendance';
import { DomainError } from '../../../src/domain/shared/domain-error';
import { CPE, SLOTS, TEACHER } from '../../../src/demo/attendance-year';
import {
  CLASS,
  takeRollCall,
  voidRollCall,
  revertRollCall,
  reportAbsence,
  recordEarlyDeparture,
  recordInfirmaryVisit,
  recordCollectiveExemption,
  voidAttendanceFact,
  receiveJustification,
  acceptJustification,
  rejectJustification,
} from './builders';
import { Lesson, AttendanceBook } from './harness';

// ---- random histories, for the properties -------------------------------------------------------

export const PROPERTY_DATES = ['2026-11-30', '2026-12-01', '2026-12-02'];
export const PROPERTY_STUDENTS = ['s01', 's02', 's03'];
const PROPERTY_SLOTS = ['M1', 'M2', 'S1', 'S2'];
const PROPERTY_TODAY = '2026-12-31';

export type AttendanceStep =
  | { readonly kind: 'rollCall'; readonly command: RollCallCommand; readonly lesson: Lesson }
  | { readonly kind: 'student'; readonly command: StudentAttendanceCommand }
  /** Voids whatever fact or justification the student has at that index, once the history is known. */
  | { readonly kind: 'voidAny'; readonly studentId: string; readonly index: number };

const lessonArbitrary = fc.record({
  classOrGroupId: fc.constant(CLASS),
  date: fc.constantFrom(...PROPERTY_DATES),
  slotCode: fc.constantFrom(...PROPERTY_SLOTS),
});
const actorArbitrary = fc.constantFrom(TEACHER, CPE);
const studentArbitrary = fc.constantFrom(...PROPERTY_STUDENTS);
const halfDayArbitrary = fc.record({
  date: fc.constantFrom(...PROPERTY_DATES),
  halfDay: fc.constantFrom('AM' as const, 'PM' as const),
});
const boundArbitrary = fc.record({
  date: fc.constantFrom(...PROPERTY_DATES),
  slotCode: fc.constantFrom(...SLOTS.map((s) => s.code)),
});
const factIdArbitrary = fc.constantFrom('f1', 'f2', 'f3');
const justificationIdArbitrary = fc.constantFrom('j1', 'j2');

const rollCallStep = fc
  .record({
    lesson: lessonArbitrary,
    absent: fc.subarray(PROPERTY_STUDENTS),
    late: fc.subarray(PROPERTY_STUDENTS),
    minutes: fc.integer({ min: 1, max: 30 }),
    actor: actorArbitrary,
    reason: fc.option(fc.constant('checked with the teacher'), { nil: undefined }),
    lateAsAbsence: fc.option(fc.constant(15), { nil: undefined }),
  })
  .map((r): AttendanceStep => ({
    kind: 'rollCall',
    lesson: r.lesson,
    command: takeRollCall({
      ...r.lesson,
      absent: r.absent,
      late: r.late
        .filter((s) => !r.absent.includes(s))
        .map((studentId) => ({ studentId, minutes: r.minutes })),
      actor: r.actor,
      reason: r.reason,
      context: { today: PROPERTY_TODAY, lateAsAbsenceAfterMinutes: r.lateAsAbsence },
    }),
  }));

const correctionStep = fc.oneof(
  fc
    .record({ lesson: lessonArbitrary, toVersion: fc.integer({ min: 1, max: 3 }) })
    .map((r): AttendanceStep => ({
      kind: 'rollCall',
      lesson: r.lesson,
      command: revertRollCall({ toVersion: r.toVersion }),
    })),
  lessonArbitrary.map((lesson): AttendanceStep => ({ kind: 'rollCall', lesson, command: voidRollCall() })),
);

const context = { today: PROPERTY_TODAY };

const studentStep = fc.oneof(
  fc
    .record({
      studentId: studentArbitrary,
      factId: factIdArbitrary,
      from: boundArbitrary,
      to: boundArbitrary,
    })
    .map((r): AttendanceStep => ({
      kind: 'student',
      command: reportAbsence({ ...r, factId: `report-${r.factId}`, context }),
    })),
  fc
    .record({
      studentId: studentArbitrary,
      factId: factIdArbitrary,
      date: fc.constantFrom(...PROPERTY_DATES),
      slot: fc.constantFrom(...SLOTS),
    })
    .map((r): AttendanceStep => ({
      kind: 'student',
      command: recordInfirmaryVisit({
        studentId: r.studentId,
        factId: `infirmary-${r.factId}`,
        date: r.date,
        from: r.slot.start,
        to: r.slot.end,
        context,
      }),
    })),
  fc
    .record({
      studentId: studentArbitrary,
      date: fc.constantFrom(...PROPERTY_DATES),
      at: fc.constantFrom('09:00', '14:30'),
    })
    .map((r): AttendanceStep => ({
      kind: 'student',
      command: recordEarlyDeparture({ ...r, factId: `departure-${r.date}`, context }),
    })),
  fc
    .record({ studentId: studentArbitrary, from: boundArbitrary, to: boundArbitrary })
    .map((r): AttendanceStep => ({
      kind: 'student',
      command: recordCollectiveExemption({
        ...r,
        factId: `outing-${r.from.date}`,
        exemptionId: `outing-${r.from.date}`,
        context,
      }),
    })),
  fc
    .record({ studentId: studentArbitrary, index: fc.nat(5) })
    .map((r): AttendanceStep => ({ kind: 'voidAny', ...r })),
  fc
    .record({
      studentId: studentArbitrary,
      justificationId: justificationIdArbitrary,
      from: halfDayArbitrary,
      to: halfDayArbitrary,
      reasonCode: fc.constantFrom('MALADIE', 'SORTIE_SCOLAIRE', 'NON_RECEVABLE'),
    })
    .map((r): AttendanceStep => ({ kind: 'student', command: receiveJustification(r) })),
  fc
    .record({
      studentId: studentArbitrary,
      justificationId: justificationIdArbitrary,
      reason: fc.option(fc.constant('certificate'), { nil: undefined }),
    })
    .map((r): AttendanceStep => ({ kind: 'student', command: acceptJustification(r) })),
  fc
    .record({
      studentId: studentArbitrary,
      justificationId: justificationIdArbitrary,
      reason: fc.option(fc.constant('forged'), { nil: undefined }),
    })
    .map((r): AttendanceStep => ({ kind: 'student', command: rejectJustification(r) })),
);

const ordered =
  <T>(key: (value: T) => string) =>
  (pair: [T, T]): [T, T] =>
    key(pair[0]) <= key(pair[1]) ? pair : [pair[1], pair[0]];

/** A family's justification and the CPE's decision on it, the usual pair. */
const justifyStep = fc
  .record({
    studentId: studentArbitrary,
    justificationId: justificationIdArbitrary,
    range: fc.tuple(halfDayArbitrary, halfDayArbitrary).map(ordered((h) => `${h.date}|${h.halfDay}`)),
    reasonCode: fc.constantFrom('MALADIE', 'TRANSPORT', 'SORTIE_SCOLAIRE'),
    accept: fc.boolean(),
  })
  .map(({ studentId, justificationId, range, reasonCode, accept }): AttendanceStep[] => [
    {
      kind: 'student',
      command: receiveJustification({ studentId, justificationId, from: range[0], to: range[1], reasonCode }),
    },
    {
      kind: 'student',
      command: accept
        ? acceptJustification({ studentId, justificationId })
        : rejectJustification({ studentId, justificationId }),
    },
  ]);

/** Any sequence of roll calls, amendments, reverts, voids, facts and justifications over three days. */
export const attendanceHistory = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: rollCallStep.map((step) => [step]) },
      { weight: 1, arbitrary: correctionStep.map((step) => [step]) },
      { weight: 3, arbitrary: studentStep.map((step) => [step]) },
      { weight: 1, arbitrary: justifyStep },
    ),
    { maxLength: 30 },
  )
  .map((steps) => steps.flat());

/** Runs a step; a command the rules refuse is part of the history too, and changes nothing. */
export const runStep = (
  book: AttendanceBook,
  step: AttendanceStep,
): readonly { type: string }[] | 'refused' => {
  try {
    if (step.kind === 'voidAny') {
      const state = book.studentState(step.studentId);
      const ids = [...Object.keys(state.facts), ...Object.keys(state.justifications)].sort();
      if (ids.length === 0) return 'refused';
      return book.student(
        voidAttendanceFact({ studentId: step.studentId, factId: ids[step.index % ids.length] }),
      );
    }
    return step.kind === 'rollCall' ? book.rollCall(step.command, step.lesson) : book.student(step.command);
  } catch (error) {
    if (error instanceof DomainError) return 'refused';
    throw error;
  }
};
