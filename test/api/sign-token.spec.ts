import { decodeJwt } from 'jose';
import { signToken, TokenSigningError } from '../../src/api/auth/sign-token';
import { fixedClock } from '../../src/domain/shared/clock';
import { TEST_SECRET } from '../support/http';

const config = { auth: { kind: 'secret', secret: TEST_SECRET, source: 'env' } } as const;
const clock = fixedClock('2028-02-29T10:00:00Z');
const ISSUED_AT = 1835431200;

describe('signToken reads the time from its clock', () => {
  it.each([
    ['8h', ISSUED_AT + 8 * 3600],
    ['30m', ISSUED_AT + 1800],
    ['90s', ISSUED_AT + 90],
    ['2 hours', ISSUED_AT + 7200],
    ['-1h', ISSUED_AT - 3600],
    ['1h ago', ISSUED_AT - 3600],
  ])('a ttl of %s expires at %d', async (ttl, exp) => {
    const token = await signToken(config, { sub: 'cpe-01', role: 'cpe', schoolId: '0670001A', ttl }, clock);
    expect(decodeJwt(token)).toMatchObject({ iat: ISSUED_AT, exp });
  });

  it.each(['forever', '-2h ago', ''])('refuses a ttl of %j', async (ttl) => {
    await expect(
      signToken(config, { sub: 'cpe-01', role: 'cpe', schoolId: '0670001A', ttl }, clock),
    ).rejects.toThrow(TokenSigningError);
  });
});
