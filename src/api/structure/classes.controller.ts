import { Body, Controller, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ClassInfo, GroupInfo } from '../../domain/structure/school';
import { CommandContext } from '../../event-store/handle-command';
import { Clock, todayInParis } from '../../domain/shared/clock';
import { CLOCK } from '../core/tokens';
import {
  enrolmentsProjection,
  schoolStructureProjection,
  StudentOnDate,
  TeachingView,
} from '../../projections/structure';
import { CurrentUser, Roles } from '../auth/decorators';
import { assertTeacherReadsRoster } from '../auth/teacher-scope';
import { AuthenticatedUser } from '../auth/user';
import { CommandAnswer } from '../core/command-answer';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { MinPositionQuery, ReadsProjections } from '../core/read-your-writes';
import {
  DefineSubjectDto,
  OpenClassDto,
  OpenGroupDto,
  RecordTeacherDto,
  RenameSubjectDto,
  TeachingAssignmentDto,
} from './class.dto';
import { ChangeSchool } from './school.commands';
import { DateQuery } from './structure-shared.dto';
import { GetClasses, GetClassRoster, GetGroupRoster, GetGroups, GetTeaching } from './structure.queries';
import { SchoolRoutes } from '../validation/path-parameters';

/** Classes and groups, who is in them on a date, and who teaches what where. */
@ApiTags('classes and groups')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId')
export class ClassesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('classes')
  @ReadsProjections(schoolStructureProjection.name)
  classes(@Param('schoolId') schoolId: string, @Query() _query: MinPositionQuery): Promise<ClassInfo[]> {
    return this.queries.execute(new GetClasses(schoolId));
  }

  @Post('classes')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  openClass(@Body() body: OpenClassDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { classId, label, periodScheme } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, { type: 'OpenClass', data: { classId, label, periodScheme } }),
    );
  }

  @Get('groups')
  @ReadsProjections(schoolStructureProjection.name)
  groups(@Param('schoolId') schoolId: string, @Query() _query: MinPositionQuery): Promise<GroupInfo[]> {
    return this.queries.execute(new GetGroups(schoolId));
  }

  @Post('groups')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  openGroup(@Body() body: OpenGroupDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { groupId, label, classIds } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, { type: 'OpenGroup', data: { groupId, label, classIds } }),
    );
  }

  @Get('classes/:classId/students')
  @ReadsProjections(schoolStructureProjection.name, enrolmentsProjection.name)
  @ApiOkResponse({
    description: 'The students of the class on the date (default today), moves and departures applied',
  })
  classStudents(
    @Param('schoolId') schoolId: string,
    @Param('classId') classId: string,
    @Query() query: DateQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentOnDate[]> {
    assertTeacherReadsRoster(user, classId);
    return this.queries.execute(
      new GetClassRoster(schoolId, classId, query.date ?? todayInParis(this.clock)),
    );
  }

  @Get('groups/:groupId/students')
  @ReadsProjections(schoolStructureProjection.name, enrolmentsProjection.name)
  groupStudents(
    @Param('schoolId') schoolId: string,
    @Param('groupId') groupId: string,
    @Query() query: DateQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<StudentOnDate[]> {
    assertTeacherReadsRoster(user, groupId);
    return this.queries.execute(
      new GetGroupRoster(schoolId, groupId, query.date ?? todayInParis(this.clock)),
    );
  }

  @Get('teaching')
  @ReadsProjections(schoolStructureProjection.name)
  @ApiOkResponse({ description: 'Subjects, teachers and teaching assignments' })
  teaching(@Param('schoolId') schoolId: string, @Query() _query: MinPositionQuery): Promise<TeachingView> {
    return this.queries.execute(new GetTeaching(schoolId));
  }

  @Post('subjects')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  defineSubject(@Body() body: DefineSubjectDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { subjectId, code, label, shortLabel } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, { type: 'DefineSubject', data: { subjectId, code, label, shortLabel } }),
    );
  }

  /** The school's own label for a subject: no later import (Nomenclature or STS-web) replaces it. */
  @Put('subjects/:subjectId/label')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({ type: CommandAnswer })
  renameSubject(
    @Param('subjectId') subjectId: string,
    @Body() body: RenameSubjectDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    const { label, shortLabel } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, { type: 'RenameSubject', data: { subjectId, label, shortLabel } }),
    );
  }

  @Post('teachers')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  recordTeacher(@Body() body: RecordTeacherDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { teacherId, lastName, firstName } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, { type: 'RecordTeacher', data: { teacherId, lastName, firstName } }),
    );
  }

  @Post('teaching-assignments')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  assign(@Body() body: TeachingAssignmentDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { teacherId, subjectId, targetKind, targetId } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, {
        type: 'AssignTeaching',
        data: { teacherId, subjectId, target: { kind: targetKind, id: targetId } },
      }),
    );
  }

  @Post('teaching-assignments/removals')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  unassign(@Body() body: TeachingAssignmentDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { teacherId, subjectId, targetKind, targetId } = body;
    return this.commands.execute(
      new ChangeSchool(ctx, {
        type: 'UnassignTeaching',
        data: { teacherId, subjectId, target: { kind: targetKind, id: targetId } },
      }),
    );
  }
}
