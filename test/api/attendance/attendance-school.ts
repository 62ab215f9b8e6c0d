import { SCHOOL_YEAR_2026 } from '../../import/import-harness';
import type { Response } from 'supertest';
import { SCHOOL, TestApp, tokenFor } from '../../support/http';

/** The slots of a collège day; M1..M4 in the morning, S1..S4 in the afternoon. */
export const SLOTS = [
  { code: 'M1', start: '08:00', end: '08:55' },
  { code: 'M2', start: '08:55', end: '09:50' },
  { code: 'M3', start: '10:05', end: '11:00' },
  { code: 'M4', start: '11:00', end: '11:55' },
  { code: 'S1', start: '13:30', end: '14:25' },
  { code: 'S2', start: '14:25', end: '15:20' },
  { code: 'S3', start: '15:35', end: '16:30' },
  { code: 'S4', start: '16:30', end: '17:25' },
];

export const STUDENTS_5B = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
export const STUDENTS_5A = ['a1', 'a2', 'a3'];
/** Latin draws from 5A and 5B. */
export const LATIN = { groupId: '5LATIN', students: ['a1', 'b6'] };
/** Assigned to 5A, which nobody calls in these tests: the completeness view must name it. */
export const SILENT_TEACHER = 'T9';

export type Tokens = Record<'cpe' | 'teacher' | 'latinTeacher' | 'principal' | 'auditor' | 'admin', string>;

export const tokensFor = async (): Promise<Tokens> => ({
  cpe: await tokenFor('cpe'),
  teacher: await tokenFor('teacher'),
  latinTeacher: await tokenFor('teacher', SCHOOL, { sub: 'teacher-02', classes: ['5A', LATIN.groupId] }),
  principal: await tokenFor('principal'),
  auditor: await tokenFor('auditor'),
  admin: await tokenFor('admin'),
});

/** Year with trimesters, timetable, 5A and 5B with their students, the Latin group, one teaching assignment. */
export async function setUpSchool(app: TestApp): Promise<void> {
  const principal = await tokenFor('principal');
  const send = async (method: 'put' | 'post', path: string, body: object) => {
    await app
      .http()
      [method](`/schools/${SCHOOL}${path}`)
      .set('Authorization', principal)
      .send(body)
      .expect((response) => {
        if (response.status >= 300)
          throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      });
  };
  await send('put', '/year', SCHOOL_YEAR_2026);
  await send('put', '/timetable', { effectiveFrom: '2026-09-01', slots: SLOTS });
  for (const classId of ['5A', '5B']) await send('post', '/classes', { classId });
  await send('post', '/groups', { groupId: LATIN.groupId, classIds: ['5A', '5B'] });
  const students = [
    ...STUDENTS_5A.map((id) => ({ id, classId: '5A' })),
    ...STUDENTS_5B.map((id) => ({ id, classId: '5B' })),
  ];
  for (const { id, classId } of students)
    await send('post', '/students', {
      studentId: id,
      lastName: id.toUpperCase(),
      firstName: 'Élève',
      classId,
      from: '2026-09-01',
    });
  for (const studentId of LATIN.students)
    await send('post', `/students/${studentId}/groups`, { groupId: LATIN.groupId, from: '2026-09-01' });
  await send('post', '/subjects', { subjectId: 'MATHS', label: 'Mathématiques' });
  await send('post', '/teachers', { teacherId: SILENT_TEACHER, lastName: 'NEUF', firstName: 'Jeanne' });
  await send('post', '/teaching-assignments', {
    teacherId: SILENT_TEACHER,
    subjectId: 'MATHS',
    targetKind: 'class',
    targetId: '5A',
  });
}

/** A body, the code it must be refused with, and the field the refusal must name. */
export type Refusal = readonly [body: object, code: string, field: string];

/** Sends each body; each must get 400 with its code, naming its field (and the rule, for a DTO refusal). */
export async function expectRefusals(
  send: (body: object) => PromiseLike<Response>,
  refusals: readonly Refusal[],
): Promise<void> {
  for (const [body, code, field] of refusals) {
    const response = await send(body);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code });
    const named = Array.isArray(response.body.details) ? response.body.details[0] : response.body.details;
    expect(named.field).toBe(field);
    if (code === 'VALIDATION') expect(typeof named.rule).toBe('string');
  }
}
