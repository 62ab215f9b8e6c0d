import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { GradeBookParams } from '../assessment/assessment.dto';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser } from '../auth/user';
import { CouncilParams } from '../council/council.dto';
import { SchoolRoutes } from '../validation/path-parameters';
import {
  AlertsAsOfQuery,
  ChangesQuery,
  CountsAsOfQuery,
  LedgerAsOfQuery,
  MomentQuery,
  StudentAsOfParams,
} from './as-of.dto';
import {
  GetAlertsAsOf,
  GetCouncilAsOf,
  GetCouncilChanges,
  GetCountsAsOf,
  GetGradeBookAsOf,
  GetLedgerAsOf,
} from './as-of.queries';

const AS_OF =
  ' as it stood at a moment (`at`, an instant, or `position`), under the settings then in force, computed by the live ' +
  "view's own code over the log up to that moment; the answer's `asOf` names the instant and the log position used.";

/**
 * The auditor's views: what a council, a ledger, a grade book or the alerts showed at a past moment,
 * and what changed in a council view between two moments. Read only, like every auditor route.
 */
@ApiTags('audit')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/as-of')
export class AsOfController {
  constructor(private readonly queries: QueryBus) {}

  @Get('councils/:classId/:periodId')
  @Roles('principal', 'auditor')
  @ApiOkResponse({ description: `The council view of a class and period${AS_OF}` })
  council(
    @Param() params: CouncilParams,
    @Query() query: MomentQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(
      new GetCouncilAsOf(user, params.schoolId, params.classId, params.periodId, {
        at: query.at,
        position: query.position,
      }),
    );
  }

  @Get('councils/:classId/:periodId/changes')
  @Roles('principal', 'auditor')
  @ApiOkResponse({
    description:
      'What changed in the council view between two moments (e.g. since the council met): every figure with its value ' +
      'at each moment (named by its path: `students[4521].subjects[MATHS].average.value`), and every event recorded ' +
      'in between on the streams the view reads, with who, when, why, its correlation id and the students it is about',
  })
  councilChanges(
    @Param() params: CouncilParams,
    @Query() query: ChangesQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(
      new GetCouncilChanges(user, params.schoolId, params.classId, params.periodId, {
        since: query.since,
        sincePosition: query.sincePosition,
        until: query.until,
        untilPosition: query.untilPosition,
      }),
    );
  }

  @Get('students/:studentId/attendance')
  @Roles('cpe', 'principal', 'auditor')
  @ApiOkResponse({ description: `A student's ledger, day by day${AS_OF}` })
  ledger(@Param() params: StudentAsOfParams, @Query() query: LedgerAsOfQuery) {
    return this.queries.execute(new GetLedgerAsOf(params.schoolId, params.studentId, query));
  }

  @Get('students/:studentId/attendance/counts')
  @Roles('cpe', 'principal', 'auditor')
  @ApiOkResponse({ description: `A student's half-day counts and alerts${AS_OF}` })
  counts(@Param() params: StudentAsOfParams, @Query() query: CountsAsOfQuery) {
    return this.queries.execute(new GetCountsAsOf(params.schoolId, params.studentId, query));
  }

  @Get('grade-books/:classOrGroup/:subjectId/:periodId')
  @Roles('principal', 'auditor')
  @ApiOkResponse({ description: `A grade book${AS_OF}` })
  gradeBook(
    @Param() params: GradeBookParams,
    @Query() query: MomentQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(
      new GetGradeBookAsOf(user, params.schoolId, params.classOrGroup, params.subjectId, params.periodId, {
        at: query.at,
        position: query.position,
      }),
    );
  }

  @Get('attendance/alerts')
  @Roles('cpe', 'principal', 'auditor')
  @ApiOkResponse({
    description: `One page of the alerts of a month (or of a student)${AS_OF}; month or studentId is required`,
  })
  alerts(@Param('schoolId') schoolId: string, @Query() query: AlertsAsOfQuery) {
    return this.queries.execute(new GetAlertsAsOf(schoolId, query));
  }
}
