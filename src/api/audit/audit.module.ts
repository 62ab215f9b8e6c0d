import { Module } from '@nestjs/common';
import { AssessmentInputs } from '../assessment/assessment-inputs';
import { AttendanceModule } from '../attendance/attendance.module';
import { AsOfController } from './as-of.controller';
import { asOfQueryHandlers } from './as-of.queries';
import { AsOfViews } from './as-of-views';
import { AuditController } from './audit.controller';
import { campaignHandlers } from './campaign.commands';
import { Campaigns } from './campaigns';
import { CampaignsController } from './campaigns.controller';
import { GetAuditTrailHandler } from './get-audit-trail.query';
import { GetRebuildsHandler } from './get-rebuilds.query';
import { RebuildsController } from './rebuilds.controller';

/** The auditor's tools: the trail, and every view as it stood at a past moment. */
@Module({
  imports: [AttendanceModule],
  controllers: [AuditController, AsOfController, CampaignsController, RebuildsController],
  providers: [
    AssessmentInputs,
    AsOfViews,
    Campaigns,
    GetAuditTrailHandler,
    GetRebuildsHandler,
    ...asOfQueryHandlers,
    ...campaignHandlers,
  ],
})
export class AuditModule {}
