import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { attendanceProjection, rollCallCompletenessProjection } from '../../projections/attendance';
import {
  enrolmentsProjection,
  schoolSettingsProjection,
  schoolStructureProjection,
} from '../../projections/structure';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser } from '../auth/user';
import { ReadsProjections } from '../core/read-your-writes';
import {
  AlertsQuery,
  ClassAttendanceQuery,
  CompletenessQuery,
  CountsQuery,
  LedgerQuery,
} from './attendance-query.dto';
import {
  GetAlerts,
  GetAttendanceCounts,
  GetClassAttendance,
  GetRollCallCompleteness,
  GetStudentAttendance,
} from './attendance.queries';
import { SchoolRoutes } from '../validation/path-parameters';
import { AlertsPage } from './attendance-pages.dto';

/** A student's ledger and counts, a class's day and totals, the school's alerts and roll-call gaps. */
@ApiTags('attendance: views')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId')
@Roles('cpe', 'principal', 'auditor', 'admin')
export class AttendanceViewsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('students/:studentId/attendance')
  @ReadsProjections(attendanceProjection.name, enrolmentsProjection.name)
  @ApiOkResponse({
    description:
      'Day by day, slot by slot: each absence with its status and the facts behind it. One page of days at a time ' +
      '(`next`: the cursor of the following page, null on the last); totals, justifications and facts are those of the whole range',
  })
  ledger(
    @Param('schoolId') schoolId: string,
    @Param('studentId') studentId: string,
    @Query() query: LedgerQuery,
  ) {
    return this.queries.execute(new GetStudentAttendance(schoolId, studentId, query));
  }

  @Get('students/:studentId/attendance/counts')
  @ReadsProjections(attendanceProjection.name, enrolmentsProjection.name, schoolStructureProjection.name)
  @ApiOkResponse({
    description: 'Half-days absent, justified and not, latenesses, missed minutes; per month',
  })
  counts(
    @Param('schoolId') schoolId: string,
    @Param('studentId') studentId: string,
    @Query() query: CountsQuery,
  ) {
    return this.queries.execute(new GetAttendanceCounts(schoolId, studentId, query));
  }

  @Get('classes/:classId/attendance')
  @Roles('teacher', 'cpe', 'principal', 'auditor', 'admin')
  @ReadsProjections(attendanceProjection.name, schoolStructureProjection.name)
  @ApiOkResponse({
    description: '?date=: the roll calls of the day; otherwise the totals over a period or range',
  })
  classAttendance(
    @Param('schoolId') schoolId: string,
    @Param('classId') classId: string,
    @Query() query: ClassAttendanceQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.queries.execute(new GetClassAttendance(user, schoolId, classId, query));
  }

  @Get('attendance/alerts')
  @ReadsProjections(attendanceProjection.name)
  @ApiOkResponse({
    type: AlertsPage,
    description:
      'Absenteeism alerts, one page at a time in month then student order: open by default; withdrawn ones are kept',
  })
  alerts(@Param('schoolId') schoolId: string, @Query() query: AlertsQuery) {
    return this.queries.execute(new GetAlerts(schoolId, query));
  }

  @Get('attendance/completeness')
  @ReadsProjections(
    rollCallCompletenessProjection.name,
    schoolStructureProjection.name,
    schoolSettingsProjection.name,
  )
  @ApiOkResponse({
    description:
      'Lessons without a roll call, per teacher and per class or group. The per-lesson lists (missing, unexpected) come one page ' +
      'at a time in lesson order (`next`: the cursor of the following page, null on the last); the counts are those of the whole range',
  })
  completeness(@Param('schoolId') schoolId: string, @Query() query: CompletenessQuery) {
    return this.queries.execute(new GetRollCallCompleteness(schoolId, query));
  }
}
