import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { AuthConfig, DEFAULT_TOKEN_LIFETIME_SECONDS } from '../../config';
import type { Clock } from '../../domain/shared/clock';
import { ApiError } from '../errors/api-error';
import {
  identityProviderUnavailable,
  tokenExpired,
  tokenInvalid,
  tokenIssuedInFuture,
  tokenLifetimeTooLong,
} from './auth-errors';
import { AuthenticatedUser, userFromClaims } from './user';

export interface TokenVerifier {
  /** The token's user, or an ApiError: 401 for a bad token, 503 when the identity provider cannot be reached. */
  verify(token: string): Promise<AuthenticatedUser>;
}

const CLOCK_TOLERANCE_SECONDS = 5;
/** Clocks of an identity provider and of this service drift apart by a few seconds, not minutes. */
const ISSUED_AT_TOLERANCE_SECONDS = 60;
/** An unknown `kid` sends the provider one extra request at most this often (the rest reuse its outcome). */
const UNKNOWN_KEY_PROBE_INTERVAL_MS = 1000;

/** Errors that say "this token is wrong"; anything else (network, a broken JWKS endpoint) is ours to report. */
const TOKEN_FAULTS = [
  errors.JWSSignatureVerificationFailed,
  errors.JWSInvalid,
  errors.JWTInvalid,
  errors.JWTClaimValidationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
];

const toApiError = (error: unknown): ApiError => {
  if (error instanceof errors.JWTExpired) return tokenExpired();
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return tokenInvalid('the bearer token signature is not valid');
  if (error instanceof errors.JWTClaimValidationFailed)
    return tokenInvalid(`the bearer token is not valid: ${error.message}`);
  if (TOKEN_FAULTS.some((fault) => error instanceof fault))
    return tokenInvalid('the bearer token is malformed or not valid');
  return identityProviderUnavailable();
};

/**
 * The provider's keys, fetched and cached by jose. jose answers an unknown `kid` as "no matching key"
 * without asking the provider again for 30 s after a fetch, even when the provider has since gone
 * away; that is told apart here by asking it (at most once a second): when it does not answer,
 * the error is the provider's (503), not the token's.
 */
const providerKeys = (jwksUrl: string): JWTVerifyGetKey => {
  const remote = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3000, cooldownDuration: 30_000 });
  let lastProbe: { readonly at: number; readonly failure?: unknown } | undefined;
  const probe = async (): Promise<void> => {
    const now = performance.now();
    if (lastProbe === undefined || now - lastProbe.at >= UNKNOWN_KEY_PROBE_INTERVAL_MS) {
      try {
        await remote.reload();
        lastProbe = { at: now };
      } catch (failure) {
        lastProbe = { at: now, failure };
      }
    }
    if (lastProbe.failure !== undefined) throw lastProbe.failure;
  };
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      await probe();
      return remote(header, token);
    }
  };
};

const payloadCheck = (
  auth: AuthConfig,
  common: JWTVerifyOptions,
): ((token: string, currentDate: Date) => Promise<JWTPayload>) => {
  if (auth.kind === 'secret') {
    const key = new TextEncoder().encode(auth.secret);
    const options = { ...common, algorithms: ['HS256'] };
    return async (token, currentDate) => (await jwtVerify(token, key, { ...options, currentDate })).payload;
  }
  const keys = providerKeys(auth.jwksUrl);
  const options = { ...common, algorithms: ['RS256', 'ES256'] };
  return async (token, currentDate) => (await jwtVerify(token, keys, { ...options, currentDate })).payload;
};

/** Long enough to spare a client's burst of requests the signature check, short enough to follow a key rotation. */
const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKEN_CAPACITY = 10_000;

interface VerifiedToken {
  readonly user: AuthenticatedUser;
  /** Epoch ms: the token's `exp` or the end of the TTL, whichever comes first. */
  readonly until: number;
}

/**
 * Tokens verified a moment ago, by their exact text, least recently used first. An entry ends at the
 * token's `exp` (before jose's clock tolerance would), so an expired token is always checked again
 * and refused as jose refuses it; only accepted tokens are kept.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedToken>();

  get(token: string, now: number): AuthenticatedUser | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    this.entries.delete(token);
    if (now >= entry.until) return undefined;
    this.entries.set(token, entry);
    return entry.user;
  }

  set(token: string, user: AuthenticatedUser, exp: number | undefined, now: number): void {
    if (exp === undefined) return;
    const until = Math.min(exp * 1000, now + VERIFIED_TOKEN_TTL_MS);
    if (until <= now) return;
    if (this.entries.size >= VERIFIED_TOKEN_CAPACITY) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { user, until });
  }
}

/** jose has checked that `iat` and `exp` are numbers and `exp` is not past; the rest is ours. */
const assertLifetime = (claims: JWTPayload, maxLifetimeSeconds: number, now: number): void => {
  const iat = claims.iat as number;
  const exp = claims.exp as number;
  if (iat > now / 1000 + ISSUED_AT_TOLERANCE_SECONDS) throw tokenIssuedInFuture();
  if (exp - iat > maxLifetimeSeconds) throw tokenLifetimeTooLong(exp - iat, maxLifetimeSeconds);
};

/** HS256 with the deployment's secret, or RS256/ES256 against an identity provider's JWKS. */
export function createTokenVerifier(auth: AuthConfig, clock: Clock): TokenVerifier {
  const check = payloadCheck(auth, {
    requiredClaims: ['exp', 'iat', 'sub'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    ...(auth.issuer !== undefined ? { issuer: auth.issuer } : {}),
    ...(auth.audience !== undefined ? { audience: auth.audience } : {}),
  });
  const maxLifetime = auth.maxLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const verified = new VerifiedTokens();
  return {
    async verify(token) {
      const now = clock.now();
      const known = verified.get(token, now.getTime());
      if (known !== undefined) return known;
      let claims: JWTPayload;
      try {
        claims = await check(token, now);
      } catch (error) {
        throw toApiError(error);
      }
      assertLifetime(claims, maxLifetime, now.getTime());
      const user = userFromClaims(claims);
      if ('problem' in user) throw tokenInvalid(`the bearer token is not valid: ${user.problem}`);
      verified.set(token, user, claims.exp, now.getTime());
      return user;
    },
  };
}
