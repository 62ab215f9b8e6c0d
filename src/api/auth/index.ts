export { AuthModule } from './auth.module';
export { CurrentUser, Public, Roles } from './decorators';
export { signToken, TokenSigningError } from './sign-token';
export type { TokenRequest } from './sign-token';
export { assertTeacherScope } from './teacher-scope';
export { actorOf, ALL_SCHOOLS, canAccessSchool } from './user';
export type { AuthenticatedUser } from './user';
