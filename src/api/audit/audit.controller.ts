import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { auditTrailProjection } from '../../projections/audit-trail';
import { Roles } from '../auth/decorators';
import { ReadsProjections } from '../core/read-your-writes';
import { AuditPage, AuditQueryDto } from './audit-query.dto';
import { GetAuditTrail } from './get-audit-trail.query';
import { SchoolRoutes } from '../validation/path-parameters';

@ApiTags('audit')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/audit')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('auditor', 'principal', 'admin')
  @ReadsProjections(auditTrailProjection.name)
  @ApiOkResponse({ type: AuditPage, description: 'Who did what, when and why, in log order' })
  trail(@Param('schoolId') schoolId: string, @Query() filter: AuditQueryDto): Promise<AuditPage> {
    return this.queries.execute(new GetAuditTrail(schoolId, filter));
  }
}
