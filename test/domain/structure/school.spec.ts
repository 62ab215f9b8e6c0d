import { fold } from '../../../src/domain/shared/decider';
import { classPeriodOn, PeriodInput, schoolDecider, settingsOn } from '../../../src/domain/structure/school';
import { deciderSpec } from '../../support/decider-spec';
import {
  classOpened,
  groupOpened,
  SCHOOL,
  schoolCommand,
  schoolYearDefined,
  subjectDefined,
  teacherRecorded,
  TRIMESTERS,
  trimestersSet,
  YEAR,
  YEAR_END,
  YEAR_START,
} from './structure-fixtures';

const spec = deciderSpec(schoolDecider);
const setPeriods = (scheme: 'trimester' | 'semester', periods: readonly PeriodInput[]) =>
  schoolCommand('SetPeriods', { schoolYear: YEAR, scheme, periods });

describe('the school year and its periods', () => {
  it('defines a school year', () =>
    spec
      .given()
      .when(schoolCommand('DefineSchoolYear', { schoolYear: YEAR, start: YEAR_START, end: YEAR_END }))
      .then([schoolYearDefined()]));

  it('records nothing when the same year is defined again', () =>
    spec
      .given(schoolYearDefined())
      .when(schoolCommand('DefineSchoolYear', { schoolYear: YEAR, start: YEAR_START, end: YEAR_END }))
      .then([]));

  it('refuses a year not written 2026-2027', () =>
    spec
      .given()
      .when(schoolCommand('DefineSchoolYear', { schoolYear: '2026/27', start: YEAR_START, end: YEAR_END }))
      .thenThrows('STRUCTURE.SCHOOL_YEAR_INVALID'));

  it('refuses dates that do not belong to the year they name', () =>
    spec
      .given()
      .when(schoolCommand('DefineSchoolYear', { schoolYear: YEAR, start: '2027-09-01', end: '2027-07-03' }))
      .thenThrows('STRUCTURE.SCHOOL_YEAR_DATES_INVALID'));

  it('defines the year and its trimesters together', () =>
    spec
      .given()
      .when(
        schoolCommand('DefineSchoolYear', {
          schoolYear: YEAR,
          start: YEAR_START,
          end: YEAR_END,
          periods: { trimester: TRIMESTERS },
        }),
      )
      .then([schoolYearDefined(), trimestersSet()]));

  it('sets the trimesters of a defined year', () =>
    spec.given(schoolYearDefined()).when(setPeriods('trimester', TRIMESTERS)).then([trimestersSet()]));

  it('records nothing when the same periods are set again', () =>
    spec.given(schoolYearDefined(), trimestersSet()).when(setPeriods('trimester', TRIMESTERS)).then([]));

  it('refuses overlapping periods', () =>
    spec
      .given(schoolYearDefined())
      .when(
        setPeriods('trimester', [TRIMESTERS[0], { start: '2026-11-20', end: '2027-03-07' }, TRIMESTERS[2]]),
      )
      .thenThrows('STRUCTURE.PERIODS_OVERLAP'));

  it('refuses a gap between two periods', () =>
    spec
      .given(schoolYearDefined())
      .when(
        setPeriods('trimester', [TRIMESTERS[0], { start: '2026-12-05', end: '2027-03-07' }, TRIMESTERS[2]]),
      )
      .thenThrows('STRUCTURE.PERIODS_GAP'));

  it('refuses periods that leave the first days of the year uncovered', () =>
    spec
      .given(schoolYearDefined())
      .when(
        setPeriods('trimester', [{ start: '2026-09-07', end: '2026-11-30' }, TRIMESTERS[1], TRIMESTERS[2]]),
      )
      .thenThrows('STRUCTURE.PERIODS_GAP'));

  it('refuses a period outside the year', () =>
    spec
      .given(schoolYearDefined())
      .when(
        setPeriods('semester', [
          { start: '2026-08-25', end: '2027-01-24' },
          { start: '2027-01-25', end: YEAR_END },
        ]),
      )
      .thenThrows('STRUCTURE.PERIOD_OUTSIDE_YEAR'));

  it('refuses a period ending before it starts', () =>
    spec
      .given(schoolYearDefined())
      .when(
        setPeriods('semester', [
          { start: '2027-01-24', end: '2026-09-01' },
          { start: '2027-01-25', end: YEAR_END },
        ]),
      )
      .thenThrows('STRUCTURE.PERIOD_ENDS_BEFORE_START'));

  it('refuses four periods in a trimester scheme', () =>
    spec
      .given(schoolYearDefined())
      .when(setPeriods('trimester', [...TRIMESTERS, TRIMESTERS[2]]))
      .thenThrows('STRUCTURE.PERIOD_IDS_INVALID'));

  it('refuses periods for a year that is not defined', () =>
    spec.given().when(setPeriods('trimester', TRIMESTERS)).thenThrows('STRUCTURE.SCHOOL_YEAR_UNKNOWN'));

  it('refuses new year dates that the existing periods no longer tile', () =>
    spec
      .given(schoolYearDefined(), trimestersSet())
      .when(schoolCommand('DefineSchoolYear', { schoolYear: YEAR, start: '2026-08-31', end: YEAR_END }))
      .thenThrows('STRUCTURE.PERIODS_GAP'));

  it('tells which period a class is in on a date, by the scheme it follows', () => {
    const state = fold(schoolDecider, [schoolYearDefined(), trimestersSet(), classOpened('5B')]);
    expect(classPeriodOn(state, '5B', '2026-11-30')?.id).toBe('T1');
    expect(classPeriodOn(state, '5B', '2026-12-01')?.id).toBe('T2');
    expect(classPeriodOn(state, '5B', '2027-08-01')).toBeUndefined();
  });
});

describe('classes and groups', () => {
  it('opens a class in the current year, following trimesters unless told otherwise', () =>
    spec
      .given(schoolYearDefined())
      .when(schoolCommand('OpenClass', { classId: '5B' }))
      .then([classOpened('5B')]));

  it('records nothing when the class is opened again', () =>
    spec
      .given(schoolYearDefined(), classOpened('5B'))
      .when(schoolCommand('OpenClass', { classId: '5B' }))
      .then([]));

  it('updates a class that changes scheme', () =>
    spec
      .given(schoolYearDefined(), classOpened('5B'))
      .when(schoolCommand('OpenClass', { classId: '5B', periodScheme: 'semester' }))
      .then([
        {
          type: 'ClassUpdated',
          data: { schoolId: SCHOOL, classId: '5B', label: '5B', schoolYear: YEAR, periodScheme: 'semester' },
        },
      ]));

  it('refuses a class before any school year exists', () =>
    spec
      .given()
      .when(schoolCommand('OpenClass', { classId: '5B' }))
      .thenThrows('STRUCTURE.SCHOOL_YEAR_UNKNOWN'));

  it('refuses a class code with a slash', () =>
    spec
      .given(schoolYearDefined())
      .when(schoolCommand('OpenClass', { classId: '5/B' }))
      .thenThrows('STRUCTURE.CODE_INVALID'));

  it('refuses a group that takes the code of a class', () =>
    spec
      .given(schoolYearDefined(), classOpened('5B'))
      .when(schoolCommand('OpenGroup', { groupId: '5B' }))
      .thenThrows('STRUCTURE.CODE_TAKEN'));

  it('opens a group made of known classes', () =>
    spec
      .given(schoolYearDefined(), classOpened('5B'), classOpened('5A'))
      .when(schoolCommand('OpenGroup', { groupId: '5LATIN', classIds: ['5B', '5A'] }))
      .then([groupOpened('5LATIN', ['5A', '5B'])]));

  it('refuses a group naming an unknown class', () =>
    spec
      .given(schoolYearDefined(), classOpened('5B'))
      .when(schoolCommand('OpenGroup', { groupId: '5LATIN', classIds: ['5Z'] }))
      .thenThrows('STRUCTURE.CLASS_UNKNOWN'));
});

describe('subjects, teachers and teaching assignments', () => {
  const given = [
    schoolYearDefined(),
    classOpened('5B'),
    subjectDefined('030201', 'ANGLAIS LV1'),
    teacherRecorded('8949', 'DURAND', 'Michel'),
  ];
  const assignment = { teacherId: '8949', subjectId: '030201', target: { kind: 'class' as const, id: '5B' } };

  it('assigns a teacher to a subject in a class', () =>
    spec
      .given(given)
      .when(schoolCommand('AssignTeaching', assignment))
      .then([{ type: 'TeachingAssigned', data: { schoolId: SCHOOL, ...assignment } }]));

  it('records nothing for an assignment already made', () =>
    spec
      .given(given, { type: 'TeachingAssigned', data: { schoolId: SCHOOL, ...assignment } })
      .when(schoolCommand('AssignTeaching', assignment))
      .then([]));

  it('refuses an unknown teacher, subject or class', () => {
    spec
      .given(given)
      .when(schoolCommand('AssignTeaching', { ...assignment, teacherId: '1' }))
      .thenThrows('STRUCTURE.TEACHER_UNKNOWN');
    spec
      .given(given)
      .when(schoolCommand('AssignTeaching', { ...assignment, subjectId: '1' }))
      .thenThrows('STRUCTURE.SUBJECT_UNKNOWN');
    spec
      .given(given)
      .when(schoolCommand('AssignTeaching', { ...assignment, target: { kind: 'group', id: '5LATIN' } }))
      .thenThrows('STRUCTURE.GROUP_UNKNOWN');
  });

  it('records nothing when removing an assignment that does not exist', () =>
    spec.given(given).when(schoolCommand('UnassignTeaching', assignment)).then([]));

  it('records a teacher again only when the name changes', () => {
    spec
      .given(given)
      .when(schoolCommand('RecordTeacher', { teacherId: '8949', lastName: 'DURAND', firstName: 'Michel' }))
      .then([]);
    spec
      .given(given)
      .when(
        schoolCommand('RecordTeacher', {
          teacherId: '8949',
          lastName: 'DURAND-LÉVÊQUE',
          firstName: 'Michel',
        }),
      )
      .then([teacherRecorded('8949', 'DURAND-LÉVÊQUE', 'Michel')]);
  });
});

describe('settings', () => {
  it('changes a setting from a date', () =>
    spec
      .given()
      .when(
        schoolCommand('ChangeSetting', {
          key: 'halfDayBoundary',
          value: '12:30',
          effectiveFrom: '2026-11-02',
        }),
      )
      .then([
        {
          type: 'SettingChanged',
          data: { schoolId: SCHOOL, key: 'halfDayBoundary', value: '12:30', effectiveFrom: '2026-11-02' },
        },
      ]));

  it('records nothing when the value is already in force on that date', () =>
    spec
      .given()
      .when(
        schoolCommand('ChangeSetting', {
          key: 'absenteeismThreshold',
          value: 4,
          effectiveFrom: '2026-09-01',
        }),
      )
      .then([]));

  it('refuses an unknown setting and a value of the wrong shape', () => {
    spec
      .given()
      .when(
        schoolCommand('ChangeSetting', { key: 'colour' as never, value: 'red', effectiveFrom: '2026-09-01' }),
      )
      .thenThrows('SETTINGS.UNKNOWN_SETTING');
    spec
      .given()
      .when(
        schoolCommand('ChangeSetting', { key: 'countingMode', value: 'net', effectiveFrom: '2026-09-01' }),
      )
      .thenThrows('SETTINGS.VALUE_INVALID');
    spec
      .given()
      .when(
        schoolCommand('ChangeSetting', { key: 'rollCallDaysAhead', value: 31, effectiveFrom: '2026-09-01' }),
      )
      .thenThrows('SETTINGS.VALUE_INVALID');
    spec
      .given()
      .when(
        schoolCommand('ChangeSetting', {
          key: 'halfDayBoundary',
          value: '25:00',
          effectiveFrom: '2026-09-01',
        }),
      )
      .thenThrows('SETTINGS.VALUE_INVALID');
  });

  it('refuses a change without a valid effective date', () =>
    spec
      .given()
      .when(
        schoolCommand('ChangeSetting', { key: 'countingMode', value: 'full', effectiveFrom: '2026-02-30' }),
      )
      .thenThrows('SETTINGS.EFFECTIVE_DATE_INVALID'));

  it('refuses a first absenteeism tier at or above the persistent tier', () =>
    spec
      .given()
      .when(
        schoolCommand('ChangeSetting', {
          key: 'absenteeismThreshold',
          value: 10,
          effectiveFrom: '2026-09-01',
        }),
      )
      .thenThrows('SETTINGS.THRESHOLD_TIERS_INVERTED'));

  it('refuses a slot ending before it starts', () =>
    spec
      .given()
      .when(
        schoolCommand('SetTimetable', {
          slots: [{ code: 'M1', start: '09:00', end: '08:00' }],
          effectiveFrom: '2026-09-01',
        }),
      )
      .thenThrows('SETTINGS.SLOT_ENDS_BEFORE_START'));

  it('refuses overlapping and duplicated slots', () => {
    spec
      .given()
      .when(
        schoolCommand('SetTimetable', {
          slots: [
            { code: 'M1', start: '08:00', end: '09:00' },
            { code: 'M2', start: '08:30', end: '09:30' },
          ],
          effectiveFrom: '2026-09-01',
        }),
      )
      .thenThrows('SETTINGS.SLOTS_OVERLAP');
    spec
      .given()
      .when(
        schoolCommand('SetTimetable', {
          slots: [
            { code: 'M1', start: '08:00', end: '09:00' },
            { code: 'M1', start: '09:00', end: '10:00' },
          ],
          effectiveFrom: '2026-09-01',
        }),
      )
      .thenThrows('SETTINGS.SLOT_DUPLICATE');
  });

  it('sets a timetable once', () => {
    const slots = [
      { code: 'M1', start: '08:00', end: '09:00' },
      { code: 'S1', start: '13:00', end: '14:00' },
    ];
    const set = {
      type: 'TimetableSet' as const,
      data: { schoolId: SCHOOL, effectiveFrom: '2026-09-01', slots },
    };
    spec
      .given()
      .when(schoolCommand('SetTimetable', { slots, effectiveFrom: '2026-09-01' }))
      .then([set]);
    spec
      .given(set)
      .when(schoolCommand('SetTimetable', { slots, effectiveFrom: '2026-09-01' }))
      .then([]);
  });

  it("refuses a reason both under the school's responsibility and counted as an absence", () =>
    spec
      .given()
      .when(
        schoolCommand('DefineReason', {
          reason: {
            code: 'STAGE',
            label: 'Stage en entreprise',
            legitimate: true,
            countsAsAbsence: true,
            schoolResponsibility: true,
          },
          effectiveFrom: '2026-09-01',
        }),
      )
      .thenThrows('SETTINGS.REASON_FLAGS_CONFLICT'));

  it('records nothing when a default reason is defined as it already is', () =>
    spec
      .given()
      .when(
        schoolCommand('DefineReason', {
          reason: {
            code: 'INFIRMERIE',
            label: "Passage à l'infirmerie",
            legitimate: true,
            countsAsAbsence: false,
            schoolResponsibility: true,
          },
          effectiveFrom: '2026-09-01',
        }),
      )
      .then([]));

  it('retires a reason from a date, and refuses to retire one that does not exist', () => {
    const retired = {
      type: 'ReasonRetired' as const,
      data: { schoolId: SCHOOL, effectiveFrom: '2027-01-04', code: 'CONVOCATION' },
    };
    spec
      .given()
      .when(schoolCommand('RetireReason', { code: 'CONVOCATION', effectiveFrom: '2027-01-04' }))
      .then([retired]);
    spec
      .given(retired)
      .when(schoolCommand('RetireReason', { code: 'CONVOCATION', effectiveFrom: '2027-02-01' }))
      .thenThrows('SETTINGS.REASON_UNKNOWN');
    const state = fold(schoolDecider, [retired]);
    expect(settingsOn(state, '2027-01-03').reasons.map((r) => r.code)).toContain('CONVOCATION');
    expect(settingsOn(state, '2027-01-04').reasons.map((r) => r.code)).not.toContain('CONVOCATION');
  });
});

describe('several changes in one command', () => {
  it('decides each change on the state left by the previous ones', () =>
    spec
      .given(schoolYearDefined())
      .when(
        schoolCommand('ApplySchoolChanges', {
          changes: [
            schoolCommand('OpenClass', { classId: '5A' }),
            schoolCommand('OpenClass', { classId: '5B' }),
            schoolCommand('OpenGroup', { groupId: '5LATIN', classIds: ['5A', '5B'] }),
          ],
        }),
      )
      .then([classOpened('5A'), classOpened('5B'), groupOpened('5LATIN', ['5A', '5B'])]));

  it('refuses all of them when one is refused, naming which', () => {
    const command = schoolCommand('ApplySchoolChanges', {
      changes: [
        schoolCommand('OpenClass', { classId: '5A' }),
        schoolCommand('OpenGroup', { groupId: 'G1', classIds: ['5Z'] }),
      ],
    });
    spec.given(schoolYearDefined()).when(command).thenThrows('STRUCTURE.CLASS_UNKNOWN');
    expect(() => schoolDecider.decide(command, fold(schoolDecider, [schoolYearDefined()]))).toThrow(
      /change 2 \(OpenGroup\)/,
    );
  });
});
