import { Answer, checkAnswer } from './answer-checks';
import { operationsOf, SchemaValidator } from './openapi-document';
import { Schema } from './schema-arbitrary';

const document: Schema = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/things': {
      post: {
        responses: {
          '201': {
            description: 'made',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Made' } } },
          },
          '400': {
            description: 'refused',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
          },
          '503': { description: 'not caught up' },
        },
      },
    },
  },
  components: {
    schemas: {
      Made: { type: 'object', properties: { position: { type: 'string' } }, required: ['position'] },
      ErrorResponse: {
        type: 'object',
        properties: {
          statusCode: { type: 'integer' },
          code: { type: 'string' },
          message: { type: 'string' },
        },
        required: ['statusCode', 'code', 'message'],
      },
    },
  },
};
const [operation] = operationsOf(document);
const validator = new SchemaValidator(document);
const json = (status: number, body: unknown): Answer => ({
  status,
  contentType: 'application/json; charset=utf-8',
  text: JSON.stringify(body),
  json: body,
});
const checks = (answer: Answer, moved = false) =>
  checkAnswer(operation, answer, moved, validator).map((f) => f.check);

describe('the checks on each answer', () => {
  it('passes a declared success and a declared, well-shaped refusal that wrote nothing', () => {
    expect(checks(json(201, { position: '3' }), true)).toEqual([]);
    expect(checks(json(400, { statusCode: 400, code: 'VALIDATION', message: 'm', details: [] }))).toEqual([]);
    expect(checks(json(503, { statusCode: 503, code: 'PROJECTION.NOT_CAUGHT_UP', message: 'm' }))).toEqual(
      [],
    );
  });

  it('fails a 5xx, an undeclared status, a badly shaped error, a body not as declared', () => {
    expect(checks(json(500, { statusCode: 500, code: 'INTERNAL', message: 'm' }))).toEqual([
      '5xx',
      'status not declared',
    ]);
    expect(checks(json(404, { statusCode: 404, code: 'NOT_FOUND', message: 'm' }))).toEqual([
      'status not declared',
    ]);
    expect(checks(json(400, { error: 'Bad Request', message: 'Client Error', statusCode: 400 }))).toEqual(
      expect.arrayContaining(['error shape', 'body not as declared']),
    );
    expect(checks(json(201, { id: 1 }))).toEqual(['body not as declared']);
    expect(checks({ status: 201, contentType: 'text/html', text: '<p>' })).toEqual([
      'content type not declared',
    ]);
  });

  it('fails a refused request that moved the head of the log', () => {
    expect(checks(json(400, { statusCode: 400, code: 'VALIDATION', message: 'm' }), true)).toEqual([
      'refused request wrote',
    ]);
  });
});
