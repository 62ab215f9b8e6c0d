import { assessmentStreamId } from '../../../src/domain/assessment';
import { Actor } from '../../../src/domain/shared/event';
import { GivenStream, SpecEvent } from '../../support/api-spec';
import { SCHOOL, tokenFor } from '../../support/http';

export { schoolStreams, STUDENTS_5B, STUDENTS_5A, LATIN } from '../attendance/attendance-school';

export const TEACHER_01: Actor = { id: 'teacher-01', role: 'teacher' };
export const PRINCIPAL_01: Actor = { id: 'principal-01', role: 'principal' };

export type Tokens = Record<
  'teacher' | 'otherTeacher' | 'latinTeacher' | 'cpe' | 'principal' | 'auditor' | 'admin',
  string
>;

export const tokensFor = async (): Promise<Tokens> => ({
  teacher: await tokenFor('teacher'),
  otherTeacher: await tokenFor('teacher', SCHOOL, {
    sub: 'teacher-03',
    classes: ['5A'],
    subjects: ['MATHS'],
  }),
  latinTeacher: await tokenFor('teacher', SCHOOL, {
    sub: 'teacher-02',
    classes: ['5A', '5LATIN'],
    subjects: ['LATIN'],
  }),
  cpe: await tokenFor('cpe'),
  principal: await tokenFor('principal'),
  auditor: await tokenFor('auditor'),
  admin: await tokenFor('admin'),
});

/** Where an assessment is: 5B, maths, trimester 1 unless told. */
export type Where = { readonly classId?: string; readonly subjectId?: string; readonly periodId?: string };

/** Routing keys of an assessment of 5B in maths, trimester 1 (or of `where`). */
export const keysOf = (assessmentId: string, date = '2026-10-02', where: Where = {}) => ({
  assessmentId,
  classOrGroupId: where.classId ?? '5B',
  groupKind: 'class' as const,
  subjectId: where.subjectId ?? 'MATHS',
  periodId: where.periodId ?? 'T1',
  date,
});

export const assessmentCreated = (
  assessmentId: string,
  terms: {
    date?: string;
    title?: string;
    outOf?: number;
    coefficient?: number;
    formative?: boolean;
  } & Where = {},
): SpecEvent => ({
  type: 'AssessmentCreated',
  data: {
    ...keysOf(assessmentId, terms.date, terms),
    title: terms.title ?? `Contrôle ${assessmentId}`,
    outOf: terms.outOf ?? 20,
    coefficient: terms.coefficient ?? 1,
    formative: terms.formative ?? false,
    teacherId: 'teacher-01',
    competencyItems: [],
    createdBy: TEACHER_01,
  },
});

export const gradesRecorded = (
  assessmentId: string,
  grades: Record<string, number | string>,
  date?: string,
  where: Where = {},
): SpecEvent => ({
  type: 'GradesRecorded',
  data: {
    ...keysOf(assessmentId, date, where),
    grades: Object.entries(grades)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([studentId, value]) => ({ studentId, value })),
    recordedBy: TEACHER_01,
  },
});

export const assessmentStream = (assessmentId: string, ...events: SpecEvent[]): GivenStream => ({
  stream: assessmentStreamId(SCHOOL, assessmentId),
  events,
});
