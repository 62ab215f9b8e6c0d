import { classLevelOf, subjectCoefficientsFor } from '../../../src/domain/assessment/subject-coefficients';

describe('the level of a class from its code', () => {
  it.each([
    ['3A', '3e'],
    ['6EME2', '6e'],
    ['5B', '5e'],
    ['4e1', '4e'],
    ['2NDE1', '2nde'],
    ['2A', '2nde'],
    ['1G3', '1re'],
    ['1STMG', '1re'],
    ['TG2', 'Tle'],
    ['TLE1', 'Tle'],
    ['T3', 'Tle'],
    ['TSTMG', 'Tle'],
    ['tg1', 'Tle'],
  ])('%s is in %s', (classId, level) => {
    expect(classLevelOf(classId)).toBe(level);
  });

  it.each(['ULIS', 'SEGPA', 'TEST', 'BTS1', ''])('%s has no level', (classId) => {
    expect(classLevelOf(classId)).toBeUndefined();
  });
});

describe('the subject coefficients of a class', () => {
  const settings = {
    subjectCoefficients: {
      '3e': { MATHS: 4, FRANC: 5, SVT: 2 },
      '3A': { MATHS: 3, LATIN: 0 },
      '4e': { MATHS: 6 },
    },
  };

  it("are its level's, with the class's own winning", () => {
    expect(subjectCoefficientsFor(settings, '3A')).toEqual({ MATHS: 3, FRANC: 5, SVT: 2, LATIN: 0 });
  });

  it("are its level's alone when the class has none of its own", () => {
    expect(subjectCoefficientsFor(settings, '3B')).toEqual({ MATHS: 4, FRANC: 5, SVT: 2 });
  });

  it("are the class's own alone when its code gives no level, and none when nothing is set", () => {
    expect(subjectCoefficientsFor({ subjectCoefficients: { ULIS: { MATHS: 2 } } }, 'ULIS')).toEqual({
      MATHS: 2,
    });
    expect(subjectCoefficientsFor(settings, '6A')).toEqual({});
    expect(subjectCoefficientsFor({ subjectCoefficients: {} }, '3A')).toEqual({});
  });

  it('never read the prototype of the setting as a level', () => {
    expect(subjectCoefficientsFor(settings, 'constructor')).toEqual({});
  });
});
