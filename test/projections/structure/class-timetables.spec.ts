import { SchoolCommand } from '../../../src/domain/structure/school';
import { WeeklyLesson } from '../../../src/domain/structure/class-timetables';
import {
  classTimetablesOf,
  readClassTimetableOn,
  readClassTimetables,
  schoolSettingsProjection,
} from '../../../src/projections/structure';
import { SCHOOL, StructureHarness } from '../../import/import-harness';

const setTimetable = (
  classOrGroupId: string,
  effectiveFrom: string,
  lessons: WeeklyLesson[],
): SchoolCommand => ({
  type: 'SetClassTimetable',
  data: { schoolId: SCHOOL, classOrGroupId, kind: 'class', effectiveFrom, lessons },
});

const MONDAY_M1: WeeklyLesson = { weekday: 'monday', slotCode: 'M1', teacherId: 'T1' };
const FRIDAY_S2: WeeklyLesson = { weekday: 'friday', slotCode: 'S2', teacherId: 'T2', subjectId: 'MATHS' };

describe('the class timetables read model', () => {
  let harness: StructureHarness;
  beforeAll(async () => {
    harness = StructureHarness.open();
    await harness.defineYear();
    for (const classId of ['5A', '5B'])
      await harness.school({ type: 'OpenClass', data: { schoolId: SCHOOL, classId } });
    await harness.school({
      type: 'DefineSubject',
      data: { schoolId: SCHOOL, subjectId: 'MATHS', label: 'Maths' },
    });
    for (const teacherId of ['T1', 'T2'])
      await harness.school({
        type: 'RecordTeacher',
        data: { schoolId: SCHOOL, teacherId, lastName: teacherId, firstName: 'X' },
      });
    await harness.school(setTimetable('5B', '2026-09-01', [MONDAY_M1]));
    await harness.school(setTimetable('5B', '2026-11-16', [MONDAY_M1, FRIDAY_S2]));
    await harness.school(setTimetable('5B', '2027-01-04', []));
    await harness.school(setTimetable('5A', '2026-11-09', [FRIDAY_S2]));
    await harness.runner.catchUp();
  });
  afterAll(() => harness.close());

  const tables = () => harness.tables(schoolSettingsProjection.name);

  it('keeps every declared week with the dates it is in force and who declared it', () => {
    const weeks = readClassTimetables(harness.readDb, tables(), SCHOOL, '5B');
    expect(weeks.map((w) => [w.effectiveFrom, w.until, w.lessons.length])).toEqual([
      ['2026-09-01', '2026-11-15', 1],
      ['2026-11-16', '2027-01-03', 2],
      ['2027-01-04', null, 0],
    ]);
    expect(weeks[1].lessons).toEqual([MONDAY_M1, FRIDAY_S2]);
    expect(weeks[0].declared.by).toBeTruthy();
  });

  it('gives the week in force on a date, and nothing before the first one', () => {
    expect(readClassTimetableOn(harness.readDb, tables(), SCHOOL, '5B', '2026-11-15')?.effectiveFrom).toBe(
      '2026-09-01',
    );
    expect(readClassTimetableOn(harness.readDb, tables(), SCHOOL, '5B', '2026-11-16')?.effectiveFrom).toBe(
      '2026-11-16',
    );
    expect(readClassTimetableOn(harness.readDb, tables(), SCHOOL, '5A', '2026-11-08')).toBeUndefined();
  });

  it('lists every lesson in force over a range, bounded by the dates of its week', () => {
    expect(classTimetablesOf(harness.readDb, tables(), SCHOOL, '2026-11-09', '2026-11-20')).toEqual([
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
    ]);
    expect(classTimetablesOf(harness.readDb, tables(), SCHOOL, '2027-01-04', '2027-01-31')).toEqual([
      { classOrGroupId: '5A', teacherId: 'T2', weekday: 5, slotCode: 'S2', from: '2026-11-09' },
    ]);
    expect(classTimetablesOf(harness.readDb, tables(), SCHOOL, '2026-09-01', '2026-09-30')).toEqual([
      {
        classOrGroupId: '5B',
        teacherId: 'T1',
        weekday: 1,
        slotCode: 'M1',
        from: '2026-09-01',
        until: '2026-11-15',
      },
    ]);
  });
});
