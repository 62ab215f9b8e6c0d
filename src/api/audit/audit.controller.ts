import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditArea, auditAreaOf, auditTrailProjection } from '../../projections/audit-trail';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser } from '../auth/user';
import { ApiError } from '../errors/api-error';
import { ReadsProjections } from '../core/read-your-writes';
import { AuditPage, AuditQueryDto } from './audit-query.dto';
import { GetAuditTrail } from './get-audit-trail.query';
import { SchoolRoutes } from '../validation/path-parameters';

/**
 * A CPE reads the attendance area of the trail (roll calls and each student's attendance facts);
 * asking for another stream by name is refused.
 */
const areaVisibleTo = (
  user: AuthenticatedUser,
  schoolId: string,
  filter: AuditQueryDto,
): AuditArea | undefined => {
  if (user.role !== 'cpe') return undefined;
  if (filter.stream !== undefined && auditAreaOf(filter.stream, schoolId) !== 'attendance') {
    throw new ApiError(
      403,
      'AUDIT.STREAM_FORBIDDEN',
      `a CPE reads the audit trail of roll calls and attendance only, not of ${filter.stream}`,
      { stream: filter.stream },
    );
  }
  return 'attendance';
};

@ApiTags('audit')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/audit')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('auditor', 'principal', 'admin', 'cpe')
  @ReadsProjections(auditTrailProjection.name)
  @ApiOkResponse({
    type: AuditPage,
    description: 'Who did what, when and why, in log order; a CPE sees roll-call and attendance streams only',
  })
  trail(
    @Param('schoolId') schoolId: string,
    @Query() filter: AuditQueryDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<AuditPage> {
    return this.queries.execute(new GetAuditTrail(schoolId, filter, areaVisibleTo(user, schoolId, filter)));
  }
}
