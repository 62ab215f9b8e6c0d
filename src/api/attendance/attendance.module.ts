import { Module } from '@nestjs/common';
import { AttendanceInputs } from './attendance-inputs';
import { AttendanceViews } from './attendance-views';
import { AttendanceViewsController } from './attendance-views.controller';
import { attendanceQueryHandlers } from './attendance.queries';
import { CorrectRollCallHandler, TakeRollCallHandler } from './roll-call.commands';
import { RollCallsController } from './roll-calls.controller';
import { StudentAttendanceController } from './student-attendance.controller';
import { RecordCollectiveExemptionHandler, studentAttendanceHandlers } from './student-attendance.commands';

/** Roll calls, facts recorded outside them, justifications, and the attendance views. */
@Module({
  controllers: [RollCallsController, StudentAttendanceController, AttendanceViewsController],
  providers: [
    AttendanceInputs,
    AttendanceViews,
    TakeRollCallHandler,
    CorrectRollCallHandler,
    ...studentAttendanceHandlers,
    RecordCollectiveExemptionHandler,
    ...attendanceQueryHandlers,
  ],
  exports: [AttendanceInputs, AttendanceViews],
})
export class AttendanceModule {}
