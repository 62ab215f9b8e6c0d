import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorKind } from '../../domain/shared/domain-error';
import { ProjectionsUnavailableError } from '../../projections/live-projections';
import { ApiError, ErrorBody } from './api-error';

export interface ErrorResponse {
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
  /** A fault of ours, not of the request: logged with its stack. */
  readonly unexpected: boolean;
}

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
};

const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  503: 'UNAVAILABLE',
};

const codeOfStatus = (status: number) =>
  CODE_OF_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');

/** Fastify refuses some requests before Nest sees them (unparsable JSON, body too large, wrong media type). */
interface FrameworkClientError {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
}

const isFrameworkClientError = (error: unknown): error is FrameworkClientError => {
  const candidate = error as Partial<FrameworkClientError> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.statusCode === 'number' &&
    candidate.statusCode >= 400 &&
    candidate.statusCode < 500 &&
    typeof candidate.code === 'string' &&
    candidate.code.startsWith('FST_')
  );
};

const messageOf = (exception: HttpException): string => {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : exception.message;
};

const response = (statusCode: number, code: string, message: string, details: ErrorBody['details'] = {}) => ({
  body: { statusCode, code, message, details },
  headers: {},
  unexpected: false,
});

/** Every failure, whatever threw it, as `{ statusCode, code, message, details }`. */
export function errorResponse(error: unknown, requestId: string): ErrorResponse {
  if (error instanceof ApiError) {
    return {
      ...response(error.getStatus(), error.code, error.message, error.details),
      headers: error.headers,
    };
  }
  if (error instanceof DomainError) {
    return response(STATUS_OF_KIND[error.kind], error.code, error.message, error.details);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status >= 500)
      return { ...response(status, codeOfStatus(status), 'internal error', { requestId }), unexpected: true };
    return response(status, codeOfStatus(status), messageOf(error));
  }
  if (error instanceof ProjectionsUnavailableError) {
    return {
      ...response(503, 'PROJECTION.UNAVAILABLE', error.message),
      headers: { 'Retry-After': '1' },
    };
  }
  if (isFrameworkClientError(error)) {
    return response(error.statusCode, codeOfStatus(error.statusCode), error.message);
  }
  if (error instanceof RangeError) {
    // Only input reaches this far unchecked (a stack overflowed by nesting, an invalid date): the
    // caller's fault, but logged as unexpected since a check upstream should have refused it.
    return {
      ...response(
        400,
        'INPUT_TOO_COMPLEX',
        'the request could not be processed: it nests too deeply or holds an out-of-range value',
      ),
      unexpected: true,
    };
  }
  return {
    ...response(500, 'INTERNAL', `internal error; quote request ${requestId} to an operator`, { requestId }),
    unexpected: true,
  };
}
