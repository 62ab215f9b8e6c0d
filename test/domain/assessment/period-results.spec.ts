import {
  AssessmentOfPeriod,
  classPeriodStatistics,
  DEFAULT_POSITIONING_SETTINGS,
  isInCouncil,
  PeriodSettings,
  StudentMemberships,
  studentPeriodResult,
  StudentPeriodResult,
} from '../../../src/domain/assessment';
import { ITEMS, PERIODS } from './fixtures';

const T1 = PERIODS[0];

const SETTINGS: PeriodSettings = {
  convention: 'brought-to-twenty',
  rounding: { mode: 'nearest', step: 0.01 },
  subjectCoefficients: {},
  positioning: DEFAULT_POSITIONING_SETTINGS,
};

/** In 5B the whole year. */
const STAYED: StudentMemberships = { classes: [{ classId: '5B', from: '2026-09-01' }], groups: [] };

const assessment = (
  assessmentId: string,
  overrides: Partial<AssessmentOfPeriod> = {},
): AssessmentOfPeriod => ({
  assessmentId,
  classOrGroupId: '5B',
  groupKind: 'class',
  subjectId: 'MATHS',
  periodId: 'T1',
  date: '2026-10-05',
  outOf: 20,
  coefficient: 1,
  formative: false,
  cancelled: false,
  competencyItems: [],
  grades: {},
  levels: {},
  ...overrides,
});

const resultOf = (
  assessments: readonly AssessmentOfPeriod[],
  settings: Partial<PeriodSettings> = {},
  studentId = 's01',
  memberships: StudentMemberships = STAYED,
  finals: Record<string, 1 | 2 | 3 | 4 | null> = {},
): StudentPeriodResult =>
  studentPeriodResult({ studentId, memberships }, T1, assessments, { ...SETTINGS, ...settings }, finals);

const maths = (result: StudentPeriodResult) => result.subjects.find((s) => s.subjectId === 'MATHS')!;

describe('a wrong coefficient, corrected (DOMAIN.md, error 8)', () => {
  // Given 16/20 with coefficient 1 and 8/20 typed with coefficient 3 instead of 1.
  const typed = [
    assessment('m1', { grades: { s01: 16 } }),
    assessment('m2', { date: '2026-10-12', coefficient: 3, grades: { s01: 8 } }),
  ];
  const corrected = [typed[0], { ...typed[1], coefficient: 1 }];

  it('weighs the grade three times before the correction: 10', () => {
    const { average } = maths(resultOf(typed));
    expect(average.value).toBe(10);
    expect(average.display).toBe(10);
  });

  it('weighs it once after: 12, and the general average follows', () => {
    const result = resultOf(corrected);
    expect(maths(result).average.value).toBe(12);
    expect(result.general.value).toBe(12);
    expect(result.general.display).toBe(12);
  });
});

describe('a formative assessment that was counted (DOMAIN.md, error 8)', () => {
  const counted = [
    assessment('m1', { grades: { s01: 16 } }),
    assessment('m2', { date: '2026-10-12', grades: { s01: 6 } }),
  ];
  const formative = [counted[0], { ...counted[1], formative: true }];

  it('counts 6/20 while it is not marked formative: 11', () =>
    expect(maths(resultOf(counted)).average.value).toBe(11));

  it('leaves it out once marked formative: 16, and says why', () => {
    const { average } = maths(resultOf(formative));
    expect(average.value).toBe(16);
    expect(average.gradeIds).toEqual(['m1/s01']);
    expect(average.excluded).toEqual([{ gradeId: 'm2/s01', assessmentId: 'm2', reason: 'formative' }]);
  });
});

describe('a grade typed in the wrong column, swapped back (DOMAIN.md, error 8)', () => {
  // s01 got 16 and s02 got 8 on m1, typed the other way round.
  const swapped = [
    assessment('m1', { grades: { s01: 8, s02: 16 } }),
    assessment('m2', { date: '2026-10-12', grades: { s01: 14, s02: 10 } }),
  ];
  const fixed = [assessment('m1', { grades: { s01: 16, s02: 8 } }), swapped[1]];
  const averages = (assessments: readonly AssessmentOfPeriod[]) =>
    ['s01', 's02'].map((s) => maths(resultOf(assessments, {}, s)).average.value);

  it('moves each student’s average: 11 and 13 before, 15 and 9 after', () => {
    expect(averages(swapped)).toEqual([11, 13]);
    expect(averages(fixed)).toEqual([15, 9]);
  });

  it('leaves the class average where it was: 12 both times', () => {
    const stats = (assessments: readonly AssessmentOfPeriod[]) =>
      classPeriodStatistics(
        ['s01', 's02'].map((s) => resultOf(assessments, {}, s)),
        SETTINGS.rounding,
      ).subjects[0];
    expect(stats(swapped)).toMatchObject({ average: 12, min: 11, max: 13, count: 2 });
    expect(stats(fixed)).toMatchObject({ average: 12, min: 9, max: 15, count: 2 });
  });
});

describe('a student who changed class mid-period (DOMAIN.md, Grades 5, error 7)', () => {
  // s01 in 5A until 2026-10-18, in 5B from 2026-10-19.
  const MOVED: StudentMemberships = {
    classes: [
      { classId: '5A', from: '2026-09-01', until: '2026-10-19' },
      { classId: '5B', from: '2026-10-19' },
    ],
    groups: [],
  };
  const assessments = [
    assessment('5a-oct', { classOrGroupId: '5A', date: '2026-10-05', grades: { s01: 12 } }),
    // Graded in 5A after the move (a mistake): not the student's grade.
    assessment('5a-nov', { classOrGroupId: '5A', date: '2026-11-09', grades: { s01: 2 } }),
    // Set in 5B before the student came.
    assessment('5b-oct', { date: '2026-10-05', grades: { s01: 20 } }),
    assessment('5b-nov', { date: '2026-11-09', grades: { s01: 16 } }),
    assessment('5b-french', { subjectId: 'FRANCAIS', date: '2026-11-16', grades: { s01: 9 } }),
  ];

  it('averages the grades of both classes in the subject, dated while the student was in each: 14', () => {
    const result = resultOf(assessments, {}, 's01', MOVED);
    expect(maths(result).assessmentIds).toEqual(['5a-oct', '5b-nov']);
    expect(maths(result).average.value).toBe(14);
    expect(result.subjects.map((s) => [s.subjectId, s.average.value])).toEqual([
      ['FRANCAIS', 9],
      ['MATHS', 14],
    ]);
    expect(result.general.value).toBe(11.5);
  });

  it('flags the move with both classes and their dates', () =>
    expect(resultOf(assessments, {}, 's01', MOVED).moved).toEqual([
      { classId: '5A', from: '2026-09-01', until: '2026-10-19' },
      { classId: '5B', from: '2026-10-19', until: null },
    ]));

  it('flags the move even when no assessment has been set yet', () =>
    expect(resultOf([], {}, 's01', MOVED).moved).toEqual([
      { classId: '5A', from: '2026-09-01', until: '2026-10-19' },
      { classId: '5B', from: '2026-10-19', until: null },
    ]));

  it('puts the student in the council of the class they are in on the period’s last day only', () => {
    expect(isInCouncil(MOVED, '5B', T1)).toBe(true);
    expect(isInCouncil(MOVED, '5A', T1)).toBe(false);
    expect(
      isInCouncil(
        { classes: [{ classId: '5A', from: '2026-09-01', until: '2026-11-30' }], groups: [] },
        '5A',
        T1,
      ),
    ).toBe(false);
  });

  it('flags nothing for a student who stayed', () =>
    expect(resultOf(assessments, {}, 's01', STAYED).moved).toBeNull());
});

describe('a convention setting changed mid-year (DOMAIN.md, Grades 3, error 9)', () => {
  const WORKED = [
    assessment('w1', { outOf: 20, grades: { s01: 18 } }),
    assessment('w2', { outOf: 10, date: '2026-10-12', grades: { s01: 3 } }),
    assessment('w3', { outOf: 5, date: '2026-10-19', grades: { s01: 1 } }),
  ];

  it('gives 9.33 brought back to twenty, every time it is computed', () => {
    for (let i = 0; i < 2; i++) {
      const { average } = maths(resultOf(WORKED, { convention: 'brought-to-twenty' }));
      expect(average.value).toBeCloseTo(9.333333333, 9);
      expect(average.display).toBe(9.33);
      expect(average.convention).toBe('brought-to-twenty');
    }
  });

  it('gives 12.57 weighted by scale from the same assessments, and 9.33 again when switched back', () => {
    const weighted = maths(resultOf(WORKED, { convention: 'weighted-by-scale' })).average;
    expect(weighted.value).toBeCloseTo(12.571428571, 9);
    expect(weighted.display).toBe(12.57);
    expect(weighted.convention).toBe('weighted-by-scale');
    expect(maths(resultOf(WORKED, { convention: 'brought-to-twenty' })).average.display).toBe(9.33);
  });

  it('rounds for display only: to 0.5 upwards, 9.5 and 13, the unrounded values unchanged', () => {
    const up = { mode: 'up', step: 0.5 } as const;
    const brought = resultOf(WORKED, { rounding: up });
    const weighted = resultOf(WORKED, { rounding: up, convention: 'weighted-by-scale' });
    expect([maths(brought).average.display, brought.general.display]).toEqual([9.5, 9.5]);
    expect(maths(brought).average.value).toBeCloseTo(9.333333333, 9);
    expect([maths(weighted).average.display, weighted.general.display]).toEqual([13, 13]);
  });
});

describe('the general average under subject coefficients (DOMAIN.md, Grades 4)', () => {
  const assessments = [
    assessment('m1', { grades: { s01: 14 } }),
    assessment('f1', { subjectId: 'FRANCAIS', grades: { s01: 10 } }),
    assessment('e1', { subjectId: 'EPS', grades: { s01: 18 } }),
    // A subject with only a marker has no average, so no weight.
    assessment('h1', { subjectId: 'HISTOIRE', grades: { s01: 'ABS' } }),
  ];
  const coefficients = { MATHS: 3, FRANCAIS: 2, EPS: 0, HISTOIRE: 2 };

  it('is Σ(coef × average) / Σ coef: (3×14 + 2×10) / 5 = 12.4, EPS shown with coefficient 0', () => {
    const result = resultOf(assessments, { subjectCoefficients: coefficients });
    expect(result.general.value).toBeCloseTo(12.4, 12);
    expect(result.general.display).toBe(12.4);
    expect(result.general.subjects).toEqual([
      { subjectId: 'EPS', coefficient: 0, average: 18 },
      { subjectId: 'FRANCAIS', coefficient: 2, average: 10 },
      { subjectId: 'MATHS', coefficient: 3, average: 14 },
    ]);
    expect(result.general.assessmentIds).toEqual(['f1', 'm1']);
    expect(result.subjects.map((s) => [s.subjectId, s.average.value])).toEqual([
      ['EPS', 18],
      ['FRANCAIS', 10],
      ['HISTOIRE', null],
      ['MATHS', 14],
    ]);
  });

  it('weighs every subject 1 when none is set: (14 + 10 + 18) / 3 = 14', () =>
    expect(resultOf(assessments).general.value).toBe(14));

  it('has no general average when only coefficient-0 subjects have one', () =>
    expect(resultOf([assessments[2]], { subjectCoefficients: coefficients }).general.value).toBeNull());
});

describe('class statistics (DOMAIN.md, Grades 4 and 6)', () => {
  const assessments = [
    assessment('m1', { grades: { s01: 13, s02: 10, s03: 'ABS' } }),
    assessment('m2', { date: '2026-10-12', grades: { s01: 14, s03: 'DISP' } }),
    assessment('m3', { date: '2026-10-19', grades: { s01: 14 } }),
  ];
  const results = ['s01', 's02', 's03', 's04'].map((s) => resultOf(assessments, {}, s));

  it('is the mean of the unrounded averages, each student weighing 1: 11.83, not the mean of grades', () => {
    // s01: 41/3 = 13.666…, s02: 10, s03 markers only, s04 nothing. Mean of rounded ones would be 11.835 → 11.84.
    const [stats] = classPeriodStatistics(results, SETTINGS.rounding).subjects;
    expect(stats.subjectId).toBe('MATHS');
    expect(stats.average).toBeCloseTo(11.833333333, 9);
    expect(stats.min).toBe(10);
    expect(stats.max).toBeCloseTo(13.666666667, 9);
    expect(stats.count).toBe(2);
    expect(stats.studentIds).toEqual(['s01', 's02']);
    expect(stats.display).toEqual({ average: 11.83, min: 10, max: 13.67 });
  });

  it('gives the same figures for the general averages', () => {
    const { general } = classPeriodStatistics(results, SETTINGS.rounding);
    expect(general.display).toEqual({ average: 11.83, min: 10, max: 13.67 });
    expect(general.count).toBe(2);
  });

  it('lists s03, who has only markers, with no average, and leaves s04 out of the subject', () => {
    expect(results[2].subjects.map((s) => [s.subjectId, s.average.value])).toEqual([['MATHS', null]]);
    expect(results[3].subjects).toEqual([]);
    expect(results[3].general.value).toBeNull();
  });
});

describe('markers (DOMAIN.md, Grades 1)', () => {
  it('never enter an average: 12 with ABS, DISP and NN beside it', () => {
    const { average } = maths(
      resultOf([
        assessment('m1', { grades: { s01: 12 } }),
        assessment('m2', { grades: { s01: 'ABS' } }),
        assessment('m3', { grades: { s01: 'DISP' } }),
        assessment('m4', { grades: { s01: 'NN' } }),
      ]),
    );
    expect(average.value).toBe(12);
    expect(average.excluded).toEqual([
      { gradeId: 'm2/s01', assessmentId: 'm2', reason: 'marker' },
      { gradeId: 'm3/s01', assessmentId: 'm3', reason: 'marker' },
      { gradeId: 'm4/s01', assessmentId: 'm4', reason: 'marker' },
    ]);
  });
});

describe('positioning (DOMAIN.md, Competencies 2 and 4)', () => {
  // Levels 3, 4, 2 → points 40, 50, 25, mean 38.33 > 33 → 3; an ABS level is left out.
  const withLevels = [
    assessment('c1', {
      competencyItems: ITEMS,
      date: '2026-09-14',
      levels: { 'C-CALC': { s01: 3 }, 'C-RAIS': { s01: 4, s02: 'ABS' } },
    }),
    // Formative with coefficient 0: levels count all the same.
    assessment('c2', {
      competencyItems: ITEMS,
      date: '2026-10-05',
      formative: true,
      coefficient: 0,
      levels: { 'C-CALC': { s01: 2 } },
    }),
  ];
  // Two levels 1 on an assessment later cancelled: (40 + 50 + 25 + 10 + 10) / 5 = 27 → 2 while it counts.
  const lowLevels = assessment('c3', {
    competencyItems: ITEMS,
    date: '2026-11-09',
    levels: { 'C-CALC': { s01: 1 }, 'C-RAIS': { s01: 1 } },
  });

  it('is suggested from the levels whatever the coefficient or formative flag: 3', () => {
    const { positioning, average } = maths(resultOf(withLevels));
    expect(positioning.suggested.level).toBe(3);
    expect(positioning.suggested.points).toBeCloseTo(38.333333333, 9);
    expect(positioning.suggested.assessmentIds).toEqual(['c1', 'c2']);
    expect(positioning).toMatchObject({ final: null, shown: 3 });
    expect(average.value).toBeNull();
  });

  it('keeps the suggestion beside the teacher’s final positioning, which is shown', () =>
    expect(maths(resultOf(withLevels, {}, 's01', STAYED, { MATHS: 4 })).positioning).toMatchObject({
      suggested: { level: 3 },
      final: 4,
      shown: 4,
    }));

  it('counts a cancelled assessment’s levels no more: 2 before the cancellation, 3 after', () => {
    expect(maths(resultOf([...withLevels, lowLevels])).positioning.suggested.level).toBe(2);
    expect(
      maths(resultOf([...withLevels, { ...lowLevels, cancelled: true }])).positioning.suggested,
    ).toMatchObject({
      level: 3,
      assessmentIds: ['c1', 'c2'],
    });
  });

  it('suggests nothing from markers alone', () => {
    const { positioning } = maths(resultOf(withLevels, {}, 's02'));
    expect(positioning).toMatchObject({ suggested: { level: null, points: null }, final: null, shown: null });
  });

  it('shows a final positioning in a subject with no assessment in the period', () => {
    const result = resultOf([assessment('m1', { grades: { s01: 12 } })], {}, 's01', STAYED, { ARTS: 3 });
    expect(result.subjects.map((s) => [s.subjectId, s.average.value, s.positioning.shown])).toEqual([
      ['ARTS', null, 3],
      ['MATHS', 12, null],
    ]);
    expect(result.general.value).toBe(12);
  });

  it('shows a final positioning set with no level and no grade', () =>
    expect(maths(resultOf([assessment('m1')], {}, 's03', STAYED, { MATHS: 2 })).positioning).toMatchObject({
      suggested: { level: null },
      final: 2,
      shown: 2,
    }));
});
