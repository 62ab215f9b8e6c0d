import { DomainError } from '../../domain/shared/domain-error';
import { ApiError } from '../errors/api-error';

/**
 * The decisions mark these refusals `invalid` because, seen from inside, a typo and a broken rule look
 * alike. Over HTTP a well-formed request that the school's rules or data refuse — a student not
 * enrolled, a date outside the year, someone else's absence removed without a reason — is a 409,
 * so that a client can tell "fix the request" (400) from "the school says no" (409).
 */
const RULES_BROKEN: ReadonlySet<string> = new Set([
  'ROLL_CALL.STUDENT_NOT_ENROLLED',
  'ROLL_CALL.REASON_REQUIRED',
  'ROLL_CALL.DATE_OUTSIDE_SCHOOL_YEAR',
  'ROLL_CALL.NON_SCHOOL_DAY',
  'ROLL_CALL.NON_SCHOOL_HALF_DAY',
  'ROLL_CALL.DATE_TOO_FAR_AHEAD',
  'ROLL_CALL.LESSON_MISMATCH',
  'ATTENDANCE.DATE_OUTSIDE_SCHOOL_YEAR',
  'ATTENDANCE.DATE_IN_FUTURE',
  'ATTENDANCE.DATE_TOO_FAR_AHEAD',
  'ATTENDANCE.RANGE_EMPTY',
  'JUSTIFICATION.DATE_OUTSIDE_SCHOOL_YEAR',
  'JUSTIFICATION.REASON_REQUIRED',
  'JUSTIFICATION.REASON_NOT_LEGITIMATE',
]);

/** The request's own names for the fields the decisions name after their commands. */
export type FieldNames = Readonly<Record<string, string>>;

const SLOT_FIELDS: FieldNames = { slotCode: 'slot', 'from.slotCode': 'from.slot', 'to.slotCode': 'to.slot' };

const renamed = (details: Record<string, unknown>, names: FieldNames): Record<string, unknown> => {
  const field = details.field;
  if (typeof field !== 'string') return details;
  const all = { ...SLOT_FIELDS, ...names };
  return { ...details, field: all[field] ?? field };
};

/** A refusal as the HTTP client should see it: 409 for a broken rule, field names of the request. */
export const asHttpRefusal = (error: unknown, names: FieldNames = {}): unknown => {
  if (!(error instanceof DomainError)) return error;
  const details = renamed(error.details, names);
  if (RULES_BROKEN.has(error.code)) return new ApiError(409, error.code, error.message, details);
  return new DomainError(error.code, error.message, details, error.kind);
};

/** Awaits a command's answer, turning a refusal into what `asHttpRefusal` says. */
export const refusalsAsHttp = async <T>(work: Promise<T>, names: FieldNames = {}): Promise<T> => {
  try {
    return await work;
  } catch (error) {
    throw asHttpRefusal(error, names);
  }
};
