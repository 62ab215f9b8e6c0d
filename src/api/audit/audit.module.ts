import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { GetAuditTrailHandler } from './get-audit-trail.query';

@Module({ controllers: [AuditController], providers: [GetAuditTrailHandler] })
export class AuditModule {}
