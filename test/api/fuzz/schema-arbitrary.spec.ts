import fc from 'fast-check';
import {
  arbitraryFor,
  deeplyNested,
  deref,
  invalidArbitraryFor,
  Schema,
  violation,
} from './schema-arbitrary';
import { documentProblems, SchemaValidator } from './openapi-document';

/** A document with components, as /docs-json gives them. */
const document: Schema = {
  components: {
    schemas: {
      Slot: {
        type: 'object',
        properties: {
          date: { type: 'string', format: 'date' },
          slot: { type: 'string', pattern: '^[MS][1-4]$' },
        },
        required: ['date'],
        additionalProperties: false,
      },
      Lateness: {
        type: 'object',
        properties: {
          studentId: { type: 'string', minLength: 1, maxLength: 8 },
          minutes: { type: 'integer', minimum: 1, maximum: 240 },
        },
        required: ['studentId', 'minutes'],
      },
      Named: { type: 'object', properties: { label: { type: 'string', maxLength: 5 } }, required: ['label'] },
    },
  },
};

const schemas: Record<string, Schema> = {
  'a $ref to an object with a date and a pattern': { $ref: '#/components/schemas/Slot' },
  'an integer range': { type: 'integer', minimum: -3, maximum: 7 },
  'an exclusive number range': { type: 'number', minimum: 0, maximum: 1, exclusiveMinimum: true },
  'an enum': { type: 'string', enum: ['family', 'student', 'school'] },
  'a nullable string with lengths': { type: 'string', nullable: true, minLength: 2, maxLength: 4 },
  'a date-time': { type: 'string', format: 'date-time' },
  'an array of $ref with bounds': {
    type: 'array',
    items: { $ref: '#/components/schemas/Lateness' },
    minItems: 1,
    maxItems: 3,
  },
  'unique items': { type: 'array', items: { type: 'integer', minimum: 0, maximum: 3 }, uniqueItems: true },
  'allOf merging two objects': {
    allOf: [
      { $ref: '#/components/schemas/Named' },
      { type: 'object', properties: { n: { type: 'integer' } } },
    ],
  },
  'oneOf a string or an integer': { oneOf: [{ type: 'string', pattern: '^x+$' }, { type: 'integer' }] },
  'an object with an enum, a boolean and an optional nested array': {
    type: 'object',
    properties: {
      kind: { type: 'string', enum: ['class', 'group'] },
      flag: { type: 'boolean' },
      absent: { type: 'array', items: { type: 'string' } },
    },
    required: ['kind', 'flag'],
  },
};

const validator = new SchemaValidator(document);

describe('JSON schema → fast-check arbitraries', () => {
  it.each(Object.entries(schemas))('generates only valid values for %s (checked by ajv)', (_, schema) => {
    fc.assert(
      fc.property(arbitraryFor(schema, { document }), (value) => {
        const error = validator.check(schema, value);
        if (error) throw new Error(`${JSON.stringify(value)}: ${error}`);
        expect(violation(value, schema, document)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('leans on the hints that fit the schema, and never uses one that does not', () => {
    const schema: Schema = { $ref: '#/components/schemas/Lateness' };
    const hints = { studentId: ['b1', 'b2', 'much-too-long-for-maxLength'] };
    const values = fc.sample(arbitraryFor(schema, { document, hints }), { numRuns: 300, seed: 7 }) as {
      studentId: string;
    }[];
    const hinted = values.filter((v) => v.studentId === 'b1' || v.studentId === 'b2').length;
    expect(hinted).toBeGreaterThan(150);
    expect(values.some((v) => v.studentId === 'much-too-long-for-maxLength')).toBe(false);
  });

  it('is reproducible from a seed', () => {
    const arbitrary = arbitraryFor(schemas['an array of $ref with bounds'], { document });
    expect(fc.sample(arbitrary, { numRuns: 20, seed: 42 })).toEqual(
      fc.sample(arbitrary, { numRuns: 20, seed: 42 }),
    );
  });

  it('resolves $ref and merges allOf, and refuses a $ref that does not resolve', () => {
    expect(deref(schemas['allOf merging two objects'], document)).toMatchObject({
      properties: { label: { maxLength: 5 }, n: { type: 'integer' } },
      required: ['label'],
    });
    expect(() => deref({ $ref: '#/components/schemas/Nope' }, document)).toThrow(/does not resolve/);
  });

  it('breaks objects: a missing required property, a wrong type, an extra property, a broken keyword', () => {
    const schema: Schema = { $ref: '#/components/schemas/Lateness' };
    const samples = fc.sample(invalidArbitraryFor(schema, { document }), { numRuns: 400, seed: 3 });
    const mutations = samples.map((s) => s.mutation);
    expect(mutations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^required property (studentId|minutes) missing$/),
        expect.stringMatching(/^extra property /),
        expect.stringMatching(/^minutes: maximum \+ 1$/),
        expect.stringMatching(/^studentId: maxLength 8 \+ 1$/),
        expect.stringMatching(/instead of object$/),
      ]),
    );
    for (const { value, mutation } of samples)
      if (/missing|instead of|maximum|maxLength|not in enum|fraction/.test(mutation))
        expect(violation(value, schema, document)).toBeDefined();
  });

  it('breaks strings with impossible dates, control characters and huge values', () => {
    const samples = fc
      .sample(invalidArbitraryFor({ type: 'string', format: 'date' }), { numRuns: 300, seed: 5 })
      .map((s) => s.mutation);
    expect(samples).toEqual(
      expect.arrayContaining([
        'impossible date 2026-02-30',
        'string of 100,000 characters',
        'string with "\\u0000"',
      ]),
    );
    expect(violation('2026-02-30', { type: 'string', format: 'date' })).toBeDefined();
    expect(violation('2026-02-28', { type: 'string', format: 'date' })).toBeUndefined();
  });

  it('nests values as deep as asked', () => {
    const text = JSON.stringify(deeplyNested(2000, 'object'));
    expect(text.startsWith('{"a":{"a":')).toBe(true);
    expect(text.split('{').length - 1).toBe(2000);
  });

  it('finds what is wrong with an OpenAPI document: schema errors, undeclared path parameters, dangling $ref', () => {
    const broken: Schema = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/schools/{schoolId}/classes/{classId}': {
          get: {
            parameters: [{ name: 'classId', in: 'path', schema: { type: 'string' } }],
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Gone' } } },
              },
            },
          },
          post: { responses: { 200: {} } },
        },
      },
    };
    const problems = documentProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'GET /schools/{schoolId}/classes/{classId}: path parameter {schoolId} is not declared',
        'GET /schools/{schoolId}/classes/{classId}: path parameter {classId} is not required: true',
        '$ref #/components/schemas/Gone does not resolve',
        expect.stringMatching(/^schema: /),
      ]),
    );
    expect(documentProblems({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {} })).toEqual([]);
  });
});
