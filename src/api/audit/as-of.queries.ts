import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AlertsQuery, CountsQuery, LedgerQuery } from '../attendance/attendance-query.dto';
import { AuthenticatedUser } from '../auth/user';
import { AsOfViews, Moment } from './as-of-views';

type Answer<K extends keyof AsOfViews> = AsOfViews[K] extends (...args: never[]) => infer R
  ? Awaited<R>
  : never;

/** The council view of a class and period as it stood at a moment. */
export class GetCouncilAsOf extends Query<Answer<'councilView'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly classId: string,
    readonly periodId: string,
    readonly moment: Moment,
  ) {
    super();
  }
}

/** What changed in a council view from one moment to another, and the events in between. */
export class GetCouncilChanges extends Query<Answer<'councilChanges'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly classId: string,
    readonly periodId: string,
    readonly moments: { since?: string; sincePosition?: string; until?: string; untilPosition?: string },
  ) {
    super();
  }
}

/** A student's ledger as it stood at a moment. */
export class GetLedgerAsOf extends Query<Answer<'ledger'>> {
  constructor(
    readonly schoolId: string,
    readonly studentId: string,
    readonly query: LedgerQuery & Moment,
  ) {
    super();
  }
}

/** A student's counts and alerts as they stood at a moment. */
export class GetCountsAsOf extends Query<Answer<'counts'>> {
  constructor(
    readonly schoolId: string,
    readonly studentId: string,
    readonly query: CountsQuery & Moment,
  ) {
    super();
  }
}

/** A grade book as it stood at a moment. */
export class GetGradeBookAsOf extends Query<Answer<'gradeBook'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly classOrGroupId: string,
    readonly subjectId: string,
    readonly periodId: string,
    readonly moment: Moment,
  ) {
    super();
  }
}

/** One page of the alerts of a month or a student as they stood at a moment. */
export class GetAlertsAsOf extends Query<Answer<'alerts'>> {
  constructor(
    readonly schoolId: string,
    readonly query: AlertsQuery & Moment,
  ) {
    super();
  }
}

@QueryHandler(GetCouncilAsOf)
export class GetCouncilAsOfHandler implements IQueryHandler<GetCouncilAsOf> {
  constructor(@Inject(AsOfViews) private readonly views: AsOfViews) {}
  execute(q: GetCouncilAsOf) {
    return this.views.councilView(q.user, q.schoolId, q.classId, q.periodId, q.moment);
  }
}

@QueryHandler(GetCouncilChanges)
export class GetCouncilChangesHandler implements IQueryHandler<GetCouncilChanges> {
  constructor(@Inject(AsOfViews) private readonly views: AsOfViews) {}
  execute(q: GetCouncilChanges) {
    return this.views.councilChanges(q.user, q.schoolId, q.classId, q.periodId, q.moments);
  }
}

@QueryHandler(GetLedgerAsOf)
export class GetLedgerAsOfHandler implements IQueryHandler<GetLedgerAsOf> {
  constructor(@Inject(AsOfViews) private readonly views: AsOfViews) {}
  execute(q: GetLedgerAsOf) {
    return this.views.ledger(q.schoolId, q.studentId, q.query);
  }
}

@QueryHandler(GetCountsAsOf)
export class GetCountsAsOfHandler implements IQueryHandler<GetCountsAsOf> {
  constructor(@Inject(AsOfViews) private readonly views: AsOfViews) {}
  execute(q: GetCountsAsOf) {
    return this.views.counts(q.schoolId, q.studentId, q.query);
  }
}

@QueryHandler(GetGradeBookAsOf)
export class GetGradeBookAsOfHandler implements IQueryHandler<GetGradeBookAsOf> {
  constructor(@Inject(AsOfViews) private readonly views: AsOfViews) {}
  execute(q: GetGradeBookAsOf) {
    return this.views.gradeBook(q.user, q.schoolId, q.classOrGroupId, q.subjectId, q.periodId, q.moment);
  }
}

@QueryHandler(GetAlertsAsOf)
export class GetAlertsAsOfHandler implements IQueryHandler<GetAlertsAsOf> {
  constructor(@Inject(AsOfViews) private readonly views: AsOfViews) {}
  execute(q: GetAlertsAsOf) {
    return this.views.alerts(q.schoolId, q.query);
  }
}

export const asOfQueryHandlers = [
  GetCouncilAsOfHandler,
  GetCouncilChangesHandler,
  GetLedgerAsOfHandler,
  GetCountsAsOfHandler,
  GetGradeBookAsOfHandler,
  GetAlertsAsOfHandler,
];
