import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../event-store/handle-command';
import type { Logger } from '../../logger';
import { LiveProjections } from '../../projections/live-projections';
import { ProjectionStatus } from '../../projections/projection-runner';
import { RegistreCommand } from '../core/command-context';
import { LOGGER, PROJECTION_RUNNER } from '../core/tokens';
import { ApiError } from '../errors/api-error';

export class RebuildProjection extends RegistreCommand<ProjectionStatus> {
  constructor(
    ctx: CommandContext,
    readonly name: string,
  ) {
    super(ctx);
  }
}

/**
 * Starts a rebuild into fresh tables and answers at once: the live tables keep answering until the
 * swap, and GET …/projections shows the build's progress.
 */
@CommandHandler(RebuildProjection)
export class RebuildProjectionHandler implements ICommandHandler<RebuildProjection, ProjectionStatus> {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute({ ctx, name }: RebuildProjection): Promise<ProjectionStatus> {
    const known = await this.runner.status();
    if (!known.some((status) => status.name === name)) {
      throw new ApiError(404, 'PROJECTION.UNKNOWN', `no projection named ${name}`, {
        name,
        known: known.map((status) => status.name),
      });
    }
    const log = { projection: name, commandId: ctx.commandId, actor: ctx.actor, schoolId: ctx.schoolId };
    this.logger.info(log, 'projection rebuild requested');
    this.runner.rebuild(name).then(
      () => this.logger.info(log, 'projection rebuild done'),
      (error: unknown) => this.logger.error({ ...log, err: error }, 'projection rebuild failed'),
    );
    const statuses = await this.runner.status();
    return statuses.find((status) => status.name === name) as ProjectionStatus;
  }
}
