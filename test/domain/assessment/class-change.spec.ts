import { councilGradesOf, isInCouncil, PlacedAssessment } from '../../../src/domain/assessment';
import { PERIODS } from './fixtures';

const T1 = PERIODS[0];

// Moved from 5A to 5B on 2026-10-19; in the Latin group all along.
const MOVED = {
  classes: [
    { classId: '5A', from: '2026-09-01', until: '2026-10-19' },
    { classId: '5B', from: '2026-10-19' },
  ],
  groups: [{ groupId: 'LATIN-5', from: '2026-09-01' }],
};

const placed = (
  assessmentId: string,
  classOrGroupId: string,
  date: string,
  subjectId = 'MATHS',
): PlacedAssessment => ({
  assessmentId,
  classOrGroupId,
  groupKind: classOrGroupId.startsWith('LATIN') ? 'group' : 'class',
  subjectId,
  date,
});

const ASSESSMENTS = [
  placed('5a-before', '5A', '2026-10-05'),
  placed('5a-after', '5A', '2026-11-09'),
  placed('5b-before', '5B', '2026-10-05'),
  placed('5b-after', '5B', '2026-11-09'),
  placed('5b-t2', '5B', '2026-12-07'),
  placed('5b-french', '5B', '2026-11-09', 'FRANCAIS'),
  placed('latin', 'LATIN-5', '2026-10-12', 'LATIN'),
];

describe('a student who changed class mid-period (DOMAIN.md, Grades 5, error 7)', () => {
  it('keeps the grades obtained in either class, each with its assessment, and flags the move', () =>
    expect(councilGradesOf(MOVED, 'MATHS', T1, ASSESSMENTS)).toEqual({
      assessmentIds: ['5a-before', '5b-after'],
      moved: [
        { classId: '5A', from: '2026-09-01', until: '2026-10-19' },
        { classId: '5B', from: '2026-10-19', until: null },
      ],
    }));

  it('counts a group’s assessments while the student was in the group', () =>
    expect(councilGradesOf(MOVED, 'LATIN', T1, ASSESSMENTS).assessmentIds).toEqual(['latin']));

  it('flags nothing for a student who stayed in one class', () =>
    expect(
      councilGradesOf(
        { classes: [{ classId: '5B', from: '2026-09-01' }], groups: [] },
        'MATHS',
        T1,
        ASSESSMENTS,
      ),
    ).toEqual({ assessmentIds: ['5b-after', '5b-before'], moved: null }));

  it('puts the student in the council of the class they are in on the last day of the period', () => {
    expect(isInCouncil(MOVED, '5B', T1)).toBe(true);
    expect(isInCouncil(MOVED, '5A', T1)).toBe(false);
  });
});
