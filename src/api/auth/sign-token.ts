import { decodeJwt, SignJWT } from 'jose';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, RegistreConfig } from '../../config';
import type { Clock } from '../../domain/shared/clock';
import { Role } from '../../domain/shared/event';
import { userFromClaims } from './user';

export interface TokenRequest {
  readonly sub: string;
  readonly role: Role;
  readonly schoolId: string;
  readonly classes?: readonly string[];
  readonly subjects?: readonly string[];
  /** jose time span: `8h`, `30m`, `7d`; negative spans (`-1h`) make an already expired token, for tests. */
  readonly ttl?: string;
}

export class TokenSigningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenSigningError';
  }
}

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_557_600,
};
/** jose's time spans (`30m`, `8h`, `-1h`, `2 days ago`), read here because jose counts them from its own clock. */
const TIME_SPAN =
  /^(\+|-)? ?(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)(?: (ago|from now))?$/i;

const spanSeconds = (ttl: string): number | undefined => {
  const parts = TIME_SPAN.exec(ttl);
  if (!parts || (parts[4] && parts[1])) return undefined;
  const seconds = Math.round(parseFloat(parts[2]) * SECONDS_PER_UNIT[parts[3][0].toLowerCase()]);
  return parts[1] === '-' || parts[4]?.toLowerCase() === 'ago' ? -seconds : seconds;
};

/** The verifier would refuse it: better say so here than print a token that never works. */
const assertWithinLifetime = (token: string, ttl: string, maxLifetimeSeconds: number): void => {
  const { iat = 0, exp = 0 } = decodeJwt(token);
  if (exp - iat > maxLifetimeSeconds) {
    throw new TokenSigningError(
      `ttl ${ttl} is longer than the ${maxLifetimeSeconds} s tokens may live (REGISTRE_JWT_MAX_LIFETIME)`,
    );
  }
};

/** An HS256 token for the configured secret (the CLI's `registre token`, tests, a single deployment's tooling). */
export async function signToken(
  config: Pick<RegistreConfig, 'auth'>,
  request: TokenRequest,
  clock: Clock,
): Promise<string> {
  const { auth } = config;
  if (auth.kind !== 'secret') {
    throw new TokenSigningError(
      'tokens are verified against REGISTRE_JWKS_URL: ask the identity provider for one (registre signs only with REGISTRE_JWT_SECRET)',
    );
  }
  const ttl = request.ttl ?? '8h';
  const claims = {
    role: request.role,
    schoolId: request.schoolId,
    ...(request.role === 'teacher'
      ? { classes: [...(request.classes ?? [])], subjects: [...(request.subjects ?? [])] }
      : {}),
  };
  const checked = userFromClaims({ ...claims, sub: request.sub });
  if ('problem' in checked) throw new TokenSigningError(checked.problem);
  const lifetime = spanSeconds(ttl);
  if (lifetime === undefined)
    throw new TokenSigningError(`ttl must be a time span such as 30m, 8h or 7d, got '${ttl}'`);
  const issuedAt = Math.floor(clock.now().getTime() / 1000);
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetime);
  if (auth.issuer !== undefined) jwt = jwt.setIssuer(auth.issuer);
  if (auth.audience !== undefined) jwt = jwt.setAudience(auth.audience);
  const token = await jwt.sign(new TextEncoder().encode(auth.secret));
  assertWithinLifetime(token, ttl, auth.maxLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS);
  return token;
}
