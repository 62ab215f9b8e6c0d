import {
  classDay,
  classTotals,
  monthCounts,
  rollCallHistory,
  schoolAlerts,
  studentLedger,
  studentTotals,
} from '../../../src/projections/attendance';
import { rollCallStreamId } from '../../../src/domain/attendance';
import {
  AttendanceHarness,
  CPE,
  MONDAY,
  SCHOOL,
  TEACHER,
  acceptJustification,
  attendanceHarness,
  receiveJustification,
  recordCollectiveExemption,
  recordInfirmaryVisit,
  regulariseJustification,
  reportAbsence,
  revertRollCall,
  settingChanged,
  takeRollCall,
  voidAttendanceFact,
  voidRollCall,
} from '../../support/attendance-fixtures';

let h: AttendanceHarness;
beforeEach(async () => (h = await attendanceHarness()));
afterEach(() => h.close());

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
const absentAllDay = async (date: string, studentId = 's01') => {
  await h.rollCall(takeRollCall({ date, slotCode: 'M1', absent: [studentId] }));
  await h.rollCall(takeRollCall({ date, slotCode: 'S1', absent: [studentId] }));
};

describe('the student attendance ledger', () => {
  it('shows each day slot by slot with the status of each absence and the facts behind it', async () => {
    await h.rollCall(takeRollCall({ absent: ['s01'] }));
    await h.rollCall(takeRollCall({ slotCode: 'M2', late: [{ studentId: 's01', minutes: 5 }] }));
    await h.rollCall(takeRollCall({ slotCode: 'S1', absent: ['s01'] }));
    await h.student(recordInfirmaryVisit({ from: '13:35', to: '14:00' }));
    await h.student(
      receiveJustification({ from: { date: MONDAY, halfDay: 'AM' }, to: { date: MONDAY, halfDay: 'AM' } }),
    );
    await h.student(acceptJustification());
    await h.student(regulariseJustification());
    await h.catchUp();

    const ledger = studentLedger(h.db, h.tables, {
      schoolId: SCHOOL,
      studentId: 's01',
      from: MONDAY,
      to: MONDAY,
    });
    expect(ledger.days).toHaveLength(1);
    const [morning, afternoon] = ledger.days[0].halfDays;
    expect(
      morning.slots.map((s) => [s.slot.code, s.presence, s.absence?.status ?? null, s.lateMinutes]),
    ).toEqual([
      ['M1', 'absent', 'justified', null],
      ['M2', 'present', null, 5],
    ]);
    expect(morning.tally).toMatchObject({ absent: true, justified: true, latenesses: 1 });
    expect(morning.slots[0].justificationIds).toEqual(['just-1']);
    expect(afternoon.slots[0]).toMatchObject({
      presence: 'school_responsibility',
      factIds: [{ id: 'infirmary-1', kind: 'infirmary' }],
    });
    expect(afternoon.tally).toBeNull();
    expect(ledger.justifications[0]).toMatchObject({ decision: 'accepted', regularised: true });
    expect(ledger.totals).toMatchObject({ halfDaysAbsent: 1, justifiedHalfDays: 1, latenesses: 1 });
  });

  it('keeps voided roll calls and facts visible with their reason, without counting them', async () => {
    await h.rollCall(takeRollCall({ absent: ['s01'] }));
    await h.rollCall(voidRollCall({ reason: 'taken for the wrong class' }), {
      classOrGroupId: '5B',
      date: MONDAY,
      slotCode: 'M1',
    });
    await h.student(
      reportAbsence({ from: { date: MONDAY, slotCode: 'S1' }, to: { date: MONDAY, slotCode: 'S1' } }),
    );
    await h.student(voidAttendanceFact({ factId: 'report-1', reason: 'it was her brother' }));
    await h.catchUp();
    const ledger = studentLedger(h.db, h.tables, {
      schoolId: SCHOOL,
      studentId: 's01',
      from: MONDAY,
      to: MONDAY,
    });
    expect(ledger.totals.halfDaysAbsent).toBe(0);
    expect(ledger.voidedRollCalls).toEqual([
      {
        rollCallId: rollCallStreamId(SCHOOL, '5B', MONDAY, 'M1'),
        date: MONDAY,
        slotCode: 'M1',
        reason: 'taken for the wrong class',
      },
    ]);
    expect(ledger.facts[0]).toMatchObject({ id: 'report-1', voided: { reason: 'it was her brother' } });
  });
});

describe('half-day counts and absenteeism alerts', () => {
  it('raises an alert at 4 unjustified half-days in a month, and withdraws it — kept — when a late justification arrives', async () => {
    await absentAllDay('2026-11-02');
    await absentAllDay('2026-11-03');
    await h.catchUp();
    expect(monthCounts(h.db, h.tables, { schoolId: SCHOOL, month: '2026-11' })).toEqual([
      {
        studentId: 's01',
        halfDaysAbsent: 4,
        justifiedHalfDays: 0,
        unjustifiedHalfDays: 4,
        latenesses: 0,
        missedMinutes: 220,
      },
    ]);
    const [raised] = schoolAlerts(h.db, h.tables, { schoolId: SCHOOL });
    expect(raised).toMatchObject({
      studentId: 's01',
      month: '2026-11',
      tier: 'monthly',
      threshold: 4,
      status: 'open',
      countAtRaise: 4,
    });

    await h.student(
      receiveJustification({
        from: { date: '2026-11-03', halfDay: 'AM' },
        to: { date: '2026-11-03', halfDay: 'PM' },
      }),
    );
    await h.student(acceptJustification());
    await h.catchUp();
    expect(
      studentTotals(h.db, h.tables, { schoolId: SCHOOL, studentId: 's01', ...NOVEMBER }).total,
    ).toMatchObject({
      halfDaysAbsent: 4,
      justifiedHalfDays: 2,
      unjustifiedHalfDays: 2,
    });
    expect(schoolAlerts(h.db, h.tables, { schoolId: SCHOOL })).toEqual([]);
    const [withdrawn] = schoolAlerts(h.db, h.tables, { schoolId: SCHOOL, status: 'all' });
    expect(withdrawn).toMatchObject({
      alertId: raised.alertId,
      status: 'withdrawn',
      raisedAt: raised.raisedAt,
      currentCount: 2,
    });
    expect(withdrawn.withdrawnAt! > withdrawn.raisedAt).toBe(true);
    expect(withdrawn.withdrawnPosition! > withdrawn.raisedPosition).toBe(true);

    await absentAllDay('2026-11-05');
    await h.catchUp();
    const alerts = schoolAlerts(h.db, h.tables, { schoolId: SCHOOL, status: 'all' });
    expect(alerts.map((a) => a.status)).toEqual(['withdrawn', 'open']);
  });

  it('raises the persistent tier from its own threshold', async () => {
    await h.append(`school-${SCHOOL}`, settingChanged('persistentAbsenteeismThreshold', 6, '2026-09-01'));
    for (const date of ['2026-11-02', '2026-11-03', '2026-11-04']) await absentAllDay(date);
    await h.catchUp();
    expect(schoolAlerts(h.db, h.tables, { schoolId: SCHOOL }).map((a) => [a.tier, a.threshold])).toEqual([
      ['monthly', 4],
      ['persistent', 6],
    ]);
  });

  it('recounts under a counting mode changed from a date, and keeps the other months as they were', async () => {
    await h.rollCall(
      takeRollCall({ date: '2026-10-05', slotCode: 'M1', absent: ['s01'], context: { today: '2026-10-05' } }),
    );
    await h.rollCall(takeRollCall({ date: '2026-10-05', slotCode: 'M2', context: { today: '2026-10-05' } }));
    await h.rollCall(takeRollCall({ date: MONDAY, slotCode: 'M1', absent: ['s01'] }));
    await h.rollCall(takeRollCall({ date: MONDAY, slotCode: 'M2' }));
    await h.catchUp();
    const months = () =>
      studentTotals(h.db, h.tables, {
        schoolId: SCHOOL,
        studentId: 's01',
        from: '2026-09-01',
        to: '2027-07-03',
      }).byMonth;
    expect(months()['2026-11'].halfDaysAbsent).toBe(1);
    await h.append(
      `school-${SCHOOL}`,
      settingChanged('countingMode', 'full', '2026-11-01', '2026-11-20T08:00:00.000Z'),
    );
    await h.catchUp();
    expect(months()['2026-10'].halfDaysAbsent).toBe(1);
    expect(months()['2026-11']).toMatchObject({ halfDaysAbsent: 0, missedMinutes: 55 });
  });

  it('follows amendments, reverts and voids of roll calls', async () => {
    const lesson = { classOrGroupId: '5B', date: MONDAY, slotCode: 'M1' };
    const absentHalfDays = async () => {
      await h.catchUp();
      return studentTotals(h.db, h.tables, { schoolId: SCHOOL, studentId: 's01', ...NOVEMBER }).total
        .halfDaysAbsent;
    };
    await h.rollCall(takeRollCall({ absent: ['s01'] }));
    expect(await absentHalfDays()).toBe(1);
    await h.rollCall(takeRollCall({ absent: [] }));
    expect(await absentHalfDays()).toBe(0);
    await h.rollCall(revertRollCall({ toVersion: 1 }), lesson);
    expect(await absentHalfDays()).toBe(1);
    await h.rollCall(voidRollCall(), lesson);
    expect(await absentHalfDays()).toBe(0);
    expect(
      rollCallHistory(h.db, h.tables, rollCallStreamId(SCHOOL, '5B', MONDAY, 'M1')).map((c) => [
        c.type,
        c.version,
        c.actor.id,
        c.revertsTo,
      ]),
    ).toEqual([
      ['RollCallTaken', 1, TEACHER.id, null],
      ['RollCallAmended', 2, TEACHER.id, null],
      ['RollCallAmended', 3, CPE.id, 1],
      ['RollCallVoided', null, CPE.id, null],
    ]);
  });
});

describe('a class outing and absences the families reported', () => {
  const TUESDAY = '2026-11-17';
  const TWO_DAYS = { from: { date: MONDAY }, to: { date: TUESDAY } };
  const outing = (studentId: string) => h.student(recordCollectiveExemption({ ...TWO_DAYS, studentId }));

  it('counts the students who stayed home, whichever fact came first, and nobody who went', async () => {
    await h.student(reportAbsence({ ...TWO_DAYS, studentId: 's01', classId: '5B' }));
    for (const studentId of ['s01', 's02', 's03', 's04', 's05']) await outing(studentId);
    await h.student(reportAbsence({ ...TWO_DAYS, studentId: 's02', classId: '5B' }));
    for (const date of [MONDAY, TUESDAY])
      await h.rollCall(
        takeRollCall({
          date,
          slotCode: 'M1',
          absent: ['s01', 's02', 's03', 's04', 's05'],
          context: { today: date },
        }),
      );
    await h.catchUp();

    const stayedHome = {
      halfDaysAbsent: 4,
      justifiedHalfDays: 0,
      unjustifiedHalfDays: 4,
      latenesses: 0,
      missedMinutes: 880,
    };
    expect(monthCounts(h.db, h.tables, { schoolId: SCHOOL, month: '2026-11' })).toEqual([
      { studentId: 's01', ...stayedHome },
      { studentId: 's02', ...stayedHome },
    ]);
    expect(classTotals(h.db, h.tables, { schoolId: SCHOOL, classId: '5B', ...NOVEMBER }).total).toEqual({
      halfDaysAbsent: 8,
      justifiedHalfDays: 0,
      unjustifiedHalfDays: 8,
      latenesses: 0,
      missedMinutes: 1760,
    });
    expect(schoolAlerts(h.db, h.tables, { schoolId: SCHOOL }).map((a) => [a.studentId, a.tier])).toEqual([
      ['s01', 'monthly'],
      ['s02', 'monthly'],
    ]);
    const [m1] = classDay(h.db, h.tables, { schoolId: SCHOOL, classOrGroupId: '5B', date: MONDAY });
    expect(
      m1.absent.map((a) => [a.studentId, a.resolved?.presence, a.resolved?.absence?.status ?? null]),
    ).toEqual([
      ['s01', 'absent', 'unjustified'],
      ['s02', 'absent', 'unjustified'],
      ['s03', 'school_responsibility', null],
      ['s04', 'school_responsibility', null],
      ['s05', 'school_responsibility', null],
    ]);
    const ledger = studentLedger(h.db, h.tables, {
      schoolId: SCHOOL,
      studentId: 's02',
      from: MONDAY,
      to: MONDAY,
    });
    expect(ledger.days[0].halfDays[1].slots[0]).toMatchObject({
      presence: 'absent',
      absence: { source: 'absence_report', status: 'unjustified' },
      factIds: [
        { id: 'outing-1-s02', kind: 'collective_exemption' },
        { id: 'report-1', kind: 'absence_report' },
      ],
    });

    await h.student(
      receiveJustification({
        studentId: 's02',
        from: { date: MONDAY, halfDay: 'AM' },
        to: { date: TUESDAY, halfDay: 'PM' },
      }),
    );
    await h.student(acceptJustification({ studentId: 's02' }));
    await h.catchUp();
    expect(studentTotals(h.db, h.tables, { schoolId: SCHOOL, studentId: 's02', ...NOVEMBER }).total).toEqual({
      ...stayedHome,
      justifiedHalfDays: 4,
      unjustifiedHalfDays: 0,
    });
    expect(schoolAlerts(h.db, h.tables, { schoolId: SCHOOL }).map((a) => a.studentId)).toEqual(['s01']);
  });
});

describe('the class views', () => {
  it('shows a class’s roll calls of the day with each absence’s final status', async () => {
    await h.rollCall(takeRollCall({ absent: ['s01', 's02'], late: [{ studentId: 's03', minutes: 4 }] }));
    await h.student(recordInfirmaryVisit({ studentId: 's02', from: '08:00', to: '08:55' }));
    await h.catchUp();
    const [m1] = classDay(h.db, h.tables, { schoolId: SCHOOL, classOrGroupId: '5B', date: MONDAY });
    expect(m1).toMatchObject({
      slot: { code: 'M1' },
      status: 'taken',
      version: 1,
      registerCount: 5,
      takenBy: { id: TEACHER.id },
    });
    expect(
      m1.absent.map((a) => [a.studentId, a.resolved?.presence, a.resolved?.absence?.status ?? null]),
    ).toEqual([
      ['s01', 'absent', 'unjustified'],
      ['s02', 'school_responsibility', null],
    ]);
    expect(m1.late).toEqual([expect.objectContaining({ studentId: 's03', minutes: 4 })]);
  });

  it('attributes a student’s half-days to the class they were in when they changed class mid-month', async () => {
    await h.rollCall(takeRollCall({ classOrGroupId: '5B', date: '2026-11-10', absent: ['s01'] }));
    await h.rollCall(takeRollCall({ classOrGroupId: '5C', date: MONDAY, absent: ['s01'], actor: CPE }));
    await h.catchUp();
    expect(classTotals(h.db, h.tables, { schoolId: SCHOOL, classId: '5B', ...NOVEMBER }).students).toEqual({
      s01: expect.objectContaining({ halfDaysAbsent: 1 }),
    });
    expect(
      classTotals(h.db, h.tables, { schoolId: SCHOOL, classId: '5C', ...NOVEMBER }).total.halfDaysAbsent,
    ).toBe(1);
    expect(
      studentTotals(h.db, h.tables, { schoolId: SCHOOL, studentId: 's01', ...NOVEMBER }).total.halfDaysAbsent,
    ).toBe(2);
  });
});

describe('rebuilding', () => {
  it('gives the same counts and alerts when rebuilt from the log', async () => {
    await absentAllDay('2026-11-02');
    await absentAllDay('2026-11-03');
    await h.student(
      receiveJustification({
        from: { date: '2026-11-03', halfDay: 'AM' },
        to: { date: '2026-11-03', halfDay: 'PM' },
      }),
    );
    await h.student(acceptJustification());
    await absentAllDay('2026-11-04', 's02');
    await h.catchUp();
    const snapshot = () => ({
      months: monthCounts(h.db, h.tables, { schoolId: SCHOOL, month: '2026-11' }),
      alerts: schoolAlerts(h.db, h.tables, { schoolId: SCHOOL, status: 'all' }),
    });
    const before = snapshot();
    await h.runner.rebuild('attendance');
    expect(snapshot()).toEqual(before);
  });
});
