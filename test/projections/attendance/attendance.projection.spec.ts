import { Database } from 'better-sqlite3';
import { attendanceStreamId, rollCallStreamId } from '../../../src/domain/attendance';
import { TableNames } from '../../../src/projections';
import {
  AttendanceTable,
  attendanceProjection,
  classDay,
  classTotals,
  monthCounts,
  rollCallHistory,
  schoolAlerts,
  studentLedger,
  studentTotals,
} from '../../../src/projections/attendance';
import {
  AttendanceHarness,
  CPE,
  MONDAY,
  SCHOOL,
  TEACHER,
  absenceReported,
  acceptJustification,
  attendanceFactVoided,
  attendanceHarness,
  infirmaryVisitRecorded,
  justificationAccepted,
  justificationReceived,
  justificationRegularised,
  receiveJustification,
  recordCollectiveExemption,
  reportAbsence,
  rollCallAmended,
  rollCallTaken,
  rollCallVoided,
  settingChanged,
  slotsOn,
  takeRollCall,
} from '../../support/attendance-fixtures';
import { inStream, projectionSpec } from '../../support/projection-spec';

/** Commands through `handleCommand` into a real store, for the cases that follow a flow step by step. */
let h: AttendanceHarness;
const useHarness = () => {
  beforeEach(async () => (h = await attendanceHarness()));
  afterEach(() => h.close());
};

/** Literal events in, the read model's answer out. */
const spec = projectionSpec(attendanceProjection);
const lesson = (slotCode: string, date = MONDAY, classOrGroupId = '5B') =>
  rollCallStreamId(SCHOOL, classOrGroupId, date, slotCode);
const ofStudent = (studentId = 's01') => attendanceStreamId(SCHOOL, studentId);
const AM = { date: MONDAY, halfDay: 'AM' } as const;

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };
const absentAllDay = async (date: string, studentId = 's01') => {
  await h.rollCall(takeRollCall({ date, slotCode: 'M1', absent: [studentId] }));
  await h.rollCall(takeRollCall({ date, slotCode: 'S1', absent: [studentId] }));
};

describe('the student attendance ledger', () => {
  it('shows each day slot by slot with the status of each absence and the facts behind it', () =>
    spec
      .given(
        inStream(lesson('M1'), rollCallTaken({ absent: ['s01'] })),
        inStream(lesson('M2'), rollCallTaken({ slotCode: 'M2', late: [{ studentId: 's01', minutes: 5 }] })),
        inStream(lesson('S1'), rollCallTaken({ slotCode: 'S1', absent: ['s01'] })),
        inStream(
          ofStudent(),
          infirmaryVisitRecorded({ from: '13:35', to: '14:00', slots: slotsOn(MONDAY, 'S1') }),
          justificationReceived({ from: AM, to: AM }),
          justificationAccepted({ from: AM, to: AM }),
          justificationRegularised({ from: AM, to: AM }),
        ),
      )
      .then(
        (db, t) => {
          const ledger = studentLedger(db, t, {
            schoolId: SCHOOL,
            studentId: 's01',
            from: MONDAY,
            to: MONDAY,
          });
          return {
            days: ledger.days.map((day) => ({
              date: day.date,
              halfDays: day.halfDays.map((half) => ({
                halfDay: half.halfDay,
                tally: half.tally,
                slots: half.slots.map((s) => ({
                  code: s.slot.code,
                  presence: s.presence,
                  absence: s.absence?.status ?? null,
                  lateMinutes: s.lateMinutes,
                  factIds: s.factIds,
                  justificationIds: s.justificationIds,
                })),
              })),
            })),
            justifications: ledger.justifications.map((j) => [j.id, j.decision, j.regularised]),
            totals: ledger.totals,
          };
        },
        {
          days: [
            {
              date: MONDAY,
              halfDays: [
                {
                  halfDay: 'AM',
                  tally: {
                    date: MONDAY,
                    halfDay: 'AM',
                    month: '2026-11',
                    mode: 'gross',
                    classId: '5B',
                    absent: true,
                    justified: true,
                    latenesses: 1,
                    missedSlots: 1,
                    missedMinutes: 55,
                  },
                  slots: [
                    {
                      code: 'M1',
                      presence: 'absent',
                      absence: 'justified',
                      lateMinutes: null,
                      factIds: [],
                      justificationIds: ['just-1'],
                    },
                    {
                      code: 'M2',
                      presence: 'present',
                      absence: null,
                      lateMinutes: 5,
                      factIds: [],
                      justificationIds: [],
                    },
                  ],
                },
                {
                  halfDay: 'PM',
                  tally: null,
                  slots: [
                    {
                      code: 'S1',
                      presence: 'school_responsibility',
                      absence: null,
                      lateMinutes: null,
                      factIds: [{ id: 'infirmary-1', kind: 'infirmary' }],
                      justificationIds: [],
                    },
                  ],
                },
              ],
            },
          ],
          justifications: [['just-1', 'accepted', true]],
          totals: {
            halfDaysAbsent: 1,
            justifiedHalfDays: 1,
            unjustifiedHalfDays: 0,
            latenesses: 1,
            missedMinutes: 55,
          },
        },
      ));

  it('keeps voided roll calls and facts visible with their reason, without counting them', () =>
    spec
      .given(
        inStream(
          lesson('M1'),
          rollCallTaken({ absent: ['s01'] }),
          rollCallVoided({
            studentIds: ['s01', 's02', 's03', 's04', 's05'],
            reason: 'taken for the wrong class',
          }),
        ),
        inStream(
          ofStudent(),
          absenceReported({
            from: { date: MONDAY, slotCode: 'S1' },
            to: { date: MONDAY, slotCode: 'S1' },
            slots: slotsOn(MONDAY, 'S1'),
          }),
          attendanceFactVoided({ factId: 'report-1', kind: 'absence_report', reason: 'it was her brother' }),
        ),
      )
      .then(
        (db, t) => {
          const ledger = studentLedger(db, t, {
            schoolId: SCHOOL,
            studentId: 's01',
            from: MONDAY,
            to: MONDAY,
          });
          return {
            halfDaysAbsent: ledger.totals.halfDaysAbsent,
            voidedRollCalls: ledger.voidedRollCalls,
            facts: ledger.facts.map((f) => [f.id, f.voided]),
          };
        },
        {
          halfDaysAbsent: 0,
          voidedRollCalls: [
            {
              rollCallId: 'rollcall-0670001A-5B-2026-11-16-M1',
              date: MONDAY,
              slotCode: 'M1',
              reason: 'taken for the wrong class',
            },
          ],
          facts: [['report-1', { reason: 'it was her brother' }]],
        },
      ));
});

describe('half-day counts and absenteeism alerts', () => {
  useHarness();

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

  it('raises the persistent tier from its own threshold', () =>
    spec
      .given(
        inStream(`school-${SCHOOL}`, settingChanged('persistentAbsenteeismThreshold', 6, '2026-09-01')),
        ...['2026-11-02', '2026-11-03', '2026-11-04'].flatMap((date) => [
          inStream(lesson('M1', date), rollCallTaken({ date, slotCode: 'M1', absent: ['s01'] })),
          inStream(lesson('S1', date), rollCallTaken({ date, slotCode: 'S1', absent: ['s01'] })),
        ]),
      )
      .then(
        (db, t) => schoolAlerts(db, t, { schoolId: SCHOOL }).map((a) => [a.studentId, a.tier, a.threshold]),
        [
          ['s01', 'monthly', 4],
          ['s01', 'persistent', 6],
        ],
      ));

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
    const taken = rollCallTaken({ absent: ['s01'] });
    const wiped = rollCallAmended({
      version: 2,
      absent: [],
      previous: { absent: ['s01'] },
      removed: { absent: ['s01'] },
      amendedBy: TEACHER,
    });
    const reverted = rollCallAmended({
      version: 3,
      absent: ['s01'],
      added: { absent: ['s01'] },
      amendedBy: CPE,
      reason: 'defaults resent by the app wiped the absences',
      revertsTo: 1,
    });
    const voided = rollCallVoided({ studentIds: ['s01', 's02', 's03', 's04', 's05'], reason: 'wrong class' });
    const absentHalfDays = (db: Database, t: TableNames<AttendanceTable>) =>
      studentTotals(db, t, { schoolId: SCHOOL, studentId: 's01', ...NOVEMBER }).total.halfDaysAbsent;

    await spec.given(inStream(lesson('M1'), taken)).then(absentHalfDays, 1);
    await spec.given(inStream(lesson('M1'), taken, wiped)).then(absentHalfDays, 0);
    await spec.given(inStream(lesson('M1'), taken, wiped, reverted)).then(absentHalfDays, 1);
    await spec.given(inStream(lesson('M1'), taken, wiped, reverted, voided)).then(
      (db, t) => ({
        halfDaysAbsent: absentHalfDays(db, t),
        history: rollCallHistory(db, t, lesson('M1')).map((c) => [
          c.position,
          c.type,
          c.version,
          c.actor.id,
          c.at,
          c.reason,
          c.added,
          c.removed,
          c.revertsTo,
        ]),
      }),
      {
        halfDaysAbsent: 0,
        history: [
          [1, 'RollCallTaken', 1, TEACHER.id, '2026-11-16T07:00:00.000Z', null, null, null, null],
          [
            2,
            'RollCallAmended',
            2,
            TEACHER.id,
            '2026-11-16T07:01:00.000Z',
            null,
            { absent: [], late: [] },
            { absent: ['s01'], late: [] },
            null,
          ],
          [
            3,
            'RollCallAmended',
            3,
            CPE.id,
            '2026-11-16T07:02:00.000Z',
            'defaults resent by the app wiped the absences',
            { absent: ['s01'], late: [] },
            { absent: [], late: [] },
            1,
          ],
          [4, 'RollCallVoided', null, CPE.id, '2026-11-16T07:03:00.000Z', 'wrong class', null, null, null],
        ],
      },
    );
  });
});

describe('a class outing and absences the families reported', () => {
  useHarness();
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
  it('shows a class’s roll calls of the day with each absence’s final status', () =>
    spec
      .given(
        inStream(
          lesson('M1'),
          rollCallTaken({ absent: ['s01', 's02'], late: [{ studentId: 's03', minutes: 4 }] }),
        ),
        inStream(
          ofStudent('s02'),
          infirmaryVisitRecorded({
            studentId: 's02',
            from: '08:00',
            to: '08:55',
            slots: slotsOn(MONDAY, 'M1'),
          }),
        ),
      )
      .then(
        (db, t) =>
          classDay(db, t, { schoolId: SCHOOL, classOrGroupId: '5B', date: MONDAY }).map((rollCall) => ({
            ...rollCall,
            absent: rollCall.absent.map((a) => [
              a.studentId,
              a.resolved?.presence,
              a.resolved?.absence?.status ?? null,
            ]),
            late: rollCall.late.map((l) => [l.studentId, l.minutes]),
          })),
        [
          {
            rollCallId: 'rollcall-0670001A-5B-2026-11-16-M1',
            slot: { code: 'M1', start: '08:00', end: '08:55' },
            halfDay: 'AM',
            status: 'taken',
            version: 1,
            registerCount: 5,
            takenBy: TEACHER,
            takenAt: '2026-11-16T07:00:00.000Z',
            changedAt: '2026-11-16T07:00:00.000Z',
            voidReason: null,
            absent: [
              ['s01', 'absent', 'unjustified'],
              ['s02', 'school_responsibility', null],
            ],
            late: [['s03', 4]],
          },
        ],
      ));

  it('attributes a student’s half-days to the class they were in when they changed class mid-month', () =>
    spec
      .given(
        inStream(
          lesson('M1', '2026-11-10', '5B'),
          rollCallTaken({ classOrGroupId: '5B', date: '2026-11-10', absent: ['s01'] }),
        ),
        inStream(
          lesson('M1', MONDAY, '5C'),
          rollCallTaken({ classOrGroupId: '5C', date: MONDAY, absent: ['s01'], takenBy: CPE }),
        ),
      )
      .then(
        (db, t) => ({
          '5B': classTotals(db, t, { schoolId: SCHOOL, classId: '5B', ...NOVEMBER }).students,
          '5C': classTotals(db, t, { schoolId: SCHOOL, classId: '5C', ...NOVEMBER }).students,
          s01: studentTotals(db, t, { schoolId: SCHOOL, studentId: 's01', ...NOVEMBER }).total,
        }),
        {
          '5B': {
            s01: {
              halfDaysAbsent: 1,
              justifiedHalfDays: 0,
              unjustifiedHalfDays: 1,
              latenesses: 0,
              missedMinutes: 55,
            },
          },
          '5C': {
            s01: {
              halfDaysAbsent: 1,
              justifiedHalfDays: 0,
              unjustifiedHalfDays: 1,
              latenesses: 0,
              missedMinutes: 55,
            },
          },
          s01: {
            halfDaysAbsent: 2,
            justifiedHalfDays: 0,
            unjustifiedHalfDays: 2,
            latenesses: 0,
            missedMinutes: 110,
          },
        },
      ));
});

describe('rebuilding', () => {
  useHarness();

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
