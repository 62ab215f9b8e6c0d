import { WeeklyLesson } from '../../../src/domain/structure/class-timetables';
import { schoolStreamId } from '../../../src/domain/structure/school';
import {
  classTimetablesOf,
  readClassTimetableOn,
  readClassTimetables,
  schoolSettingsProjection,
} from '../../../src/projections/structure';
import { inStream, projectionSpec } from '../../support/projection-spec';

const SCHOOL = '0670001A';
const PRINCIPAL = { id: 'principal-01', role: 'principal' } as const;

const timetableSet = (classOrGroupId: string, effectiveFrom: string, lessons: WeeklyLesson[]) => ({
  type: 'ClassTimetableSet',
  data: { schoolId: SCHOOL, classOrGroupId, kind: 'class', effectiveFrom, lessons },
});

const MONDAY_M1: WeeklyLesson = { weekday: 'monday', slotCode: 'M1', teacherId: 'T1' };
const FRIDAY_S2: WeeklyLesson = { weekday: 'friday', slotCode: 'S2', teacherId: 'T2', subjectId: 'MATHS' };

/** 5B's week from the start of the year, changed on 16 November, emptied in January; 5A's from 9 November. */
const given = () =>
  projectionSpec(schoolSettingsProjection, {
    metadata: { actor: PRINCIPAL },
    recordedFrom: '2026-09-01T06:00:00.000Z',
  }).given(
    inStream(
      schoolStreamId(SCHOOL),
      timetableSet('5B', '2026-09-01', [MONDAY_M1]),
      timetableSet('5B', '2026-11-16', [MONDAY_M1, FRIDAY_S2]),
      timetableSet('5B', '2027-01-04', []),
      timetableSet('5A', '2026-11-09', [FRIDAY_S2]),
    ),
  );

describe('the class timetables read model', () => {
  it('keeps every declared week, whole, with its position, when and by whom', () =>
    given().thenRows('class_timetables', [
      {
        school_id: SCHOOL,
        class_id: '5B',
        kind: 'class',
        effective_from: '2026-09-01',
        lessons: '[{"weekday":"monday","slotCode":"M1","teacherId":"T1"}]',
        position: 1,
        recorded_at: '2026-09-01T06:00:00.000Z',
        actor_id: 'principal-01',
      },
      {
        school_id: SCHOOL,
        class_id: '5B',
        kind: 'class',
        effective_from: '2026-11-16',
        lessons:
          '[{"weekday":"monday","slotCode":"M1","teacherId":"T1"},' +
          '{"weekday":"friday","slotCode":"S2","teacherId":"T2","subjectId":"MATHS"}]',
        position: 2,
        recorded_at: '2026-09-01T06:01:00.000Z',
        actor_id: 'principal-01',
      },
      {
        school_id: SCHOOL,
        class_id: '5B',
        kind: 'class',
        effective_from: '2027-01-04',
        lessons: '[]',
        position: 3,
        recorded_at: '2026-09-01T06:02:00.000Z',
        actor_id: 'principal-01',
      },
      {
        school_id: SCHOOL,
        class_id: '5A',
        kind: 'class',
        effective_from: '2026-11-09',
        lessons: '[{"weekday":"friday","slotCode":"S2","teacherId":"T2","subjectId":"MATHS"}]',
        position: 4,
        recorded_at: '2026-09-01T06:03:00.000Z',
        actor_id: 'principal-01',
      },
    ]));

  it('gives every declared week with the dates it is in force and who declared it', () =>
    given().then(
      (db, t) => readClassTimetables(db, t, SCHOOL, '5B'),
      [
        {
          classOrGroupId: '5B',
          kind: 'class',
          effectiveFrom: '2026-09-01',
          until: '2026-11-15',
          lessons: [MONDAY_M1],
          declared: { position: '1', at: '2026-09-01T06:00:00.000Z', by: 'principal-01' },
        },
        {
          classOrGroupId: '5B',
          kind: 'class',
          effectiveFrom: '2026-11-16',
          until: '2027-01-03',
          lessons: [MONDAY_M1, FRIDAY_S2],
          declared: { position: '2', at: '2026-09-01T06:01:00.000Z', by: 'principal-01' },
        },
        {
          classOrGroupId: '5B',
          kind: 'class',
          effectiveFrom: '2027-01-04',
          until: null,
          lessons: [],
          declared: { position: '3', at: '2026-09-01T06:02:00.000Z', by: 'principal-01' },
        },
      ],
    ));

  it('gives the week in force on a date, and nothing before the first one', () =>
    given().then(
      (db, t) => [
        readClassTimetableOn(db, t, SCHOOL, '5B', '2026-11-15')?.effectiveFrom,
        readClassTimetableOn(db, t, SCHOOL, '5B', '2026-11-16')?.effectiveFrom,
        readClassTimetableOn(db, t, SCHOOL, '5A', '2026-11-08'),
      ],
      ['2026-09-01', '2026-11-16', undefined],
    ));

  it('lists every lesson in force over a range, bounded by the dates of its week', () =>
    given().then(
      (db, t) => ({
        november: classTimetablesOf(db, t, SCHOOL, '2026-11-09', '2026-11-20'),
        january: classTimetablesOf(db, t, SCHOOL, '2027-01-04', '2027-01-31'),
        september: classTimetablesOf(db, t, SCHOOL, '2026-09-01', '2026-09-30'),
      }),
      {
        november: [
          { classOrGroupId: '5A', teacherId: 'T2', weekday: 5, slotCode: 'S2', from: '2026-11-09' },
          {
            classOrGroupId: '5B',
            teacherId: 'T1',
            weekday: 1,
            slotCode: 'M1',
            from: '2026-09-01',
            until: '2026-11-15',
          },
          {
            classOrGroupId: '5B',
            teacherId: 'T1',
            weekday: 1,
            slotCode: 'M1',
            from: '2026-11-16',
            until: '2027-01-03',
          },
          {
            classOrGroupId: '5B',
            teacherId: 'T2',
            weekday: 5,
            slotCode: 'S2',
            from: '2026-11-16',
            until: '2027-01-03',
          },
        ],
        january: [{ classOrGroupId: '5A', teacherId: 'T2', weekday: 5, slotCode: 'S2', from: '2026-11-09' }],
        september: [
          {
            classOrGroupId: '5B',
            teacherId: 'T1',
            weekday: 1,
            slotCode: 'M1',
            from: '2026-09-01',
            until: '2026-11-15',
          },
        ],
      },
    ));
});
