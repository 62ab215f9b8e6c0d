import { ApiError } from '../errors/api-error';
import { AuthenticatedUser } from './user';

/**
 * A teacher reads only the classes and subjects their token lists; other roles are not limited here
 * (their role and school were checked by the guard). Writes are the decisions' to refuse: a roll
 * call's decider refuses a teacher outside their classes (ROLL_CALL.NOT_CLASS_TEACHER).
 */
export const assertTeacherScope = (
  user: AuthenticatedUser,
  scope: { readonly classId?: string; readonly subject?: string },
): void => {
  if (user.role !== 'teacher') return;
  if (scope.classId !== undefined && !user.classes.includes(scope.classId)) {
    throw new ApiError(403, 'AUTH.CLASS_FORBIDDEN', `teacher ${user.sub} does not teach ${scope.classId}`, {
      classId: scope.classId,
    });
  }
  if (scope.subject !== undefined && !user.subjects.includes(scope.subject)) {
    throw new ApiError(403, 'AUTH.SUBJECT_FORBIDDEN', `teacher ${user.sub} does not teach ${scope.subject}`, {
      subject: scope.subject,
    });
  }
};

/** A teacher reads the roster of a class or group only if their token lists it (codes are shared by both). */
export const assertTeacherReadsRoster = (user: AuthenticatedUser, classOrGroupId: string): void =>
  assertTeacherScope(user, { classId: classOrGroupId });

interface Memberships {
  readonly classes: readonly { readonly classId: string }[];
  readonly groups: readonly { readonly groupId: string }[];
}

/**
 * A teacher reads a student's record only if the student is or was in one of the teacher's classes
 * or groups. An unknown student is refused the same way, so that a teacher cannot probe which ids exist.
 */
export const assertTeacherReadsStudent = (
  user: AuthenticatedUser,
  studentId: string,
  memberships: Memberships | undefined,
): void => {
  if (user.role !== 'teacher') return;
  const taught =
    memberships !== undefined &&
    (memberships.classes.some(({ classId }) => user.classes.includes(classId)) ||
      memberships.groups.some(({ groupId }) => user.classes.includes(groupId)));
  if (!taught) {
    throw new ApiError(
      403,
      'AUTH.STUDENT_FORBIDDEN',
      `teacher ${user.sub} teaches no class or group of student ${studentId}`,
      { studentId },
    );
  }
};
