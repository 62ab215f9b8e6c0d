import { Body, Controller, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Level } from '../../domain/assessment';
import { CommandContext } from '../../event-store/handle-command';
import { assessmentsProjection } from '../../projections/assessment';
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
import {
  AssessmentAnswer,
  GradeBookParams,
  PeriodQuery,
  ReportParams,
  SetPositioningDto,
  WriteAppreciationDto,
} from './assessment.dto';
import { GetClassResults, GetGradeBook, GetStudentGrades } from './assessment.queries';
import { ChangeReportCommand } from './report.commands';

const GRADE_VIEWS = [
  assessmentsProjection.name,
  enrolmentsProjection.name,
  schoolStructureProjection.name,
  schoolSettingsProjection.name,
];

/** The grade book, a student's period, a class's results; positionings and appreciations. */
@ApiTags('assessments: views and reports')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId')
export class GradeViewsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('grade-books/:classOrGroup/:subjectId/:periodId')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...GRADE_VIEWS)
  @ApiOkResponse({
    description:
      'Students × assessments with averages as they stand (each naming the grades and assessments behind it), ' +
      'positionings, appreciations, grades obtained in another class by a student who moved, and the class statistics',
  })
  gradeBook(
    @Param() params: GradeBookParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(
      new GetGradeBook(user, params.schoolId, params.classOrGroup, params.subjectId, params.periodId),
    );
  }

  @Get('students/:studentId/grades')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...GRADE_VIEWS)
  @ApiOkResponse({
    description:
      "A student's grades, levels, averages, positionings and appreciations of a period, and the general average",
  })
  studentGrades(
    @Param('schoolId') schoolId: string,
    @Param('studentId') studentId: string,
    @Query() query: PeriodQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(new GetStudentGrades(user, schoolId, studentId, query.periodId));
  }

  @Get('classes/:classId/results')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...GRADE_VIEWS)
  @ApiOkResponse({
    description:
      "Each council student's subject and general averages of a period, and the class average, min, max and count",
  })
  classResults(
    @Param('schoolId') schoolId: string,
    @Param('classId') classId: string,
    @Query() query: PeriodQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(new GetClassResults(user, schoolId, classId, query.periodId));
  }

  @Put('reports/:classId/:subjectId/:periodId/students/:studentId/positioning')
  @HttpCode(200)
  @Roles('teacher', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: AssessmentAnswer,
    description: "The teacher's final positioning, kept beside the engine's suggestion",
  })
  setPositioning(
    @Param() params: ReportParams,
    @Body() body: SetPositioningDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssessmentAnswer> {
    const { schoolId: _schoolId, ...target } = params;
    return this.commands.execute(
      new ChangeReportCommand(ctx, user, target, {
        type: 'SetPositioning',
        positioning: body.positioning as Level | null,
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
      }),
    );
  }

  @Put('reports/:classId/:subjectId/:periodId/students/:studentId/appreciation')
  @HttpCode(200)
  @Roles('teacher', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: AssessmentAnswer,
    description: 'The subject appreciation (at most 600 characters, the LSU limit)',
  })
  writeAppreciation(
    @Param() params: ReportParams,
    @Body() body: WriteAppreciationDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssessmentAnswer> {
    const { schoolId: _schoolId, ...target } = params;
    return this.commands.execute(
      new ChangeReportCommand(ctx, user, target, {
        type: 'WriteAppreciation',
        text: body.text,
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
      }),
    );
  }
}
