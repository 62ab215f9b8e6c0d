import { ApiError } from '../errors/api-error';

const challenge = (error: string, description: string) => ({
  'WWW-Authenticate': `Bearer realm="registre", error="${error}", error_description="${description}"`,
});

export const unauthenticated = (message: string): ApiError =>
  new ApiError(401, 'AUTH.UNAUTHENTICATED', message, {}, { 'WWW-Authenticate': 'Bearer realm="registre"' });

export const tokenExpired = (): ApiError =>
  new ApiError(
    401,
    'AUTH.TOKEN_EXPIRED',
    'the bearer token has expired',
    {},
    challenge('invalid_token', 'expired'),
  );

export const tokenInvalid = (message: string): ApiError =>
  new ApiError(401, 'AUTH.TOKEN_INVALID', message, {}, challenge('invalid_token', 'invalid'));

export const tokenLifetimeTooLong = (lifetimeSeconds: number, maxSeconds: number): ApiError =>
  new ApiError(
    401,
    'AUTH.TOKEN_LIFETIME_TOO_LONG',
    `the bearer token lives ${lifetimeSeconds} s from iat to exp, more than the ${maxSeconds} s this service accepts`,
    { lifetimeSeconds, maxLifetimeSeconds: maxSeconds },
    challenge('invalid_token', 'lifetime too long'),
  );

export const tokenIssuedInFuture = (): ApiError =>
  new ApiError(
    401,
    'AUTH.TOKEN_ISSUED_IN_FUTURE',
    'the bearer token says it was issued in the future (iat): check the issuer clock',
    {},
    challenge('invalid_token', 'issued in the future'),
  );

export const identityProviderUnavailable = (): ApiError =>
  new ApiError(
    503,
    'AUTH.JWKS_UNAVAILABLE',
    'the identity provider keys could not be fetched; retry shortly',
    {},
    {
      'Retry-After': '5',
    },
  );

export const roleForbidden = (role: string, allowed: readonly string[]): ApiError =>
  new ApiError(403, 'AUTH.ROLE_FORBIDDEN', `role ${role} may not do this (allowed: ${allowed.join(', ')})`, {
    role,
    allowed,
  });

export const schoolForbidden = (schoolId: string): ApiError =>
  new ApiError(403, 'AUTH.SCHOOL_FORBIDDEN', `this token does not give access to school ${schoolId}`, {
    schoolId,
  });

export const readOnlyRole = (role: string): ApiError =>
  new ApiError(403, 'AUTH.READ_ONLY_ROLE', `role ${role} reads only and may not write`, { role });
