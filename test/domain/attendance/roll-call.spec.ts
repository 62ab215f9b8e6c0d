import { DomainError } from '../../../src/domain/shared/domain-error';
import { rollCallDecider, RollCallEvent } from '../../../src/domain/attendance';
import { deciderSpec } from '../../support/decider-spec';
import {
  CPE,
  MONDAY,
  OTHER_TEACHER,
  TEACHER,
  revertRollCall,
  rollCallAmended,
  rollCallTaken,
  rollCallVoided,
  takeRollCall,
  voidRollCall,
} from '../../support/attendance-fixtures';

const spec = deciderSpec(rollCallDecider);

const errorOf = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

const decide =
  (command: Parameters<typeof takeRollCall>[0], ...given: RollCallEvent[]) =>
  () =>
    rollCallDecider.decide(
      takeRollCall(command),
      given.reduce(rollCallDecider.evolve, rollCallDecider.initialState()),
    );

describe('taking a roll call', () => {
  it('records the absent and the late students with the lesson, its slot times and its half-day', () =>
    spec
      .given()
      .when(takeRollCall({ absent: ['s03', 's01'], late: [{ studentId: 's02', minutes: 7 }] }))
      .then([
        {
          type: 'RollCallTaken',
          data: {
            classOrGroupId: '5B',
            groupKind: 'class',
            date: MONDAY,
            slot: { code: 'M1', start: '08:00', end: '08:55' },
            halfDay: 'AM',
            register: ['s01', 's02', 's03', 's04', 's05'],
            absent: ['s01', 's03'],
            late: [{ studentId: 's02', minutes: 7 }],
            lateAsAbsenceAfterMinutes: null,
            takenBy: TEACHER,
          },
        },
      ]));

  it('records "everybody present" as a roll call too', () =>
    spec
      .given()
      .when(takeRollCall())
      .then([rollCallTaken({ register: ['s01', 's02', 's03', 's04', 's05'], absent: [], late: [] })]));

  it('puts a slot in the afternoon from the half-day boundary, which is a setting', () => {
    spec
      .given()
      .when(takeRollCall({ slotCode: 'S1' }))
      .then([rollCallTaken({ slotCode: 'S1', halfDay: 'PM' })]);
    spec
      .given()
      .when(takeRollCall({ slotCode: 'M3', context: { halfDayBoundary: '10:00' } }))
      .then([rollCallTaken({ slotCode: 'M3', halfDay: 'PM' })]);
  });

  it('keeps the late-arrival setting in force with the roll call', () =>
    spec
      .given()
      .when(takeRollCall({ context: { lateAsAbsenceAfterMinutes: 15 } }))
      .then([rollCallTaken({ lateAsAbsenceAfterMinutes: 15 })]));

  it('lets the CPE take the roll call of any class', () =>
    spec
      .given()
      .when(takeRollCall({ actor: CPE }))
      .then([rollCallTaken({ takenBy: CPE })]));

  it('refuses a teacher who does not teach the class', () => {
    const error = errorOf(decide({ actor: OTHER_TEACHER }));
    expect(error.code).toBe('ROLL_CALL.NOT_CLASS_TEACHER');
    expect(error.kind).toBe('forbidden');
    expect(error.details).toEqual({ field: 'classId', classOrGroupId: '5B', teacherId: OTHER_TEACHER.id });
  });

  it("lets a teacher call a group their token lists, and names the group's field when it does not", () => {
    spec
      .given()
      .when(takeRollCall({ actor: OTHER_TEACHER, actorTeaches: ['4A', '5B'] }))
      .then([rollCallTaken({ takenBy: OTHER_TEACHER })]);
    const error = errorOf(decide({ actor: OTHER_TEACHER, groupKind: 'group', classOrGroupId: 'LATIN-5' }));
    expect(error.details).toMatchObject({ field: 'groupId', classOrGroupId: 'LATIN-5' });
  });

  it('refuses a teacher whose classes are not given', () =>
    spec
      .given()
      .when({ ...takeRollCall(), actorTeaches: undefined })
      .thenThrows('ROLL_CALL.NOT_CLASS_TEACHER', 'forbidden'));

  it("refuses another class's teacher before anything else: a voided roll call, a lesson never called", () => {
    spec
      .given(rollCallTaken(), rollCallVoided())
      .when(takeRollCall({ actor: OTHER_TEACHER }))
      .thenThrows('ROLL_CALL.NOT_CLASS_TEACHER', 'forbidden');
    spec
      .given()
      .when(voidRollCall({ actor: OTHER_TEACHER }))
      .thenThrows('ROLL_CALL.NOT_CLASS_TEACHER', 'forbidden');
    spec
      .given()
      .when(revertRollCall({ actor: OTHER_TEACHER }))
      .thenThrows('ROLL_CALL.NOT_CLASS_TEACHER', 'forbidden');
  });

  it('lets the class teacher correct their own roll call', () =>
    spec
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(voidRollCall({ actor: TEACHER, reason: 'wrong slot' }))
      .then([
        rollCallVoided({
          studentIds: ['s01', 's02', 's03', 's04', 's05'],
          reason: 'wrong slot',
          voidedBy: TEACHER,
        }),
      ]));
});

describe('a roll call the rules refuse', () => {
  it('refuses a student not enrolled in the class on that date, naming the field and the students', () => {
    const error = errorOf(decide({ absent: ['s01', 'new-student'] }));
    expect(error.code).toBe('ROLL_CALL.STUDENT_NOT_ENROLLED');
    expect(error.kind).toBe('conflict');
    expect(error.details).toMatchObject({
      field: 'absent[1]',
      studentIds: ['new-student'],
      classOrGroupId: '5B',
      date: MONDAY,
    });
  });

  it('refuses a late student not enrolled', () =>
    expect(errorOf(decide({ late: [{ studentId: 'x', minutes: 3 }] })).details).toMatchObject({
      field: 'late[0]',
    }));

  it('refuses a slot that is not in the timetable', () => {
    const error = errorOf(decide({ slotCode: 'M9' }));
    expect(error.code).toBe('ROLL_CALL.SLOT_UNKNOWN');
    expect(error.kind).toBe('invalid');
    expect(error.details).toMatchObject({ field: 'slot', slotCode: 'M9' });
  });

  it('refuses a date outside the school year', () => {
    const error = errorOf(decide({ date: '2026-08-31', context: { today: '2026-08-31' } }));
    expect(error.code).toBe('ROLL_CALL.DATE_OUTSIDE_SCHOOL_YEAR');
    expect(error.kind).toBe('conflict');
    expect(error.details).toMatchObject({ field: 'date' });
  });

  it('refuses a day the calendar closes: a weekend, a bank holiday', () => {
    expect(errorOf(decide({ date: '2026-11-15' })).code).toBe('ROLL_CALL.NON_SCHOOL_DAY');
    expect(
      errorOf(
        decide({
          date: '2026-11-11',
          context: { today: '2026-11-11', calendar: { closedDates: new Set(['2026-11-11']) } },
        }),
      ).code,
    ).toBe('ROLL_CALL.NON_SCHOOL_DAY');
  });

  it('refuses a date further ahead than the setting allows', () => {
    const error = errorOf(decide({ date: '2026-11-18', context: { maxDaysAhead: 1 } }));
    expect(error.code).toBe('ROLL_CALL.DATE_TOO_FAR_AHEAD');
    expect(error.kind).toBe('conflict');
    expect(error.details).toMatchObject({ field: 'date', latestAllowed: '2026-11-17' });
    spec
      .given()
      .when(takeRollCall({ date: '2026-11-17', context: { maxDaysAhead: 1 } }))
      .then([rollCallTaken({ date: '2026-11-17' })]);
  });

  it('refuses a malformed date', () =>
    expect(errorOf(decide({ date: '2026-02-30' })).code).toBe('ROLL_CALL.DATE_INVALID'));

  it('refuses a student listed twice or both absent and late', () => {
    expect(errorOf(decide({ absent: ['s01', 's01'] })).code).toBe('ROLL_CALL.DUPLICATE_STUDENT');
    const both = errorOf(decide({ absent: ['s01'], late: [{ studentId: 's01', minutes: 5 }] }));
    expect(both.code).toBe('ROLL_CALL.DUPLICATE_STUDENT');
    expect(both.details).toMatchObject({ field: 'late[0]' });
  });

  it('refuses minutes late that are not a whole number within the lesson', () => {
    for (const minutes of [0, 2.5, 56]) {
      const error = errorOf(decide({ late: [{ studentId: 's01', minutes }] }));
      expect(error.code).toBe('ROLL_CALL.LATE_MINUTES_INVALID');
      expect(error.details).toMatchObject({ field: 'late[0].minutes' });
    }
  });
});

describe('sending a roll call again', () => {
  it('records nothing when the same roll call is sent twice (app retry, double click)', () =>
    spec
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(takeRollCall({ absent: ['s01'] }))
      .then([]));

  it('records nothing when the same list comes in another order or from someone else', () =>
    spec
      .given(rollCallTaken({ absent: ['s01', 's02'], late: [{ studentId: 's03', minutes: 4 }] }))
      .when(takeRollCall({ absent: ['s02', 's01'], late: [{ studentId: 's03', minutes: 4 }], actor: CPE }))
      .then([]));

  it('records a different list as an amendment: who, what changed, from what', () =>
    spec
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(takeRollCall({ absent: ['s02'], late: [{ studentId: 's01', minutes: 10 }] }))
      .then([
        rollCallAmended({
          version: 2,
          absent: ['s02'],
          late: [{ studentId: 's01', minutes: 10 }],
          previous: { absent: ['s01'], late: [] },
          added: { absent: ['s02'], late: [{ studentId: 's01', minutes: 10 }] },
          removed: { absent: ['s01'], late: [] },
          amendedBy: TEACHER,
          reason: null,
          revertsTo: null,
        }),
      ]));

  it('shows the diff of an amendment', () =>
    spec
      .given(rollCallTaken({ absent: ['s01', 's02'] }))
      .when(takeRollCall({ absent: ['s02', 's03'] }))
      .then([
        rollCallAmended({
          version: 2,
          absent: ['s02', 's03'],
          late: [],
          previous: { absent: ['s01', 's02'], late: [] },
          added: { absent: ['s03'], late: [] },
          removed: { absent: ['s01'], late: [] },
          amendedBy: TEACHER,
          reason: null,
          revertsTo: null,
        }),
      ]));

  it('lets a teacher remove an absence they recorded themselves without a reason', () =>
    spec
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(takeRollCall({ absent: [] }))
      .then([
        rollCallAmended({
          version: 2,
          absent: [],
          previous: { absent: ['s01'] },
          removed: { absent: ['s01'] },
          amendedBy: TEACHER,
          reason: null,
        }),
      ]));

  it('needs a reason to remove an absence recorded by someone else', () => {
    spec
      .given(rollCallTaken({ absent: ['s01'], takenBy: CPE }))
      .when(takeRollCall({ absent: [] }))
      .thenThrows('ROLL_CALL.REASON_REQUIRED', 'conflict');
    const error = errorOf(decide({ absent: [] }, rollCallTaken({ absent: ['s01'], takenBy: CPE })));
    expect(error.details).toMatchObject({
      field: 'reason',
      studentIds: ['s01'],
      recordedBy: { s01: CPE.id },
    });
    spec
      .given(rollCallTaken({ absent: ['s01'], takenBy: CPE }))
      .when(takeRollCall({ absent: [], reason: 'the student was in the library with the CPE’s permission' }))
      .then([
        rollCallAmended({
          version: 2,
          absent: [],
          previous: { absent: ['s01'] },
          removed: { absent: ['s01'] },
          amendedBy: TEACHER,
          reason: 'the student was in the library with the CPE’s permission',
        }),
      ]);
  });

  it('remembers who recorded each absence across amendments', () =>
    spec
      .given(
        rollCallTaken({ absent: ['s01'], takenBy: CPE }),
        rollCallAmended({
          version: 2,
          absent: ['s01', 's02'],
          previous: { absent: ['s01'] },
          added: { absent: ['s02'] },
          amendedBy: TEACHER,
        }),
      )
      .when(takeRollCall({ absent: ['s02'] }))
      .thenThrows('ROLL_CALL.REASON_REQUIRED', 'conflict'));

  it('refuses a list for another lesson on this stream', () =>
    spec
      .given(rollCallTaken())
      .when(takeRollCall({ slotCode: 'M2', absent: ['s01'] }))
      .thenThrows('ROLL_CALL.LESSON_MISMATCH', 'conflict'));
});

describe('a re-opened roll call re-sent with defaults (DOMAIN.md, data-collection error 2)', () => {
  const taken = rollCallTaken({ absent: ['s01', 's02'] });
  const wiped = rollCallAmended({
    version: 2,
    absent: [],
    late: [],
    previous: { absent: ['s01', 's02'], late: [] },
    added: { absent: [], late: [] },
    removed: { absent: ['s01', 's02'], late: [] },
    amendedBy: TEACHER,
    reason: null,
    revertsTo: null,
  });
  const reverted = rollCallAmended({
    version: 3,
    absent: ['s01', 's02'],
    late: [],
    previous: { absent: [], late: [] },
    added: { absent: ['s01', 's02'], late: [] },
    removed: { absent: [], late: [] },
    amendedBy: CPE,
    reason: 'defaults resent by the app wiped the absences',
    revertsTo: 1,
  });

  it('is an amendment that is visible and attributable', () =>
    spec
      .given(taken)
      .when(takeRollCall({ absent: [] }))
      .then([wiped]));

  it('can be reverted to the list it wiped', () =>
    spec
      .given(taken, wiped)
      .when(revertRollCall({ toVersion: 1 }))
      .then([reverted]));

  it('records nothing when the revert is sent again', () =>
    spec
      .given(taken, wiped, reverted)
      .when(revertRollCall({ toVersion: 1 }))
      .then([]));

  it('needs a reason and a version that exists', () => {
    spec
      .given(taken, wiped)
      .when(revertRollCall({ toVersion: 1, reason: ' ' }))
      .thenThrows('ROLL_CALL.REASON_REQUIRED', 'conflict');
    spec
      .given(taken, wiped)
      .when(revertRollCall({ toVersion: 3 }))
      .thenThrows('ROLL_CALL.VERSION_UNKNOWN', 'invalid');
    spec
      .given()
      .when(revertRollCall({ toVersion: 1 }))
      .thenThrows('ROLL_CALL.NOT_TAKEN', 'not_found');
  });
});

describe('reverting without a version: the version before the last', () => {
  const lesson = {
    classOrGroupId: '5B',
    groupKind: 'class',
    date: MONDAY,
    slot: { code: 'M1', start: '08:00', end: '08:55' },
    halfDay: 'AM',
  } as const;
  const register = ['s01', 's02', 's03', 's04', 's05'];
  const none = { absent: [], late: [] };
  const taken: RollCallEvent = {
    type: 'RollCallTaken',
    data: {
      ...lesson,
      register,
      absent: ['s01', 's02'],
      late: [],
      lateAsAbsenceAfterMinutes: null,
      takenBy: TEACHER,
    },
  };
  const wiped: RollCallEvent = {
    type: 'RollCallAmended',
    data: {
      ...lesson,
      version: 2,
      register,
      absent: [],
      late: [],
      lateAsAbsenceAfterMinutes: null,
      previous: { absent: ['s01', 's02'], late: [] },
      added: none,
      removed: { absent: ['s01', 's02'], late: [] },
      amendedBy: TEACHER,
      reason: null,
      revertsTo: null,
    },
  };
  const s03Added: RollCallEvent = {
    type: 'RollCallAmended',
    data: {
      ...lesson,
      version: 3,
      register,
      absent: ['s03'],
      late: [],
      lateAsAbsenceAfterMinutes: null,
      previous: none,
      added: { absent: ['s03'], late: [] },
      removed: none,
      amendedBy: TEACHER,
      reason: null,
      revertsTo: null,
    },
  };
  const reason = 'defaults resent by the app wiped the absences';

  it('restores version 1 after one amendment', () =>
    spec
      .given(taken, wiped)
      .when(revertRollCall())
      .then([
        {
          type: 'RollCallAmended',
          data: {
            ...lesson,
            version: 3,
            register,
            absent: ['s01', 's02'],
            late: [],
            lateAsAbsenceAfterMinutes: null,
            previous: none,
            added: { absent: ['s01', 's02'], late: [] },
            removed: none,
            amendedBy: CPE,
            reason,
            revertsTo: 1,
          },
        },
      ]));

  it('follows an amendment made meanwhile: after version 3 it restores version 2, not 1', () =>
    spec
      .given(taken, wiped, s03Added)
      .when(revertRollCall())
      .then([
        {
          type: 'RollCallAmended',
          data: {
            ...lesson,
            version: 4,
            register,
            absent: [],
            late: [],
            lateAsAbsenceAfterMinutes: null,
            previous: { absent: ['s03'], late: [] },
            added: none,
            removed: { absent: ['s03'], late: [] },
            amendedBy: CPE,
            reason,
            revertsTo: 2,
          },
        },
      ]));

  it('records nothing on a roll call never amended: version 1 is already the list', () =>
    spec.given(taken).when(revertRollCall()).then([]));

  it('refuses a lesson never called', () =>
    spec.given().when(revertRollCall()).thenThrows('ROLL_CALL.NOT_TAKEN', 'not_found'));
});

describe('voiding a roll call (wrong class, wrong slot)', () => {
  it('voids it with a reason, naming the students it concerned', () =>
    spec
      .given(rollCallTaken({ absent: ['s01'] }))
      .when(voidRollCall({ reason: 'taken for 5B, the lesson was 5C' }))
      .then([
        rollCallVoided({
          studentIds: ['s01', 's02', 's03', 's04', 's05'],
          reason: 'taken for 5B, the lesson was 5C',
          voidedBy: CPE,
        }),
      ]));

  it('needs a reason', () =>
    spec
      .given(rollCallTaken())
      .when(voidRollCall({ reason: '' }))
      .thenThrows('ROLL_CALL.REASON_REQUIRED', 'conflict'));

  it('cannot void a roll call that was never taken', () =>
    spec.given().when(voidRollCall()).thenThrows('ROLL_CALL.NOT_TAKEN', 'not_found'));

  it('records nothing when voided twice', () =>
    spec.given(rollCallTaken(), rollCallVoided()).when(voidRollCall()).then([]));

  it('refuses any further change once voided: the right roll call is taken on its own lesson', () => {
    spec
      .given(rollCallTaken(), rollCallVoided())
      .when(takeRollCall())
      .thenThrows('ROLL_CALL.VOIDED', 'conflict');
    spec
      .given(rollCallTaken(), rollCallVoided())
      .when(takeRollCall({ absent: ['s02'] }))
      .thenThrows('ROLL_CALL.VOIDED', 'conflict');
    spec
      .given(rollCallTaken(), rollCallVoided())
      .when(revertRollCall({ toVersion: 1 }))
      .thenThrows('ROLL_CALL.VOIDED', 'conflict');
    spec
      .given()
      .when(takeRollCall({ slotCode: 'M2', absent: ['s01'] }))
      .then([rollCallTaken({ slotCode: 'M2', absent: ['s01'] })]);
  });
});

describe('the edges of a roll call the rules accept', () => {
  it('lists late students in student order, whatever order they were sent in', () =>
    spec
      .given()
      .when(
        takeRollCall({
          late: [
            { studentId: 's03', minutes: 5 },
            { studentId: 's01', minutes: 2 },
          ],
        }),
      )
      .then([
        rollCallTaken({
          late: [
            { studentId: 's01', minutes: 2 },
            { studentId: 's03', minutes: 5 },
          ],
        }),
      ]));

  it('lists the register in student order, whatever order the enrolment comes in', () =>
    spec
      .given()
      .when(takeRollCall({ context: { enrolled: new Set(['s05', 's03', 's01', 's04', 's02']) } }))
      .then([rollCallTaken({ register: ['s01', 's02', 's03', 's04', 's05'] })]));

  it('accepts one minute late and as late as the whole lesson (55 minutes at M1)', () =>
    spec
      .given()
      .when(
        takeRollCall({
          late: [
            { studentId: 's01', minutes: 1 },
            { studentId: 's02', minutes: 55 },
          ],
        }),
      )
      .then([
        rollCallTaken({
          late: [
            { studentId: 's01', minutes: 1 },
            { studentId: 's02', minutes: 55 },
          ],
        }),
      ]));

  it('accepts the first and the last day of the school year, and refuses the day after', () => {
    const oneDayYear = { schoolYear: { start: MONDAY, end: MONDAY } };
    spec
      .given()
      .when(takeRollCall({ context: oneDayYear }))
      .then([rollCallTaken()]);
    spec
      .given()
      .when(takeRollCall({ date: '2026-11-17', context: { ...oneDayYear, today: '2026-11-17' } }))
      .thenThrows('ROLL_CALL.DATE_OUTSIDE_SCHOOL_YEAR', 'conflict');
  });
});

describe('the edges of a roll call the rules refuse', () => {
  it('refuses an empty student id', () => {
    spec
      .given()
      .when(takeRollCall({ absent: [''] }))
      .thenThrows('ROLL_CALL.STUDENT_INVALID', 'invalid');
    expect(errorOf(decide({ late: [{ studentId: '', minutes: 3 }] })).details).toEqual({ field: 'late[0]' });
  });

  it('names the field of a malformed date and the known slots of an unknown one', () => {
    expect(errorOf(decide({ date: '2026-02-30' })).details).toEqual({ field: 'date' });
    expect(errorOf(decide({ slotCode: 'M9' })).details).toEqual({
      field: 'slot',
      slotCode: 'M9',
      knownSlots: ['M1', 'M2', 'M3', 'M4', 'S1', 'S2', 'S3', 'S4'],
    });
  });

  it('refuses a list for another class or another date on this stream, naming the recorded lesson', () => {
    spec
      .given(rollCallTaken())
      .when(takeRollCall({ classOrGroupId: '4A', actor: CPE }))
      .thenThrows('ROLL_CALL.LESSON_MISMATCH', 'conflict');
    spec
      .given(rollCallTaken())
      .when(takeRollCall({ date: '2026-11-13', context: { today: '2026-11-13' } }))
      .thenThrows('ROLL_CALL.LESSON_MISMATCH', 'conflict');
    expect(errorOf(decide({ slotCode: 'M2' }, rollCallTaken())).details).toEqual({
      field: 'slot',
      recorded: { classOrGroupId: '5B', date: MONDAY, slotCode: 'M1' },
    });
  });

  it('names the reason a voided roll call was voided for', () =>
    expect(errorOf(decide({}, rollCallTaken(), rollCallVoided({ reason: 'wrong slot' }))).details).toEqual({
      reason: 'wrong slot',
    }));
});

describe('amending the minutes of a late arrival', () => {
  it('shows the old and the new minutes, not the unchanged late student, even when both now have the same minutes', () =>
    spec
      .given(
        rollCallTaken({
          late: [
            { studentId: 's01', minutes: 5 },
            { studentId: 's02', minutes: 3 },
          ],
        }),
      )
      .when(
        takeRollCall({
          late: [
            { studentId: 's01', minutes: 3 },
            { studentId: 's02', minutes: 3 },
          ],
        }),
      )
      .then([
        rollCallAmended({
          version: 2,
          late: [
            { studentId: 's01', minutes: 3 },
            { studentId: 's02', minutes: 3 },
          ],
          previous: {
            late: [
              { studentId: 's01', minutes: 5 },
              { studentId: 's02', minutes: 3 },
            ],
          },
          added: { late: [{ studentId: 's01', minutes: 3 }] },
          removed: { late: [{ studentId: 's01', minutes: 5 }] },
        }),
      ]));
});

describe('the corrections: their versions, their reasons, the students they concern', () => {
  it('refuses a version below 1 or not a whole number', () => {
    for (const toVersion of [0, 1.5])
      spec
        .given(rollCallTaken(), rollCallAmended({ version: 2, absent: ['s01'], added: { absent: ['s01'] } }))
        .when(revertRollCall({ toVersion }))
        .thenThrows('ROLL_CALL.VERSION_UNKNOWN', 'invalid');
  });

  it('names the field to fix when a version is unknown or a reason is missing', () => {
    const given = [
      rollCallTaken(),
      rollCallAmended({ version: 2, absent: ['s01'], added: { absent: ['s01'] } }),
    ];
    const state = given.reduce(rollCallDecider.evolve, rollCallDecider.initialState());
    const refusal = (command: Parameters<typeof rollCallDecider.decide>[0]) =>
      errorOf(() => rollCallDecider.decide(command, state)).details;
    expect(refusal(revertRollCall({ toVersion: 3 }))).toEqual({ field: 'toVersion', latestVersion: 2 });
    expect(refusal(revertRollCall({ reason: '' }))).toEqual({ field: 'reason' });
    expect(refusal(voidRollCall({ reason: '' }))).toEqual({ field: 'reason' });
  });

  it('voids a list a revert restored after its late and absent students left the class, naming them too', () =>
    spec
      .given(
        rollCallTaken({ absent: ['s05'], late: [{ studentId: 's04', minutes: 5 }] }),
        rollCallAmended({
          version: 2,
          register: ['s01', 's02', 's03'],
          previous: { absent: ['s05'], late: [{ studentId: 's04', minutes: 5 }] },
          removed: { absent: ['s05'], late: [{ studentId: 's04', minutes: 5 }] },
        }),
        rollCallAmended({
          version: 3,
          register: ['s01', 's02', 's03'],
          absent: ['s05'],
          late: [{ studentId: 's04', minutes: 5 }],
          added: { absent: ['s05'], late: [{ studentId: 's04', minutes: 5 }] },
          amendedBy: CPE,
          reason: 'the wrong list was sent',
          revertsTo: 1,
        }),
      )
      .when(voidRollCall())
      .then([rollCallVoided({ studentIds: ['s01', 's02', 's03', 's04', 's05'] })]));
});
