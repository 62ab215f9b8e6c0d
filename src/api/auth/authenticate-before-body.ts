import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorResponse } from '../errors/error-response';
import { bearerToken } from './bearer-token';
import { rememberUser } from './request';
import { TokenVerifier } from './token-verifier';

/** The routes reachable without a token (the handlers say so too, with @Public()). */
const isPublicRoute = (url: string | undefined): boolean =>
  url === '/health' || url === '/docs' || url === '/docs-json' || (url?.startsWith('/docs/') ?? false);

const expectsContinue = (request: FastifyRequest): boolean =>
  request.headers.expect?.toLowerCase() === '100-continue';

const sendsBody = (request: FastifyRequest): boolean =>
  request.headers['transfer-encoding'] !== undefined ||
  (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');

/** A public route never needs a token, but one sent is honoured (an admin sees the full /health). */
const rememberOptionalUser = async (request: FastifyRequest, verifier: TokenVerifier): Promise<void> => {
  if (request.headers.authorization === undefined) return;
  try {
    rememberUser(request, await verifier.verify(bearerToken(request.headers.authorization)));
  } catch {
    // A bad token on a public route gets the anonymous answer, as no token would.
  }
};

/**
 * Verifies the bearer token from the headers, before Fastify reads a byte of the body: a caller
 * without a valid token cannot make the service buffer (or wait for) a body. The refusal closes the
 * connection, so the unread body is never drained either. Roles and schools stay with the AuthGuard,
 * which finds the user remembered here. A client that asks `Expect: 100-continue` is invited to send
 * its body only once its token is accepted. Unknown paths go on to their 404.
 */
export function authenticateBeforeBody(fastify: FastifyInstance, verifier: TokenVerifier): void {
  // Node would answer `Expect: 100-continue` at once, inviting the body before anyone checked the token.
  fastify.server.on('checkContinue', (request, response) =>
    fastify.server.emit('request', request, response),
  );
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.is404) return;
    if (isPublicRoute(request.routeOptions.url)) {
      await rememberOptionalUser(request, verifier);
      if (expectsContinue(request)) reply.raw.writeContinue();
      return;
    }
    try {
      rememberUser(request, await verifier.verify(bearerToken(request.headers.authorization)));
      if (expectsContinue(request)) reply.raw.writeContinue();
    } catch (error) {
      const { body, headers } = errorResponse(error, String(request.id));
      if (sendsBody(request)) void reply.header('Connection', 'close');
      await reply.status(body.statusCode).headers(headers).send(body);
    }
  });
}
