import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '../../event-store/handle-command';
import { attendanceProjection } from '../../projections/attendance';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser } from '../auth/user';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { MinPositionQuery, ReadsProjections } from '../core/read-your-writes';
import { GetRollCall } from './attendance.queries';
import { CorrectRollCallCommand, Lesson, TakeRollCallCommand, rollCallRequestOf } from './roll-call.commands';
import {
  RevertRollCallDto,
  RollCallAnswer,
  RollCallParams,
  TakeRollCallDto,
  VoidRollCallDto,
} from './roll-call.dto';
import { TakeRollCallBodyPipe } from './take-roll-call.pipe';
import { SchoolRoutes } from '../validation/path-parameters';

const lessonOf = (params: RollCallParams): Lesson => ({
  classOrGroupId: params.classOrGroup,
  date: params.date,
  slotCode: params.slot,
});

/** Roll calls: taken by the class's teacher or the CPE, amended, reverted, voided, and their history. */
@ApiTags('attendance: roll calls')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/roll-calls')
export class RollCallsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(200)
  // The principal too, for a period whose council was held (the decision refuses them elsewhere).
  @Roles('teacher', 'cpe', 'principal')
  @ApiCommandHeaders()
  @ApiBody({ type: TakeRollCallDto })
  @ApiOkResponse({
    type: RollCallAnswer,
    description: 'Taken, amended, or unchanged when it said exactly this',
  })
  take(
    // Readonly<…> is not a class: the global ValidationPipe passes it by, TakeRollCallBodyPipe validates it once.
    @Body(TakeRollCallBodyPipe) body: Readonly<TakeRollCallDto>,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<RollCallAnswer> {
    return this.commands.execute(new TakeRollCallCommand(ctx, user, rollCallRequestOf(body)));
  }

  @Post(':classOrGroup/:date/:slot/void')
  @HttpCode(200)
  // The principal too, for a period whose council was held (the decision refuses them elsewhere).
  @Roles('teacher', 'cpe', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: RollCallAnswer, description: 'Voided: it stays in the log and no longer counts' })
  void(
    @Param() params: RollCallParams,
    @Body() body: VoidRollCallDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<RollCallAnswer> {
    const correction = { type: 'VoidRollCall' as const, reason: body.reason };
    return this.commands.execute(new CorrectRollCallCommand(ctx, user, lessonOf(params), correction));
  }

  @Post(':classOrGroup/:date/:slot/revert')
  @HttpCode(200)
  // The principal too, for a period whose council was held (the decision refuses them elsewhere).
  @Roles('teacher', 'cpe', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: RollCallAnswer,
    description: 'The list of an earlier version restored, as an amendment',
  })
  revert(
    @Param() params: RollCallParams,
    @Body() body: RevertRollCallDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<RollCallAnswer> {
    const correction = { type: 'RevertRollCall' as const, reason: body.reason, toVersion: body.toVersion };
    return this.commands.execute(new CorrectRollCallCommand(ctx, user, lessonOf(params), correction));
  }

  @Get(':classOrGroup/:date/:slot')
  @Roles('teacher', 'cpe', 'principal', 'auditor', 'admin')
  @ReadsProjections(attendanceProjection.name)
  @ApiOkResponse({ description: 'The roll call as it stands, and who changed it, when, why and how' })
  history(
    @Param() params: RollCallParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(new GetRollCall(user, params.schoolId, lessonOf(params)));
  }
}
