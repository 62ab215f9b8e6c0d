import { ApiProperty, OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import {
  CALENDAR_DATE_PATTERN,
  CALENDAR_MONTH_PATTERN,
  safeTextPattern,
  UAI_PATTERN,
} from '../../domain/shared';
import { RULES } from '../validation/rules';
import { MAX_PATH_PARAMETER_LENGTH } from '../validation/path-parameters';
import type {
  OperationObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

type Fragment = Record<string, unknown>;

/**
 * `\d` spelled `[0-9]`: the same digits in JavaScript, but any Unicode digit for the Python and
 * other regular-expression engines that generated clients and fuzzers read the pattern with.
 */
export const asciiDigits = (source: string): string => {
  let spelled = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const character = source[i];
    if (character === '\\') {
      const next = source[i + 1] ?? '';
      spelled += next === 'd' ? (inClass ? '0-9' : '[0-9]') : character + next;
      i++;
      continue;
    }
    if (character === '[') inClass = true;
    else if (character === ']') inClass = false;
    spelled += character;
  }
  return spelled;
};

/** What one class-validator rule says, in JSON Schema words; undefined for rules a schema cannot say. */
const fragmentOf = (rule: ValidationMetadata): Fragment | undefined => {
  const [first, second] = (rule.constraints ?? []) as unknown[];
  switch (rule.name) {
    case 'matches':
      return first instanceof RegExp ? { type: 'string', pattern: asciiDigits(first.source) } : undefined;
    case 'isLength':
      return { minLength: first, ...(second !== undefined ? { maxLength: second } : {}) };
    case 'minLength':
      return { minLength: first };
    case 'maxLength':
      return { maxLength: first };
    case 'min':
      return { minimum: first };
    case 'max':
      return { maximum: first };
    case 'isIn':
      return { enum: first };
    case 'isInt':
      return { type: 'integer' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isString':
      return { type: 'string' };
    case 'arrayMaxSize':
      return { maxItems: first };
    case 'arrayMinSize':
      return { minItems: first };
    case RULES.calendarDate:
      return { type: 'string', format: 'date', pattern: CALENDAR_DATE_PATTERN.source };
    case RULES.calendarMonth:
      return { type: 'string', pattern: CALENDAR_MONTH_PATTERN.source };
    case RULES.uai:
      return { type: 'string', pattern: UAI_PATTERN.source };
    case RULES.safeText:
      return { type: 'string', pattern: safeTextPattern({ multiline: first === true }) };
    default:
      return undefined;
  }
};

/** The whole-property rules first; a pattern already said by @Matches is not replaced by a broader one. */
const merge = (into: Fragment, fragment: Fragment): Fragment =>
  'pattern' in into && 'pattern' in fragment ? { ...fragment, ...into } : { ...into, ...fragment };

/** The Swagger property options a validated property's rules imply. */
export const propertyRules = (rules: readonly ValidationMetadata[]): Fragment => {
  let own: Fragment = {};
  let items: Fragment = {};
  for (const rule of rules) {
    const fragment = fragmentOf(rule);
    if (fragment === undefined) continue;
    if (rule.each) items = merge(items, fragment);
    else own = merge(own, fragment);
  }
  const optional = rules.some((rule) => rule.type === ValidationTypes.CONDITIONAL_VALIDATION);
  return {
    ...own,
    ...(Object.keys(items).length > 0 ? { items } : {}),
    required: !optional,
  };
};

type ValidatedClass = { readonly name: string; readonly prototype: object };

/** class-validator keeps its rules by class in a map it does not expose in its types. */
const validationMetadatas = (): ReadonlyMap<ValidatedClass, readonly ValidationMetadata[]> =>
  (
    getMetadataStorage() as unknown as {
      readonly validationMetadatas: ReadonlyMap<ValidatedClass, readonly ValidationMetadata[]>;
    }
  ).validationMetadatas;

let applied = false;

/**
 * Writes every DTO's class-validator rules into its Swagger property metadata, once, before the
 * document is built: the schemas and the query and path parameters then say exactly what the
 * validators check, and cannot drift from them.
 */
export function documentValidationRules(): void {
  if (applied) return;
  applied = true;
  for (const [target, rules] of validationMetadatas()) {
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const rule of rules)
      byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
    for (const [property, propertyRulesList] of byProperty)
      ApiProperty(propertyRules(propertyRulesList) as Parameters<typeof ApiProperty>[0])(
        target.prototype,
        property,
      );
  }
}

const SCHEMA_REF = '#/components/schemas/';

/** The names of the schemas `node` refers to, at any depth. */
const referencedSchemas = (node: unknown, into: Set<string>): Set<string> => {
  if (Array.isArray(node)) for (const child of node) referencedSchemas(child, into);
  else if (typeof node === 'object' && node !== null)
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(SCHEMA_REF))
        into.add(child.slice(SCHEMA_REF.length));
      else referencedSchemas(child, into);
    }
  return into;
};

/**
 * `additionalProperties: false` on every schema a request body reaches: the validation pipe
 * (whitelist, forbidNonWhitelisted) refuses unknown fields at every depth.
 */
export function withClosedInputs(document: OpenAPIObject): OpenAPIObject {
  const schemas = { ...document.components?.schemas };
  const bodies = Object.values(document.paths).flatMap((item) =>
    Object.values(item).map((operation) => (operation as OperationObject).requestBody),
  );
  const pending = [...referencedSchemas(bodies, new Set())];
  const closed = new Set<string>();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const schema = schemas[name];
    if (closed.has(name) || schema === undefined || '$ref' in schema) continue;
    closed.add(name);
    schemas[name] = { ...schema, additionalProperties: false };
    pending.push(...referencedSchemas(schema, new Set()));
  }
  return { ...document, components: { ...document.components, schemas } };
}

/**
 * Path parameters no DTO describes (ids in the path) say what PathParametersGuard and the router
 * check: safe text of at most MAX_PATH_PARAMETER_LENGTH characters.
 */
export function withPathParameterRules(document: OpenAPIObject): OpenAPIObject {
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => {
          const parameters = (operation as OperationObject).parameters;
          if (!Array.isArray(parameters)) return [method, operation];
          return [
            method,
            {
              ...(operation as OperationObject),
              parameters: parameters.map((parameter) =>
                '$ref' in parameter || parameter.in !== 'path' || hasRule(parameter.schema)
                  ? parameter
                  : {
                      ...parameter,
                      schema: {
                        ...parameter.schema,
                        type: 'string',
                        minLength: 1,
                        maxLength: MAX_PATH_PARAMETER_LENGTH,
                        pattern: safeTextPattern(),
                      },
                    },
              ),
            },
          ];
        }),
      ),
    ]),
  );
  return { ...document, paths };
}

const hasRule = (schema: SchemaObject | ReferenceObject | undefined): boolean =>
  schema !== undefined && ('$ref' in schema || 'pattern' in schema || 'enum' in schema);
