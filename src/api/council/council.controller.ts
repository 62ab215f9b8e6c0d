import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '../../event-store/handle-command';
import { assessmentsProjection } from '../../projections/assessment';
import { attendanceProjection, rollCallCompletenessProjection } from '../../projections/attendance';
import { councilsProjection } from '../../projections/council';
import {
  enrolmentsProjection,
  schoolSettingsProjection,
  schoolStructureProjection,
} from '../../projections/structure';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser } from '../auth/user';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { MinPositionQuery, ReadsProjections } from '../core/read-your-writes';
import { SchoolRoutes } from '../validation/path-parameters';
import { ChangeCouncilCommand, CouncilChange } from './council.commands';
import {
  AwardMentionDto,
  CouncilAnswer,
  CouncilParams,
  CouncilStudentParams,
  CouncilTextDto,
  HoldCouncilDto,
  ReopenCouncilDto,
  ScheduleCouncilDto,
} from './council.dto';
import { GetCouncilReadiness, GetCouncilView } from './council.queries';

/** The read models a council view (and each export of it) reads. */
export const COUNCIL_VIEWS = [
  councilsProjection.name,
  assessmentsProjection.name,
  attendanceProjection.name,
  rollCallCompletenessProjection.name,
  enrolmentsProjection.name,
  schoolStructureProjection.name,
  schoolSettingsProjection.name,
];

/**
 * The class council: the principal schedules it, writes each student's synthesis and mention and the
 * class's appreciation, holds it (which closes the period) and may reopen it with a reason; the
 * principal, the CPE, the auditor and the class's teachers read its view and its readiness list.
 */
@ApiTags('class councils')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/councils/:classId/:periodId')
export class CouncilController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private change(ctx: CommandContext, params: CouncilParams, change: CouncilChange): Promise<CouncilAnswer> {
    return this.commands.execute(
      new ChangeCouncilCommand(ctx, { classId: params.classId, periodId: params.periodId }, change),
    );
  }

  @Get()
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...COUNCIL_VIEWS)
  @ApiOkResponse({
    description:
      'For each council student: subject averages with the class average, min and max, general average, ' +
      'positionings (suggested and final), levels per socle component, appreciations, the school-life summary ' +
      'with the ledger behind it, previous periods, moves and groups, synthesis and mention; for the class: ' +
      'statistics, appreciation, status and date. Every figure names the grades, assessments or ledger behind it.',
  })
  view(
    @Param() params: CouncilParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(new GetCouncilView(user, params.schoolId, params.classId, params.periodId));
  }

  @Get('readiness')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...COUNCIL_VIEWS)
  @ApiOkResponse({
    description:
      'What is missing before the council can be held, each with who must act: roll calls, unjustified ' +
      'absences, grades, appreciations and positionings, SIECLE ids; counted per teacher',
  })
  readiness(
    @Param() params: CouncilParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(
      new GetCouncilReadiness(user, params.schoolId, params.classId, params.periodId),
    );
  }

  @Put('schedule')
  @HttpCode(200)
  @Roles('principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CouncilAnswer, description: 'The day the council meets' })
  schedule(
    @Param() params: CouncilParams,
    @Body() body: ScheduleCouncilDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CouncilAnswer> {
    return this.change(ctx, params, { type: 'ScheduleCouncil', date: body.date });
  }

  @Put('students/:studentId/synthesis')
  @HttpCode(200)
  @Roles('principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CouncilAnswer, description: "The council's synthesis for one student" })
  synthesis(
    @Param() params: CouncilStudentParams,
    @Body() body: CouncilTextDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CouncilAnswer> {
    return this.change(ctx, params, {
      type: 'WriteStudentSynthesis',
      studentId: params.studentId,
      text: body.text,
    });
  }

  @Put('students/:studentId/mention')
  @HttpCode(200)
  @Roles('principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: CouncilAnswer,
    description: "The council's mention for one student, from the school's list",
  })
  mention(
    @Param() params: CouncilStudentParams,
    @Body() body: AwardMentionDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CouncilAnswer> {
    return this.change(ctx, params, {
      type: 'AwardMention',
      studentId: params.studentId,
      mention: body.mention,
    });
  }

  @Put('appreciation')
  @HttpCode(200)
  @Roles('principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CouncilAnswer, description: "The class's general appreciation" })
  appreciation(
    @Param() params: CouncilParams,
    @Body() body: CouncilTextDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CouncilAnswer> {
    return this.change(ctx, params, { type: 'WriteClassAppreciation', text: body.text });
  }

  @Post('hold')
  @HttpCode(200)
  @Roles('principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: CouncilAnswer,
    description: 'The council met: the period is closed, and the figures the council saw are kept',
  })
  hold(
    @Param() params: CouncilParams,
    @Body() body: HoldCouncilDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CouncilAnswer> {
    return this.change(ctx, params, {
      type: 'HoldCouncil',
      ...(body.heldOn !== undefined ? { heldOn: body.heldOn } : {}),
    });
  }

  @Post('reopen')
  @HttpCode(200)
  @Roles('principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CouncilAnswer, description: 'The held council is reopened, with a reason' })
  reopen(
    @Param() params: CouncilParams,
    @Body() body: ReopenCouncilDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CouncilAnswer> {
    return this.change(ctx, params, { type: 'ReopenCouncil', reason: body.reason });
  }
}
