import { startTestApp, TestApp } from '../support/http';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; $ref?: string };
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  security?: unknown[];
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

const UAI_PATTERN = '^[0-9]{7}[A-Z]$';
const ERROR_REF = '#/components/schemas/ErrorResponse';

/** Issue #8: the document generated clients and fuzzers read must say every parameter, rule and error. */
describe('the OpenAPI document', () => {
  let app: TestApp;
  let document: Document;
  let operations: { path: string; method: string; operation: Operation }[];
  beforeAll(async () => {
    app = await startTestApp();
    document = (await app.http().get('/docs-json').expect(200)).body as Document;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );
  });
  afterAll(() => app?.close());

  const operation = (method: string, path: string): Operation => document.paths[path][method];
  const parameter = (op: Operation, place: string, name: string) =>
    op.parameters?.find((p) => p.in === place && p.name === name);
  const schema = (name: string) => document.components.schemas[name];

  it('declares {schoolId} with the UAI pattern on every operation whose path has it', () => {
    const withSchool = operations.filter(({ path }) => path.includes('{schoolId}'));
    expect(withSchool.length).toBeGreaterThan(50);
    const undeclared = withSchool
      .filter(({ operation: op }) => parameter(op, 'path', 'schoolId')?.schema?.pattern !== UAI_PATTERN)
      .map(({ method, path }) => `${method} ${path}`);
    expect(undeclared).toEqual([]);
  });

  it('declares every parameter of every path template', () => {
    const missing = operations.flatMap(({ path, method, operation: op }) =>
      [...path.matchAll(/\{([^}]+)\}/g)]
        .map(([, name]) => name)
        .filter((name) => parameter(op, 'path', name)?.required !== true)
        .map((name) => `${method} ${path}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('lists 400, 401 and 403 with the error schema on every operation behind a token', () => {
    const secured = operations.filter(({ operation: op }) => (op.security ?? []).length > 0);
    expect(secured.length).toBe(operations.length - 1);
    const lacking = secured.flatMap(({ path, method, operation: op }) =>
      ['400', '401', '403']
        .filter((status) => op.responses[status]?.content?.['application/json']?.schema?.$ref !== ERROR_REF)
        .map((status) => `${method} ${path}: ${status}`),
    );
    expect(lacking).toEqual([]);
    expect(schema('ErrorResponse')).toMatchObject({
      type: 'object',
      required: ['statusCode', 'code', 'message', 'details'],
    });
  });

  it('lists 404, 409, 413, 415 and 422 where they can happen, and what any request may get everywhere', () => {
    expect(Object.keys(operation('post', '/schools/{schoolId}/roll-calls').responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '408',
      '409',
      '413',
      '414',
      '415',
      '422',
      '431',
      '503',
    ]);
    expect(Object.keys(operation('get', '/schools/{schoolId}/settings').responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '408',
      '414',
      '431',
      '503',
    ]);
    expect(Object.keys(operation('get', '/health').responses).sort()).toEqual([
      '200',
      '400',
      '408',
      '414',
      '431',
      '503',
    ]);
  });

  it('says the rules of the validators: a roll call date, a reason, a lateness, a query', () => {
    const takeRollCall = schema('TakeRollCallDto');
    expect(takeRollCall.properties?.date).toMatchObject({
      type: 'string',
      format: 'date',
      pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
    });
    expect(takeRollCall.properties?.reason).toMatchObject({ type: 'string', minLength: 1, maxLength: 500 });
    expect(takeRollCall.properties?.absent).toMatchObject({
      type: 'array',
      maxItems: 200,
      items: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
    });
    expect(takeRollCall).toMatchObject({ required: ['date', 'slot', 'absent'], additionalProperties: false });
    expect(schema('RetireReasonDto').additionalProperties).toBe(false);
    expect(schema('CommandAnswer').additionalProperties).toBeUndefined();
    expect(schema('LatenessDto').properties?.minutes).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 240,
    });
    expect(schema('VoidRollCallDto').properties?.reason?.pattern).toMatch(/^\^\[\^\\u0000-\\u0008/);
    expect(schema('OpenClassDto').properties?.label).toMatchObject({ minLength: 1, maxLength: 80 });
    expect(schema('OpenClassDto').properties?.periodScheme).toMatchObject({
      enum: ['trimester', 'semester'],
    });
    const rollCallDate = parameter(
      operation('get', '/schools/{schoolId}/roll-calls/{classOrGroup}/{date}/{slot}'),
      'path',
      'date',
    );
    expect(rollCallDate?.schema).toMatchObject({ type: 'string', format: 'date' });
    const studentId = parameter(
      operation('get', '/schools/{schoolId}/students/{studentId}/enrolments'),
      'path',
      'studentId',
    );
    expect(studentId?.schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 100 });
    expect(
      parameter(operation('put', '/schools/{schoolId}/periods/{scheme}'), 'path', 'scheme')?.schema,
    ).toEqual({
      type: 'string',
      enum: ['trimester', 'semester'],
    });
    const audit = operation('get', '/schools/{schoolId}/audit');
    expect(parameter(audit, 'query', 'minPosition')?.schema?.pattern).toBe('^[0-9]{1,19}$');
    expect(parameter(audit, 'query', 'limit')).toMatchObject({
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    });
    expect(
      parameter(operation('get', '/schools/{schoolId}/attendance/alerts'), 'query', 'month')?.schema,
    ).toEqual(expect.objectContaining({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }));
  });

  it('declares limit and after on every paged list, the 400 naming them, and the page answers', () => {
    const paged = [
      '/schools/{schoolId}/audit',
      '/schools/{schoolId}/audit/rebuilds',
      '/schools/{schoolId}/attendance/alerts',
      '/schools/{schoolId}/attendance/completeness',
      '/schools/{schoolId}/students/{studentId}/attendance',
    ];
    for (const path of paged) {
      const op = operation('get', path);
      expect([path, parameter(op, 'query', 'limit')]).toEqual([
        path,
        expect.objectContaining({
          required: false,
          schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 500, default: 100 }),
        }),
      ]);
      expect([path, parameter(op, 'query', 'after')?.schema?.pattern]).toEqual([
        path,
        '^[A-Za-z0-9_-]{1,512}$',
      ]);
      expect((op.responses['400'] as { description?: string }).description).toMatch(
        /`limit` outside 1\.\.500 \(rule min or max\), or an `after` that is not the `next` of a previous page of this list \(rule cursor\)$/,
      );
    }
    expect(
      operation('get', '/schools/{schoolId}/attendance/alerts').responses['200'].content?.['application/json']
        ?.schema,
    ).toEqual({ $ref: '#/components/schemas/AlertsPage' });
    expect(schema('AlertsPage').properties?.next).toMatchObject({ type: 'string', nullable: true });
    expect(Object.keys(schema('AuditPage').properties ?? {})).toEqual([
      'entries',
      'next',
      'nextAfter',
      'effectsUnavailable',
      'rebuilds',
    ]);
    expect(schema('AuditPage').required).not.toContain('rebuilds');
    expect(schema('AuditPage').required).not.toContain('effectsUnavailable');
    expect(Object.keys(schema('RebuildsPage').properties ?? {})).toEqual(['rebuilds', 'next']);
  });

  it('gives every command a success answer with its schema', () => {
    const blind = operations
      .filter(({ method }) => method === 'post' || method === 'put')
      .filter(({ operation: op }) =>
        Object.entries(op.responses).every(
          ([status, answer]) => !status.startsWith('2') || answer.content?.['application/json'] === undefined,
        ),
      )
      .map(({ method, path }) => `${method} ${path}`);
    expect(blind).toEqual([]);
    expect(operation('post', '/schools/{schoolId}/classes').responses['201'].content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/CommandAnswer' } },
    });
  });

  it('declares the command headers with their patterns', () => {
    const voidRollCall = operation(
      'post',
      '/schools/{schoolId}/roll-calls/{classOrGroup}/{date}/{slot}/void',
    );
    expect(parameter(voidRollCall, 'header', 'Idempotency-Key')?.schema).toEqual({
      type: 'string',
      pattern: '^[A-Za-z0-9._:-]{1,128}$',
    });
    expect(parameter(voidRollCall, 'header', 'If-Match')?.schema).toEqual({
      type: 'string',
      pattern: '^"?(-1|[0-9]{1,15})"?$',
    });
  });

  it('is OpenAPI 3.0: no type lists, no null types', () => {
    expect(document.openapi).toMatch(/^3\.0\./);
    const offending: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) node.forEach((child, index) => walk(child, `${at}/${index}`));
      else if (typeof node === 'object' && node !== null)
        for (const [key, child] of Object.entries(node)) {
          if (key === 'type' && (Array.isArray(child) || child === 'null')) offending.push(at);
          walk(child, `${at}/${key}`);
        }
    };
    walk(document, '');
    expect(offending).toEqual([]);
  });
});
