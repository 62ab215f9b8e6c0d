import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '../../domain/shared/event';
import { authenticatedUser } from './request';

export const IS_PUBLIC = 'registre:public';
export const ROLES = 'registre:roles';

/** Reachable without a token: health and documentation only. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles allowed on a route or a controller; without it, any authenticated role may call. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** The verified token's user. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext) =>
  authenticatedUser(context.switchToHttp().getRequest()),
);
