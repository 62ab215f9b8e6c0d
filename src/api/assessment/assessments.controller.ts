import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { GradeValue, LevelValue } from '../../domain/assessment';
import { CommandContext } from '../../event-store/handle-command';
import { assessmentsProjection } from '../../projections/assessment';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser } from '../auth/user';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { MinPositionQuery, ReadsProjections } from '../core/read-your-writes';
import { SchoolRoutes } from '../validation/path-parameters';
import {
  AssessmentChange,
  ChangeAssessmentCommand,
  CreateAssessmentCommand,
  createAssessmentRequestOf,
} from './assessment.commands';
import {
  AssessmentAnswer,
  AssessmentParams,
  CancelAssessmentDto,
  ChangeAssessmentDto,
  CorrectGradeDto,
  CorrectLevelDto,
  CreateAssessmentDto,
  GradeParams,
  LevelParams,
  RecordGradesDto,
  RecordLevelsDto,
} from './assessment.dto';
import { GetAssessment } from './assessment.queries';
import { RecordGradesBodyPipe } from './record-grades.pipe';

const defined = <T extends object>(record: T): T =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;

/**
 * Assessments: created by the teacher of the class and subject (or the principal), their grades and
 * competency levels recorded in one command for the class, each correction its own event with a reason.
 */
@ApiTags('assessments')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/assessments')
export class AssessmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private change(
    ctx: CommandContext,
    user: AuthenticatedUser,
    assessmentId: string,
    change: AssessmentChange,
  ) {
    return this.commands.execute(new ChangeAssessmentCommand(ctx, user, assessmentId, change));
  }

  @Post()
  @HttpCode(200)
  @Roles('teacher', 'principal')
  @ApiCommandHeaders()
  @ApiBody({ type: CreateAssessmentDto })
  @ApiOkResponse({
    type: AssessmentAnswer,
    description: 'Created, or unchanged when it already said exactly this',
  })
  create(
    @Body() body: CreateAssessmentDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssessmentAnswer> {
    return this.commands.execute(new CreateAssessmentCommand(ctx, user, createAssessmentRequestOf(body)));
  }

  @Patch(':assessmentId')
  @HttpCode(200)
  @Roles('teacher', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: AssessmentAnswer,
    description:
      'Date, title, outOf, coefficient or formative flag changed; once grades exist a change that moves averages needs a reason',
  })
  update(
    @Param() params: AssessmentParams,
    @Body() body: ChangeAssessmentDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssessmentAnswer> {
    return this.change(
      ctx,
      user,
      params.assessmentId,
      defined({ type: 'ChangeAssessment' as const, ...body }),
    );
  }

  @Post(':assessmentId/cancel')
  @HttpCode(200)
  @Roles('teacher', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: AssessmentAnswer,
    description: 'Cancelled: kept and shown, counted nowhere; a reason once graded',
  })
  cancel(
    @Param() params: AssessmentParams,
    @Body() body: CancelAssessmentDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssessmentAnswer> {
    return this.change(
      ctx,
      user,
      params.assessmentId,
      defined({ type: 'CancelAssessment' as const, reason: body.reason }),
    );
  }

  @Post(':assessmentId/grades')
  @HttpCode(200)
  @Roles('teacher', 'principal')
  @ApiCommandHeaders()
  @ApiBody({ type: RecordGradesDto })
  @ApiOkResponse({
    type: AssessmentAnswer,
    description:
      'The grades of the class in one event; refused whole (400, each faulty student named) if one is invalid; a resend changes nothing',
  })
  recordGrades(
    @Param() params: AssessmentParams,
    // Readonly<…> is not a class: the global ValidationPipe passes it by, RecordGradesBodyPipe validates it once.
    @Body(RecordGradesBodyPipe) body: Readonly<RecordGradesDto>,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssessmentAnswer> {
    const grades = body.grades.map(({ studentId, value }) => ({ studentId, value: value as GradeValue }));
    return this.change(ctx, user, params.assessmentId, { type: 'RecordGrades', grades });
  }

  @Post(':assessmentId/grades/:studentId/correction')
  @HttpCode(200)
  @Roles('teacher', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: AssessmentAnswer,
    description: "One student's grade corrected (null removes it), with a reason",
  })
  correctGrade(
    @Param() params: GradeParams,
    @Body() body: CorrectGradeDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssessmentAnswer> {
    return this.change(ctx, user, params.assessmentId, {
      type: 'CorrectGrade',
      studentId: params.studentId,
      value: body.value as GradeValue | null,
      reason: body.reason,
    });
  }

  @Post(':assessmentId/levels')
  @HttpCode(200)
  @Roles('teacher', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: AssessmentAnswer,
    description: 'Competency levels of the class on the items the assessment evaluates',
  })
  recordLevels(
    @Param() params: AssessmentParams,
    @Body() body: RecordLevelsDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssessmentAnswer> {
    const levels = body.levels.map(({ studentId, itemId, value }) => ({
      studentId,
      itemId,
      value: value as LevelValue,
    }));
    return this.change(ctx, user, params.assessmentId, { type: 'RecordLevels', levels });
  }

  @Post(':assessmentId/levels/:studentId/:itemId/correction')
  @HttpCode(200)
  @Roles('teacher', 'principal')
  @ApiCommandHeaders()
  @ApiOkResponse({
    type: AssessmentAnswer,
    description: "One student's level on one item corrected, with a reason",
  })
  correctLevel(
    @Param() params: LevelParams,
    @Body() body: CorrectLevelDto,
    @CommandCtx() ctx: CommandContext,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AssessmentAnswer> {
    return this.change(ctx, user, params.assessmentId, {
      type: 'CorrectLevel',
      studentId: params.studentId,
      itemId: params.itemId,
      value: body.value as LevelValue | null,
      reason: body.reason,
    });
  }

  @Get(':assessmentId')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(assessmentsProjection.name)
  @ApiOkResponse({
    description: 'The assessment, its grades and levels as they stand, and who corrected what, when and why',
  })
  read(
    @Param() params: AssessmentParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(new GetAssessment(user, params.schoolId, params.assessmentId));
  }
}
