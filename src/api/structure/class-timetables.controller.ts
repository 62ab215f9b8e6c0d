import { Body, Controller, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ClassOrGroupKind } from '../../domain/structure/class-timetables';
import { CommandContext } from '../../event-store/handle-command';
import { Clock, todayInParis } from '../../domain/shared/clock';
import { CLOCK } from '../core/tokens';
import { schoolSettingsProjection, schoolStructureProjection } from '../../projections/structure';
import { Roles } from '../auth/decorators';
import { CommandAnswer } from '../core/command-answer';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { ReadsProjections } from '../core/read-your-writes';
import { SetClassTimetableDto } from './class-timetable.dto';
import { ChangeSchool } from './school.commands';
import { DateQuery } from './structure-shared.dto';
import { ClassTimetableAnswer, GetClassTimetable } from './structure.queries';
import { SchoolRoutes } from '../validation/path-parameters';

/** The weekly lessons of each class and group: the lessons a roll call is expected for. */
@ApiTags('classes and groups')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId')
export class ClassTimetablesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('classes/:classId/timetable')
  @ReadsProjections(schoolStructureProjection.name, schoolSettingsProjection.name)
  @ApiOkResponse({ description: 'The weekly lessons of the class in force on the date (default today)' })
  classTimetable(
    @Param('schoolId') schoolId: string,
    @Param('classId') classId: string,
    @Query() query: DateQuery,
  ): Promise<ClassTimetableAnswer> {
    return this.queries.execute(
      new GetClassTimetable(schoolId, 'class', classId, query.date ?? todayInParis(this.clock)),
    );
  }

  @Get('groups/:groupId/timetable')
  @ReadsProjections(schoolStructureProjection.name, schoolSettingsProjection.name)
  @ApiOkResponse({ description: 'The weekly lessons of the group in force on the date (default today)' })
  groupTimetable(
    @Param('schoolId') schoolId: string,
    @Param('groupId') groupId: string,
    @Query() query: DateQuery,
  ): Promise<ClassTimetableAnswer> {
    return this.queries.execute(
      new GetClassTimetable(schoolId, 'group', groupId, query.date ?? todayInParis(this.clock)),
    );
  }

  @Put('classes/:classId/timetable')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CommandAnswer })
  setClassTimetable(
    @Param('classId') classId: string,
    @Body() body: SetClassTimetableDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.set('class', classId, body, ctx);
  }

  @Put('groups/:groupId/timetable')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CommandAnswer })
  setGroupTimetable(
    @Param('groupId') groupId: string,
    @Body() body: SetClassTimetableDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.set('group', groupId, body, ctx);
  }

  private set(
    kind: ClassOrGroupKind,
    classOrGroupId: string,
    body: SetClassTimetableDto,
    ctx: CommandContext,
  ): Promise<CommandAnswer> {
    const lessons = body.lessons.map(({ weekday, slotCode, teacherId, subjectId }) => ({
      weekday,
      slotCode,
      teacherId,
      ...(subjectId !== undefined ? { subjectId } : {}),
    }));
    return this.commands.execute(
      new ChangeSchool(ctx, {
        type: 'SetClassTimetable',
        data: { classOrGroupId, kind, effectiveFrom: body.effectiveFrom, lessons },
      }),
    );
  }
}
