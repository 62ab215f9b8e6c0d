import { decodeJwt, SignJWT } from 'jose';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, RegistreConfig } from '../../config';
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
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt();
  try {
    jwt = jwt.setExpirationTime(ttl);
  } catch {
    throw new TokenSigningError(`ttl must be a time span such as 30m, 8h or 7d, got '${ttl}'`);
  }
  if (auth.issuer !== undefined) jwt = jwt.setIssuer(auth.issuer);
  if (auth.audience !== undefined) jwt = jwt.setAudience(auth.audience);
  const token = await jwt.sign(new TextEncoder().encode(auth.secret));
  assertWithinLifetime(token, ttl, auth.maxLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS);
  return token;
}
