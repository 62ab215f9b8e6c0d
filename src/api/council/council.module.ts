import { Module } from '@nestjs/common';
import { AssessmentInputs } from '../assessment/assessment-inputs';
import { AttendanceModule } from '../attendance/attendance.module';
import { ChangeCouncilHandler } from './council.commands';
import { CouncilController } from './council.controller';
import { councilQueryHandlers } from './council.queries';
import { CouncilViews } from './council-views';
import { CouncilExports } from './council-exports';
import { CouncilExportsController } from './council-exports.controller';

/** The class council: its view, its readiness list, and the principal's decisions and hold. */
@Module({
  imports: [AttendanceModule],
  controllers: [CouncilController, CouncilExportsController],
  providers: [AssessmentInputs, CouncilViews, CouncilExports, ChangeCouncilHandler, ...councilQueryHandlers],
})
export class CouncilModule {}
