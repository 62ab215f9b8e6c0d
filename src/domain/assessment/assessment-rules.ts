import { IsoDate, isIsoDate } from '../shared/calendar';
import { conflict, forbidden, invalid } from '../shared/domain-error';
import { Actor } from '../shared/event';
import { describeUnsafeCharacter, unsafeCharacterIn } from '../shared/text';

/** A period of the class's scheme, as the structure read model gives it. */
export type AssessmentPeriod = {
  readonly id: string;
  readonly start: IsoDate;
  /** Included. */
  readonly end: IsoDate;
};

/** The classes and groups, and the subjects, a teacher's token lists. */
export type TeacherScope = {
  readonly classes: readonly string[];
  readonly subjects: readonly string[];
};

/**
 * Who sends an assessment command. A teacher writes only for a class or group and a subject their
 * token lists both of (a teacher whose scope is not given is refused everywhere); the principal
 * writes for any; nobody else writes grades.
 */
export type AssessmentActor = {
  readonly actor: Actor;
  readonly actorScope?: TeacherScope;
};

/** `field` names the request's field when the class or subject came in the body (creating). */
export const checkAssessmentWriter = (
  { actor, actorScope }: AssessmentActor,
  classOrGroupId: string,
  subjectId: string,
  fields: { readonly classOrGroup?: string; readonly subject?: string } = {},
): void => {
  if (actor.role === 'principal') return;
  if (actor.role !== 'teacher')
    throw forbidden('ASSESSMENT.ROLE_FORBIDDEN', `a ${actor.role} does not write grades`, {
      role: actor.role,
    });
  if (!(actorScope?.classes ?? []).includes(classOrGroupId))
    throw forbidden('ASSESSMENT.NOT_CLASS_TEACHER', `teacher ${actor.id} does not teach ${classOrGroupId}`, {
      ...(fields.classOrGroup !== undefined ? { field: fields.classOrGroup } : {}),
      classOrGroupId,
      teacherId: actor.id,
    });
  if (!(actorScope?.subjects ?? []).includes(subjectId))
    throw forbidden('ASSESSMENT.NOT_SUBJECT_TEACHER', `teacher ${actor.id} does not teach ${subjectId}`, {
      ...(fields.subject !== undefined ? { field: fields.subject } : {}),
      subjectId,
      teacherId: actor.id,
    });
};

/**
 * Who reads grades: a teacher their own classes and groups (every subject of them, as a class's
 * teachers see each other's grades in the grade book); the CPE, the principal and the auditor any.
 */
export const mayReadAssessments = (
  { actor, actorScope }: AssessmentActor,
  classOrGroupId: string,
): boolean => {
  switch (actor.role) {
    case 'teacher':
      return (actorScope?.classes ?? []).includes(classOrGroupId);
    case 'cpe':
    case 'principal':
    case 'auditor':
      return true;
    case 'admin':
      return false;
    default: {
      const unexpected: never = actor.role;
      return unexpected;
    }
  }
};

/**
 * Once the period's council is held, its grades still change, but only by the principal and with a
 * reason (DOMAIN.md, "Class council"): through corrections, which carry one. A grade missing then is
 * added by the principal as a correction of an empty cell.
 */
export const checkPeriodOpen = (
  { actor }: AssessmentActor,
  periodId: string,
  periodClosed: boolean | undefined,
  reason: string | undefined,
): void => {
  if (!periodClosed) return;
  if (actor.role !== 'principal')
    throw forbidden(
      'ASSESSMENT.PERIOD_CLOSED',
      `period ${periodId} is closed: only the principal changes it`,
      {
        periodId,
      },
    );
  if (!hasText(reason))
    throw conflict('ASSESSMENT.REASON_REQUIRED', `period ${periodId} is closed: a change needs a reason`, {
      field: 'reason',
      periodId,
    });
};

/** Creating an assessment or recording grades and levels in a closed period: refused, corrections only. */
export const refuseClosedPeriod = (periodId: string, periodClosed: boolean | undefined): void => {
  if (periodClosed)
    throw conflict(
      'ASSESSMENT.PERIOD_CLOSED_TO_ENTRY',
      `period ${periodId} is closed: its council was held; the principal corrects it with a reason`,
      { periodId },
    );
};

export const hasText = (value: string | undefined | null): value is string =>
  typeof value === 'string' && value.trim() !== '';

export const REASON_MAX_LENGTH = 500;
export const TITLE_MAX_LENGTH = 200;

/** A correction's reason: required, single-line safe text of at most 500 characters. */
export const checkReason = (reason: string | undefined, why: string): string => {
  if (!hasText(reason))
    throw conflict('ASSESSMENT.REASON_REQUIRED', `${why} needs a reason`, { field: 'reason' });
  checkText(reason, 'reason', REASON_MAX_LENGTH);
  return reason;
};

export const checkText = (value: unknown, field: string, maxLength: number): string => {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid('ASSESSMENT.TEXT_REQUIRED', `${field} must be a non-empty text`, { field });
  if (value.length > maxLength)
    throw invalid('ASSESSMENT.TEXT_TOO_LONG', `${field} must be at most ${maxLength} characters`, {
      field,
      maxLength,
    });
  const unsafe = unsafeCharacterIn(value);
  if (unsafe !== undefined)
    throw invalid('ASSESSMENT.TEXT_UNSAFE', `${field} ${describeUnsafeCharacter(unsafe)}`, { field });
  return value;
};

export const checkId = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 80 || /[/\\\s]/.test(value))
    throw invalid('ASSESSMENT.ID_INVALID', `${field} must be 1 to 80 characters, no slash and no space`, {
      field,
    });
  return value;
};

export const OUT_OF_MIN = 1;
export const OUT_OF_MAX = 100;
export const COEFFICIENT_MAX = 99;

export const checkOutOf = (value: unknown): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < OUT_OF_MIN || value > OUT_OF_MAX)
    throw invalid(
      'ASSESSMENT.OUT_OF_INVALID',
      `outOf must be a whole number from 1 to 100, got ${String(value)}`,
      {
        field: 'outOf',
      },
    );
  return value;
};

/** 0 to 99 with at most two decimals (0.5 is common); 0 means "shown, not counted". */
export const checkCoefficient = (value: unknown): number => {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > COEFFICIENT_MAX ||
    Math.abs(value * 100 - Math.round(value * 100)) > 1e-7
  )
    throw invalid(
      'ASSESSMENT.COEFFICIENT_INVALID',
      `coefficient must be from 0 to 99 with at most two decimals, got ${String(value)}`,
      { field: 'coefficient' },
    );
  return value;
};

/** The period of the class's scheme the date falls in. */
export const periodOf = (date: unknown, periods: readonly AssessmentPeriod[]): AssessmentPeriod => {
  if (!isIsoDate(date))
    throw invalid('ASSESSMENT.DATE_INVALID', `date must be YYYY-MM-DD, got ${String(date)}`, {
      field: 'date',
    });
  const period = periods.find((p) => p.start <= date && date <= p.end);
  if (period === undefined)
    throw conflict('ASSESSMENT.DATE_OUTSIDE_PERIODS', `${date} is in none of the class's periods`, {
      field: 'date',
      date,
      periods: periods.map((p) => ({ id: p.id, start: p.start, end: p.end })),
    });
  return period;
};
