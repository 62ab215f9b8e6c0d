import {
  CountingSettingsTimeline,
  DEFAULT_COUNTING_SETTINGS,
  HalfDayTally,
  StudentAttendanceCommand,
  alertChanges,
  classTotals,
  countStudent,
  resolveSlots,
  rollCallEntries,
  tallyHalfDays,
  thresholdsForMonth,
  tiersReached,
  totalsBetween,
  totalsByMonth,
  totalsByPeriod,
  totalsOf,
} from '../../../src/domain/attendance';
import {
  AttendanceBook,
  CPE,
  MONDAY,
  REASONS,
  acceptJustification,
  receiveJustification,
  recordCollectiveExemption,
  recordEarlyDeparture,
  recordInfirmaryVisit,
  regulariseJustification,
  rejectJustification,
  reportAbsence,
  takeRollCall,
  voidAttendanceFact,
  voidRollCall,
} from '../../support/attendance-fixtures';

const TUESDAY = '2026-11-17';
const full: CountingSettingsTimeline = [
  { effectiveFrom: '2026-09-01', settings: { ...DEFAULT_COUNTING_SETTINGS, mode: 'full' } },
];

/** A morning of four lessons for 5B, each with its own list of absent students. */
const morning = (book: AttendanceBook, absentBySlot: Record<string, string[]>, date = MONDAY) => {
  for (const [slotCode, absent] of Object.entries(absentBySlot))
    book.rollCall(takeRollCall({ date, slotCode, absent, context: { today: date } }));
};

describe('half-day counting', () => {
  it('counts a half-day as soon as one slot of it was missed (gross, the default)', () => {
    const book = new AttendanceBook();
    morning(book, { M1: ['s01'], M2: [], M3: [], M4: [] });
    book.rollCall(takeRollCall({ slotCode: 'S1', absent: ['s01'] }));
    book.rollCall(takeRollCall({ slotCode: 'S2', absent: ['s01'] }));
    expect(totalsOf(book.count('s01'))).toEqual({
      halfDaysAbsent: 2,
      justifiedHalfDays: 0,
      unjustifiedHalfDays: 2,
      latenesses: 0,
      missedMinutes: 3 * 55,
    });
  });

  it('counts a half-day only if every slot with a roll call was missed (full, a setting)', () => {
    const book = new AttendanceBook();
    morning(book, { M1: ['s01', 's02'], M2: ['s01', 's02'], M3: ['s01'], M4: ['s01'] });
    expect(totalsOf(book.count('s01', full)).halfDaysAbsent).toBe(1);
    expect(totalsOf(book.count('s02', full))).toMatchObject({ halfDaysAbsent: 0, missedMinutes: 110 });
    expect(totalsOf(book.count('s02')).halfDaysAbsent).toBe(1);
  });

  it('applies the mode in force on the lesson’s date', () => {
    const book = new AttendanceBook();
    morning(book, { M1: ['s01'], M2: [] }, MONDAY);
    morning(book, { M1: ['s01'], M2: [] }, TUESDAY);
    const switched: CountingSettingsTimeline = [
      { effectiveFrom: TUESDAY, settings: { ...DEFAULT_COUNTING_SETTINGS, mode: 'full' } },
    ];
    expect(book.count('s01', switched).map((t) => [t.date, t.mode, t.absent])).toEqual([
      [MONDAY, 'gross', true],
      [TUESDAY, 'full', false],
    ]);
  });

  it('never counts a lateness as a half-day absence', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ late: [{ studentId: 's01', minutes: 12 }] }));
    book.rollCall(takeRollCall({ slotCode: 'M2', late: [{ studentId: 's01', minutes: 3 }] }));
    expect(totalsOf(book.count('s01'))).toEqual({
      halfDaysAbsent: 0,
      justifiedHalfDays: 0,
      unjustifiedHalfDays: 0,
      latenesses: 2,
      missedMinutes: 0,
    });
  });

  it('counts an arrival later than the setting as an absence for the slot instead of a lateness', () => {
    const book = new AttendanceBook();
    book.rollCall(
      takeRollCall({ late: [{ studentId: 's01', minutes: 20 }], context: { lateAsAbsenceAfterMinutes: 15 } }),
    );
    book.rollCall(
      takeRollCall({
        slotCode: 'M2',
        late: [{ studentId: 's02', minutes: 15 }],
        context: { lateAsAbsenceAfterMinutes: 15 },
      }),
    );
    expect(totalsOf(book.count('s01'))).toMatchObject({ halfDaysAbsent: 1, latenesses: 0 });
    expect(book.slots('s01')[0]).toMatchObject({ presence: 'absent', lateCountedAsAbsence: true });
    expect(totalsOf(book.count('s02'))).toMatchObject({ halfDaysAbsent: 0, latenesses: 1 });
  });

  it('counts an absence reported outside a roll call, and lets the roll call win where one was taken', () => {
    const book = new AttendanceBook();
    book.student(
      reportAbsence({ from: { date: MONDAY, slotCode: 'M1' }, to: { date: MONDAY, slotCode: 'S4' } }),
    );
    morning(book, { M1: [], M2: [], M3: [], M4: [] });
    const tallies = book.count('s01');
    expect(tallies.map((t) => [t.halfDay, t.absent, t.missedSlots])).toEqual([['PM', true, 4]]);
  });

  it('counts the lessons after a departure during the day', () => {
    const book = new AttendanceBook();
    book.student(recordEarlyDeparture({ at: '14:30' }));
    expect(book.count('s01').map((t) => [t.halfDay, t.missedSlots])).toEqual([['PM', 3]]);
  });
});

describe('justified and unjustified half-days', () => {
  const absentAllDay = () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ absent: ['s01'] }));
    book.rollCall(takeRollCall({ slotCode: 'S1', absent: ['s01'] }));
    book.student(receiveJustification());
    return book;
  };

  it('keeps a half-day unjustified while the justification waits for the CPE', () => {
    const book = absentAllDay();
    expect(totalsOf(book.count('s01'))).toMatchObject({ justifiedHalfDays: 0, unjustifiedHalfDays: 2 });
    expect(book.slots('s01')[0].absence).toEqual({ source: 'roll_call', status: 'pending' });
  });

  it('justifies the half-days a legitimate reason covers once accepted', () => {
    const book = absentAllDay();
    book.student(acceptJustification());
    expect(totalsOf(book.count('s01'))).toMatchObject({
      halfDaysAbsent: 2,
      justifiedHalfDays: 2,
      unjustifiedHalfDays: 0,
    });
  });

  it('leaves them unjustified when the reason is not accepted, even though the family answered', () => {
    const book = absentAllDay();
    book.student(rejectJustification());
    expect(totalsOf(book.count('s01'))).toMatchObject({ justifiedHalfDays: 0, unjustifiedHalfDays: 2 });
    expect(book.slots('s01')[0].absence?.status).toBe('not_accepted');
  });

  it('does not justify on paperwork alone: regularised is another flag', () => {
    const book = absentAllDay();
    book.student(regulariseJustification());
    expect(totalsOf(book.count('s01')).unjustifiedHalfDays).toBe(2);
  });

  it('justifies only the half-days inside the range', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ absent: ['s01'] }));
    book.rollCall(takeRollCall({ slotCode: 'S1', absent: ['s01'] }));
    book.student(
      receiveJustification({ from: { date: MONDAY, halfDay: 'AM' }, to: { date: MONDAY, halfDay: 'AM' } }),
    );
    book.student(acceptJustification());
    expect(book.count('s01').map((t) => [t.halfDay, t.justified])).toEqual([
      ['AM', true],
      ['PM', false],
    ]);
  });

  it('does not count an absence whose accepted reason does not count (school outing)', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ absent: ['s01'] }));
    book.student(receiveJustification({ reasonCode: 'SORTIE_SCOLAIRE' }));
    book.student(acceptJustification());
    expect(totalsOf(book.count('s01')).halfDaysAbsent).toBe(0);
    expect(book.slots('s01')[0].absence?.status).toBe('not_counted');
  });
});

describe('data-collection errors (DOMAIN.md)', () => {
  it('3. a roll call taken on the wrong slot is voided and the right one taken: only the right one counts', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ slotCode: 'M1', absent: ['s01'] }));
    book.rollCall(voidRollCall({ reason: 'it was the S1 lesson' }), {
      classOrGroupId: '5B',
      date: MONDAY,
      slotCode: 'M1',
    });
    book.rollCall(takeRollCall({ slotCode: 'S1', absent: ['s01'] }));
    expect(book.count('s01').map((t) => t.halfDay)).toEqual(['PM']);
  });

  it('3. an absence recorded for the wrong student is voided and recorded for the right one', () => {
    const book = new AttendanceBook();
    book.student(reportAbsence({ studentId: 's01' }));
    book.student(voidAttendanceFact({ studentId: 's01', factId: 'report-1', reason: 'it was her brother' }));
    book.student(reportAbsence({ studentId: 's02' }));
    expect(totalsOf(book.count('s01')).halfDaysAbsent).toBe(0);
    expect(totalsOf(book.count('s02')).halfDaysAbsent).toBe(2);
    expect(book.studentState('s01').facts['report-1'].voided).toEqual({ reason: 'it was her brother' });
  });

  it('4. absent in class and present at the infirmary: the infirmary wins and both facts stay', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ absent: ['s01'] }));
    book.student(recordInfirmaryVisit({ from: '08:05', to: '08:50' }));
    const [slot] = book.slots('s01');
    expect(slot).toMatchObject({ presence: 'school_responsibility', absence: null, counted: false });
    expect(slot.rollCallIds).toHaveLength(1);
    expect(slot.factIds).toEqual([{ id: 'infirmary-1', kind: 'infirmary' }]);
    expect(totalsOf(book.count('s01')).halfDaysAbsent).toBe(0);
  });

  it('5. a justification arriving weeks later justifies the half-days it covers and withdraws the alert', () => {
    const book = new AttendanceBook();
    for (const date of ['2026-11-02', '2026-11-03']) {
      book.rollCall(takeRollCall({ date, absent: ['s01'] }));
      book.rollCall(takeRollCall({ date, slotCode: 'S1', absent: ['s01'] }));
    }
    const november = () => totalsByMonth(book.count('s01'))['2026-11'];
    expect(november().unjustifiedHalfDays).toBe(4);
    expect(tiersReached(4, thresholdsForMonth([], '2026-11'))).toEqual(['monthly']);
    book.student(
      receiveJustification({
        from: { date: '2026-11-03', halfDay: 'AM' },
        to: { date: '2026-11-03', halfDay: 'PM' },
        receivedOn: '2026-11-27',
      }),
    );
    book.student(acceptJustification());
    expect(november()).toMatchObject({ halfDaysAbsent: 4, justifiedHalfDays: 2, unjustifiedHalfDays: 2 });
    expect(
      alertChanges(['monthly'], november().unjustifiedHalfDays, thresholdsForMonth([], '2026-11')),
    ).toEqual({
      raise: [],
      withdraw: ['monthly'],
    });
  });

  it('6. a school outing recorded over individual entries: it covers the class roll call, the entries are not lost', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ slotCode: 'M1', absent: ['s01', 's02'] }));
    book.rollCall(takeRollCall({ slotCode: 'S1', absent: ['s01'] }));
    book.student(
      recordCollectiveExemption({
        from: { date: MONDAY, slotCode: 'M1' },
        to: { date: MONDAY, slotCode: 'M4' },
      }),
    );
    expect(book.count('s01').map((t) => [t.halfDay, t.absent])).toEqual([['PM', true]]);
    expect(book.slots('s01')[0]).toMatchObject({ presence: 'school_responsibility', counted: false });
    expect(book.slots('s01')[0].rollCallIds).toHaveLength(1);
    book.student(voidAttendanceFact({ factId: 'outing-1-s01', reason: 's01 did not go on the outing' }));
    expect(book.count('s01').map((t) => [t.halfDay, t.absent])).toEqual([
      ['AM', true],
      ['PM', true],
    ]);
  });

  it('4. absent by the family and present at the infirmary: the infirmary still wins', () => {
    const book = new AttendanceBook();
    book.student(
      reportAbsence({ from: { date: MONDAY, slotCode: 'M1' }, to: { date: MONDAY, slotCode: 'M1' } }),
    );
    book.student(recordInfirmaryVisit({ from: '08:05', to: '08:50' }));
    expect(book.slots('s01')[0]).toMatchObject({ presence: 'school_responsibility', counted: false });
    expect(totalsOf(book.count('s01')).halfDaysAbsent).toBe(0);
  });
  it('7. a student who changed class mid-month: counts follow the enrolment dates', () => {
    const book = new AttendanceBook();
    const in5B = new Set(['s01', 's02']);
    const in5C = new Set(['s01', 's03']);
    book.rollCall(
      takeRollCall({
        classOrGroupId: '5B',
        date: '2026-11-10',
        absent: ['s01'],
        context: { enrolled: in5B },
      }),
    );
    expect(() =>
      book.rollCall(
        takeRollCall({
          classOrGroupId: '5B',
          date: MONDAY,
          absent: ['s01'],
          context: { enrolled: new Set(['s02']) },
        }),
      ),
    ).toThrow(expect.objectContaining({ code: 'ROLL_CALL.STUDENT_NOT_ENROLLED' }));
    book.rollCall(
      takeRollCall({
        classOrGroupId: '5C',
        date: MONDAY,
        absent: ['s01'],
        actor: CPE,
        context: { enrolled: in5C },
      }),
    );
    const tallies = book.count('s01');
    expect(totalsByMonth(tallies)['2026-11'].halfDaysAbsent).toBe(2);
    const byStudent = new Map([['s01', tallies]]);
    expect(classTotals(byStudent, '5B', '2026-11-01', '2026-11-30').total.halfDaysAbsent).toBe(1);
    expect(classTotals(byStudent, '5C', '2026-11-01', '2026-11-30').students).toEqual({
      s01: expect.objectContaining({ halfDaysAbsent: 1 }),
    });
  });
});

describe('a class outing and an absence the family reported for the same day', () => {
  const DAY = { from: { date: MONDAY }, to: { date: MONDAY } };
  const OUTING = { from: { date: MONDAY, slotCode: 'M1' }, to: { date: MONDAY, slotCode: 'S4' } };
  const ABSENT_ALL_DAY = {
    halfDaysAbsent: 2,
    justifiedHalfDays: 0,
    unjustifiedHalfDays: 2,
    latenesses: 0,
    missedMinutes: 440,
  };

  it('counts the absence reported before the outing was recorded', () => {
    const book = new AttendanceBook();
    book.student(reportAbsence(DAY));
    book.student(recordCollectiveExemption({ ...OUTING, studentId: 's01' }));
    book.student(recordCollectiveExemption({ ...OUTING, studentId: 's02' }));
    expect(totalsOf(book.count('s01'))).toEqual(ABSENT_ALL_DAY);
    expect(totalsOf(book.count('s02')).halfDaysAbsent).toBe(0);
  });

  it('counts the absence reported after the outing was recorded', () => {
    const book = new AttendanceBook();
    book.student(recordCollectiveExemption({ ...OUTING, studentId: 's01' }));
    book.student(recordCollectiveExemption({ ...OUTING, studentId: 's02' }));
    book.student(reportAbsence(DAY));
    expect(totalsOf(book.count('s01'))).toEqual(ABSENT_ALL_DAY);
    expect(book.slots('s01')[0]).toMatchObject({
      presence: 'absent',
      absence: { source: 'absence_report', status: 'unjustified' },
      counted: true,
    });
    expect(book.slots('s01')[0].factIds).toEqual([
      { id: 'outing-1-s01', kind: 'collective_exemption' },
      { id: 'report-1', kind: 'absence_report' },
    ]);
    expect(totalsOf(book.count('s02')).halfDaysAbsent).toBe(0);
  });

  it('counts it absent even where the class roll call marked everybody away, and justified once the family’s reason is accepted', () => {
    const book = new AttendanceBook();
    book.student(recordCollectiveExemption({ ...OUTING, studentId: 's01' }));
    book.student(recordCollectiveExemption({ ...OUTING, studentId: 's02' }));
    book.rollCall(takeRollCall({ slotCode: 'M1', absent: ['s01', 's02'] }));
    book.student(reportAbsence(DAY));
    expect(book.slots('s01')[0]).toMatchObject({ presence: 'absent', counted: true });
    book.student(
      receiveJustification({ from: { date: MONDAY, halfDay: 'AM' }, to: { date: MONDAY, halfDay: 'PM' } }),
    );
    book.student(acceptJustification());
    expect(totalsOf(book.count('s01'))).toEqual({
      ...ABSENT_ALL_DAY,
      justifiedHalfDays: 2,
      unjustifiedHalfDays: 0,
    });
    expect(totalsOf(book.count('s02')).halfDaysAbsent).toBe(0);
  });

  it('keeps the outing where the absence does not reach: a student who joined in the afternoon', () => {
    const book = new AttendanceBook();
    book.student(recordCollectiveExemption(OUTING));
    book.student(
      reportAbsence({ from: { date: MONDAY, slotCode: 'M1' }, to: { date: MONDAY, slotCode: 'M4' } }),
    );
    expect(book.count('s01').map((t) => [t.halfDay, t.absent])).toEqual([['AM', true]]);
  });

  it('lets the outing cover the student again once the reported absence is voided', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ slotCode: 'M1', absent: ['s01'] }));
    book.student(recordCollectiveExemption(OUTING));
    book.student(reportAbsence(DAY));
    book.student(voidAttendanceFact({ factId: 'report-1', reason: 'it was her brother' }));
    expect(totalsOf(book.count('s01')).halfDaysAbsent).toBe(0);
  });
});

describe('figures per month, per period and per year', () => {
  it('adds half-days by calendar month, by period and over the year', () => {
    const book = new AttendanceBook();
    for (const date of ['2026-11-30', '2026-12-01', '2027-01-04'])
      book.rollCall(takeRollCall({ date, absent: ['s01'], context: { today: date } }));
    const tallies = book.count('s01');
    expect(
      Object.fromEntries(Object.entries(totalsByMonth(tallies)).map(([m, t]) => [m, t.halfDaysAbsent])),
    ).toEqual({
      '2026-11': 1,
      '2026-12': 1,
      '2027-01': 1,
    });
    const periods = [
      { id: 'T1', start: '2026-09-01', end: '2026-11-30' },
      { id: 'T2', start: '2026-12-01', end: '2027-03-05' },
    ];
    expect(totalsByPeriod(tallies, periods)).toMatchObject({
      T1: { halfDaysAbsent: 1 },
      T2: { halfDaysAbsent: 2 },
    });
    expect(totalsBetween(tallies, '2026-09-01', '2027-07-03').halfDaysAbsent).toBe(3);
  });
});

describe('absenteeism alerts', () => {
  const thresholds = { monthly: 4, persistent: 10 };

  it('raises the monthly tier from 4 unjustified half-days, then the persistent tier', () => {
    expect(tiersReached(3, thresholds)).toEqual([]);
    expect(tiersReached(4, thresholds)).toEqual(['monthly']);
    expect(tiersReached(10, thresholds)).toEqual(['monthly', 'persistent']);
    expect(alertChanges([], 11, thresholds)).toEqual({ raise: ['monthly', 'persistent'], withdraw: [] });
  });

  it('withdraws the tiers that no longer hold and raises nothing twice', () => {
    expect(alertChanges(['monthly', 'persistent'], 5, thresholds)).toEqual({
      raise: [],
      withdraw: ['persistent'],
    });
    expect(alertChanges(['monthly'], 6, thresholds)).toEqual({ raise: [], withdraw: [] });
  });

  it('uses the thresholds in force on the first day of the month', () => {
    const timeline: CountingSettingsTimeline = [
      { effectiveFrom: '2026-11-15', settings: { mode: 'gross', thresholds: { monthly: 2, persistent: 6 } } },
    ];
    expect(thresholdsForMonth(timeline, '2026-11')).toEqual({ monthly: 4, persistent: 10 });
    expect(thresholdsForMonth(timeline, '2026-12')).toEqual({ monthly: 2, persistent: 6 });
  });
});

describe('what the ledger and the class figures show', () => {
  const ROLL_CALL_SLOT = { code: 'M1', start: '08:00', end: '08:55' };
  const inLatin = (o: {
    slotCode: string;
    late?: { studentId: string; minutes: number }[];
    absent?: string[];
  }) => takeRollCall({ ...o, classOrGroupId: 'LATIN', groupKind: 'group' });

  it('lists each student on the register with what the teacher marked, and nobody once the roll call is voided', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ absent: ['s03'], late: [{ studentId: 's02', minutes: 10 }] }));
    const [streamId] = book.rollCalls.keys();
    expect(
      rollCallEntries(streamId, book.rollCallState(streamId)).map((e) => [e.studentId, e.status, e.minutes]),
    ).toEqual([
      ['s01', 'present', null],
      ['s02', 'late', 10],
      ['s03', 'absent', null],
      ['s04', 'present', null],
      ['s05', 'present', null],
    ]);
    book.rollCall(voidRollCall(), { classOrGroupId: '5B', date: MONDAY, slotCode: 'M1' });
    expect(rollCallEntries(streamId, book.rollCallState(streamId))).toEqual([]);
  });

  it('does not count an absence whose accepted reason never counts, even without school responsibility', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ absent: ['s01'] }));
    book.student(receiveJustification());
    const dispense = {
      code: 'DISPENSE',
      legitimate: true,
      countsAsAbsence: false,
      schoolResponsibility: false,
    };
    book.student({
      ...acceptJustification({ reasonCode: 'DISPENSE' }),
      context: { reasons: [...REASONS, dispense] },
    } as StudentAttendanceCommand);
    expect(totalsOf(book.count('s01')).halfDaysAbsent).toBe(0);
    expect(book.slots('s01')[0].absence?.status).toBe('not_counted');
  });

  it('a slot with a class and a group roll call: present in either wins, the lateness counts once, the slot is the class’s', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ slotCode: 'M1' }));
    book.rollCall(inLatin({ slotCode: 'M1', late: [{ studentId: 's01', minutes: 5 }] }));
    book.rollCall(inLatin({ slotCode: 'M2', late: [{ studentId: 's01', minutes: 7 }] }));
    book.rollCall(takeRollCall({ slotCode: 'M2' }));
    expect(book.slots('s01').map((s) => [s.slot.code, s.presence, s.lateMinutes, s.classId])).toEqual([
      ['M1', 'present', 5, '5B'],
      ['M2', 'present', 7, '5B'],
    ]);
    expect(totalsOf(book.count('s01'))).toEqual({
      halfDaysAbsent: 0,
      justifiedHalfDays: 0,
      unjustifiedHalfDays: 0,
      latenesses: 2,
      missedMinutes: 0,
    });
  });

  it('says a late arrival was counted as an absence only where it was, and not where the student was seen in another roll call', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ slotCode: 'M1', absent: ['s01'] }));
    book.rollCall(
      takeRollCall({
        slotCode: 'M2',
        late: [{ studentId: 's01', minutes: 20 }],
        context: { lateAsAbsenceAfterMinutes: 15 },
      }),
    );
    book.rollCall(inLatin({ slotCode: 'M2' }));
    book.rollCall(
      takeRollCall({
        slotCode: 'M3',
        late: [{ studentId: 's01', minutes: 20 }],
        context: { lateAsAbsenceAfterMinutes: 15 },
      }),
    );
    expect(
      book.slots('s01').map((s) => [s.slot.code, s.presence, s.lateCountedAsAbsence, s.lateMinutes]),
    ).toEqual([
      ['M1', 'absent', false, null],
      ['M2', 'present', false, null],
      ['M3', 'absent', true, null],
    ]);
    expect(totalsOf(book.count('s01'))).toEqual({
      halfDaysAbsent: 1,
      justifiedHalfDays: 0,
      unjustifiedHalfDays: 1,
      latenesses: 0,
      missedMinutes: 110,
    });
  });

  it('lists the lesson, the roll call and the justification behind an absent slot, and no justification behind an attended one', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ slotCode: 'M1', absent: ['s01'] }));
    book.rollCall(takeRollCall({ slotCode: 'M2' }));
    book.student(receiveJustification({ from: { date: MONDAY, halfDay: 'AM' } }));
    const [m1Stream] = book.rollCalls.keys();
    const [m1, m2] = book.slots('s01');
    expect(m1).toMatchObject({
      slot: ROLL_CALL_SLOT,
      absence: { source: 'roll_call', status: 'pending' },
      rollCallIds: [m1Stream],
      justificationIds: ['just-1'],
    });
    expect(m2).toMatchObject({ presence: 'present', absence: null, justificationIds: [] });
  });

  it('counts only the dates inside the range asked for, both ends included', () => {
    const book = new AttendanceBook();
    for (const date of [MONDAY, TUESDAY, '2026-11-18'])
      book.rollCall(takeRollCall({ date, absent: ['s01'], context: { today: date } }));
    book.student(reportAbsence({ from: { date: '2026-11-19' } }));
    const range = { from: TUESDAY, to: TUESDAY };
    const input = { entries: book.entriesOf('s01'), attendance: book.studentState('s01') };
    expect(
      countStudent({ ...input, settings: [], range }).map((t) => [t.date, t.halfDay, t.missedSlots]),
    ).toEqual([[TUESDAY, 'AM', 1]]);
    expect(resolveSlots(input.entries, input.attendance, range).map((s) => [s.date, s.slot.code])).toEqual([
      [TUESDAY, 'M1'],
    ]);
  });

  it('lists slots and half-days in time order whatever order the roll calls were taken in', () => {
    const book = new AttendanceBook();
    for (const slotCode of ['S1', 'M3', 'M1']) book.rollCall(takeRollCall({ slotCode, absent: ['s01'] }));
    book.rollCall(takeRollCall({ date: '2026-11-13', absent: ['s01'] }));
    const slots = book.slots('s01');
    expect(slots.map((s) => [s.date, s.slot.code])).toEqual([
      ['2026-11-13', 'M1'],
      [MONDAY, 'M1'],
      [MONDAY, 'M3'],
      [MONDAY, 'S1'],
    ]);
    expect(tallyHalfDays([...slots].reverse(), []).map((t) => [t.date, t.halfDay, t.missedSlots])).toEqual([
      ['2026-11-13', 'AM', 1],
      [MONDAY, 'AM', 2],
      [MONDAY, 'PM', 1],
    ]);
  });

  it('counts a half-day missed in a class lesson and a group lesson for the class', () => {
    const book = new AttendanceBook();
    book.rollCall(takeRollCall({ slotCode: 'M1', absent: ['s01'] }));
    book.rollCall(inLatin({ slotCode: 'M2', absent: ['s01'] }));
    const tallies = book.count('s01');
    expect(tallies.map((t) => [t.halfDay, t.classId, t.missedSlots])).toEqual([['AM', '5B', 2]]);
  });

  it('counts an absence the family reported during a class outing for the outing’s class', () => {
    const book = new AttendanceBook();
    book.student(recordCollectiveExemption({ studentId: 's01' }));
    book.student(
      reportAbsence({ from: { date: MONDAY, slotCode: 'M1' }, to: { date: MONDAY, slotCode: 'M4' } }),
    );
    expect(book.count('s01').map((t) => [t.halfDay, t.classId, t.absent])).toEqual([['AM', '5B', true]]);
  });

  it('gives a class only the half-days counted in it, between both dates included, and only the students who had some', () => {
    const tally = (date: string, classId: string, halfDay: 'AM' | 'PM' = 'AM'): HalfDayTally => ({
      date,
      halfDay,
      month: date.slice(0, 7),
      mode: 'gross',
      classId,
      absent: true,
      justified: false,
      latenesses: 0,
      missedSlots: 1,
      missedMinutes: 55,
    });
    const tallies = new Map<string, HalfDayTally[]>([
      [
        's01',
        [
          tally('2026-11-09', '5B'),
          tally('2026-11-10', '5B'),
          tally(MONDAY, '5B'),
          tally(MONDAY, '5C', 'PM'),
          tally(TUESDAY, '5B'),
        ],
      ],
      ['s02', [tally('2026-11-12', '5C')]],
    ]);
    const twoHalfDays = {
      halfDaysAbsent: 2,
      justifiedHalfDays: 0,
      unjustifiedHalfDays: 2,
      latenesses: 0,
      missedMinutes: 110,
    };
    expect(classTotals(tallies, '5B', '2026-11-10', MONDAY)).toEqual({
      students: { s01: twoHalfDays },
      total: twoHalfDays,
    });
  });
});
