import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '../../event-store/handle-command';
import { ProjectionStatus } from '../../projections/projection-runner';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser, ALL_SCHOOLS } from '../auth/user';
import { ApiError } from '../errors/api-error';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { GetProjectionStatus } from './projection-status.query';
import { ProjectionStatusDto } from './projection-status.dto';
import { RebuildProjection } from './rebuild-projection.command';
import { SchoolRoutes } from '../validation/path-parameters';

@ApiTags('projections')
@ApiBearerAuth()
@SchoolRoutes()
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
  rebuild(
    @Param('name') name: string,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ProjectionStatus> {
    // Read models serve every school of the deployment: one school's admin must not rebuild them all.
    if (user.schoolId !== ALL_SCHOOLS)
      throw new ApiError(
        403,
        'AUTH.DEPLOYMENT_ADMIN_REQUIRED',
        'a rebuild affects every school of the deployment: it needs an admin token for all schools (schoolId "*")',
      );
    return this.commands.execute(new RebuildProjection(ctx, name));
  }
}
