/**
 * Every rule a command breaks is a DomainError with a stable code (`AREA.RULE`), so that clients,
 * logs and tests can rely on the code while the message stays free to improve. Its kind is decided
 * where it is thrown, and the API turns each kind into one status, the same for every area.
 *
 * - `invalid`: the request itself is wrong (a malformed date, an unknown slot) — fix the request.
 * - `not_found`: the thing the command names does not exist.
 * - `conflict`: well-formed, but the school's rules or records say no (a student not enrolled, a
 *   date outside the year, a roll call already voided).
 * - `forbidden`: the actor may not do this (a teacher outside their classes).
 * - `unprocessable`: well-formed, but cannot be processed as sent — an Idempotency-Key that already
 *   names a different request.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unprocessable';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
    readonly kind: DomainErrorKind,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

type Details = Record<string, unknown>;

export const invalid = (code: string, message: string, details: Details = {}) =>
  new DomainError(code, message, details, 'invalid');

export const notFound = (code: string, message: string, details: Details = {}) =>
  new DomainError(code, message, details, 'not_found');

export const conflict = (code: string, message: string, details: Details = {}) =>
  new DomainError(code, message, details, 'conflict');

export const forbidden = (code: string, message: string, details: Details = {}) =>
  new DomainError(code, message, details, 'forbidden');

export const unprocessable = (code: string, message: string, details: Details = {}) =>
  new DomainError(code, message, details, 'unprocessable');
