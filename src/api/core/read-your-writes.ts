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
import { performance } from 'node:perf_hooks';
import { from, Observable, switchMap } from 'rxjs';
import { DEFAULT_WAIT_MAX_MS, RegistreConfig } from '../../config';
import { LiveProjections } from '../../projections/live-projections';
import { Patience } from '../../projections/position-waiters';
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

/** How long `?minPosition=` waits: while the projections move, up to REGISTRE_WAIT_MAX_MS; REGISTRE_WAIT_MS once they stop. */
export const minPositionPatience = (config: RegistreConfig): Exclude<Patience, number> => ({
  stallMs: config.waitMs,
  ceilingMs: Math.max(config.waitMs, config.waitMaxMs ?? DEFAULT_WAIT_MAX_MS),
});

/** Where a projection stood when a query gave up on it. */
export interface BehindDetail {
  readonly name: string;
  readonly checkpoint: string | null;
  /** Positions between the checkpoint and the requested one. */
  readonly positionsShort: number | null;
}

/**
 * Read-your-writes: holds the query while the route's projections make their way to `?minPosition=`;
 * answers 503 with Retry-After once they stall (REGISTRE_WAIT_MS without moving) or the ceiling
 * (REGISTRE_WAIT_MAX_MS) passes, saying how far behind each one is.
 */
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
    const patience = minPositionPatience(this.config);
    // A duration, not an instant of the school's day: the monotonic timer, not the injected clock.
    const started = performance.now();
    const reached = await Promise.all(names.map((name) => this.runner.waitFor(name, position, patience)));
    const behind = names.filter((_, index) => !reached[index]);
    if (behind.length === 0) return;
    const waitedMs = Math.round(performance.now() - started);
    const stalled = waitedMs < patience.ceilingMs;
    const details = await this.whereStand(behind, position);
    const short = details.map(({ name, positionsShort }) =>
      positionsShort === null
        ? `${name} has not been built yet`
        : `${name} is ${positionsShort} positions short`,
    );
    throw new ApiError(
      503,
      'PROJECTION.NOT_CAUGHT_UP',
      `the view has not reached position ${position} after ${waitedMs} ms (${short.join(', ')}): ` +
        (stalled
          ? `it made no progress for ${patience.stallMs} ms; retry shortly`
          : `it is catching up but did not get there within ${patience.ceilingMs} ms; retry shortly`),
      {
        projections: behind,
        minPosition: position.toString(),
        waitedMs,
        reason: stalled ? 'stalled' : 'too-far-behind',
        behind: details,
      },
      { 'Retry-After': String(Math.max(1, Math.ceil(patience.stallMs / 1000))) },
    );
  }

  private async whereStand(names: readonly string[], position: bigint): Promise<BehindDetail[]> {
    const statuses = await this.runner.status().catch(() => []);
    return names.map((name) => {
      const status = statuses.find((candidate) => candidate.name === name);
      if (status === undefined || status.liveVersion === null)
        return { name, checkpoint: null, positionsShort: null };
      const checkpoint = BigInt(status.checkpoint);
      return {
        name,
        checkpoint: status.checkpoint,
        positionsShort: Number(position > checkpoint ? position - checkpoint : 0n),
      };
    });
  }
}
