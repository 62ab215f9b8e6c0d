import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser } from '../auth/user';
import { SchoolRoutes } from '../validation/path-parameters';
import { CampaignAnswer, CampaignDto, CampaignParams, RevertAnswer, RevertCampaignDto } from './campaign.dto';
import { RevertCampaign, RunCampaign } from './campaign.commands';

const ANSWER =
  'Each operation with its status and answer (a refused one is listed in `refused`; the others stand, each ' +
  'all or nothing on its stream), the events appended (or, in a dry run, that would be), and per student the ' +
  'figures that change — before and after, by the same computation for the dry run and the commit — and the views showing them';

/**
 * Correction campaigns: a batch of corrections under one reason and one correlation id, with a dry
 * run, a commit and a revert. The principal or an admin sends them; each operation is checked by
 * its own route, roles included.
 */
@ApiTags('audit')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/campaigns')
export class CampaignsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('principal', 'admin')
  @ApiOkResponse({ type: CampaignAnswer, description: `The campaign run, or its dry run. ${ANSWER}` })
  run(
    @Param('schoolId') schoolId: string,
    @Body() body: CampaignDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ) {
    return this.commands.execute(
      new RunCampaign(user, request.headers.authorization ?? '', schoolId, {
        reason: body.reason,
        dryRun: body.dryRun ?? false,
        operations: body.operations,
        ...(body.correlationId !== undefined ? { correlationId: body.correlationId } : {}),
      }),
    );
  }

  @Post(':correlationId/revert')
  @HttpCode(200)
  @Roles('principal', 'admin')
  @ApiOkResponse({
    type: RevertAnswer,
    description:
      'The campaign that undoes a committed one (its correlation id: revert.<id>): each event corrected back, in reverse ' +
      `order; the events no correction undoes (a void is final) in \`notUndone\`. ${ANSWER}`,
  })
  revert(
    @Param() params: CampaignParams,
    @Body() body: RevertCampaignDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
  ) {
    return this.commands.execute(
      new RevertCampaign(user, request.headers.authorization ?? '', params.schoolId, params.correlationId, {
        reason: body.reason,
        dryRun: body.dryRun ?? false,
      }),
    );
  }
}
