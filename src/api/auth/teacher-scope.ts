import { ApiError } from '../errors/api-error';
import { AuthenticatedUser } from './user';

/**
 * A teacher writes only in the classes and subjects their token lists; other roles are not limited
 * here (their role and school were checked by the guard). Call it from a handler once the class or
 * subject a command touches is known.
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
