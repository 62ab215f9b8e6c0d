import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Role } from '../../domain/shared/event';
import { readOnlyRole, roleForbidden, schoolForbidden } from './auth-errors';
import { bearerToken } from './bearer-token';
import { IS_PUBLIC, ROLES } from './decorators';
import { knownUser, rememberUser } from './request';
import { TOKEN_VERIFIER } from './tokens';
import { TokenVerifier } from './token-verifier';
import { canAccessSchool } from './user';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Route parameters that name a school: a token only reaches its own. */
const SCHOOL_PARAMS = ['schoolId', 'uai'] as const;

/**
 * Global: every route needs a valid token unless @Public(); auditors never write; @Roles limits the
 * role; a `:schoolId` (or `:uai`) parameter must be the token's school.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const user =
      knownUser(request) ?? (await this.verifier.verify(bearerToken(request.headers.authorization)));
    rememberUser(request, user);
    if (user.role === 'auditor' && !READ_METHODS.has(request.method)) throw readOnlyRole(user.role);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles !== undefined && !roles.includes(user.role)) throw roleForbidden(user.role, roles);
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    for (const name of SCHOOL_PARAMS) {
      const schoolId = params[name];
      if (schoolId !== undefined && !canAccessSchool(user, schoolId)) throw schoolForbidden(schoolId);
    }
    return true;
  }
}
