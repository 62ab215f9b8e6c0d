import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

/** No Registre request nests anywhere near this deep; far deeper input overflows validation's recursion. */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of objects and arrays in a JSON text, scanned without recursion and without
 * parsing, stopping as soon as it passes `limit`: the check costs nothing to whoever sends 10,000 `[`.
 */
export const jsonDepthExceeds = (text: string, limit: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === BACKSLASH) i += 1;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth += 1;
      if (depth > limit) return true;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
};

const invalidJson = (fastifyCode: string | undefined): ApiError =>
  new ApiError(
    400,
    'INVALID_JSON',
    fastifyCode === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      ? 'the request body is empty but Content-Type says application/json'
      : 'the request body is not valid JSON',
  );

const tooDeep = (): ApiError =>
  new ApiError(
    400,
    'INVALID_JSON.TOO_DEEP',
    `the request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
    { maxDepth: MAX_JSON_DEPTH },
  );

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), but its refusals become
 * `INVALID_JSON` answers: Nest would otherwise turn them into bare 400s without our code. Over-deep
 * bodies are refused before parsing, so that nothing downstream recurses through them.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      if (jsonDepthExceeds(body as string, MAX_JSON_DEPTH)) {
        done(tooDeep(), undefined);
        return;
      }
      parse(request, body as string, (error: (Error & { code?: string }) | null, value?: unknown) =>
        error ? done(invalidJson(error.code), undefined) : done(null, value),
      );
    },
  );
}
