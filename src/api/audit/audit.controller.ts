import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { csvRow } from '../../domain/shared/csv';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
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

const CSV_HEADER = [
  'position',
  'recordedAt',
  'type',
  'streamId',
  'actorId',
  'actorRole',
  'commandId',
  'correlationId',
  'reason',
  'studentId',
  'effect',
];

/** A page of the trail for a spreadsheet: one line per effect of each entry, one line for an entry without any. */
const auditCsv = (page: AuditPage): string => {
  const lines = [csvRow(CSV_HEADER)];
  for (const entry of page.entries) {
    const head = [
      entry.position,
      entry.recordedAt,
      entry.type,
      entry.streamId,
      entry.actorId,
      entry.actorRole,
      entry.commandId,
      entry.correlationId,
      entry.reason,
    ];
    const effects = entry.effects ?? [];
    if (effects.length === 0) lines.push(csvRow([...head, null, null]));
    for (const effect of effects) lines.push(csvRow([...head, effect.studentId, effect.text]));
  }
  return `${lines.join('\r\n')}\r\n`;
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
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    type: AuditPage,
    description:
      'Who did what, when and why, in log order, and what each event changed in the figures; a CPE sees roll-call and ' +
      'attendance streams only. With format=csv: the page as CSV, one line per entry and effect, the next page in the X-Next-Page header',
  })
  async trail(
    @Param('schoolId') schoolId: string,
    @Query() filter: AuditQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuditPage | string> {
    const page: AuditPage = await this.queries.execute(
      new GetAuditTrail(user, schoolId, filter, areaVisibleTo(user, schoolId, filter)),
    );
    if (filter.format !== 'csv') return page;
    void reply.header('Content-Type', 'text/csv; charset=utf-8');
    if (page.next !== null) void reply.header('X-Next-Page', page.next);
    return auditCsv(page);
  }
}
