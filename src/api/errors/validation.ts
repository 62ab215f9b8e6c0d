import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getFromContainer, getMetadataStorage, ValidationError } from 'class-validator';
import type { ValidatorConstraintInterface } from 'class-validator';
import { FieldProblem, validationError } from './api-error';

const UNKNOWN_FIELD = 'whitelistValidation';

/** class-validator's tree, flattened to one problem per broken rule, each naming its full path. */
export const fieldProblems = (errors: readonly ValidationError[], parent = ''): FieldProblem[] =>
  errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      rule === UNKNOWN_FIELD
        ? { field, rule: 'unknownField', message: `${field} is not an accepted field` }
        : {
            field,
            rule,
            message: message.startsWith(error.property)
              ? field + message.slice(error.property.length)
              : message,
          },
    );
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });

type ParamsClass = new () => object;

/** One property's rules, each a synchronous constraint of class-validator with its arguments. */
type PropertyCheck = {
  readonly property: string;
  readonly rules: readonly {
    readonly constraint: ValidatorConstraintInterface;
    readonly constraints: unknown[];
  }[];
};

/**
 * The rules of a class of path parameters, when each of them is a plain rule of one string that
 * class-validator would run as it stands (no `each`, no groups, no condition, no nesting): the same
 * constraint objects, run in the same way. Otherwise undefined, and the class goes through the
 * ValidationPipe.
 */
const paramsChecksOf = (metatype: ParamsClass): readonly PropertyCheck[] | undefined => {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(metatype, '', false, false);
  const byProperty = new Map<string, PropertyCheck['rules'][number][]>();
  for (const metadata of metadatas) {
    if (
      metadata.type !== 'customValidation' ||
      metadata.each === true ||
      (metadata.groups?.length ?? 0) > 0 ||
      metadata.constraintCls === undefined
    )
      return undefined;
    const constraint = getFromContainer(metadata.constraintCls) as ValidatorConstraintInterface;
    const rules = byProperty.get(metadata.propertyName) ?? [];
    rules.push({ constraint, constraints: metadata.constraints ?? [] });
    byProperty.set(metadata.propertyName, rules);
  }
  if (byProperty.size === 0) return undefined;
  return [...byProperty].map(([property, rules]) => ({ property, rules }));
};

const knownChecks = new WeakMap<ParamsClass, readonly PropertyCheck[] | null>();

/**
 * A plain object, or one whose prototype is an empty object without a prototype: Fastify's router
 * hands the path parameters over in such an object (find-my-way's NullObject).
 */
const isBareRecord = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return (
    prototype === null ||
    prototype === Object.prototype ||
    (Object.getPrototypeOf(prototype) === null && Reflect.ownKeys(prototype).length === 0)
  );
};

const passes = (metatype: ParamsClass, checks: readonly PropertyCheck[], value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  if (!isBareRecord(value)) return false;
  const params = value as Record<string, unknown>;
  if (Object.keys(params).length !== checks.length) return false;
  for (const { property, rules } of checks) {
    const field = params[property];
    if (typeof field !== 'string' || !Object.hasOwn(params, property)) return false;
    for (const { constraint, constraints } of rules) {
      const args = { value: field, constraints, targetName: metatype.name, object: params, property };
      if (constraint.validate(field, args) !== true) return false;
    }
  }
  return true;
};

/**
 * The service's ValidationPipe, with a shorter way for path parameters: a route's `:schoolId` and
 * ids are two or three strings, and class-transformer and class-validator's walk over them cost a
 * tenth of a grades request. When every rule of the parameters' class is a plain rule of one string
 * and every one of them passes (the same constraint objects, called as class-validator calls them),
 * the class is built from the strings as class-transformer would; anything else — a failing rule,
 * a missing or extra parameter, a class with other kinds of rules — goes through the pipe, so that a
 * refusal reads exactly as it always did.
 */
export class RegistreValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as ParamsClass | undefined;
    if (metadata.type === 'param' && metatype !== undefined && metadata.data === undefined) {
      let checks = knownChecks.get(metatype);
      if (checks === undefined) {
        checks = paramsChecksOf(metatype) ?? null;
        knownChecks.set(metatype, checks);
      }
      if (checks !== null && passes(metatype, checks, value)) {
        const params = value as Record<string, string>;
        const instance = new metatype() as Record<string, string>;
        for (const { property } of checks) instance[property] = params[property];
        return instance;
      }
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields refused, payloads turned into their DTO classes, every problem named. */
export const registreValidationPipe = () =>
  new RegistreValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationError(fieldProblems(errors)),
  });
