import {
  CountingSettingsTimeline,
  DEFAULT_COUNTING_SETTINGS,
  alertChanges,
  classTotals,
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
