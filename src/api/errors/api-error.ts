import { HttpException } from '@nestjs/common';

/** The one error body every route answers with. */
export interface ErrorBody {
  readonly statusCode: number;
  /** Stable, machine-readable: `AREA.RULE` or a generic HTTP code such as `NOT_FOUND`. */
  readonly code: string;
  readonly message: string;
  readonly details: Record<string, unknown> | readonly unknown[];
}

/** An HTTP refusal that already knows its code and details (authentication, validation, lagging views). */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorBody['details'] = {},
    /** Extra response headers, e.g. WWW-Authenticate or Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super({ statusCode: status, code, message, details }, status);
  }
}

export interface FieldProblem {
  /** Dotted path inside the request: `grades.0.value`, or a header name such as `Idempotency-Key`. */
  readonly field: string;
  /** The class-validator constraint broken (`isInt`, `unknownField`, ...). */
  readonly rule: string;
  readonly message: string;
}

export const validationError = (problems: readonly FieldProblem[]): ApiError =>
  new ApiError(400, 'VALIDATION', problems.map((p) => p.message).join('; ') || 'invalid request', problems);
