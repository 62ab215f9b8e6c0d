import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '../../event-store/handle-command';
import { EnrolmentHistory, enrolmentsProjection } from '../../projections/structure';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser } from '../auth/user';
import { CommandAnswer } from '../core/command-answer';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { MinPositionQuery, ReadsProjections } from '../core/read-your-writes';
import { ApiError } from '../errors/api-error';
import {
  EnrolStudent,
  JoinGroup,
  LeaveGroup,
  MoveStudent,
  RecordSchoolDeparture,
  RegisterStudent,
} from './student.commands';
import { DatedDto, EnrolDto, JoinGroupDto, MoveDto, RegisterStudentDto } from './student.dto';
import { GetEnrolmentHistory } from './structure.queries';
import { SchoolRoutes } from '../validation/path-parameters';

/** Registration, enrolment in classes and groups with their dates, departure. */
@ApiTags('students')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/students')
export class StudentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  register(@Body() body: RegisterStudentDto, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    const { studentId, ine, lastName, firstName, birthDate, classId, from } = body;
    if ((classId === undefined) !== (from === undefined))
      throw new ApiError(
        400,
        'VALIDATION',
        'classId and from go together: the class and the first day in it',
        [
          {
            field: classId === undefined ? 'classId' : 'from',
            rule: 'isDefined',
            message: 'classId and from go together',
          },
        ],
      );
    return this.commands.execute(
      new RegisterStudent(ctx, studentId, { ine, lastName, firstName, birthDate, classId, from }),
    );
  }

  @Get(':studentId/enrolments')
  @ReadsProjections(enrolmentsProjection.name)
  @ApiOkResponse({ description: "The student's registration and every class and group with their dates" })
  history(
    @Param('schoolId') schoolId: string,
    @Param('studentId') studentId: string,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<EnrolmentHistory> {
    return this.queries.execute(new GetEnrolmentHistory(user, schoolId, studentId));
  }

  @Post(':studentId/enrolments')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  enrol(
    @Param('studentId') studentId: string,
    @Body() body: EnrolDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new EnrolStudent(ctx, studentId, body.classId, body.from));
  }

  @Post(':studentId/moves')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  move(
    @Param('studentId') studentId: string,
    @Body() body: MoveDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new MoveStudent(ctx, studentId, body.toClassId, body.on));
  }

  @Post(':studentId/groups')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  joinGroup(
    @Param('studentId') studentId: string,
    @Body() body: JoinGroupDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new JoinGroup(ctx, studentId, body.groupId, body.from));
  }

  @Post(':studentId/groups/:groupId/leave')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  leaveGroup(
    @Param('studentId') studentId: string,
    @Param('groupId') groupId: string,
    @Body() body: DatedDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new LeaveGroup(ctx, studentId, groupId, body.on));
  }

  @Post(':studentId/departure')
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiCreatedResponse({ type: CommandAnswer })
  depart(
    @Param('studentId') studentId: string,
    @Body() body: DatedDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new RecordSchoolDeparture(ctx, studentId, body.on));
  }
}
