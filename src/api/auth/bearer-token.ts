import { unauthenticated } from './auth-errors';

/** The token of an `Authorization: Bearer <token>` header, or a 401 saying what is wrong with it. */
export const bearerToken = (header: string | undefined): string => {
  if (header === undefined || header === '')
    throw unauthenticated('an Authorization: Bearer <token> header is required');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) throw unauthenticated('the Authorization header must be "Bearer <token>"');
  return match[1];
};
