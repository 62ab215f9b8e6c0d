import { JWTPayload } from 'jose';
import { Actor, Role, ROLES } from '../../domain/shared/event';
import { isUai } from '../../domain/shared/uai';

/** An admin token for `*` serves every school of the deployment; every other token is bound to one school. */
export const ALL_SCHOOLS = '*';

/** Who is calling, as the verified token says — the only source of actor and school for commands. */
export interface AuthenticatedUser {
  readonly sub: string;
  readonly role: Role;
  readonly schoolId: string;
  /** Teachers only: the classes and groups they teach. */
  readonly classes: readonly string[];
  /** Teachers only: the subjects they teach. */
  readonly subjects: readonly string[];
}

export const actorOf = (user: AuthenticatedUser): Actor => ({ id: user.sub, role: user.role });

export const canAccessSchool = (user: AuthenticatedUser, schoolId: string): boolean =>
  user.schoolId === schoolId || (user.role === 'admin' && user.schoolId === ALL_SCHOOLS);

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0);

/** The claims Registre relies on, or the reason they cannot be relied on. */
export const userFromClaims = (claims: JWTPayload): AuthenticatedUser | { readonly problem: string } => {
  const { sub, role, schoolId, classes, subjects } = claims as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256)
    return { problem: 'claim sub is missing' };
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    return { problem: `claim role must be one of ${ROLES.join('|')}` };
  }
  const validSchool =
    typeof schoolId === 'string' && (isUai(schoolId) || (role === 'admin' && schoolId === ALL_SCHOOLS));
  if (!validSchool) return { problem: 'claim schoolId must be a UAI such as 0670001A' };
  if (role === 'teacher' && (!isStringList(classes) || !isStringList(subjects))) {
    return { problem: 'a teacher token must carry classes and subjects as lists of strings' };
  }
  return {
    sub,
    role: role as Role,
    schoolId,
    classes: role === 'teacher' ? (classes as string[]) : [],
    subjects: role === 'teacher' ? (subjects as string[]) : [],
  };
};
