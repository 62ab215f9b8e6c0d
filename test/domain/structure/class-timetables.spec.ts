import fc from 'fast-check';
import { WEEKDAY_NAMES } from '../../../src/domain/settings/lesson-half-days';
import { fold } from '../../../src/domain/shared/decider';
import {
  classTimetableOn,
  ClassOrGroupKind,
  WeeklyLesson,
} from '../../../src/domain/structure/class-timetables';
import { SchoolEvent, schoolDecider } from '../../../src/domain/structure/school';
import { deciderSpec } from '../../support/decider-spec';
import {
  classOpened,
  groupOpened,
  SCHOOL,
  schoolCommand,
  schoolYearDefined,
  subjectDefined,
  teacherRecorded,
} from './structure-fixtures';

const spec = deciderSpec(schoolDecider);

const school: SchoolEvent[] = [
  schoolYearDefined(),
  classOpened('5B'),
  groupOpened('5LATIN', ['5B']),
  subjectDefined('MATHS', 'Mathématiques'),
  teacherRecorded('T1', 'MARTIN', 'Paul'),
  teacherRecorded('T2', 'DURAND', 'Léa'),
];

/** From January the school drops its last afternoon slot. */
const shorterDaysFromJanuary: SchoolEvent = {
  type: 'TimetableSet',
  data: {
    schoolId: SCHOOL,
    effectiveFrom: '2027-01-04',
    slots: [
      { code: 'M1', start: '08:00', end: '09:00' },
      { code: 'S1', start: '13:30', end: '14:30' },
    ],
  },
};

const MONDAY_M1: WeeklyLesson = { weekday: 'monday', slotCode: 'M1', teacherId: 'T1', subjectId: 'MATHS' };
const TUESDAY_S4: WeeklyLesson = { weekday: 'tuesday', slotCode: 'S4', teacherId: 'T2' };

const setTimetable = (
  lessons: readonly WeeklyLesson[],
  effectiveFrom = '2026-09-01',
  classOrGroupId = '5B',
  kind: ClassOrGroupKind = 'class',
) => schoolCommand('SetClassTimetable', { classOrGroupId, kind, effectiveFrom, lessons });

const timetableSet = (
  lessons: readonly WeeklyLesson[],
  effectiveFrom = '2026-09-01',
  classOrGroupId = '5B',
  kind: ClassOrGroupKind = 'class',
): SchoolEvent => ({
  type: 'ClassTimetableSet',
  data: { schoolId: SCHOOL, classOrGroupId, kind, effectiveFrom, lessons },
});

describe('declaring the weekly timetable of a class or group', () => {
  it('records the lessons of a class, in weekday and slot order', () =>
    spec
      .given(school)
      .when(setTimetable([TUESDAY_S4, MONDAY_M1]))
      .then([timetableSet([MONDAY_M1, TUESDAY_S4])]));

  it('records the lessons of a group', () =>
    spec
      .given(school)
      .when(setTimetable([MONDAY_M1], '2026-09-01', '5LATIN', 'group'))
      .then([timetableSet([MONDAY_M1], '2026-09-01', '5LATIN', 'group')]));

  it('records nothing when the same week is declared again, in another order or from a later date', () => {
    spec
      .given(school, timetableSet([MONDAY_M1, TUESDAY_S4]))
      .when(setTimetable([TUESDAY_S4, MONDAY_M1]))
      .then([]);
    spec
      .given(school, timetableSet([MONDAY_M1, TUESDAY_S4]))
      .when(setTimetable([MONDAY_M1, TUESDAY_S4], '2026-11-16'))
      .then([]);
  });

  it('records a new week from a later date, and an empty week as "no lessons from then on"', () => {
    spec
      .given(school, timetableSet([MONDAY_M1]))
      .when(setTimetable([TUESDAY_S4], '2026-11-16'))
      .then([timetableSet([TUESDAY_S4], '2026-11-16')]);
    spec
      .given(school, timetableSet([MONDAY_M1]))
      .when(setTimetable([], '2027-02-01'))
      .then([timetableSet([], '2027-02-01')]);
  });

  it('keeps the earlier week for the dates before the new one takes effect', () => {
    const state = fold(schoolDecider, [
      ...school,
      timetableSet([MONDAY_M1]),
      timetableSet([TUESDAY_S4], '2026-11-16'),
      timetableSet([MONDAY_M1, TUESDAY_S4], '2026-11-16'),
    ]);
    expect(classTimetableOn(state.classTimetables, '5B', '2026-08-31')).toBeUndefined();
    expect(classTimetableOn(state.classTimetables, '5B', '2026-11-15')?.lessons).toEqual([MONDAY_M1]);
    // A second declaration for the same date replaces the first.
    expect(classTimetableOn(state.classTimetables, '5B', '2026-11-16')?.lessons).toEqual([
      MONDAY_M1,
      TUESDAY_S4,
    ]);
  });

  it('refuses a class or group the school does not have, or named with the wrong kind', () => {
    spec
      .given(school)
      .when(setTimetable([MONDAY_M1], '2026-09-01', '6C'))
      .thenThrows('STRUCTURE.CLASS_UNKNOWN');
    spec
      .given(school)
      .when(setTimetable([MONDAY_M1], '2026-09-01', '5B', 'group'))
      .thenThrows('STRUCTURE.GROUP_UNKNOWN');
    spec
      .given(school)
      .when(setTimetable([MONDAY_M1], '2026-09-01', '5B', 'room' as ClassOrGroupKind))
      .thenThrows('TIMETABLE.KIND_INVALID');
  });

  it('refuses a teacher or a subject the school does not have', () => {
    spec
      .given(school)
      .when(setTimetable([{ ...MONDAY_M1, teacherId: 'T7' }]))
      .thenThrows('TIMETABLE.TEACHER_UNKNOWN');
    spec
      .given(school)
      .when(setTimetable([{ ...MONDAY_M1, subjectId: 'LATIN' }]))
      .thenThrows('TIMETABLE.SUBJECT_UNKNOWN');
  });

  it('accepts only the slots in force on the effective date', () => {
    spec
      .given(school, shorterDaysFromJanuary)
      .when(setTimetable([TUESDAY_S4], '2026-12-14'))
      .then([timetableSet([TUESDAY_S4], '2026-12-14')]);
    spec
      .given(school, shorterDaysFromJanuary)
      .when(setTimetable([TUESDAY_S4], '2027-01-04'))
      .thenThrows('TIMETABLE.SLOT_UNKNOWN');
  });

  it('refuses two lessons on the same weekday and slot, naming the second', () => {
    let caught: unknown;
    try {
      schoolDecider.decide(
        setTimetable([MONDAY_M1, TUESDAY_S4, { ...MONDAY_M1, teacherId: 'T2' }]),
        fold(schoolDecider, school),
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'TIMETABLE.LESSONS_OVERLAP',
      details: { field: 'lessons[2].slotCode', lessons: [0, 2] },
    });
  });

  it('refuses a weekday that is not a weekday name, and an effective date that is not a date', () => {
    spec
      .given(school)
      .when(setTimetable([{ ...MONDAY_M1, weekday: 'lundi' as WeeklyLesson['weekday'] }]))
      .thenThrows('TIMETABLE.WEEKDAY_INVALID');
    spec
      .given(school)
      .when(setTimetable([MONDAY_M1], '2026-02-30'))
      .thenThrows('TIMETABLE.EFFECTIVE_DATE_INVALID');
  });

  it('declares as one change of several, and names that change when it is refused', () => {
    spec
      .given(school)
      .when(
        schoolCommand('ApplySchoolChanges', {
          changes: [
            schoolCommand('RecordTeacher', { teacherId: 'T3', lastName: 'PETIT', firstName: 'Noé' }),
            setTimetable([{ ...MONDAY_M1, teacherId: 'T3' }]),
          ],
        }),
      )
      .then([teacherRecorded('T3', 'PETIT', 'Noé'), timetableSet([{ ...MONDAY_M1, teacherId: 'T3' }])]);
  });

  it('records a week once whatever order its lessons come in (property)', () => {
    const slots = ['M1', 'M2', 'M3', 'S1', 'S2'];
    const lessonArb = fc.record({
      weekday: fc.constantFrom(...WEEKDAY_NAMES),
      slotCode: fc.constantFrom(...slots),
      teacherId: fc.constantFrom('T1', 'T2'),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(lessonArb, { selector: (l) => `${l.weekday} ${l.slotCode}`, maxLength: 20 }),
        (lessons) => {
          const first = schoolDecider.decide(setTimetable(lessons), fold(schoolDecider, school));
          expect(first).toHaveLength(1);
          const after = fold(schoolDecider, [...school, ...first]);
          const shuffled = [...lessons].reverse();
          expect(schoolDecider.decide(setTimetable(shuffled), after)).toEqual([]);
        },
      ),
    );
  });
});
