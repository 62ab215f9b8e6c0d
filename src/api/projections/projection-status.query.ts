import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { LiveProjections } from '../../projections/live-projections';
import { ProjectionStatus } from '../../projections/projection-runner';
import { PROJECTION_RUNNER } from '../core/tokens';

export class GetProjectionStatus extends Query<ProjectionStatus[]> {}

@QueryHandler(GetProjectionStatus)
export class GetProjectionStatusHandler implements IQueryHandler<GetProjectionStatus, ProjectionStatus[]> {
  constructor(@Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections) {}

  execute(): Promise<ProjectionStatus[]> {
    return this.runner.status();
  }
}
