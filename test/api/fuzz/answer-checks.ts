import { Operation, SchemaValidator } from './openapi-document';

/** An HTTP answer as received (status 0: no answer at all). */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly json?: unknown;
}

export interface Failure {
  readonly check: string;
  readonly detail: string;
}

const ERROR_KEYS = ['statusCode', 'code', 'message', 'details'];

/**
 * What is wrong with an answer: a 5xx (but a declared 503), a status the operation does not declare
 * (nor `default` nor `4XX`), a 4xx not shaped `{statusCode, code, message, details?}`, a content type
 * or body not as declared, and a refused request (4xx) that moved the log's head.
 */
export function checkAnswer(
  operation: Operation,
  answer: Answer,
  moved: boolean,
  validator: SchemaValidator,
): Failure[] {
  const failures: Failure[] = [];
  const { status } = answer;
  const declared = operation.responses;
  const response = declared[String(status)] ?? declared[`${String(status)[0]}XX`] ?? declared.default;
  if (status >= 500 && !(status === 503 && response))
    failures.push({ check: '5xx', detail: answer.text.slice(0, 300) });
  if (!response)
    failures.push({
      check: 'status not declared',
      detail: `declared: ${Object.keys(declared).join(', ')}`,
    });
  if (status >= 400) {
    const body = answer.json as Record<string, unknown> | undefined;
    const shapeProblem =
      typeof body !== 'object' || body === null || Array.isArray(body)
        ? `not a JSON object: ${answer.text.slice(0, 120)}`
        : body.statusCode !== status
          ? `statusCode ${JSON.stringify(body.statusCode)}`
          : typeof body.code !== 'string' || body.code.length === 0
            ? `code ${JSON.stringify(body.code)}`
            : typeof body.message !== 'string'
              ? `message ${JSON.stringify(body.message)}`
              : Object.keys(body).find((key) => !ERROR_KEYS.includes(key));
    if (shapeProblem) failures.push({ check: 'error shape', detail: String(shapeProblem) });
  }
  if (response?.content && answer.text.length > 0) {
    const type = answer.contentType.split(';')[0].trim();
    const media = response.content[type];
    if (!media)
      failures.push({
        check: 'content type not declared',
        detail: `${type} (declared ${Object.keys(response.content).join(', ')})`,
      });
    else if (media.schema && /json/.test(type)) {
      const problem = validator.check(media.schema, answer.json);
      if (problem) failures.push({ check: 'body not as declared', detail: problem });
    }
  }
  if (status >= 400 && moved) failures.push({ check: 'refused request wrote', detail: 'the log head moved' });
  return failures;
}
