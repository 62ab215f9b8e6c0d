import { makeSchoolYearOfGrades } from '../../src/demo/assessment-year';

type Grades = { grades: { studentId: string }[] };

const countsOf = (year: ReturnType<typeof makeSchoolYearOfGrades>): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const { event } of year.events) counts[event.type] = (counts[event.type] ?? 0) + 1;
  return counts;
};

/** 2 classes of 3, 2 subjects, 3 assessments each over the year. */
const SMALL = { students: 6, classSize: 3, subjects: 2, assessmentsPerSubject: 3 };

describe('makeSchoolYearOfGrades', () => {
  it('writes the school, its classes and students, each assessment created and graded once, and every report', () => {
    // given two classes of three, two subjects, three assessments each, every one with levels and a correction
    const year = makeSchoolYearOfGrades({
      ...SMALL,
      levelsShare: 1,
      lateGradesShare: 0,
      correctedShare: 1,
      changedShare: 0,
      cancelledShare: 0,
    });

    // then
    expect(year.classes).toEqual([
      { classId: 'C01', students: ['st0001', 'st0002', 'st0003'] },
      { classId: 'C02', students: ['st0004', 'st0005', 'st0006'] },
    ]);
    expect(year.subjects).toEqual(['FRANC', 'MATHS']);
    expect(countsOf(year)).toMatchObject({
      SchoolYearDefined: 1,
      PeriodsSet: 1,
      ClassOpened: 2,
      StudentRegistered: 6,
      StudentEnrolled: 6,
      AssessmentCreated: 12,
      GradesRecorded: 12,
      LevelsRecorded: 12,
      GradeCorrected: 12,
      PositioningSet: 36,
      AppreciationWritten: 36,
    });
    expect(countsOf(year).AssessmentChanged).toBeUndefined();
    expect(countsOf(year).AssessmentCancelled).toBeUndefined();
    const graded = year.events
      .filter(({ event }) => event.type === 'GradesRecorded')
      .flatMap(({ event }) => (event.data as Grades).grades.map((g) => g.studentId));
    expect(graded.length).toBe(36);
    expect(graded.filter((s) => s === 'st0004').length).toBe(6);
  });

  it('cancels every assessment after grading when asked to, and sends the late grades apart', () => {
    // given every assessment cancelled, every one graded in two sends
    const year = makeSchoolYearOfGrades({
      ...SMALL,
      levelsShare: 0,
      lateGradesShare: 1,
      correctedShare: 0,
      changedShare: 0,
      cancelledShare: 1,
      reports: false,
    });

    // then
    expect(countsOf(year)).toEqual({
      SchoolYearDefined: 1,
      PeriodsSet: 1,
      ClassOpened: 2,
      StudentRegistered: 6,
      StudentEnrolled: 6,
      AssessmentCreated: 12,
      GradesRecorded: 24,
      AssessmentCancelled: 12,
    });
  });

  it('gives the same year for the same seed, and another for another seed', () => {
    // when
    const first = makeSchoolYearOfGrades({ ...SMALL, seed: 7 });
    const second = makeSchoolYearOfGrades({ ...SMALL, seed: 7 });
    const other = makeSchoolYearOfGrades({ ...SMALL, seed: 8 });

    // then
    expect(JSON.stringify(second.events)).toBe(JSON.stringify(first.events));
    expect(JSON.stringify(other.events)).not.toBe(JSON.stringify(first.events));
  });

  it('gives a 1,000-student school about 150 grades per student', () => {
    // when
    const year = makeSchoolYearOfGrades();

    // then
    const grades = year.events
      .filter(({ event }) => event.type === 'GradesRecorded')
      .reduce((sum, { event }) => sum + (event.data as Grades).grades.length, 0);
    expect(year.classes.length).toBe(36);
    expect(grades).toBe(150_000);
    expect(countsOf(year).AssessmentCreated).toBe(5_400);
  });
});
