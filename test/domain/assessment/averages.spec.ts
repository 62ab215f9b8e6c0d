import {
  AssessmentForAverages,
  classStatistics,
  generalAverage,
  roundForDisplay,
  subjectAverage,
  subjectAverages,
} from '../../../src/domain/assessment';

const assessment = (
  assessmentId: string,
  overrides: Partial<AssessmentForAverages> = {},
): AssessmentForAverages => ({
  assessmentId,
  subjectId: 'MATHS',
  periodId: 'T1',
  outOf: 20,
  coefficient: 1,
  formative: false,
  cancelled: false,
  ...overrides,
});

const WORKED = [
  { assessment: assessment('a1', { outOf: 20 }), value: 18 },
  { assessment: assessment('a2', { outOf: 10 }), value: 3 },
  { assessment: assessment('a3', { outOf: 5 }), value: 1 },
];
const KEY = { studentId: 's01', subjectId: 'MATHS', periodId: 'T1' };

describe('a subject average (DOMAIN.md, Grades 3)', () => {
  it('gives 9.33 for 18/20, 3/10, 1/5 with coefficient 1, each grade brought back to 20', () => {
    const average = subjectAverage(KEY, WORKED, 'brought-to-twenty');
    expect(average.value).toBeCloseTo(9.333333333, 9);
    expect(roundForDisplay(average.value ?? NaN)).toBe(9.33);
    expect(average).toMatchObject({
      studentId: 's01',
      subjectId: 'MATHS',
      periodId: 'T1',
      convention: 'brought-to-twenty',
      gradeIds: ['a1/s01', 'a2/s01', 'a3/s01'],
      assessmentIds: ['a1', 'a2', 'a3'],
      excluded: [],
    });
  });

  it('gives 12.57 for the same grades weighted by scale', () => {
    const average = subjectAverage(KEY, WORKED, 'weighted-by-scale');
    expect(average.value).toBeCloseTo(12.571428571, 9);
    expect(roundForDisplay(average.value ?? NaN)).toBe(12.57);
  });

  it('brings each grade back to 20 by default', () =>
    expect(subjectAverage(KEY, WORKED).convention).toBe('brought-to-twenty'));

  it('weighs each grade by its coefficient', () => {
    const grades = [
      { assessment: assessment('a1', { coefficient: 3 }), value: 12 },
      { assessment: assessment('a2', { coefficient: 1, outOf: 10 }), value: 8 },
    ];
    expect(subjectAverage(KEY, grades, 'brought-to-twenty').value).toBe(13);
    expect(subjectAverage(KEY, grades, 'weighted-by-scale').value).toBeCloseTo(12.571428571, 9); // 44 / 70 × 20
  });

  it('changes no average with a coefficient-0 assessment, and says why its grade is left out', () => {
    const withZero = [...WORKED, { assessment: assessment('a4', { coefficient: 0 }), value: 20 }];
    for (const convention of ['brought-to-twenty', 'weighted-by-scale'] as const)
      expect(subjectAverage(KEY, withZero, convention).value).toBe(
        subjectAverage(KEY, WORKED, convention).value,
      );
    expect(subjectAverage(KEY, withZero).excluded).toEqual([
      { gradeId: 'a4/s01', assessmentId: 'a4', reason: 'coefficientZero' },
    ]);
  });

  it('leaves out markers, formative and cancelled assessments, naming each', () => {
    const average = subjectAverage(KEY, [
      { assessment: assessment('a1'), value: 10 },
      { assessment: assessment('a2'), value: 'ABS' },
      { assessment: assessment('a3'), value: 'DISP' },
      { assessment: assessment('a4'), value: 'NN' },
      { assessment: assessment('a5', { formative: true }), value: 20 },
      { assessment: assessment('a6', { cancelled: true }), value: 0 },
    ]);
    expect(average.value).toBe(10);
    expect(average.gradeIds).toEqual(['a1/s01']);
    expect(average.excluded).toEqual([
      { gradeId: 'a2/s01', assessmentId: 'a2', reason: 'marker' },
      { gradeId: 'a3/s01', assessmentId: 'a3', reason: 'marker' },
      { gradeId: 'a4/s01', assessmentId: 'a4', reason: 'marker' },
      { gradeId: 'a5/s01', assessmentId: 'a5', reason: 'formative' },
      { gradeId: 'a6/s01', assessmentId: 'a6', reason: 'cancelled' },
    ]);
  });

  it('has no value when nothing counts', () =>
    expect(subjectAverage(KEY, [{ assessment: assessment('a1'), value: 'ABS' }]).value).toBeNull());
});

describe('averages per student, subject and period', () => {
  it('groups the grades by the assessment’s subject and period, sorted', () => {
    const averages = subjectAverages(
      [assessment('a1'), assessment('a2', { periodId: 'T2' }), assessment('f1', { subjectId: 'FRANCAIS' })],
      [
        { assessmentId: 'a2', studentId: 's01', value: 14 },
        { assessmentId: 'a1', studentId: 's02', value: 8 },
        { assessmentId: 'f1', studentId: 's01', value: 11.5 },
        { assessmentId: 'a1', studentId: 's01', value: 12 },
        { assessmentId: 'unknown', studentId: 's01', value: 20 },
      ],
    );
    expect(averages.map((a) => [a.studentId, a.subjectId, a.periodId, a.value])).toEqual([
      ['s01', 'FRANCAIS', 'T1', 11.5],
      ['s01', 'MATHS', 'T1', 12],
      ['s01', 'MATHS', 'T2', 14],
      ['s02', 'MATHS', 'T1', 8],
    ]);
  });
});

describe('the general average (DOMAIN.md, Grades 4 and 6)', () => {
  const averages = subjectAverages(
    [assessment('m1'), assessment('f1', { subjectId: 'FRANCAIS' }), assessment('e1', { subjectId: 'EPS' })],
    [
      { assessmentId: 'm1', studentId: 's01', value: 9 },
      { assessmentId: 'f1', studentId: 's01', value: 15 },
      { assessmentId: 'e1', studentId: 's01', value: 'DISP' },
    ],
  );

  it('weighs unrounded subject averages by the subjects’ coefficients, 1 when not set', () => {
    const general = generalAverage({ studentId: 's01', periodId: 'T1' }, averages, { MATHS: 2 });
    expect(general).toEqual({
      studentId: 's01',
      periodId: 'T1',
      value: 11,
      subjects: [
        { subjectId: 'FRANCAIS', coefficient: 1, average: 15 },
        { subjectId: 'MATHS', coefficient: 2, average: 9 },
      ],
      gradeIds: ['f1/s01', 'm1/s01'],
      assessmentIds: ['f1', 'm1'],
    });
  });

  it('uses the unrounded subject averages, not the displayed ones', () => {
    const thirds = subjectAverages(
      [assessment('m1'), assessment('m2'), assessment('m3'), assessment('f1', { subjectId: 'FRANCAIS' })],
      [
        { assessmentId: 'm1', studentId: 's01', value: 10 },
        { assessmentId: 'm2', studentId: 's01', value: 10 },
        { assessmentId: 'm3', studentId: 's01', value: 10.01 },
        { assessmentId: 'f1', studentId: 's01', value: 10 },
      ],
    );
    const general = generalAverage({ studentId: 's01', periodId: 'T1' }, thirds);
    expect(general.value).toBeCloseTo(10.001666667, 9);
    expect(roundForDisplay(general.value ?? NaN)).toBe(10);
  });

  it('has no value when no subject has an average', () =>
    expect(generalAverage({ studentId: 's01', periodId: 'T1' }, []).value).toBeNull());
});

describe('class statistics', () => {
  it('averages the students’ unrounded averages, each weighing 1, over the students who have one', () => {
    const averages = subjectAverages(
      [assessment('a1'), assessment('a2', { coefficient: 3 })],
      [
        { assessmentId: 'a1', studentId: 's01', value: 10 },
        { assessmentId: 'a2', studentId: 's01', value: 20 },
        { assessmentId: 'a1', studentId: 's02', value: 6 },
        { assessmentId: 'a1', studentId: 's03', value: 'ABS' },
      ],
    );
    expect(classStatistics(averages)).toEqual({
      average: 11.75,
      min: 6,
      max: 17.5,
      count: 2,
      studentIds: ['s01', 's02'],
      gradeIds: ['a1/s01', 'a1/s02', 'a2/s01'],
      assessmentIds: ['a1', 'a2'],
    });
  });

  it('is empty when nobody has an average', () =>
    expect(classStatistics([])).toEqual({
      average: null,
      min: null,
      max: null,
      count: 0,
      studentIds: [],
      gradeIds: [],
      assessmentIds: [],
    }));
});

describe('rounding for display (a setting)', () => {
  it('rounds to the nearest 0.01 with halves up by default', () => {
    expect(roundForDisplay(12.345)).toBe(12.35);
    expect(roundForDisplay(12.344999)).toBe(12.34);
    expect(roundForDisplay(20)).toBe(20);
  });

  it('rounds to the nearest 0.1, 0.5 or 1', () => {
    expect(roundForDisplay(9.3333, { mode: 'nearest', step: 0.1 })).toBe(9.3);
    expect(roundForDisplay(9.25, { mode: 'nearest', step: 0.5 })).toBe(9.5);
    expect(roundForDisplay(9.24, { mode: 'nearest', step: 0.5 })).toBe(9);
    expect(roundForDisplay(9.5, { mode: 'nearest', step: 1 })).toBe(10);
  });

  it('rounds up, leaving a value already on a step alone', () => {
    expect(roundForDisplay(9.3333, { mode: 'up', step: 0.1 })).toBe(9.4);
    expect(roundForDisplay(9.01, { mode: 'up', step: 0.5 })).toBe(9.5);
    expect(roundForDisplay(9.5, { mode: 'up', step: 0.5 })).toBe(9.5);
    expect(roundForDisplay(12.1, { mode: 'up', step: 0.01 })).toBe(12.1);
    expect(roundForDisplay(9.0001, { mode: 'up', step: 1 })).toBe(10);
  });
});
