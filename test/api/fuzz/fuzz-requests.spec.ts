import fc from 'fast-check';
import { encodeSegment, FuzzRequest, requestArbitrary } from './fuzz-requests';
import { operationsOf } from './openapi-document';
import { Schema } from './schema-arbitrary';

const document: Schema = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: {
    '/schools/{schoolId}/students/{studentId}/absences': {
      post: {
        parameters: [
          { name: 'studentId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'dryRun', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
          { name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  date: { type: 'string', format: 'date' },
                  note: { type: 'string', maxLength: 5 },
                },
                required: ['date'],
              },
            },
          },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

const [operation] = operationsOf(document);
const context = {
  document,
  hints: { schoolId: ['0670001A'], studentId: ['b1'] },
  authorization: 'Bearer t',
  badAuthorizations: [{ value: 'Bearer forged', what: 'forged' }],
};
const sample = (seed: number): FuzzRequest[] =>
  fc.sample(requestArbitrary(operation, context), { numRuns: 400, seed });

describe('requests generated from an operation', () => {
  it('sends valid requests to the templated path, with the token, a JSON body and the declared content type', () => {
    const valid = sample(1).filter((r) => r.mutation === 'valid');
    expect(valid.length).toBeGreaterThan(100);
    for (const request of valid) {
      expect(request.method).toBe('POST');
      expect(request.url).toMatch(/^\/schools\/[^/]*\/students\/[^/]*\/absences(\?dryRun=(true|false))?$/);
      expect(request.headers).toMatchObject({
        Authorization: 'Bearer t',
        'Content-Type': 'application/json',
      });
      expect(JSON.parse(request.body ?? '')).toHaveProperty('date');
    }
    expect(valid.filter((r) => r.url.startsWith('/schools/0670001A/students/b1/')).length).toBeGreaterThan(
      50,
    );
  });

  it('breaks one thing at a time: body, raw body, content type, parameters, headers, token', () => {
    const mutations = sample(2).map((r) => r.mutation);
    for (const expected of [
      /^body required property date missing$/,
      /^raw body: /,
      /^Content-Type: /,
      /^body without Content-Type$/,
      /^path (schoolId|studentId): /,
      /^query /,
      /Idempotency-Key/,
      /^Authorization: forged$/,
    ])
      expect(mutations).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('is the same for the same seed', () => {
    expect(sample(3)).toEqual(sample(3));
  });

  it('percent-encodes path segments, lone surrogates as their raw bytes', () => {
    expect(encodeSegment('5B/../x y')).toBe('5B%2F..%2Fx%20y');
    expect(encodeSegment('a\ud800b')).toBe('a%ED%A0%80b');
    expect(encodeSegment('é😀')).toBe(encodeURIComponent('é😀'));
  });
});
