import { TimetableLesson, expectedLessons, rollCallStreamId } from '../../../src/domain/attendance';
import { rollCallCompleteness, rollCallCompletenessProjection } from '../../../src/projections/attendance';
import {
  CPE,
  OTHER_TEACHER,
  SCHOOL,
  SLOTS,
  TEACHER,
  rollCallAmended,
  rollCallTaken,
  rollCallVoided,
} from '../../support/attendance-fixtures';
import { inStream, projectionSpec } from '../../support/projection-spec';

const WEEK = { from: '2026-11-16', to: '2026-11-22' };
const timetable: TimetableLesson[] = [
  { classOrGroupId: '5B', teacherId: TEACHER.id, weekday: 1, slotCode: 'M1' },
  { classOrGroupId: '5B', teacherId: TEACHER.id, weekday: 2, slotCode: 'M1' },
  { classOrGroupId: '5B', teacherId: OTHER_TEACHER.id, weekday: 1, slotCode: 'S1' },
  { classOrGroupId: 'latin', teacherId: OTHER_TEACHER.id, weekday: 3, slotCode: 'S4', from: '2026-11-18' },
];

describe('expected lessons', () => {
  it('come from the weekly timetable on the days the calendar opens, within each lesson’s dates', () => {
    expect(
      expectedLessons(timetable, WEEK.from, WEEK.to, {
        slots: SLOTS,
        calendar: { closedDates: new Set(['2026-11-17']) },
      }),
    ).toEqual([
      { classOrGroupId: '5B', teacherId: TEACHER.id, date: '2026-11-16', slotCode: 'M1' },
      { classOrGroupId: '5B', teacherId: OTHER_TEACHER.id, date: '2026-11-16', slotCode: 'S1' },
      { classOrGroupId: 'latin', teacherId: OTHER_TEACHER.id, date: '2026-11-18', slotCode: 'S4' },
    ]);
  });
});

describe('roll-call completeness', () => {
  const lesson = (slotCode: string) => rollCallStreamId(SCHOOL, '5B', '2026-11-16', slotCode);

  it('lists the lessons without a roll call per teacher and per class, a voided one included', () =>
    projectionSpec(rollCallCompletenessProjection)
      .given(
        inStream(lesson('M1'), rollCallTaken({ date: '2026-11-16', slotCode: 'M1', absent: ['s01'] })),
        inStream(
          lesson('S1'),
          rollCallTaken({ date: '2026-11-16', slotCode: 'S1', takenBy: CPE }),
          rollCallVoided({ date: '2026-11-16', slotCode: 'S1', reason: 'it was the M2 lesson' }),
        ),
        inStream(lesson('M3'), rollCallTaken({ date: '2026-11-16', slotCode: 'M3' })),
      )
      .then(
        (db, t) =>
          rollCallCompleteness(db, t, {
            schoolId: SCHOOL,
            ...WEEK,
            expected: expectedLessons(timetable, WEEK.from, WEEK.to, { slots: SLOTS }),
          }),
        {
          expected: 4,
          taken: 1,
          missing: [
            {
              classOrGroupId: '5B',
              teacherId: OTHER_TEACHER.id,
              date: '2026-11-16',
              slotCode: 'S1',
              voided: true,
            },
            {
              classOrGroupId: '5B',
              teacherId: TEACHER.id,
              date: '2026-11-17',
              slotCode: 'M1',
              voided: false,
            },
            {
              classOrGroupId: 'latin',
              teacherId: OTHER_TEACHER.id,
              date: '2026-11-18',
              slotCode: 'S4',
              voided: false,
            },
          ],
          byTeacher: {
            [TEACHER.id]: { expected: 2, taken: 1, missing: 1 },
            [OTHER_TEACHER.id]: { expected: 2, taken: 0, missing: 2 },
          },
          byClass: {
            '5B': { expected: 3, taken: 1, missing: 2 },
            latin: { expected: 1, taken: 0, missing: 1 },
          },
          unexpected: [{ classOrGroupId: '5B', date: '2026-11-16', slotCode: 'M3', takenBy: TEACHER.id }],
        },
      ));

  it('keeps one row per lesson called, voided or not, with who took it and when', () =>
    projectionSpec(rollCallCompletenessProjection)
      .given(
        inStream(lesson('M1'), rollCallTaken({ date: '2026-11-16', slotCode: 'M1', absent: ['s01'] })),
        inStream(
          lesson('S1'),
          rollCallTaken({ date: '2026-11-16', slotCode: 'S1', takenBy: CPE }),
          rollCallVoided({ date: '2026-11-16', slotCode: 'S1', reason: 'it was the M2 lesson' }),
        ),
      )
      .thenRows('rollcalls', [
        {
          school_id: SCHOOL,
          class_id: '5B',
          date: '2026-11-16',
          weekday: 1,
          slot_code: 'M1',
          rollcall_id: 'rollcall-0670001A-5B-2026-11-16-M1',
          status: 'taken',
          taken_by_id: TEACHER.id,
          taken_by_role: 'teacher',
          taken_at: '2026-11-16T07:00:00.000Z',
        },
        {
          school_id: SCHOOL,
          class_id: '5B',
          date: '2026-11-16',
          weekday: 1,
          slot_code: 'S1',
          rollcall_id: 'rollcall-0670001A-5B-2026-11-16-S1',
          status: 'voided',
          taken_by_id: CPE.id,
          taken_by_role: 'cpe',
          taken_at: '2026-11-16T07:01:00.000Z',
        },
      ]));

  it('stamps each date with the position of its last roll call taken or voided, an amendment not', () =>
    projectionSpec(rollCallCompletenessProjection)
      .given(
        inStream(lesson('M1'), rollCallTaken({ date: '2026-11-16', slotCode: 'M1' })),
        inStream(
          rollCallStreamId(SCHOOL, '5B', '2026-11-17', 'M1'),
          rollCallTaken({ date: '2026-11-17', slotCode: 'M1' }),
          rollCallAmended({ date: '2026-11-17', slotCode: 'M1', version: 2, absent: ['s01'] }),
        ),
        inStream(lesson('S1'), rollCallTaken({ date: '2026-11-16', slotCode: 'S1' })),
        inStream(lesson('M1'), rollCallVoided({ date: '2026-11-16', slotCode: 'M1', reason: 'wrong class' })),
      )
      .thenRows('dates', [
        { school_id: SCHOOL, date: '2026-11-16', stamp: 5 },
        { school_id: SCHOOL, date: '2026-11-17', stamp: 2 },
      ]));
});
