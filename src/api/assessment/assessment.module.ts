import { Module } from '@nestjs/common';
import { AttendanceModule } from '../attendance/attendance.module';
import { AssessmentInputs } from './assessment-inputs';
import { AssessmentViews } from './assessment-views';
import { assessmentCommandHandlers } from './assessment.commands';
import { assessmentQueryHandlers } from './assessment.queries';
import { AssessmentsController } from './assessments.controller';
import { GradeViewsController } from './grade-views.controller';
import { ChangeReportHandler } from './report.commands';

/** Assessments, grades, competency levels, positionings and appreciations, and the grade views. */
@Module({
  imports: [AttendanceModule],
  controllers: [AssessmentsController, GradeViewsController],
  providers: [
    AssessmentInputs,
    AssessmentViews,
    ...assessmentCommandHandlers,
    ChangeReportHandler,
    ...assessmentQueryHandlers,
  ],
})
export class AssessmentModule {}
