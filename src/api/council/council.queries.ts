import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AuthenticatedUser } from '../auth/user';
import { CouncilViews } from './council-views';

type Answer<K extends keyof CouncilViews> = CouncilViews[K] extends (...args: never[]) => infer R
  ? Awaited<R>
  : never;

/** The council view of a class and period: every student's figures and the class's, with the decisions. */
export class GetCouncilView extends Query<Answer<'view'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly classId: string,
    readonly periodId: string,
  ) {
    super();
  }
}

/** What is missing before the council can be held, with who must act, counted per teacher. */
export class GetCouncilReadiness extends Query<Answer<'readiness'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly classId: string,
    readonly periodId: string,
  ) {
    super();
  }
}

@QueryHandler(GetCouncilView)
export class GetCouncilViewHandler implements IQueryHandler<GetCouncilView> {
  constructor(@Inject(CouncilViews) private readonly views: CouncilViews) {}
  execute(q: GetCouncilView) {
    return this.views.view(q.user, q.schoolId, q.classId, q.periodId);
  }
}

@QueryHandler(GetCouncilReadiness)
export class GetCouncilReadinessHandler implements IQueryHandler<GetCouncilReadiness> {
  constructor(@Inject(CouncilViews) private readonly views: CouncilViews) {}
  execute(q: GetCouncilReadiness) {
    return this.views.readiness(q.user, q.schoolId, q.classId, q.periodId);
  }
}

export const councilQueryHandlers = [GetCouncilViewHandler, GetCouncilReadinessHandler];
