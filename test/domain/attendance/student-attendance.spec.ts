import {
  StudentAttendanceEvent,
  collectiveExemptionOutcome,
  evolveStudentAttendance,
  initialStudentAttendance,
  studentAttendanceDecider,
} from '../../../src/domain/attendance';
import { deciderSpec } from '../../support/decider-spec';
import {
  MONDAY,
  absenceReported,
  acceptJustification,
  attendanceFactVoided,
  collectiveExemptionRecorded,
  departureRecorded,
  infirmaryVisitRecorded,
  justificationAccepted,
  justificationReceived,
  justificationRegularised,
  justificationRejected,
  receiveJustification,
  recordCollectiveExemption,
  recordEarlyDeparture,
  recordInfirmaryVisit,
  regulariseJustification,
  rejectJustification,
  reportAbsence,
  slotsOn,
  voidAttendanceFact,
} from '../../support/attendance-fixtures';

const spec = deciderSpec(studentAttendanceDecider);

describe('an absence reported outside a roll call', () => {
  it('is recorded ahead of time (the family called) with every slot of the days it covers', () =>
    spec
      .given()
      .when(reportAbsence({ from: { date: '2026-11-17' }, to: { date: '2026-11-18' } }))
      .then([
        absenceReported({
          factId: 'report-1',
          studentId: 's01',
          from: { date: '2026-11-17' },
          to: { date: '2026-11-18' },
          slots: [...slotsOn('2026-11-17'), ...slotsOn('2026-11-18')],
          recordedOn: MONDAY,
        }),
      ]));

  it('is recorded after the fact, narrowed to slots', () =>
    spec
      .given()
      .when(
        reportAbsence({
          from: { date: '2026-11-12', slotCode: 'M4' },
          to: { date: '2026-11-13', slotCode: 'M1' },
        }),
      )
      .then([
        absenceReported({
          from: { date: '2026-11-12', slotCode: 'M4' },
          to: { date: '2026-11-13', slotCode: 'M1' },
          slots: [...slotsOn('2026-11-12', 'M4', 'S1', 'S2', 'S3', 'S4'), ...slotsOn('2026-11-13', 'M1')],
          recordedOn: MONDAY,
        }),
      ]));

  it('skips the days the calendar closes', () =>
    spec
      .given()
      .when(reportAbsence({ from: { date: '2026-11-13' }, to: { date: '2026-11-16' } }))
      .then([
        absenceReported({
          from: { date: '2026-11-13' },
          to: { date: '2026-11-16' },
          slots: [...slotsOn('2026-11-13'), ...slotsOn('2026-11-16')],
        }),
      ]));

  it('records nothing when sent again, even on another day', () => {
    spec.given(absenceReported()).when(reportAbsence()).then([]);
    spec
      .given(absenceReported())
      .when(reportAbsence({ context: { today: '2026-11-17' } }))
      .then([]);
  });

  it('refuses an id already used for another fact', () =>
    spec
      .given(absenceReported())
      .when(reportAbsence({ from: { date: '2026-11-17' } }))
      .thenThrows('ATTENDANCE.ID_CONFLICT'));

  it('refuses a range that ends before it starts, covers no lesson, or names an unknown slot', () => {
    spec
      .given()
      .when(reportAbsence({ from: { date: '2026-11-17' }, to: { date: MONDAY } }))
      .thenThrows('ATTENDANCE.RANGE_INVERTED');
    spec
      .given()
      .when(reportAbsence({ from: { date: '2026-11-14' }, to: { date: '2026-11-15' } }))
      .thenThrows('ATTENDANCE.RANGE_EMPTY', 'conflict');
    spec
      .given()
      .when(reportAbsence({ from: { date: MONDAY, slotCode: 'X1' } }))
      .thenThrows('ATTENDANCE.SLOT_UNKNOWN');
  });

  it('refuses dates outside the school year or further ahead than the setting allows', () => {
    spec
      .given()
      .when(reportAbsence({ from: { date: '2027-07-05' } }))
      .thenThrows('ATTENDANCE.DATE_OUTSIDE_SCHOOL_YEAR', 'conflict');
    spec
      .given()
      .when(reportAbsence({ from: { date: '2026-11-20' }, context: { maxDaysAhead: 2 } }))
      .thenThrows('ATTENDANCE.DATE_TOO_FAR_AHEAD', 'conflict');
    spec
      .given()
      .when(reportAbsence({ from: { date: '2026-13-01' } }))
      .thenThrows('ATTENDANCE.DATE_INVALID');
  });
});

describe('a departure during the day', () => {
  it('covers the lessons from the departure to the end of the day', () =>
    spec
      .given()
      .when(recordEarlyDeparture({ at: '14:30' }))
      .then([
        departureRecorded({
          date: MONDAY,
          at: '14:30',
          authorisedBy: 'mother',
          slots: slotsOn(MONDAY, 'S2', 'S3', 'S4'),
          recordedOn: MONDAY,
        }),
      ]));

  it('cannot be recorded for a day still to come', () =>
    spec
      .given()
      .when(recordEarlyDeparture({ date: '2026-11-17' }))
      .thenThrows('ATTENDANCE.DATE_IN_FUTURE', 'conflict'));
});

describe('an infirmary visit', () => {
  it('covers the lessons it overlaps: present under the school’s responsibility', () =>
    spec
      .given()
      .when(recordInfirmaryVisit({ from: '08:40', to: '09:10' }))
      .then([
        infirmaryVisitRecorded({
          date: MONDAY,
          from: '08:40',
          to: '09:10',
          slots: slotsOn(MONDAY, 'M1', 'M2'),
          recordedOn: MONDAY,
        }),
      ]));

  it('refuses times that are not HH:MM or in the wrong order', () => {
    spec
      .given()
      .when(recordInfirmaryVisit({ from: '8h10' }))
      .thenThrows('ATTENDANCE.TIME_INVALID');
    spec
      .given()
      .when(recordInfirmaryVisit({ from: '10:00', to: '09:00' }))
      .thenThrows('ATTENDANCE.RANGE_INVERTED');
    spec
      .given()
      .when(recordInfirmaryVisit({ date: '2026-11-20' }))
      .thenThrows('ATTENDANCE.DATE_IN_FUTURE', 'conflict');
  });
});

describe('a collective exemption (school outing)', () => {
  it('is one fact per student sharing the outing’s id, next to their individual facts', () =>
    spec
      .given(
        absenceReported({
          from: { date: MONDAY, slotCode: 'S1' },
          to: { date: MONDAY, slotCode: 'S4' },
          slots: slotsOn(MONDAY, 'S1', 'S2', 'S3', 'S4'),
        }),
      )
      .when(recordCollectiveExemption())
      .then([
        collectiveExemptionRecorded({
          factId: 'outing-1-s01',
          exemptionId: 'outing-1',
          studentId: 's01',
          classOrGroupId: '5B',
          label: 'Musée de Strasbourg',
          from: { date: MONDAY, slotCode: 'M1' },
          to: { date: MONDAY, slotCode: 'M4' },
          slots: slotsOn(MONDAY, 'M1', 'M2', 'M3', 'M4'),
          recordedOn: MONDAY,
        }),
      ]));

  it('needs a label', () =>
    spec
      .given()
      .when(recordCollectiveExemption({ label: ' ' }))
      .thenThrows('ATTENDANCE.LABEL_REQUIRED'));

  it('records nothing when sent again', () =>
    spec.given(collectiveExemptionRecorded()).when(recordCollectiveExemption()).then([]));

  it('leaves out a student the family reported absent on every slot of it', () =>
    spec.given(absenceReported()).when(recordCollectiveExemption()).then([]));

  it('leaves out a student who left the school before it', () =>
    spec
      .given(departureRecorded({ at: '08:00', slots: slotsOn(MONDAY) }))
      .when(
        recordCollectiveExemption({
          from: { date: MONDAY, slotCode: 'S1' },
          to: { date: MONDAY, slotCode: 'S4' },
        }),
      )
      .then([]));

  it('covers a student whose reported absence was voided', () =>
    spec
      .given(
        absenceReported(),
        attendanceFactVoided({ factId: 'report-1', kind: 'absence_report', reason: 'it was her brother' }),
      )
      .when(recordCollectiveExemption())
      .then([collectiveExemptionRecorded({ slots: slotsOn(MONDAY, 'M1', 'M2', 'M3', 'M4') })]));

  it('records nothing for a student who did not go', () =>
    spec
      .given()
      .when(recordCollectiveExemption({ participating: false }))
      .then([]));

  it('refuses to leave out a student it already covers, until that fact is voided', () => {
    spec
      .given(collectiveExemptionRecorded())
      .when(recordCollectiveExemption({ participating: false }))
      .thenThrows('ATTENDANCE.EXEMPTION_ALREADY_RECORDED');
    spec
      .given(
        collectiveExemptionRecorded(),
        attendanceFactVoided({ factId: 'outing-1-s01', kind: 'collective_exemption', reason: 'stayed home' }),
      )
      .when(recordCollectiveExemption({ participating: false }))
      .then([]);
  });

  it('says whom it covers and whom it leaves out, and why', () => {
    const state = (...events: StudentAttendanceEvent[]) =>
      events.reduce(evolveStudentAttendance, initialStudentAttendance());
    const afternoon = {
      from: { date: MONDAY, slotCode: 'S1' },
      to: { date: MONDAY, slotCode: 'S4' },
      slots: slotsOn(MONDAY, 'S1', 'S2', 'S3', 'S4'),
    };
    expect(collectiveExemptionOutcome(recordCollectiveExemption(), state())).toEqual({
      status: 'covered',
      absencesReported: [],
    });
    expect(collectiveExemptionOutcome(recordCollectiveExemption(), state(absenceReported()))).toEqual({
      status: 'absence_reported',
      absencesReported: ['report-1'],
    });
    expect(
      collectiveExemptionOutcome(
        recordCollectiveExemption({ to: { date: MONDAY, slotCode: 'S2' } }),
        state(absenceReported(afternoon)),
      ),
    ).toEqual({ status: 'covered', absencesReported: ['report-1'] });
    expect(collectiveExemptionOutcome(recordCollectiveExemption({ participating: false }), state())).toEqual({
      status: 'not_participating',
    });
    expect(
      collectiveExemptionOutcome(
        recordCollectiveExemption(),
        state(
          collectiveExemptionRecorded(),
          attendanceFactVoided({
            factId: 'outing-1-s01',
            kind: 'collective_exemption',
            reason: 'stayed home',
          }),
        ),
      ),
    ).toEqual({ status: 'exemption_voided' });
  });
});

describe('voiding a fact recorded by mistake (wrong student, wrong day)', () => {
  it('voids it with a reason and the dates it touched; the fact stays in the log', () =>
    spec
      .given(absenceReported())
      .when(voidAttendanceFact({ factId: 'report-1', reason: 'recorded for the wrong student' }))
      .then([
        {
          type: 'AttendanceFactVoided',
          data: {
            factId: 'report-1',
            studentId: 's01',
            kind: 'absence_report',
            reason: 'recorded for the wrong student',
            dates: { from: MONDAY, to: MONDAY },
          },
        },
      ]));

  it('voids a justification too', () =>
    spec
      .given(justificationReceived())
      .when(voidAttendanceFact({ factId: 'just-1' }))
      .then([
        attendanceFactVoided({
          factId: 'just-1',
          studentId: 's01',
          kind: 'justification',
          reason: 'recorded for the wrong student',
          dates: { from: MONDAY, to: MONDAY },
        }),
      ]));

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'answers "no such fact" for a fact id named like a property of every object (%s)',
    (factId) =>
      spec
        .given(absenceReported())
        .when(voidAttendanceFact({ factId }))
        .thenThrows('ATTENDANCE.FACT_NOT_FOUND'),
  );

  it('needs a reason, a fact that exists, and records nothing the second time', () => {
    spec
      .given(infirmaryVisitRecorded())
      .when(voidAttendanceFact({ factId: 'infirmary-1', reason: '' }))
      .thenThrows('ATTENDANCE.REASON_REQUIRED');
    spec
      .given()
      .when(voidAttendanceFact({ factId: 'nope' }))
      .thenThrows('ATTENDANCE.FACT_NOT_FOUND');
    spec
      .given(absenceReported(), attendanceFactVoided({ factId: 'report-1', kind: 'absence_report' }))
      .when(voidAttendanceFact({ factId: 'report-1' }))
      .then([]);
  });
});

describe('a justification', () => {
  it('is received from the family for a range of half-days', () =>
    spec
      .given()
      .when(
        receiveJustification({
          from: { date: '2026-11-12', halfDay: 'PM' },
          to: { date: MONDAY, halfDay: 'AM' },
        }),
      )
      .then([
        {
          type: 'JustificationReceived',
          data: {
            justificationId: 'just-1',
            studentId: 's01',
            from: { date: '2026-11-12', halfDay: 'PM' },
            to: { date: MONDAY, halfDay: 'AM' },
            reasonCode: 'MALADIE',
            source: 'family',
            receivedOn: MONDAY,
            note: null,
          },
        },
      ]));

  it('refuses a reason that is not in the school’s list and a range that ends before it starts', () => {
    spec
      .given()
      .when(receiveJustification({ reasonCode: 'PANNE_REVEIL' }))
      .thenThrows('JUSTIFICATION.REASON_UNKNOWN');
    spec
      .given()
      .when(
        receiveJustification({ from: { date: MONDAY, halfDay: 'PM' }, to: { date: MONDAY, halfDay: 'AM' } }),
      )
      .thenThrows('JUSTIFICATION.RANGE_INVERTED');
    spec
      .given()
      .when(
        receiveJustification({
          from: { date: '2026-08-20', halfDay: 'AM' },
          to: { date: MONDAY, halfDay: 'AM' },
        }),
      )
      .thenThrows('JUSTIFICATION.DATE_OUTSIDE_SCHOOL_YEAR', 'conflict');
  });

  it('is accepted by the CPE with the reason’s flags as the list had them', () =>
    spec
      .given(justificationReceived())
      .when(acceptJustification())
      .then([
        justificationAccepted({
          justificationId: 'just-1',
          studentId: 's01',
          from: { date: MONDAY, halfDay: 'AM' },
          to: { date: MONDAY, halfDay: 'PM' },
          reasonCode: 'MALADIE',
          reasonFlags: { legitimate: true, countsAsAbsence: true, schoolResponsibility: false },
          reason: null,
        }),
      ]));

  it('may be requalified when accepted', () =>
    spec
      .given(justificationReceived({ reasonCode: 'TRANSPORT' }))
      .when(acceptJustification({ reasonCode: 'REUNION_FAMILLE' }))
      .then([
        justificationAccepted({
          reasonCode: 'REUNION_FAMILLE',
          reasonFlags: { legitimate: true, countsAsAbsence: true, schoolResponsibility: false },
          reason: null,
        }),
      ]));

  it('cannot be accepted with a reason the school does not hold legitimate: it is rejected instead', () => {
    spec
      .given(justificationReceived({ reasonCode: 'NON_RECEVABLE' }))
      .when(acceptJustification())
      .thenThrows('JUSTIFICATION.REASON_NOT_LEGITIMATE', 'conflict');
    spec
      .given(justificationReceived({ reasonCode: 'NON_RECEVABLE' }))
      .when(rejectJustification({ note: 'not a reason' }))
      .then([justificationRejected({ note: 'not a reason', reason: null })]);
  });

  it('records nothing when the same decision is sent again', () => {
    spec.given(justificationReceived(), justificationAccepted()).when(acceptJustification()).then([]);
    spec.given(justificationReceived(), justificationRejected()).when(rejectJustification()).then([]);
    spec.given(justificationReceived()).when(receiveJustification()).then([]);
  });

  it('needs a reason to change a decision already taken', () => {
    spec
      .given(justificationReceived(), justificationAccepted())
      .when(rejectJustification())
      .thenThrows('JUSTIFICATION.REASON_REQUIRED', 'conflict');
    spec
      .given(justificationReceived(), justificationRejected())
      .when(acceptJustification())
      .thenThrows('JUSTIFICATION.REASON_REQUIRED', 'conflict');
    spec
      .given(justificationReceived(), justificationRejected())
      .when(acceptJustification({ reason: 'the medical certificate arrived' }))
      .then([
        justificationAccepted({
          reasonCode: 'MALADIE',
          reasonFlags: { legitimate: true, countsAsAbsence: true, schoolResponsibility: false },
          reason: 'the medical certificate arrived',
        }),
      ]);
  });

  it('is regularised (paperwork received) as a flag of its own', () => {
    spec
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
    spec
      .given(justificationReceived(), justificationRejected())
      .when(regulariseJustification())
      .then([justificationRegularised()]);
    const after = [justificationReceived(), justificationRejected(), justificationRegularised()].reduce(
      studentAttendanceDecider.evolve,
      studentAttendanceDecider.initialState(),
    );
    expect(after.justifications['just-1']).toMatchObject({ decision: 'rejected', regularised: true });
    spec.given(justificationReceived(), justificationRegularised()).when(regulariseJustification()).then([]);
  });

  it('refuses decisions on a justification unknown or voided', () => {
    spec.given().when(acceptJustification()).thenThrows('JUSTIFICATION.NOT_FOUND');
    spec
      .given(justificationReceived(), attendanceFactVoided({ factId: 'just-1', kind: 'justification' }))
      .when(acceptJustification())
      .thenThrows('JUSTIFICATION.VOIDED');
  });
});
