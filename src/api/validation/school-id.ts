import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { isUai, UAI_PATTERN } from '../../domain/shared';
import { validationError } from '../errors/api-error';
import { RULES } from './rules';

/** 400 for a `:schoolId` that is not a UAI, before anything reads it or writes under it. */
@Injectable()
export class SchoolIdGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const params = (context.switchToHttp().getRequest<FastifyRequest>().params ?? {}) as Record<
      string,
      string | undefined
    >;
    const schoolId = params.schoolId;
    if (schoolId !== undefined && !isUai(schoolId))
      throw validationError([
        {
          field: 'schoolId',
          rule: RULES.uai,
          message: 'schoolId must be a UAI: seven digits and a capital letter, such as 0670001A',
        },
      ]);
    return true;
  }
}

/** On a controller under `schools/:schoolId`: the UAI checked on every route, and declared in the document. */
export const SchoolRoutes = () =>
  applyDecorators(
    UseGuards(SchoolIdGuard),
    ApiParam({
      name: 'schoolId',
      description: "The school's UAI",
      schema: { type: 'string', pattern: UAI_PATTERN.source, example: '0670001A' },
    }),
  );
