import fc from 'fast-check';

/** An OpenAPI 3.0 schema object (a JSON-schema dialect), loosely typed: the document is data. */
export type Schema = { readonly [key: string]: unknown };

/** Values known to exist in the seeded school, by property or parameter name: the valid side leans on them. */
export type Hints = Readonly<Record<string, readonly unknown[]>>;

export interface ArbitraryOptions {
  /** The whole OpenAPI document, to resolve `#/components/...` references. */
  readonly document?: Schema;
  readonly hints?: Hints;
  /** Longest array generated when the schema sets no `maxItems` (default 4). */
  readonly maxItems?: number;
}

const MAX_REF_DEPTH = 6;

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a local `$ref` ("#/components/schemas/X") through the document. */
export function resolveRef(ref: string, document: Schema | undefined): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref are supported, got ${ref}`);
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  if (!isObject(node)) throw new Error(`$ref ${ref} does not resolve in the document`);
  return node;
}

/** The schema with its `$ref` followed and its `allOf` merged, one level deep. */
export function deref(schema: Schema, document: Schema | undefined, depth = 0): Schema {
  if (depth > MAX_REF_DEPTH) throw new Error('$ref chain too deep');
  if (typeof schema.$ref === 'string') {
    const { $ref: _ref, ...rest } = schema;
    return deref({ ...resolveRef(schema.$ref, document), ...rest }, document, depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    return (allOf as Schema[])
      .map((part) => deref(part, document, depth + 1))
      .reduce<Schema>(mergeSchemas, rest as Schema);
  }
  return schema;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  const merged: Record<string, unknown> = { ...a, ...b };
  if (isObject(a.properties) || isObject(b.properties))
    merged.properties = { ...(a.properties as Schema), ...(b.properties as Schema) };
  if (Array.isArray(a.required) || Array.isArray(b.required))
    merged.required = [
      ...new Set([...((a.required as string[]) ?? []), ...((b.required as string[]) ?? [])]),
    ];
  for (const key of ['minimum', 'minLength', 'minItems'] as const)
    if (typeof a[key] === 'number' && typeof b[key] === 'number')
      merged[key] = Math.max(a[key] as number, b[key] as number);
  for (const key of ['maximum', 'maxLength', 'maxItems'] as const)
    if (typeof a[key] === 'number' && typeof b[key] === 'number')
      merged[key] = Math.min(a[key] as number, b[key] as number);
  return merged;
}

/** The JSON type a (dereferenced) schema describes, guessed from its keywords when `type` is absent. */
export function typeOf(schema: Schema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return jsonType(schema.enum[0]);
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  if (typeof schema.pattern === 'string' || typeof schema.format === 'string') return 'string';
  return undefined;
}

export const jsonType = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : Number.isInteger(value)
        ? 'integer'
        : typeof value === 'number'
          ? 'number'
          : typeof value;

// ---- dates ----------------------------------------------------------------------------------------

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Any real calendar date between 1990 and 2099, as YYYY-MM-DD. */
export const isoDateArbitrary = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`);

export const isoDateTimeArbitrary = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

export const isRealIsoDate = (value: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const d = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  return (
    d.getUTCFullYear() === +match[1] && d.getUTCMonth() === +match[2] - 1 && d.getUTCDate() === +match[3]
  );
};

// ---- does a value satisfy a schema (enough to filter hints and unit-test the generators) -----------

/** A small checker of the keywords the generator honours; `undefined` when the value fits. */
export function violation(value: unknown, raw: Schema, document?: Schema, path = '$'): string | undefined {
  const schema = deref(raw, document);
  if (value === null) return schema.nullable === true || schema.type === 'null' ? undefined : `${path}: null`;
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    const options = (schema.oneOf ?? schema.anyOf) as Schema[];
    const fits = options.filter((option) => violation(value, option, document, path) === undefined).length;
    if (Array.isArray(schema.oneOf) ? fits !== 1 : fits === 0) return `${path}: ${fits} alternatives fit`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    return `${path}: not in enum`;
  const type = typeOf(schema);
  const actual = jsonType(value);
  if (type && !(type === actual || (type === 'number' && actual === 'integer')))
    return `${path}: ${actual} instead of ${type}`;
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) return `${path}: too short`;
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) return `${path}: too long`;
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      return `${path}: pattern`;
    if (schema.format === 'date' && !isRealIsoDate(value)) return `${path}: not a date`;
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) return `${path}: not a date-time`;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return `${path}: below minimum`;
    if (typeof schema.maximum === 'number' && value > schema.maximum) return `${path}: above maximum`;
    if (schema.exclusiveMinimum === true && value === schema.minimum) return `${path}: exclusive minimum`;
    if (schema.exclusiveMaximum === true && value === schema.maximum) return `${path}: exclusive maximum`;
    if (typeof schema.multipleOf === 'number' && !Number.isInteger(value / schema.multipleOf))
      return `${path}: multipleOf`;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      return `${path}: too few items`;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      return `${path}: too many items`;
    if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
      return `${path}: duplicate items`;
    if (isObject(schema.items))
      for (const [i, item] of value.entries()) {
        const found = violation(item, schema.items, document, `${path}[${i}]`);
        if (found) return found;
      }
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[])
      if (!(key in value)) return `${path}.${key}: missing`;
    for (const [key, item] of Object.entries(value)) {
      if (key in properties) {
        const found = violation(item, properties[key], document, `${path}.${key}`);
        if (found) return found;
      } else if (schema.additionalProperties === false) return `${path}.${key}: not allowed`;
    }
  }
  return undefined;
}

// ---- valid values ----------------------------------------------------------------------------------

const stringArbitrary = (schema: Schema): fc.Arbitrary<string> => {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(minLength, 40);
  const fitsLength = (s: string) => [...s].length >= minLength && [...s].length <= maxLength;
  if (schema.format === 'date') return isoDateArbitrary.filter(fitsLength);
  if (schema.format === 'date-time') return isoDateTimeArbitrary.filter(fitsLength);
  if (schema.format === 'uuid') return fc.uuid();
  if (typeof schema.pattern === 'string')
    return fc
      .stringMatching(new RegExp(schema.pattern, 'u'))
      .map((s) => (fitsLength(s) ? s : [...s].slice(0, maxLength).join('')))
      .filter((s) => fitsLength(s) && new RegExp(schema.pattern as string, 'u').test(s));
  // JSON-schema lengths count code points: 'binary' and 'grapheme-ascii' units are one code point each.
  const length = { minLength, maxLength: Math.min(maxLength, minLength + 60) };
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', ...length }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', ...length }) },
  );
};

const numberArbitrary = (schema: Schema, integer: boolean): fc.Arbitrary<number> => {
  let min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  let max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if (integer) {
    if (min !== undefined) min = Math.ceil(min) + (schema.exclusiveMinimum === true ? 1 : 0);
    if (max !== undefined) max = Math.floor(max) - (schema.exclusiveMaximum === true ? 1 : 0);
    return fc.integer({
      min: min ?? Math.max(-1_000_000, (max ?? 1_000_000) - 2_000_000),
      max: max ?? Math.min(1_000_000, (min ?? -1_000_000) + 2_000_000),
    });
  }
  return fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: schema.exclusiveMinimum === true })
    .filter((n) => !(schema.exclusiveMaximum === true && n === max));
};

/**
 * Values that satisfy `schema`: types, `format` date / date-time, `pattern` (fc.stringMatching),
 * lengths, ranges, `enum`, `required`, `nullable`, arrays, objects, `$ref`, `allOf`, `oneOf`, `anyOf`.
 * With `hints`, a property whose name has known values takes one of them most of the time.
 */
export function arbitraryFor(
  raw: Schema,
  options: ArbitraryOptions = {},
  name?: string,
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = deref(raw, options.document);
  const plain = plainArbitrary(schema, options, depth);
  const hinted = name ? (options.hints?.[name] ?? []) : [];
  const fitting = hinted.filter((value) => violation(value, schema, options.document) === undefined);
  const withHints =
    fitting.length > 0
      ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fitting) }, { weight: 1, arbitrary: plain })
      : plain;
  return schema.nullable === true
    ? fc.oneof({ weight: 5, arbitrary: withHints }, { weight: 1, arbitrary: fc.constant(null) })
    : withHints;
}

function plainArbitrary(schema: Schema, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return fc.constantFrom(...schema.enum.filter((e) => e !== null || schema.nullable === true));
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[];
    const oneOf = Array.isArray(schema.oneOf);
    return fc.oneof(
      ...alternatives.map((alternative) => {
        const arbitrary = arbitraryFor(alternative, options, undefined, depth + 1);
        // For oneOf a value must fit exactly one alternative.
        return oneOf
          ? arbitrary.filter(
              (value) =>
                alternatives.filter((a) => violation(value, a, options.document) === undefined).length === 1,
            )
          : arbitrary;
      }),
    );
  }
  switch (typeOf(schema)) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = isObject(schema.items) ? schema.items : {};
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = Math.max(
        minLength,
        typeof schema.maxItems === 'number'
          ? Math.min(schema.maxItems, minLength + (options.maxItems ?? 4))
          : (options.maxItems ?? 4),
      );
      const item = arbitraryFor(items, options, undefined, depth + 1);
      return schema.uniqueItems === true
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = ((schema.required ?? []) as string[]).filter((key) => key in properties);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties))
        record[key] = arbitraryFor(property, options, key, depth + 1);
      const missingRequired = ((schema.required ?? []) as string[]).filter((key) => !(key in properties));
      for (const key of missingRequired) record[key] = fc.jsonValue({ maxDepth: 1 });
      return fc.record(record, { requiredKeys: [...required, ...missingRequired] });
    }
    default:
      return depth > 3 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
  }
}

// ---- invalid values --------------------------------------------------------------------------------

/** A value that breaks the schema, and what was broken (for the failure report). */
export interface Invalid {
  readonly value: unknown;
  readonly mutation: string;
}

const CONTROL_CHARACTERS = ['\u0000', '\u0007', '\u001b[31m', '\r\n', '\u202e', '\u2066', '\ufeff', '\ud800'];

/** `{a: {a: ...}}` or `[[...]]`, `depth` levels deep. */
export const deeplyNested = (depth: number, kind: 'object' | 'array'): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = kind === 'object' ? { a: value } : [value];
  return value;
};

const wrongTypeValues = (schema: Schema): Invalid[] => {
  const type = typeOf(schema);
  const candidates: [unknown, string][] = [
    [42, 'a number'],
    [1.5, 'a fraction'],
    ['not-a-value', 'a string'],
    [true, 'a boolean'],
    [[], 'an array'],
    [{}, 'an object'],
    [{ $gt: '' }, 'an operator object'],
  ];
  if (schema.nullable !== true) candidates.push([null, 'null']);
  return candidates
    .filter(
      ([value]) =>
        violation(value, schema) !== undefined && !(type === 'number' && jsonType(value) === 'integer'),
    )
    .map(([value, what]) => ({ value, mutation: `${what} instead of ${type ?? 'any'}` }));
};

/** Values of the same type that break a keyword of the schema (range, length, pattern, format, enum). */
const brokenKeywordValues = (schema: Schema, document?: Schema): Invalid[] => {
  const out: Invalid[] = [];
  const type = typeOf(schema);
  if (Array.isArray(schema.enum))
    out.push({ value: `${String(schema.enum[0])}-NOT-IN-ENUM`, mutation: 'not in enum' });
  if (type === 'string') {
    if (typeof schema.maxLength === 'number')
      out.push({ value: 'x'.repeat(schema.maxLength + 1), mutation: `maxLength ${schema.maxLength} + 1` });
    if (typeof schema.minLength === 'number' && schema.minLength > 0)
      out.push({ value: 'x'.repeat(schema.minLength - 1), mutation: `minLength ${schema.minLength} - 1` });
    out.push({ value: '', mutation: 'empty string' });
    out.push({ value: ' ', mutation: 'blank string' });
    out.push({ value: 'x'.repeat(100_000), mutation: 'string of 100,000 characters' });
    out.push(
      ...CONTROL_CHARACTERS.map((c) => ({
        value: `a${c}b`,
        mutation: `string with ${JSON.stringify(c)}`,
      })),
    );
    out.push({ value: '../../etc/passwd', mutation: 'path traversal' });
    out.push({ value: '=HYPERLINK("http://x")\'; DROP TABLE events;--', mutation: 'formula and SQL' });
    // Ids that are keys of every object's prototype: a state kept in a plain object finds them "there".
    out.push(
      ...['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'].map((key) => ({
        value: key,
        mutation: `prototype key ${key}`,
      })),
    );
    // Tried on every string: many date fields of the document declare no format.
    out.push(
      { value: '2026-02-30', mutation: 'impossible date 2026-02-30' },
      { value: '2026-13-01', mutation: 'month 13' },
      { value: '16/11/2026', mutation: 'French date' },
      { value: '2026-11-16T25:00:00Z', mutation: 'hour 25' },
      { value: '+275760-09-13', mutation: 'extended year' },
      { value: '0000-00-00', mutation: 'zero date' },
    );
  }
  if (type === 'integer' || type === 'number') {
    if (typeof schema.maximum === 'number') out.push({ value: schema.maximum + 1, mutation: 'maximum + 1' });
    if (typeof schema.minimum === 'number') out.push({ value: schema.minimum - 1, mutation: 'minimum - 1' });
    if (type === 'integer') out.push({ value: 2.5, mutation: 'fraction for an integer' });
    out.push(
      { value: -1, mutation: 'negative' },
      { value: 1e308, mutation: '1e308' },
      { value: Number.MAX_SAFE_INTEGER + 2, mutation: 'beyond MAX_SAFE_INTEGER' },
    );
  }
  if (type === 'array') {
    if (typeof schema.maxItems === 'number')
      out.push({ value: Array.from({ length: schema.maxItems + 1 }, () => 'x'), mutation: 'maxItems + 1' });
    if (typeof schema.minItems === 'number' && schema.minItems > 0)
      out.push({ value: [], mutation: 'minItems - 1' });
    out.push({ value: Array.from({ length: 20_000 }, (_, i) => `s${i}`), mutation: 'array of 20,000 items' });
    out.push({ value: [null, 1, {}, []], mutation: 'array of mixed junk' });
    if (isObject(schema.items)) {
      const item = deref(schema.items, document);
      const sample = typeOf(item) === 'string' ? 'dup' : 1;
      out.push({ value: [sample, sample], mutation: 'duplicate items' });
    }
  }
  if (type === 'object') {
    out.push({ value: deeplyNested(2000, 'object'), mutation: 'object nested 2000 deep' });
    out.push({ value: JSON.parse('{"__proto__":{"admin":true}}'), mutation: '__proto__ key' });
  }
  // Not all of these break the schema (a negative number where no minimum is declared): they are
  // hostile values all the same, and every answer is checked the same way.
  return out;
};

/**
 * Values that break `schema` at the top or in one property: wrong types, missing required properties,
 * broken keywords, extra properties, control characters, huge and deeply nested values.
 */
export function invalidArbitraryFor(raw: Schema, options: ArbitraryOptions = {}): fc.Arbitrary<Invalid> {
  const schema = deref(raw, options.document);
  const top: Invalid[] = [
    ...wrongTypeValues(schema),
    ...brokenKeywordValues(schema, options.document),
    { value: deeplyNested(2000, 'array'), mutation: 'array nested 2000 deep' },
  ];
  const alternatives: fc.Arbitrary<Invalid>[] = [fc.constantFrom(...top)];
  if (typeOf(schema) === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = (schema.required ?? []) as string[];
    const valid = arbitraryFor(schema, options) as fc.Arbitrary<Record<string, unknown>>;
    if (required.length > 0)
      alternatives.push(
        fc.tuple(valid, fc.constantFrom(...required)).map(([value, key]) => {
          const { [key]: _removed, ...rest } = value;
          return { value: rest, mutation: `required property ${key} missing` };
        }),
      );
    alternatives.push(
      fc
        .tuple(
          valid,
          fc.constantFrom(
            'isAdmin',
            'schoolId',
            'actor',
            'position',
            '__proto__',
            'constructor',
            'x'.repeat(300),
          ),
        )
        .map(([value, key]) => ({
          // A computed key makes `__proto__` an own property, sent as such in the JSON.
          value: { ...value, [key]: { role: 'admin' } },
          mutation: `extra property ${key.length > 40 ? `${key.slice(0, 10)}…(${key.length})` : key}`,
        })),
    );
    const keys = Object.keys(properties);
    if (keys.length > 0)
      alternatives.push(
        fc.tuple(valid, fc.constantFrom(...keys)).chain(([value, key]) =>
          invalidArbitraryFor(properties[key], { ...options, hints: undefined }).map((broken) => ({
            value: { ...value, [key]: broken.value },
            mutation: `${key}: ${broken.mutation}`,
          })),
        ),
      );
  }
  if (typeOf(schema) === 'array' && isObject(schema.items)) {
    const items = schema.items;
    alternatives.push(
      fc
        .tuple(
          fc.array(arbitraryFor(items, options), { maxLength: 2 }),
          invalidArbitraryFor(items, { ...options, hints: undefined }),
        )
        .map(([value, broken]) => ({
          value: [...value, broken.value],
          mutation: `item: ${broken.mutation}`,
        })),
    );
  }
  return fc.oneof(...alternatives);
}
