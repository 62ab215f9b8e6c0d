import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AuthenticatedUser } from '../auth/user';
import {
  AlertsQuery,
  ClassAttendanceQuery,
  CompletenessQuery,
  CountsQuery,
  LedgerQuery,
} from './attendance-query.dto';
import { AttendanceViews } from './attendance-views';
import { Lesson } from './roll-call.commands';

type Answer<K extends keyof AttendanceViews> = AttendanceViews[K] extends (...args: never[]) => infer R
  ? Awaited<R>
  : never;

/** A student's attendance day by day and slot by slot; by default the current month up to today. */
export class GetStudentAttendance extends Query<Answer<'ledger'>> {
  constructor(
    readonly schoolId: string,
    readonly studentId: string,
    readonly range: LedgerQuery,
  ) {
    super();
  }
}

/** A student's half-days absent, justified and not, latenesses and missed minutes, per month. */
export class GetAttendanceCounts extends Query<Answer<'counts'>> {
  constructor(
    readonly schoolId: string,
    readonly studentId: string,
    readonly range: CountsQuery,
  ) {
    super();
  }
}

/** A class's roll calls of a day, or its totals over a period or range; a teacher only for their class. */
export class GetClassAttendance extends Query<Answer<'classAttendance'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly classId: string,
    readonly request: ClassAttendanceQuery,
  ) {
    super();
  }
}

/** The school's absenteeism alerts: open ones by default. */
export class GetAlerts extends Query<Answer<'alerts'>> {
  constructor(
    readonly schoolId: string,
    readonly filter: AlertsQuery,
  ) {
    super();
  }
}

/** Lessons without a roll call, per teacher and per class or group. */
export class GetRollCallCompleteness extends Query<Answer<'completeness'>> {
  constructor(
    readonly schoolId: string,
    readonly range: CompletenessQuery,
  ) {
    super();
  }
}

/** One roll call as it stands and its history; a teacher only for their class or group. */
export class GetRollCall extends Query<Answer<'rollCall'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly lesson: Lesson,
  ) {
    super();
  }
}

/** What every attendance query handler shares: the views over the live tables. */
abstract class AttendanceReader {
  constructor(@Inject(AttendanceViews) protected readonly views: AttendanceViews) {}
}

@QueryHandler(GetStudentAttendance)
export class GetStudentAttendanceHandler
  extends AttendanceReader
  implements IQueryHandler<GetStudentAttendance>
{
  async execute({ schoolId, studentId, range }: GetStudentAttendance): Promise<Answer<'ledger'>> {
    return this.views.ledger(schoolId, studentId, range);
  }
}

@QueryHandler(GetAttendanceCounts)
export class GetAttendanceCountsHandler
  extends AttendanceReader
  implements IQueryHandler<GetAttendanceCounts>
{
  async execute({ schoolId, studentId, range }: GetAttendanceCounts): Promise<Answer<'counts'>> {
    return this.views.counts(schoolId, studentId, range);
  }
}

@QueryHandler(GetClassAttendance)
export class GetClassAttendanceHandler extends AttendanceReader implements IQueryHandler<GetClassAttendance> {
  async execute({
    user,
    schoolId,
    classId,
    request,
  }: GetClassAttendance): Promise<Answer<'classAttendance'>> {
    return this.views.classAttendance(user, schoolId, classId, request);
  }
}

@QueryHandler(GetAlerts)
export class GetAlertsHandler extends AttendanceReader implements IQueryHandler<GetAlerts> {
  async execute({ schoolId, filter }: GetAlerts): Promise<Answer<'alerts'>> {
    return this.views.alerts(schoolId, filter);
  }
}

@QueryHandler(GetRollCallCompleteness)
export class GetRollCallCompletenessHandler
  extends AttendanceReader
  implements IQueryHandler<GetRollCallCompleteness>
{
  async execute({ schoolId, range }: GetRollCallCompleteness): Promise<Answer<'completeness'>> {
    return this.views.completeness(schoolId, range);
  }
}

@QueryHandler(GetRollCall)
export class GetRollCallHandler extends AttendanceReader implements IQueryHandler<GetRollCall> {
  async execute({ user, schoolId, lesson }: GetRollCall): Promise<Answer<'rollCall'>> {
    return this.views.rollCall(user, schoolId, lesson);
  }
}

export const attendanceQueryHandlers = [
  GetStudentAttendanceHandler,
  GetAttendanceCountsHandler,
  GetClassAttendanceHandler,
  GetAlertsHandler,
  GetRollCallCompletenessHandler,
  GetRollCallHandler,
];
