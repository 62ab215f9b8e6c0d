import type { FastifyRequest } from 'fastify';
import { AuthenticatedUser } from './user';

const users = new WeakMap<object, AuthenticatedUser>();

export const rememberUser = (request: FastifyRequest, user: AuthenticatedUser): void => {
  users.set(request, user);
};

/** The user already verified for this request (by the hook that runs before the body is read), if any. */
export const knownUser = (request: FastifyRequest): AuthenticatedUser | undefined => users.get(request);

/** The user the guard verified; a route that reads it without the guard having run is a wiring bug. */
export const authenticatedUser = (request: FastifyRequest): AuthenticatedUser => {
  const user = users.get(request);
  if (user === undefined) throw new Error('no authenticated user on this request: is the route @Public()?');
  return user;
};
