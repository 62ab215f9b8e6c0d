import { assertTeacherScope } from '../../src/api/auth/teacher-scope';
import { AuthenticatedUser } from '../../src/api/auth/user';
import { ApiError } from '../../src/api/errors/api-error';
import { SCHOOL_YEAR_2026 } from '../import/import-harness';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

const teacher: AuthenticatedUser = {
  sub: 't1',
  role: 'teacher',
  schoolId: '0670001A',
  classes: ['5B'],
  subjects: ['MATHS'],
};

const codeOf = (work: () => void): string | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    return (error as ApiError).code;
  }
};

describe('assertTeacherScope', () => {
  it('lets a teacher write in their classes and subjects', () => {
    expect(codeOf(() => assertTeacherScope(teacher, { classId: '5B', subject: 'MATHS' }))).toBeUndefined();
  });

  it('refuses another class or subject with 403', () => {
    expect(codeOf(() => assertTeacherScope(teacher, { classId: '4A' }))).toBe('AUTH.CLASS_FORBIDDEN');
    expect(codeOf(() => assertTeacherScope(teacher, { classId: '5B', subject: 'HIST' }))).toBe(
      'AUTH.SUBJECT_FORBIDDEN',
    );
  });

  it('does not limit the other roles', () => {
    expect(
      codeOf(() =>
        assertTeacherScope({ ...teacher, role: 'cpe', classes: [], subjects: [] }, { classId: '4A' }),
      ),
    ).toBeUndefined();
  });
});

describe('what a teacher reads of the school structure', () => {
  let t: TestApp;
  let principal: string;
  let teacher5B: string;
  let position = '0';
  const school = `/schools/${SCHOOL}`;

  const write = async (path: string, body: object, method: 'post' | 'put' = 'post') => {
    const res = await t.http()[method](`${school}${path}`).set('Authorization', principal).send(body);
    if (![200, 201].includes(res.status)) throw new Error(`${path}: ${JSON.stringify(res.body)}`);
    position = res.body.position;
  };
  const read = (path: string, token: string) =>
    t
      .http()
      .get(`${school}${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`)
      .set('Authorization', token);

  beforeAll(async () => {
    t = await startTestApp();
    principal = await tokenFor('principal');
    teacher5B = await tokenFor('teacher', SCHOOL, { classes: ['5B', '5LATIN'], subjects: ['MATHS'] });
    await write('/year', SCHOOL_YEAR_2026, 'put');
    for (const classId of ['5B', '5C']) await write('/classes', { classId });
    await write('/groups', { groupId: '5LATIN', classIds: ['5B', '5C'] });
    const student = (studentId: string, classId: string) => ({
      studentId,
      ine: `070123456${studentId.toUpperCase()}`,
      lastName: `NOM-${studentId}`,
      firstName: 'Prénom',
      birthDate: '2013-04-17',
      classId,
      from: '2026-09-01',
    });
    await write('/students', student('s1', '5B'));
    await write('/students', student('s2', '5C'));
    await write('/students', student('s3', '5C'));
    await write('/students/s3/groups', { groupId: '5LATIN', from: '2026-09-01' });
    await write('/students', student('s4', '5B'));
    await write('/students/s4/moves', { toClassId: '5C', on: '2026-11-16' });
  });
  afterAll(() => t.close());

  it('reads the roster of a class or group the teacher teaches', async () => {
    const own = await read('/classes/5B/students?date=2026-09-01', teacher5B);
    expect(own.status).toBe(200);
    expect(own.body.map((s: { studentId: string }) => s.studentId)).toEqual(['s1', 's4']);
    const group = await read('/groups/5LATIN/students?date=2026-09-01', teacher5B);
    expect(group.status).toBe(200);
    expect(group.body.map((s: { studentId: string }) => s.studentId)).toEqual(['s3']);
  });

  it('refuses the roster of another class, or of an unknown one, with 403 AUTH.CLASS_FORBIDDEN', async () => {
    for (const path of ['/classes/5C/students', '/classes/9Z/students', '/groups/ANG-G1/students']) {
      const res = await read(path, teacher5B);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH.CLASS_FORBIDDEN');
    }
  });

  it("reads the enrolment history of a student who is or was in the teacher's classes or groups", async () => {
    for (const studentId of ['s1', 's3', 's4']) {
      const res = await read(`/students/${studentId}/enrolments`, teacher5B);
      expect(res.status).toBe(200);
      expect(res.body.studentId).toBe(studentId);
    }
  });

  it('refuses the history of any other student, known or not, with 403 AUTH.STUDENT_FORBIDDEN', async () => {
    for (const studentId of ['s2', 'nobody']) {
      const res = await read(`/students/${studentId}/enrolments`, teacher5B);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        statusCode: 403,
        code: 'AUTH.STUDENT_FORBIDDEN',
        message: `teacher teacher-01 teaches no class or group of student ${studentId}`,
        details: { studentId },
      });
    }
  });

  it('leaves the CPE, the principal and the auditor reading every class and student', async () => {
    for (const role of ['cpe', 'principal', 'auditor'] as const) {
      const token = await tokenFor(role);
      expect((await read('/classes/5C/students', token)).status).toBe(200);
      expect((await read('/students/s2/enrolments', token)).status).toBe(200);
      expect((await read('/students/nobody/enrolments', token)).status).toBe(404);
    }
  });
});
