import { Body, Controller, Delete, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiParam, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SettingKey } from '../../domain/settings/settings';
import { timetableOf } from '../../domain/settings/timetable';
import { PERIOD_SCHEMES, PeriodScheme } from '../../domain/structure/periods';
import { Clock, todayInParis } from '../../domain/shared/clock';
import { CLOCK } from '../core/tokens';
import {
  ClosureView,
  CompetencyItemView,
  SettingsChangeView,
  schoolSettingsProjection,
  schoolStructureProjection,
  SchoolYearView,
  SettingsOnDate,
} from '../../projections/structure';
import { Roles } from '../auth/decorators';
import { CommandAnswer } from '../core/command-answer';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { MinPositionQuery, ReadsProjections } from '../core/read-your-writes';
import { CommandContext } from '../../event-store/handle-command';
import { validationError } from '../errors/api-error';
import { ChangeSchool } from './school.commands';
import {
  ChangeSettingDto,
  ClosuresQuery,
  CompetencyItemsQuery,
  DeclareClosureDto,
  DefineCompetencyItemDto,
  DefineReasonDto,
  DefineSchoolYearDto,
  RetireCompetencyItemDto,
  RetireReasonDto,
  SetPeriodsDto,
  SetTimetableDto,
  WithdrawClosureDto,
} from './school.dto';
import { DateQuery } from './structure-shared.dto';
import {
  GetClosures,
  GetCompetencyItems,
  GetSchoolYears,
  GetSettingsHistory,
  GetSettingsOn,
} from './structure.queries';
import { SchoolRoutes } from '../validation/path-parameters';

const isPeriodScheme = (value: string): value is PeriodScheme =>
  (PERIOD_SCHEMES as readonly string[]).includes(value);

/**
 * The school year, its periods, the settings and closures, each change dated by when it takes effect;
 * and the school's catalogue of competency items.
 */
@ApiTags('school settings')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId')
export class SchoolController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('years')
  @ReadsProjections(schoolStructureProjection.name)
  @ApiOkResponse({ description: 'School years with their periods per scheme' })
  years(@Param('schoolId') schoolId: string, @Query() _query: MinPositionQuery): Promise<SchoolYearView[]> {
    return this.queries.execute(new GetSchoolYears(schoolId));
  }

  @Put('year')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CommandAnswer })
  defineYear(@Body() body: DefineSchoolYearDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { schoolYear, start, end, periods } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, {
        type: 'DefineSchoolYear',
        data: { schoolYear, start, end, ...(periods ? { periods } : {}) },
      }),
    );
  }

  @Put('periods/:scheme')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiParam({ name: 'scheme', enum: PERIOD_SCHEMES })
  @ApiOkResponse({ type: CommandAnswer })
  setPeriods(
    @Param('scheme') scheme: string,
    @Body() body: SetPeriodsDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    if (!isPeriodScheme(scheme))
      throw validationError([
        { field: 'scheme', rule: 'isIn', message: 'scheme must be trimester or semester' },
      ]);
    return this.commands.execute(
      new ChangeSchool(ctx, {
        type: 'SetPeriods',
        data: { scheme, periods: body.periods, ...(body.schoolYear ? { schoolYear: body.schoolYear } : {}) },
      }),
    );
  }

  @Get('settings')
  @ReadsProjections(schoolSettingsProjection.name)
  @ApiOkResponse({ description: 'The settings in force on the date, and the date their version started' })
  settings(@Param('schoolId') schoolId: string, @Query() query: DateQuery): Promise<SettingsOnDate> {
    return this.queries.execute(new GetSettingsOn(schoolId, query.date ?? todayInParis(this.clock)));
  }

  @Get('settings/history')
  @ReadsProjections(schoolSettingsProjection.name)
  @ApiOkResponse({ description: 'Every settings change: what, from when, recorded by whom and when' })
  settingsHistory(
    @Param('schoolId') schoolId: string,
    @Query() _query: MinPositionQuery,
  ): Promise<SettingsChangeView[]> {
    return this.queries.execute(new GetSettingsHistory(schoolId));
  }

  @Post('settings')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  changeSetting(@Body() body: ChangeSettingDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    return this.commands.execute(
      new ChangeSchool(ctx, {
        type: 'ChangeSetting',
        data: { key: body.key as SettingKey, value: body.value, effectiveFrom: body.effectiveFrom },
      }),
    );
  }

  @Get('timetable')
  @ReadsProjections(schoolSettingsProjection.name)
  @ApiOkResponse({ description: 'The slots in force on the date, each with its half-day' })
  async timetable(@Param('schoolId') schoolId: string, @Query() query: DateQuery) {
    const { date, since, settings } = await this.settings(schoolId, query);
    return { date, since, halfDayBoundary: settings.halfDayBoundary, slots: timetableOf(settings) };
  }

  @Put('timetable')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CommandAnswer })
  setTimetable(@Body() body: SetTimetableDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const slots = body.slots.map(({ code, start, end }) => ({ code, start, end }));
    return this.commands.execute(
      new ChangeSchool(ctx, { type: 'SetTimetable', data: { slots, effectiveFrom: body.effectiveFrom } }),
    );
  }

  @Post('reasons')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  defineReason(@Body() body: DefineReasonDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { code, label, legitimate, countsAsAbsence, schoolResponsibility, effectiveFrom } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, {
        type: 'DefineReason',
        data: { reason: { code, label, legitimate, countsAsAbsence, schoolResponsibility }, effectiveFrom },
      }),
    );
  }

  @Post('reasons/:code/retirement')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  retireReason(
    @Param('code') code: string,
    @Body() body: RetireReasonDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(
      new ChangeSchool(ctx, { type: 'RetireReason', data: { code, effectiveFrom: body.effectiveFrom } }),
    );
  }

  @Get('closures')
  @ReadsProjections(schoolSettingsProjection.name)
  @ApiOkResponse({ description: 'Closures touching the range, withdrawn ones included and marked' })
  closures(@Param('schoolId') schoolId: string, @Query() query: ClosuresQuery): Promise<ClosureView[]> {
    if (query.from !== undefined && query.to !== undefined && query.to < query.from)
      throw validationError([{ field: 'to', rule: 'notBeforeFrom', message: 'to must not be before from' }]);
    return this.queries.execute(new GetClosures(schoolId, query.from, query.to));
  }

  @Post('closures')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  declareClosure(@Body() body: DeclareClosureDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { closureId, from, to, label, kind } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, { type: 'DeclareClosure', data: { closureId, from, to, label, kind } }),
    );
  }

  @Post('closures/:closureId/withdrawal')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  withdrawClosure(
    @Param('closureId') closureId: string,
    @Body() body: WithdrawClosureDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(
      new ChangeSchool(ctx, { type: 'WithdrawClosure', data: { closureId, reason: body.reason } }),
    );
  }

  @Get('competency-items')
  @Roles('teacher', 'cpe', 'principal', 'auditor', 'admin')
  @ReadsProjections(schoolStructureProjection.name)
  @ApiOkResponse({
    description: 'The competency items by subject then id, retired ones included and marked',
  })
  competencyItems(
    @Param('schoolId') schoolId: string,
    @Query() query: CompetencyItemsQuery,
  ): Promise<CompetencyItemView[]> {
    return this.queries.execute(new GetCompetencyItems(schoolId, query.subjectId));
  }

  /** Defines an item, or changes its label or socle component; the same again records nothing. */
  @Put('competency-items/:itemId')
  @Roles('principal', 'admin')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CommandAnswer })
  defineCompetencyItem(
    @Param('itemId') itemId: string,
    @Body() body: DefineCompetencyItemDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    const { subjectId, label, socleComponent } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, {
        type: 'DefineCompetencyItem',
        data: { itemId, subjectId, label, socleComponent: socleComponent ?? null },
      }),
    );
  }

  /** Retires an item: it stays in the list, marked; retiring it again records nothing. */
  @Delete('competency-items/:itemId')
  @Roles('principal', 'admin')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CommandAnswer })
  retireCompetencyItem(
    @Param('itemId') itemId: string,
    @Body() _body: RetireCompetencyItemDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new ChangeSchool(ctx, { type: 'RetireCompetencyItem', data: { itemId } }));
  }
}
