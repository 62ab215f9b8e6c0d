import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { describeUnsafeCharacter, isUai, UAI_PATTERN, unsafeCharacterIn } from '../../domain/shared';
import { FieldProblem, validationError } from '../errors/api-error';
import { RULES } from './rules';

/** Fastify's default `maxParamLength`: a longer path segment finds no route (404). */
export const MAX_PATH_PARAMETER_LENGTH = 100;

const problemOf = (name: string, value: string): FieldProblem | undefined => {
  if (name === 'schoolId')
    return isUai(value)
      ? undefined
      : {
          field: name,
          rule: RULES.uai,
          message: 'schoolId must be a UAI: seven digits and a capital letter, such as 0670001A',
        };
  const found = unsafeCharacterIn(value);
  return found === undefined
    ? undefined
    : { field: name, rule: RULES.safeText, message: `${name} ${describeUnsafeCharacter(found)}` };
};

/**
 * 400 for a `:schoolId` that is not a UAI, or any other path parameter holding control characters or
 * bidirectional overrides (decoded from %00, %E2%80%AE…), before anything reads it or writes under it.
 */
@Injectable()
export class PathParametersGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const params = (context.switchToHttp().getRequest<FastifyRequest>().params ?? {}) as Record<
      string,
      string | undefined
    >;
    const problems = Object.entries(params).flatMap(([name, value]) => {
      const problem = value === undefined ? undefined : problemOf(name, value);
      return problem === undefined ? [] : [problem];
    });
    if (problems.length > 0) throw validationError(problems);
    return true;
  }
}

/** On a controller under `schools/:schoolId`: the UAI checked on every route, and declared in the document. */
export const SchoolRoutes = () =>
  applyDecorators(
    UseGuards(PathParametersGuard),
    ApiParam({
      name: 'schoolId',
      description: "The school's UAI",
      schema: { type: 'string', pattern: UAI_PATTERN.source, example: '0670001A' },
    }),
  );
