import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';
import { errorResponse } from './error-response';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * A path that exists but not for this method (TRACE, a DELETE nobody offers) answers 405 with the
 * methods it does support in `Allow`; a path that does not exist stays 404.
 */
export function answerUnsupportedMethods(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const path = request.url.split('?', 1)[0];
    const allowed = METHODS.filter((method) => fastify.findRoute({ method, url: path }) !== null);
    if (allowed.length === 0) return;
    const refusal = new ApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `${request.method} is not supported on this path; it answers ${allowed.join(', ')}`,
      { allowed },
      { Allow: allowed.join(', ') },
    );
    const { body, headers } = errorResponse(refusal, String(request.id));
    await reply
      .status(405)
      .headers({ ...headers, Connection: 'close' })
      .send(body);
  });
}
