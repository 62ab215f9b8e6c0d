import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AuthenticatedUser } from '../auth/user';
import { AssessmentViews } from './assessment-views';

type Answer<K extends keyof AssessmentViews> = AssessmentViews[K] extends (...args: never[]) => infer R
  ? Awaited<R>
  : never;

/** Students × assessments of a class or group, subject and period, with averages as they stand. */
export class GetGradeBook extends Query<Answer<'gradeBook'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly classOrGroupId: string,
    readonly subjectId: string,
    readonly periodId: string,
  ) {
    super();
  }
}

/** A student's grades, levels, averages, positionings and appreciations of a period. */
export class GetStudentGrades extends Query<Answer<'studentPeriod'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly studentId: string,
    readonly periodId: string,
  ) {
    super();
  }
}

/** A class's averages of a period, per student and subject, with the class statistics. */
export class GetClassResults extends Query<Answer<'classResults'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly classId: string,
    readonly periodId: string,
  ) {
    super();
  }
}

/** One assessment, its grades and levels, and its corrections. */
export class GetAssessment extends Query<Answer<'assessment'>> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly assessmentId: string,
  ) {
    super();
  }
}

@QueryHandler(GetGradeBook)
export class GetGradeBookHandler implements IQueryHandler<GetGradeBook> {
  constructor(@Inject(AssessmentViews) private readonly views: AssessmentViews) {}
  execute(q: GetGradeBook) {
    return this.views.gradeBook(q.user, q.schoolId, q.classOrGroupId, q.subjectId, q.periodId);
  }
}

@QueryHandler(GetStudentGrades)
export class GetStudentGradesHandler implements IQueryHandler<GetStudentGrades> {
  constructor(@Inject(AssessmentViews) private readonly views: AssessmentViews) {}
  execute(q: GetStudentGrades) {
    return this.views.studentPeriod(q.user, q.schoolId, q.studentId, q.periodId);
  }
}

@QueryHandler(GetClassResults)
export class GetClassResultsHandler implements IQueryHandler<GetClassResults> {
  constructor(@Inject(AssessmentViews) private readonly views: AssessmentViews) {}
  execute(q: GetClassResults) {
    return this.views.classResults(q.user, q.schoolId, q.classId, q.periodId);
  }
}

@QueryHandler(GetAssessment)
export class GetAssessmentHandler implements IQueryHandler<GetAssessment> {
  constructor(@Inject(AssessmentViews) private readonly views: AssessmentViews) {}
  execute(q: GetAssessment) {
    return this.views.assessment(q.user, q.schoolId, q.assessmentId);
  }
}

export const assessmentQueryHandlers = [
  GetGradeBookHandler,
  GetStudentGradesHandler,
  GetClassResultsHandler,
  GetAssessmentHandler,
];
