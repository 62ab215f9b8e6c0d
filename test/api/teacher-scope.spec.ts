import { assertTeacherScope } from '../../src/api/auth/teacher-scope';
import { AuthenticatedUser } from '../../src/api/auth/user';
import { ApiError } from '../../src/api/errors/api-error';

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
