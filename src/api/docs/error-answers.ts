import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const ERROR_RESPONSE = 'ErrorResponse';
const FIELD_PROBLEM = 'FieldProblem';
const errorRef = { $ref: `#/components/schemas/${ERROR_RESPONSE}` };

const SCHEMAS: Record<string, SchemaObject> = {
  [FIELD_PROBLEM]: {
    type: 'object',
    description: 'One broken rule of a 400: the field, the rule and what it must be',
    required: ['field', 'rule', 'message'],
    properties: {
      field: { type: 'string', example: 'date', description: 'Dotted path in the request, or a header name' },
      rule: { type: 'string', example: 'isCalendarDate' },
      message: { type: 'string', example: 'date must be a date YYYY-MM-DD that exists in the calendar' },
    },
  },
  [ERROR_RESPONSE]: {
    type: 'object',
    description: 'Every refusal and every failure',
    required: ['statusCode', 'code', 'message', 'details'],
    properties: {
      statusCode: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
      code: {
        type: 'string',
        example: 'VALIDATION',
        description: 'Stable and machine-readable: AREA.RULE, or a generic code such as NOT_FOUND',
      },
      message: { type: 'string' },
      details: {
        description: 'For VALIDATION, one FieldProblem per broken rule; otherwise what the code needs',
        oneOf: [
          { type: 'array', items: { $ref: `#/components/schemas/${FIELD_PROBLEM}` } },
          { type: 'object', additionalProperties: true },
        ],
      },
    },
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const COMMAND_METHODS: ReadonlySet<string> = new Set(['put', 'post', 'delete', 'patch']);

const isParameter = (parameter: ParameterObject | ReferenceObject): parameter is ParameterObject =>
  !('$ref' in parameter);

const parametersOf = (operation: OperationObject): ParameterObject[] =>
  (operation.parameters ?? []).filter(isParameter);

const hasParameter = (operation: OperationObject, place: string, name: string): boolean =>
  parametersOf(operation).some((parameter) => parameter.in === place && parameter.name === name);

/**
 * The error answers an operation can give, from what it takes: token, path, body, headers. Some come
 * before any route is chosen (an undecodable path, a path parameter or headers too large, a request
 * too slow) and some from the infrastructure (views behind, identity provider down): every
 * operation lists those.
 */
const errorAnswersOf = (path: string, method: string, operation: OperationObject): Record<number, string> => {
  const secured = (operation.security ?? []).length > 0;
  const answers: Record<number, string> = {
    400: 'Bad input: `details` names each field and the rule it breaks (or the path does not decode)',
    408: 'The request did not arrive in full in time; the connection is closed',
    414: 'A path parameter is longer than the API accepts',
    431: 'The request headers are too large',
    503: 'The views did not reach minPosition in time (PROJECTION.NOT_CAUGHT_UP), are being rebuilt or restarted (PROJECTION.UNAVAILABLE), every read thread is busy with a full queue (READS.BUSY), lost or past its time (READS.UNAVAILABLE, READS.TIMEOUT), or the identity provider does not answer (AUTH.JWKS_UNAVAILABLE)',
  };
  if (secured) {
    answers[401] = 'No token, or an expired, forged or unusable one';
    answers[403] = 'The role may not do this, or the school is not the token’s';
  }
  if (/\{[^}]+\}/.test(path)) answers[404] = 'Something the path names does not exist';
  if (COMMAND_METHODS.has(method)) {
    answers[409] = 'A rule of the school refuses it, or the stream moved (If-Match)';
    answers[413] = 'The body is too large';
    answers[415] = 'The body is not of an accepted media type';
  }
  if (hasParameter(operation, 'query', 'after'))
    answers[400] +=
      '; for a page: `limit` outside 1..500 (rule min or max), or an `after` that is not the `next` of a previous page of this list (rule cursor)';
  if (hasParameter(operation, 'header', 'Idempotency-Key'))
    answers[422] = 'This Idempotency-Key was used for a different request';
  return answers;
};

const errorAnswer = (description: string): ResponseObject => ({
  description,
  content: { 'application/json': { schema: errorRef } },
});

/**
 * Every operation lists the error answers it can give, each with the one error body; the routes
 * behind a token say so, and the schema of that body is a component of its own.
 */
export function withErrorAnswers(document: OpenAPIObject): OpenAPIObject {
  const paths: Record<string, PathItemObject> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const next: PathItemObject = { ...item };
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const answers = errorAnswersOf(path, method, operation);
      const responses = { ...operation.responses };
      for (const [status, description] of Object.entries(answers))
        responses[status] = responses[status] ?? errorAnswer(description);
      next[method] = { ...operation, responses };
    }
    paths[path] = next;
  }
  return {
    ...document,
    paths,
    components: { ...document.components, schemas: { ...document.components?.schemas, ...SCHEMAS } },
  };
}
