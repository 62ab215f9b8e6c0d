import { DomainError } from '../shared/domain-error';

/**
 * A correction campaign (DESIGN.md, "Corrections"): a batch of ordinary commands — the API's own
 * write routes, each with its body — sent under one correlation id and one reason. Each operation
 * is one command on one stream, so each is all or nothing; the campaign reports the ones refused.
 */
export type CampaignMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CampaignOperation {
  readonly method: CampaignMethod;
  /** The route, inside the campaign's school: `/schools/0670001A/assessments/c1`. */
  readonly path: string;
  readonly body?: Readonly<Record<string, unknown>>;
}

export const MAX_CAMPAIGN_OPERATIONS = 500;

const METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Routes a campaign does not send: campaigns themselves, file imports, projection rebuilds. */
const NOT_IN_A_CAMPAIGN = /\/(campaigns|imports|projections)(\/|$)/;

const SAFE_PATH = /^\/schools\/[A-Za-z0-9]{1,16}(\/[A-Za-z0-9._:%-]{1,128}){1,8}$/;

const invalid = (field: string, rule: string, message: string): DomainError =>
  new DomainError('CAMPAIGN.INVALID', message, { field, rule }, 'invalid');

/** The operations, checked: each a write route of the campaign's school; refused naming the first one that is not. */
export const checkOperations = (schoolId: string, operations: readonly CampaignOperation[]): void => {
  if (operations.length === 0)
    throw invalid('operations', 'arrayNotEmpty', 'a campaign has at least one operation');
  if (operations.length > MAX_CAMPAIGN_OPERATIONS)
    throw invalid(
      'operations',
      'arrayMaxSize',
      `a campaign has at most ${MAX_CAMPAIGN_OPERATIONS} operations; split it`,
    );
  operations.forEach((operation, index) => {
    if (!METHODS.includes(operation.method))
      throw invalid(
        `operations.${index}.method`,
        'isIn',
        `operations.${index}.method must be one of ${METHODS.join(', ')}`,
      );
    if (!SAFE_PATH.test(operation.path) || !operation.path.startsWith(`/schools/${schoolId}/`))
      throw invalid(
        `operations.${index}.path`,
        'isRouteOfSchool',
        `operations.${index}.path must be a route of school ${schoolId}, such as /schools/${schoolId}/assessments/c1`,
      );
    if (NOT_IN_A_CAMPAIGN.test(operation.path))
      throw invalid(
        `operations.${index}.path`,
        'isCorrection',
        `operations.${index}.path: campaigns, imports and rebuilds are not sent inside a campaign`,
      );
  });
};

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const segment = (value: unknown): string => encodeURIComponent(String(value));

/** An event as a campaign's commit appended it. */
export interface AppendedEvent {
  readonly streamId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * The operation that undoes one event of a campaign, or why there is none. Corrections that carry
 * what they replaced (a grade, a level, an assessment's terms, an appreciation, a positioning, a
 * roll call's list) are undone by the same correction back; a roll call taken by the campaign is
 * voided; a fact reported is voided. A void is final in Registre (a voided roll call is taken again
 * by its teacher): it is reported, not undone.
 */
export const inverseOf = (
  schoolId: string,
  event: AppendedEvent,
): { readonly operation: CampaignOperation } | { readonly notUndone: string } => {
  const d = event.data;
  const school = `/schools/${schoolId}`;
  switch (event.type) {
    case 'GradeCorrected':
      return {
        operation: {
          method: 'POST',
          path: `${school}/assessments/${segment(d.assessmentId)}/grades/${segment(d.studentId)}/correction`,
          body: { value: d.previous ?? null },
        },
      };
    case 'LevelCorrected':
      return {
        operation: {
          method: 'POST',
          path: `${school}/assessments/${segment(d.assessmentId)}/levels/${segment(d.studentId)}/${segment(d.itemId)}/correction`,
          body: { value: d.previous ?? null },
        },
      };
    case 'AssessmentChanged': {
      if (!isRecord(d.previous) || !isRecord(d.terms))
        return { notUndone: 'the change does not say what it replaced' };
      const previous = d.previous;
      const terms = d.terms;
      const back = Object.fromEntries(
        ['date', 'title', 'outOf', 'coefficient', 'formative']
          .filter((key) => previous[key] !== undefined && previous[key] !== terms[key])
          .map((key) => [key, previous[key]]),
      );
      return {
        operation: { method: 'PATCH', path: `${school}/assessments/${segment(d.assessmentId)}`, body: back },
      };
    }
    case 'RollCallTaken':
      return {
        operation: {
          method: 'POST',
          path: `${school}/roll-calls/${segment(d.classOrGroupId)}/${segment(d.date)}/${segment(
            isRecord(d.slot) ? d.slot.code : d.slot,
          )}/void`,
          body: {},
        },
      };
    case 'RollCallAmended':
      return {
        operation: {
          method: 'POST',
          path: `${school}/roll-calls/${segment(d.classOrGroupId)}/${segment(d.date)}/${segment(
            isRecord(d.slot) ? d.slot.code : d.slot,
          )}/revert`,
          body: { toVersion: Number(d.version) - 1 },
        },
      };
    case 'AbsenceReported':
    case 'InfirmaryVisitRecorded':
      return {
        operation: {
          method: 'POST',
          path: `${school}/students/${segment(d.studentId)}/attendance-facts/${segment(d.factId)}/void`,
          body: {},
        },
      };
    case 'RollCallVoided':
    case 'AttendanceFactVoided':
      return {
        notUndone: `${event.type}: a void is final; the fact is recorded again by whoever records it`,
      };
    default:
      return { notUndone: `${event.type} has no correction that undoes it` };
  }
};
