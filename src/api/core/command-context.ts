import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { ApiHeader } from '@nestjs/swagger';
import { hash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/shared/clock';
import { describeUnsafeCharacter, unsafeCharacterIn } from '../../domain/shared/text';
import { ExpectedRevision } from '../../event-store/event-store';
import { CommandContext } from '../../event-store/handle-command';
import { authenticatedUser } from '../auth/request';
import { actorOf, ALL_SCHOOLS, AuthenticatedUser } from '../auth/user';
import { ApiError, validationError } from '../errors/api-error';
import { CommandAnswer } from './command-answer';

/** A command on the CommandBus: its own data plus who sends it, why, and under which id. */
export abstract class RegistreCommand<TResult = CommandAnswer> extends Command<TResult> {
  constructor(readonly ctx: CommandContext) {
    super();
  }
}

const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const IF_MATCH_PATTERN = /^"?(-1|[0-9]{1,15})"?$/;

const headerValue = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

const keyHeader = (request: FastifyRequest, name: string): string | undefined => {
  const value = headerValue(request, name);
  if (value === undefined) return undefined;
  if (!KEY_PATTERN.test(value)) {
    throw validationError([
      { field: name, rule: 'matches', message: `${name} must be 1–128 characters of A-Z a-z 0-9 . _ : -` },
    ]);
  }
  return value;
};

/** `If-Match: "3"` (or 3): the client's optimistic lock on the stream; no retry then. */
const expectedRevisionOf = (request: FastifyRequest): ExpectedRevision | undefined => {
  const value = headerValue(request, 'If-Match');
  if (value === undefined) return undefined;
  const revision = IF_MATCH_PATTERN.exec(value.trim());
  if (revision === null) {
    throw validationError([
      { field: 'If-Match', rule: 'isInt', message: 'If-Match must be a stream revision such as "3"' },
    ]);
  }
  const parsed = Number(revision[1]);
  return parsed === -1 ? 'no_stream' : parsed;
};

/** A reason reaches the events' metadata from any body, even one no DTO checks (a route without a body). */
const safeReason = (reason: unknown): unknown => {
  const found = typeof reason === 'string' ? unsafeCharacterIn(reason, { multiline: true }) : undefined;
  if (found !== undefined)
    throw validationError([
      { field: 'reason', rule: 'isSafeText', message: `reason ${describeUnsafeCharacter(found)}` },
    ]);
  return reason;
};

/**
 * `X-Reason`: the reason of a command whose body has no `reason` field (a correction campaign sends
 * its one reason with every command it sends this way). At most 500 characters, safe text.
 */
const reasonHeader = (request: FastifyRequest): string | undefined => {
  const value = headerValue(request, 'X-Reason');
  if (value === undefined) return undefined;
  let text: string;
  try {
    text = decodeURIComponent(value);
  } catch {
    text = '';
  }
  if (text.length === 0 || text.length > 500)
    throw validationError([
      { field: 'X-Reason', rule: 'length', message: 'X-Reason must be 1–500 characters (URI-encoded)' },
    ]);
  return text;
};

/** An all-schools admin acts in the school of the route; everybody else in the school of their token. */
const schoolOf = (user: AuthenticatedUser, request: FastifyRequest): string => {
  if (user.schoolId !== ALL_SCHOOLS) return user.schoolId;
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const schoolId = params.schoolId ?? params.uai;
  if (schoolId === undefined) {
    throw new ApiError(400, 'SCHOOL.REQUIRED', 'an all-schools token must name the school in the route');
  }
  return schoolId;
};

/**
 * The command id of a client's Idempotency-Key: a hash over the JSON array [school, user, key], so
 * that no choice of user id or key (both may contain `:`) can produce another user's command id.
 */
export const scopedCommandId = (schoolId: string, sub: string, key: string): string =>
  `idem-${hash('sha256', JSON.stringify([schoolId, sub, key]), 'base64url')}`;

const keysInOrder = (keys: readonly string[]): boolean => {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
};

const isPlain = (object: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(object);
  return prototype === Object.prototype || prototype === null;
};

/**
 * Objects with their keys sorted, at every depth: two bodies that differ only in key order are one
 * request. A plain object or array already in that order, all the way down, is its own canonical
 * form and is not copied (a class's thirty grades, `{ studentId, value }` each, usually are).
 */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = canonical(value[i]);
      if (item !== value[i]) (copy ??= [...value])[i] = item;
    }
    return copy ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return { sha256: hash('sha256', value, 'hex') };
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  const values = keys.map((key) => canonical(object[key]));
  if (isPlain(object) && keysInOrder(keys) && values.every((v, i) => v === object[keys[i]])) return object;
  return Object.fromEntries(
    keys.map((key, i): [string, unknown] => [key, values[i]]).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
};

/**
 * What makes two sends one request (as the IETF Idempotency-Key draft has it): method, route,
 * its parameters, query and body, hashed (SHA-256). Headers other than the key are not part of it.
 */
export const requestFingerprint = (request: FastifyRequest): string =>
  hash(
    'sha256',
    JSON.stringify([
      request.method,
      request.routeOptions.url ?? request.url,
      canonical(request.params ?? {}),
      canonical(request.query ?? {}),
      canonical(request.body ?? null),
    ]),
    'base64url',
  );

/**
 * The command's context from the request: actor and school from the verified token only, never from
 * the body. Client ids are scoped by school and actor so that two clients choosing the same
 * Idempotency-Key never see each other's answer, and carry a fingerprint of the request so that a
 * key sent again with another request is refused rather than answered.
 */
export const commandContextFrom = (request: FastifyRequest, now: Date): CommandContext => {
  const user = authenticatedUser(request);
  const schoolId = schoolOf(user, request);
  const key = keyHeader(request, 'Idempotency-Key');
  const correlationId = keyHeader(request, 'X-Correlation-Id');
  const expectedRevision = expectedRevisionOf(request);
  const reason = safeReason(
    (request.body as { reason?: unknown } | undefined)?.reason ?? reasonHeader(request),
  );
  return {
    commandId: key === undefined ? randomUUID() : scopedCommandId(schoolId, user.sub, key),
    ...(key !== undefined ? { idempotency: { key, requestFingerprint: requestFingerprint(request) } } : {}),
    ...(correlationId !== undefined ? { correlationId } : {}),
    actor: actorOf(user),
    schoolId,
    now,
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
  };
};

/** `@CommandCtx() ctx: CommandContext` in a controller. */
export const CommandCtx = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return commandContextFrom(request, clockOf(request).now());
});

const CLOCK_DECORATION = 'registreClock';

/** The app's clock, where a parameter decorator (outside Nest's injection) can reach it: the Fastify instance. */
export const useClock = (fastify: FastifyInstance, clock: Clock): void => {
  fastify.decorate(CLOCK_DECORATION, clock);
};

const clockOf = (request: FastifyRequest): Clock => {
  const clock: unknown = (request.server as unknown as Record<string, unknown>)[CLOCK_DECORATION];
  if (clock === undefined) throw new Error('no clock on the Fastify instance: createApp calls useClock');
  return clock as Clock;
};

/** Documents, on a command route, the headers commandContextFrom reads. */
export const ApiCommandHeaders = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      schema: { type: 'string', pattern: KEY_PATTERN.source },
      description:
        'Client id of the command (1–128 of A-Z a-z 0-9 . _ : -): a resend of the same request returns ' +
        'the first answer; the same key with a different request is refused (422 IDEMPOTENCY.KEY_REUSED)',
    }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      schema: { type: 'string', pattern: KEY_PATTERN.source },
      description: 'Groups the commands of one correction campaign or import',
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      schema: { type: 'string', pattern: IF_MATCH_PATTERN.source },
      description: 'Expected stream revision ("3"): refused with 409 if the stream moved',
    }),
  );
