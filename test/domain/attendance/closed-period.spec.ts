import {
  AcceptJustification,
  ClosedSpan,
  ReceiveJustification,
  StudentAttendanceCommand,
  rollCallDecider,
  studentAttendanceDecider,
} from '../../../src/domain/attendance';
import { Actor } from '../../../src/domain/shared/event';
import { deciderSpec } from '../../support/decider-spec';
import {
  MONDAY,
  REASONS,
  absenceReported,
  acceptJustification,
  attendanceFactVoided,
  justificationAccepted,
  justificationReceived,
  receiveJustification,
  recordEarlyDeparture,
  regulariseJustification,
  rejectJustification,
  reportAbsence,
  revertRollCall,
  rollCallAmended,
  rollCallTaken,
  rollCallVoided,
  takeRollCall,
  voidAttendanceFact,
  voidRollCall,
} from '../../support/attendance-fixtures';

/**
 * DOMAIN.md, "Class council": once a period's council is held, its absences still change, but only
 * by the principal and with a reason. MONDAY (2026-11-16) lies in T1, closed below.
 */
const PRINCIPAL: Actor = { id: 'principal-1', role: 'principal' };
const T1_CLOSED: readonly ClosedSpan[] = [{ periodId: 'T1', from: '2026-09-01', to: '2026-11-30' }];
const T2_CLOSED: readonly ClosedSpan[] = [{ periodId: 'T2', from: '2026-12-01', to: '2027-03-05' }];
const closedT1 = { closedPeriods: T1_CLOSED };

const rollCalls = deciderSpec(rollCallDecider);
const students = deciderSpec(studentAttendanceDecider);

/** A correction of a roll call of 5B, with the closed periods of 5B. */
const inClosedT1 = <C extends object>(command: C): C & { context: typeof closedT1 } => ({
  ...command,
  context: closedT1,
});

describe('a roll call in a period whose council was held', () => {
  it('is not taken by the teacher afterwards', () =>
    rollCalls
      .given()
      .when(takeRollCall({ absent: ['s01'], context: closedT1 }))
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden'));

  it('is taken as usual when only a later period is closed', () =>
    rollCalls
      .given()
      .when(takeRollCall({ absent: ['s01'], context: { closedPeriods: T2_CLOSED } }))
      .then([rollCallTaken({ absent: ['s01'] })]));

  it('is amended by the principal with a reason; by the teacher not at all; without a reason not at all', () => {
    rollCalls
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(takeRollCall({ absent: ['s01', 's02'], context: closedT1 }))
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden');
    rollCalls
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(takeRollCall({ actor: PRINCIPAL, absent: ['s01', 's02'], context: closedT1 }))
      .thenThrows('ATTENDANCE.REASON_REQUIRED', 'conflict');
    rollCalls
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(
        takeRollCall({
          actor: PRINCIPAL,
          absent: ['s01', 's02'],
          reason: 's02 was seen at the infirmary, not in class',
          context: closedT1,
        }),
      )
      .then([
        rollCallAmended({
          version: 2,
          absent: ['s01', 's02'],
          previous: { absent: ['s01'] },
          added: { absent: ['s02'] },
          amendedBy: PRINCIPAL,
          reason: 's02 was seen at the infirmary, not in class',
        }),
      ]);
  });

  it('sent again unchanged by the teacher records nothing and is not refused', () =>
    rollCalls
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(takeRollCall({ absent: ['s01'], context: closedT1 }))
      .then([]));

  it('is voided or reverted by the principal only', () => {
    rollCalls
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(inClosedT1(voidRollCall()))
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden');
    rollCalls
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(inClosedT1(voidRollCall({ actor: PRINCIPAL, reason: 'taken for the wrong class' })))
      .then([rollCallVoided({ voidedBy: PRINCIPAL, reason: 'taken for the wrong class' })]);
    rollCalls
      .given(
        rollCallTaken({ absent: ['s01'] }),
        rollCallAmended({
          version: 2,
          absent: [],
          previous: { absent: ['s01'] },
          removed: { absent: ['s01'] },
        }),
      )
      .when(inClosedT1(revertRollCall()))
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden');
  });

  it('is voided by the CPE as before while no period is closed', () =>
    rollCalls
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(voidRollCall())
      .then([rollCallVoided()]));
});

const withReason = (command: StudentAttendanceCommand, reason: string): StudentAttendanceCommand =>
  ({ ...command, reason }) as StudentAttendanceCommand;

/** just-1's acceptance, with the closed periods of s01's class. */
const acceptIn = (
  closedPeriods: readonly ClosedSpan[],
  o: Parameters<typeof acceptJustification>[0] = {},
): AcceptJustification => ({
  ...(acceptJustification(o) as AcceptJustification),
  context: { reasons: REASONS, closedPeriods },
});

describe("a student's absences in a period whose council was held", () => {
  it('are not reported by the CPE afterwards; the principal reports one with a reason', () => {
    students
      .given()
      .when(reportAbsence({ context: closedT1 }))
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden');
    students
      .given()
      .when(reportAbsence({ actor: PRINCIPAL, context: closedT1 }))
      .thenThrows('ATTENDANCE.REASON_REQUIRED', 'conflict');
    students
      .given()
      .when(withReason(reportAbsence({ actor: PRINCIPAL, context: closedT1 }), 'the register was lost'))
      .then([absenceReported()]);
  });

  it('include an absence that only begins on the closed period’s last day', () =>
    students
      .given()
      .when(
        reportAbsence({
          from: { date: '2026-11-30' },
          to: { date: '2026-12-01' },
          context: { closedPeriods: T1_CLOSED, today: '2026-11-30' },
        }),
      )
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden'));

  it('are reported by the CPE as usual in a period still open', () =>
    students
      .given()
      .when(reportAbsence({ context: { closedPeriods: T2_CLOSED } }))
      .then([absenceReported()]));

  it('are not added by a departure recorded by the CPE', () =>
    students
      .given()
      .when(recordEarlyDeparture({ context: closedT1 }))
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden'));

  it('are voided by the principal only, with the reason the void already needs', () => {
    students
      .given(absenceReported())
      .when(inClosedT1(voidAttendanceFact({ factId: 'report-1' })))
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden');
    students
      .given(absenceReported())
      .when(inClosedT1(voidAttendanceFact({ factId: 'report-1', actor: PRINCIPAL })))
      .then([attendanceFactVoided({ factId: 'report-1', kind: 'absence_report' })]);
  });
});

describe('a justification of absences in a period whose council was held', () => {
  const accept = (o: Parameters<typeof acceptJustification>[0] = {}) => acceptIn(T1_CLOSED, o);

  it('is still received and regularised: that changes no count', () => {
    const received = receiveJustification() as ReceiveJustification;
    students
      .given()
      .when({ ...received, context: { ...received.context, closedPeriods: T1_CLOSED } })
      .then([justificationReceived()]);
    students
      .given(justificationReceived())
      .when(regulariseJustification())
      .then([
        {
          type: 'JustificationRegularised',
          data: {
            justificationId: 'just-1',
            studentId: 's01',
            from: { date: MONDAY, halfDay: 'AM' },
            to: { date: MONDAY, halfDay: 'PM' },
          },
        },
      ]);
  });

  it('is accepted or rejected by the principal with a reason, not by the CPE, whenever it came', () => {
    students
      .given(justificationReceived())
      .when(accept())
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden');
    students
      .given(justificationReceived())
      .when(inClosedT1(rejectJustification()))
      .thenThrows('ATTENDANCE.PERIOD_CLOSED', 'forbidden');
    students
      .given(justificationReceived())
      .when(accept({ actor: PRINCIPAL }))
      .thenThrows('ATTENDANCE.REASON_REQUIRED', 'conflict');
    students
      .given(justificationReceived())
      .when(accept({ actor: PRINCIPAL, reason: 'the certificate came after the council' }))
      .then([justificationAccepted()]);
  });

  it('sent again with the same decision records nothing and is not refused', () =>
    students.given(justificationReceived(), justificationAccepted()).when(accept()).then([]));

  it('is accepted by the CPE when its absences lie in an open period', () =>
    students.given(justificationReceived()).when(acceptIn(T2_CLOSED)).then([justificationAccepted()]));
});

describe('the principal, outside a period whose council was held', () => {
  it('takes no roll call and corrects none: the teachers and the CPE do', () => {
    rollCalls
      .given()
      .when(takeRollCall({ actor: PRINCIPAL, reason: 'just because', context: { closedPeriods: T2_CLOSED } }))
      .thenThrows('AUTH.ROLE_FORBIDDEN', 'forbidden');
    rollCalls
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(voidRollCall({ actor: PRINCIPAL }))
      .thenThrows('AUTH.ROLE_FORBIDDEN', 'forbidden');
  });

  it('reports no absence and decides no justification: the CPE does', () => {
    students
      .given()
      .when(withReason(reportAbsence({ actor: PRINCIPAL }), 'just because'))
      .thenThrows('AUTH.ROLE_FORBIDDEN', 'forbidden');
    students
      .given(justificationReceived())
      .when(acceptIn(T2_CLOSED, { actor: PRINCIPAL, reason: 'just because' }))
      .thenThrows('AUTH.ROLE_FORBIDDEN', 'forbidden');
    students
      .given(absenceReported())
      .when(voidAttendanceFact({ factId: 'report-1', actor: PRINCIPAL }))
      .thenThrows('AUTH.ROLE_FORBIDDEN', 'forbidden');
  });
});
