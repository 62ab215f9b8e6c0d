import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

const invalidJson = (fastifyCode: string | undefined): ApiError =>
  new ApiError(
    400,
    'INVALID_JSON',
    fastifyCode === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      ? 'the request body is empty but Content-Type says application/json'
      : 'the request body is not valid JSON',
  );

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), but its refusals become
 * `INVALID_JSON` answers: Nest would otherwise turn them into bare 400s without our code.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) =>
    parse(request, body as string, (error: (Error & { code?: string }) | null, value?: unknown) =>
      error ? done(invalidJson(error.code), undefined) : done(null, value),
    ),
  );
}
