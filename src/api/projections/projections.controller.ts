import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '../../event-store/handle-command';
import { ProjectionStatus } from '../../projections/projection-runner';
import { Roles } from '../auth/decorators';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { GetProjectionStatus } from './projection-status.query';
import { ProjectionStatusDto } from './projection-status.dto';
import { RebuildProjection } from './rebuild-projection.command';

@ApiTags('projections')
@ApiBearerAuth()
@Controller('schools/:schoolId/projections')
export class ProjectionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('admin', 'auditor', 'principal')
  @ApiOkResponse({ type: [ProjectionStatusDto] })
  status(): Promise<ProjectionStatus[]> {
    return this.queries.execute(new GetProjectionStatus());
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @Roles('admin')
  @ApiCommandHeaders()
  @ApiAcceptedResponse({
    type: ProjectionStatusDto,
    description: 'Rebuild started; the live tables answer until the swap',
  })
  rebuild(@Param('name') name: string, @CommandCtx() ctx: CommandContext): Promise<ProjectionStatus> {
    return this.commands.execute(new RebuildProjection(ctx, name));
  }
}
