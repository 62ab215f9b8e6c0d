import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import { RegistreConfig } from '../../config';
import { LiveProjections } from '../../projections/live-projections';
import { ApiError, validationError } from '../errors/api-error';
import { CONFIG, PROJECTION_RUNNER } from './tokens';

const READS_PROJECTIONS = 'registre:reads-projections';
const POSITION_PATTERN = /^\d{1,19}$/;

/** The projections a query route reads: with `?minPosition=`, it answers only once they include that position. */
export const ReadsProjections = (...names: string[]) => SetMetadata(READS_PROJECTIONS, names);

/** Extend it in a query DTO so that `minPosition` is an accepted query parameter. */
export class MinPositionQuery {
  @ApiPropertyOptional({
    description:
      'Answer only once the view includes this global position (the `position` of a command answer)',
    example: '42',
  })
  @IsOptional()
  @Matches(POSITION_PATTERN, { message: 'minPosition must be a global position (digits)' })
  readonly minPosition?: string;
}

const requestedPosition = (request: FastifyRequest): bigint | undefined => {
  const value = (request.query as Record<string, unknown> | undefined)?.minPosition;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !POSITION_PATTERN.test(value)) {
    throw validationError([
      { field: 'minPosition', rule: 'matches', message: 'minPosition must be a global position (digits)' },
    ]);
  }
  return BigInt(value);
};

/** Read-your-writes: waits (at most REGISTRE_WAIT_MS) for the route's projections to reach `?minPosition=`. */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(CONFIG) private readonly config: RegistreConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const names = this.reflector.getAllAndOverride<string[] | undefined>(READS_PROJECTIONS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (names === undefined || context.getType() !== 'http') return next.handle();
    const position = requestedPosition(context.switchToHttp().getRequest<FastifyRequest>());
    if (position === undefined) return next.handle();
    return from(this.waitFor(names, position)).pipe(switchMap(() => next.handle()));
  }

  private async waitFor(names: readonly string[], position: bigint): Promise<void> {
    const reached = await Promise.all(
      names.map((name) => this.runner.waitFor(name, position, this.config.waitMs)),
    );
    const behind = names.filter((_, index) => !reached[index]);
    if (behind.length > 0) {
      throw new ApiError(
        503,
        'PROJECTION.NOT_CAUGHT_UP',
        `the view has not reached position ${position} after ${this.config.waitMs} ms; retry shortly`,
        { projections: behind, minPosition: position.toString() },
        { 'Retry-After': '1' },
      );
    }
  }
}
