import {
  AssessmentCancelled,
  AssessmentChanged,
  AssessmentCreated,
  AssessmentKeys,
  AssessmentTerms,
  CancelAssessment,
  ChangeAssessment,
  CorrectGrade,
  CorrectLevel,
  CreateAssessment,
  GradeCorrected,
  GradesRecorded,
  LevelCorrected,
  LevelsRecorded,
  RecordGrades,
  RecordLevels,
  StudentGrade,
  StudentLevel,
  TeacherScope,
} from '../../../src/domain/assessment';
import { Actor } from '../../../src/domain/shared/event';

// The assessment fixtures live beside their specs while the slice is built; they move to test/support
// with the projections and API that will share them.

export const TEACHER: Actor = { id: 't-martin', role: 'teacher' };
export const OTHER_TEACHER: Actor = { id: 't-durand', role: 'teacher' };
export const PRINCIPAL: Actor = { id: 'p-leroy', role: 'principal' };
export const CPE: Actor = { id: 'c-moreau', role: 'cpe' };
export const AUDITOR: Actor = { id: 'i-petit', role: 'auditor' };

/** What t-martin's token lists: maths in 5B and the 5th-year Latin group. */
export const MARTIN_SCOPE: TeacherScope = { classes: ['5B', 'LATIN-5'], subjects: ['MATHS'] };

export const PERIODS = [
  { id: 'T1', start: '2026-09-01', end: '2026-11-30' },
  { id: 'T2', start: '2026-12-01', end: '2027-03-06' },
  { id: 'T3', start: '2027-03-07', end: '2027-07-04' },
];

export const ENROLLED: ReadonlySet<string> = new Set(['s01', 's02', 's03', 's04', 's05']);

export const KEYS: AssessmentKeys = {
  assessmentId: 'a1',
  classOrGroupId: '5B',
  groupKind: 'class',
  subjectId: 'MATHS',
  periodId: 'T1',
  date: '2026-10-05',
};

export const TERMS: AssessmentTerms = {
  date: '2026-10-05',
  periodId: 'T1',
  title: 'Fractions',
  outOf: 20,
  coefficient: 1,
  formative: false,
};

const byTeacher = { actor: TEACHER, actorScope: MARTIN_SCOPE };

export const createAssessment = (overrides: Partial<CreateAssessment> = {}): CreateAssessment => ({
  type: 'CreateAssessment',
  ...byTeacher,
  assessmentId: 'a1',
  classOrGroupId: '5B',
  groupKind: 'class',
  subjectId: 'MATHS',
  date: '2026-10-05',
  title: 'Fractions',
  context: { periods: PERIODS },
  ...overrides,
});

export const assessmentCreated = (overrides: Partial<AssessmentCreated['data']> = {}): AssessmentCreated => ({
  type: 'AssessmentCreated',
  data: {
    ...KEYS,
    title: 'Fractions',
    outOf: 20,
    coefficient: 1,
    formative: false,
    teacherId: TEACHER.id,
    competencyItems: [],
    createdBy: TEACHER,
    ...overrides,
  },
});

export const recordGrades = (
  grades: StudentGrade[],
  overrides: Partial<RecordGrades> = {},
): RecordGrades => ({
  type: 'RecordGrades',
  ...byTeacher,
  assessmentId: 'a1',
  grades,
  context: { enrolled: ENROLLED },
  ...overrides,
});

export const gradesRecorded = (
  grades: StudentGrade[],
  overrides: Partial<GradesRecorded['data']> = {},
): GradesRecorded => ({
  type: 'GradesRecorded',
  data: { ...KEYS, grades, recordedBy: TEACHER, ...overrides },
});

export const correctGrade = (
  studentId: string,
  value: CorrectGrade['value'],
  overrides: Partial<CorrectGrade> = {},
): CorrectGrade => ({
  type: 'CorrectGrade',
  ...byTeacher,
  assessmentId: 'a1',
  studentId,
  value,
  reason: 'typing mistake',
  context: { enrolled: ENROLLED },
  ...overrides,
});

export const gradeCorrected = (
  studentId: string,
  previous: GradeCorrected['data']['previous'],
  value: GradeCorrected['data']['value'],
  overrides: Partial<GradeCorrected['data']> = {},
): GradeCorrected => ({
  type: 'GradeCorrected',
  data: { ...KEYS, studentId, previous, value, reason: 'typing mistake', correctedBy: TEACHER, ...overrides },
});

export const changeAssessment = (overrides: Partial<ChangeAssessment> = {}): ChangeAssessment => ({
  type: 'ChangeAssessment',
  ...byTeacher,
  assessmentId: 'a1',
  context: { periods: PERIODS },
  ...overrides,
});

export const assessmentChanged = (
  terms: Partial<AssessmentTerms>,
  overrides: Partial<AssessmentChanged['data']> = {},
): AssessmentChanged => {
  const next = { ...TERMS, ...terms };
  return {
    type: 'AssessmentChanged',
    data: {
      ...KEYS,
      periodId: next.periodId,
      date: next.date,
      previous: TERMS,
      terms: next,
      studentIds: [],
      reason: null,
      changedBy: TEACHER,
      ...overrides,
    },
  };
};

export const cancelAssessment = (overrides: Partial<CancelAssessment> = {}): CancelAssessment => ({
  type: 'CancelAssessment',
  ...byTeacher,
  assessmentId: 'a1',
  ...overrides,
});

export const assessmentCancelled = (
  overrides: Partial<AssessmentCancelled['data']> = {},
): AssessmentCancelled => ({
  type: 'AssessmentCancelled',
  data: { ...KEYS, studentIds: [], reason: null, cancelledBy: TEACHER, ...overrides },
});

export const ITEMS = [
  { itemId: 'C-CALC', label: 'Calculer avec des fractions', socleComponent: 'SYS_NAT' as const },
  { itemId: 'C-RAIS', label: 'Raisonner', socleComponent: null },
];

export const recordLevels = (
  levels: StudentLevel[],
  overrides: Partial<RecordLevels> = {},
): RecordLevels => ({
  type: 'RecordLevels',
  ...byTeacher,
  assessmentId: 'a1',
  levels,
  context: { enrolled: ENROLLED },
  ...overrides,
});

export const levelsRecorded = (
  levels: StudentLevel[],
  overrides: Partial<LevelsRecorded['data']> = {},
): LevelsRecorded => ({
  type: 'LevelsRecorded',
  data: { ...KEYS, levels, recordedBy: TEACHER, ...overrides },
});

export const correctLevel = (
  studentId: string,
  itemId: string,
  value: CorrectLevel['value'],
  overrides: Partial<CorrectLevel> = {},
): CorrectLevel => ({
  type: 'CorrectLevel',
  ...byTeacher,
  assessmentId: 'a1',
  studentId,
  itemId,
  value,
  reason: 'wrong line',
  context: { enrolled: ENROLLED },
  ...overrides,
});

export const levelCorrected = (
  studentId: string,
  itemId: string,
  previous: LevelCorrected['data']['previous'],
  value: LevelCorrected['data']['value'],
  overrides: Partial<LevelCorrected['data']> = {},
): LevelCorrected => ({
  type: 'LevelCorrected',
  data: {
    ...KEYS,
    studentId,
    itemId,
    previous,
    value,
    reason: 'wrong line',
    correctedBy: TEACHER,
    ...overrides,
  },
});
