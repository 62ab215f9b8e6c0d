import fc from 'fast-check';
import { Operation, Parameter } from './openapi-document';
import {
  arbitraryFor,
  ArbitraryOptions,
  deref,
  invalidArbitraryFor,
  Schema,
  typeOf,
} from './schema-arbitrary';

/** One HTTP request, exactly as sent, and what makes it invalid ('valid' when nothing should). */
export interface FuzzRequest {
  readonly method: string;
  /** Path with its parameters already percent-encoded, and the query string. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly mutation: string;
}

export interface RequestContext extends ArbitraryOptions {
  /** The Authorization header of the role the requests are sent as (none for an anonymous caller). */
  readonly authorization?: string;
  /** Broken or forged Authorization values, tried as header mutations. */
  readonly badAuthorizations: readonly { readonly value: string; readonly what: string }[];
}

interface Parts {
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: string;
  mutation: string;
}

const STRING: Schema = { type: 'string' };

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

/** Query values: arrays become repeated parameters, as `?absent=a&absent=b`. */
const queryPairs = (name: string, value: unknown): [string, string][] =>
  Array.isArray(value) ? value.map((item) => [name, asText(item)]) : [[name, asText(value)]];

/** Every `{name}` of the path, with its declared parameter (a string when the document forgot it). */
const pathParameters = (operation: Operation): Parameter[] =>
  [...operation.path.matchAll(/\{([^}]+)\}/g)].map(
    ([, name]) =>
      operation.parameters.find((p) => p.in === 'path' && p.name === name) ?? {
        name,
        in: 'path',
        required: true,
        schema: STRING,
      },
  );

const jsonContentType = (operation: Operation): string | undefined => {
  const types = Object.keys(operation.requestBody?.content ?? {});
  return types.find((t) => /json/.test(t)) ?? types[0];
};

const IDEMPOTENCY_KEY = fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/);

/** A request the document says is well formed, from the declared schemas, leaning on the school's ids. */
function validParts(operation: Operation, context: RequestContext): fc.Arbitrary<Parts> {
  const path: Record<string, fc.Arbitrary<string>> = {};
  for (const parameter of pathParameters(operation))
    path[parameter.name] = arbitraryFor(parameter.schema ?? STRING, context, parameter.name).map(asText);
  const query = operation.parameters
    .filter((p) => p.in === 'query')
    .map((p) => {
      const value = arbitraryFor(p.schema ?? STRING, context, p.name).map((v) => queryPairs(p.name, v));
      return p.required ? value : fc.option(value, { nil: [] as [string, string][], freq: 2 });
    });
  const declaredHeaders = operation.parameters.filter((p) => p.in === 'header');
  const headerValue = (p: Parameter): fc.Arbitrary<string> =>
    p.name.toLowerCase() === 'idempotency-key'
      ? IDEMPOTENCY_KEY
      : p.name.toLowerCase() === 'if-match'
        ? fc.nat(40).map((n) => `"${n}"`)
        : p.name.toLowerCase() === 'x-correlation-id'
          ? fc.uuid()
          : arbitraryFor(p.schema ?? STRING, context, p.name).map(asText);
  const headers = declaredHeaders.map((p) =>
    fc.option(
      headerValue(p).map((value) => [p.name, value] as const),
      { nil: undefined, freq: p.required ? 0 : 3 },
    ),
  );
  const contentType = jsonContentType(operation);
  const bodySchema = contentType ? operation.requestBody?.content[contentType]?.schema : undefined;
  const body: fc.Arbitrary<string | undefined> =
    contentType === undefined
      ? fc.constant(undefined)
      : bodySchema
        ? arbitraryFor(bodySchema, context).map((v) =>
            /json/.test(contentType) ? JSON.stringify(v) : asText(v),
          )
        : fc.constant('{}');
  return fc
    .record({
      path: fc.record(path),
      query: fc.tuple(...query).map((pairs) => pairs.flat()),
      headers: fc.tuple(...headers),
      body,
    })
    .map(({ path: p, query: q, headers: h, body: b }) => {
      const all: Record<string, string> = {};
      if (context.authorization) all.Authorization = context.authorization;
      for (const header of h) if (header) all[header[0]] = header[1];
      if (b !== undefined && contentType) all['Content-Type'] = contentType;
      return { path: p, query: q, headers: all, body: b, mutation: 'valid' };
    });
}

const MALFORMED_BODIES: readonly [string, string][] = [
  ['{', 'truncated JSON'],
  ['{"a":', 'truncated JSON value'],
  ["{'a': 1}", 'single-quoted JSON'],
  ['{"a":1,}', 'trailing comma'],
  ['nul', 'bare word'],
  ['\u0000\u0001\u0002', 'binary bytes'],
  ['', 'empty body'],
  ['null', 'JSON null'],
  ['"just a string"', 'JSON string'],
  ['[]', 'JSON array'],
  ['123', 'JSON number'],
  ['{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}', 'prototype pollution'],
  ['{"date":"2026-11-16","date":{"$ne":null}}', 'duplicate keys'],
  [`${'['.repeat(5000)}${']'.repeat(5000)}`, 'array nested 5000 deep'],
  [`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, 'object nested 3000 deep'],
];

const CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'application/octet-stream',
  '*/*',
  'application/json, text/plain',
];

/** Takes a valid request and breaks one thing in it: a body field, the raw body, a parameter, a header. */
function invalidParts(operation: Operation, context: RequestContext): fc.Arbitrary<Parts> {
  const base = validParts(operation, context);
  const noHints = { ...context, hints: undefined };
  const alternatives: fc.Arbitrary<Parts>[] = [];
  const contentType = jsonContentType(operation);
  const bodySchema = contentType ? operation.requestBody?.content[contentType]?.schema : undefined;
  const json = contentType !== undefined && /json/.test(contentType);

  if (bodySchema && json)
    alternatives.push(
      fc.tuple(base, invalidArbitraryFor(bodySchema, context)).map(([parts, broken]) => ({
        ...parts,
        body: JSON.stringify(broken.value) ?? '',
        mutation: `body ${broken.mutation}`,
      })),
    );
  // Raw bodies: malformed JSON, a wrong or missing content type, a body where none is expected.
  alternatives.push(
    fc.tuple(base, fc.constantFrom(...MALFORMED_BODIES)).map(([parts, [body, what]]) => ({
      ...parts,
      headers: { ...parts.headers, 'Content-Type': 'application/json' },
      body,
      mutation: `raw body: ${what}`,
    })),
    fc.tuple(base, fc.constantFrom(...CONTENT_TYPES)).map(([parts, type]) => ({
      ...parts,
      headers: { ...parts.headers, 'Content-Type': type },
      body: parts.body ?? '{"a":1}',
      mutation: `Content-Type: ${type}`,
    })),
    base.map((parts) => {
      const { 'Content-Type': _type, ...headers } = parts.headers;
      return { ...parts, headers, body: parts.body ?? '{}', mutation: 'body without Content-Type' };
    }),
  );
  // Parameters: a broken value for a declared one, a school that is not the token's, unknown or repeated ones.
  const parameters = [...pathParameters(operation), ...operation.parameters.filter((p) => p.in === 'query')];
  if (parameters.length > 0)
    alternatives.push(
      fc.tuple(base, fc.constantFrom(...parameters)).chain(([parts, parameter]) =>
        invalidArbitraryFor(parameter.schema ?? STRING, noHints).map((broken): Parts => {
          const value = asText(broken.value);
          const mutation = `${parameter.in} ${parameter.name}: ${broken.mutation}`;
          return parameter.in === 'path'
            ? { ...parts, path: { ...parts.path, [parameter.name]: value }, mutation }
            : {
                ...parts,
                query: [...parts.query.filter(([n]) => n !== parameter.name), [parameter.name, value]],
                mutation,
              };
        }),
      ),
    );
  if (pathParameters(operation).some((p) => p.name === 'schoolId'))
    alternatives.push(
      fc
        .tuple(base, fc.constantFrom('0670002B', '*', '0670001a', '%2A', '..', '0670001A.json'))
        .map(([parts, school]) => ({
          ...parts,
          path: { ...parts.path, schoolId: school },
          mutation: `path schoolId: ${school}`,
        })),
    );
  alternatives.push(
    fc
      .tuple(
        base,
        fc.constantFrom<[string, string][]>(
          [['unknown', 'x']],
          [
            ['minPosition', '1'],
            ['minPosition', '2'],
          ],
          [['minPosition', '-1']],
          [['minPosition', '1.5']],
          [['minPosition', '99999999999999999999999']],
          [['minPosition', 'abc']],
          [['minPosition', '']],
          [['__proto__', 'x']],
          [['date', '2026-02-30']],
          [
            ['from', '2026-11-30'],
            ['to', '2026-11-01'],
          ],
          [['limit', '0']],
          [['limit', '100000000']],
        ),
      )
      .map(([parts, extra]) => ({
        ...parts,
        query: [...parts.query, ...extra],
        mutation: `query ${extra.map(([n, v]) => `${n}=${v}`).join('&')}`,
      })),
  );
  // Headers: the command headers broken, and broken or forged tokens.
  const headerMutations: [string, string, string][] = [
    ['Idempotency-Key', '', 'empty Idempotency-Key'],
    ['Idempotency-Key', 'k'.repeat(129), 'Idempotency-Key of 129 characters'],
    ['Idempotency-Key', 'k'.repeat(10_000), 'Idempotency-Key of 10,000 characters'],
    ['Idempotency-Key', 'a b', 'Idempotency-Key with a space'],
    ['Idempotency-Key', 'clé-\u00e9\u00ff', 'Idempotency-Key with Latin-1 bytes'],
    ['If-Match', 'abc', 'If-Match abc'],
    ['If-Match', '"-1"', 'If-Match "-1"'],
    ['If-Match', '"1.5"', 'If-Match "1.5"'],
    ['If-Match', '"99999999999999999999"', 'If-Match beyond 2^64'],
    ['If-Match', '*', 'If-Match *'],
    ['If-Match', 'W/"1"', 'weak If-Match'],
    ['If-Match', '"1", "2"', 'If-Match list'],
    ['If-Match', '', 'empty If-Match'],
    ['X-Correlation-Id', 'c'.repeat(5000), 'X-Correlation-Id of 5,000 characters'],
    ['X-Correlation-Id', '\u00e9\u00ff<script>', 'X-Correlation-Id with Latin-1 and markup'],
    ['X-Correlation-Id', '', 'empty X-Correlation-Id'],
    ['Accept', 'application/xml', 'Accept: application/xml'],
  ];
  for (const { value, what } of context.badAuthorizations)
    headerMutations.push(['Authorization', value, `Authorization: ${what}`]);
  alternatives.push(
    fc.tuple(base, fc.constantFrom(...headerMutations)).map(([parts, [name, value, what]]) => ({
      ...parts,
      headers: { ...parts.headers, [name]: value },
      mutation: what,
    })),
  );
  return fc.oneof(...alternatives);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** encodeURIComponent, but a lone surrogate is sent as its (invalid UTF-8) bytes instead of throwing. */
export const encodeSegment = (value: string): string =>
  value
    .split(new RegExp(`(${LONE_SURROGATE.source})`))
    .map((part) =>
      LONE_SURROGATE.test(part) && part.length === 1
        ? `%${[
            0xe0 | (part.charCodeAt(0) >> 12),
            0x80 | ((part.charCodeAt(0) >> 6) & 0x3f),
            0x80 | (part.charCodeAt(0) & 0x3f),
          ]
            .map((b) => b.toString(16).toUpperCase())
            .join('%')}`
        : encodeURIComponent(part),
    )
    .join('');

const encodePath = (template: string, values: Record<string, string>) =>
  template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(values[name] ?? ''));

const toRequest = (operation: Operation, parts: Parts): FuzzRequest => {
  const search = new URLSearchParams(parts.query).toString();
  return {
    method: operation.method,
    url: `${encodePath(operation.path, parts.path)}${search ? `?${search}` : ''}`,
    headers: parts.headers,
    body: parts.body,
    mutation: parts.mutation,
  };
};

/** Valid requests about half of the time, otherwise one thing broken. */
export function requestArbitrary(operation: Operation, context: RequestContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .oneof(
      { weight: 1, arbitrary: validParts(operation, context) },
      { weight: 1, arbitrary: invalidParts(operation, context) },
    )
    .map((parts) => toRequest(operation, parts));
}

/** The schema of the request body the fuzzer sends as JSON, if any (for reports). */
export const bodyTypeOf = (operation: Operation, document: Schema): string | undefined => {
  const type = jsonContentType(operation);
  const schema = type ? operation.requestBody?.content[type]?.schema : undefined;
  return schema ? typeOf(deref(schema, document)) : undefined;
};
