/**
 * Every rule a command breaks is a DomainError with a stable code (`AREA.RULE`), so that clients,
 * logs and tests can rely on the code while the message stays free to improve.
 */
/**
 * `unprocessable`: well-formed, but cannot be processed as sent — an Idempotency-Key that already
 * names a different request.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unprocessable';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly kind: DomainErrorKind = 'conflict',
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError(code, message, details, 'invalid');

export const notFound = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError(code, message, details, 'not_found');

export const forbidden = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError(code, message, details, 'forbidden');
