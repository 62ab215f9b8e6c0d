import { Controller, Get, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators';
import { knownUser } from '../auth/request';
import { ALL_SCHOOLS } from '../auth/user';
import { GetHealth } from './get-health.query';
import { HealthReport, HealthStatus } from './health.report';

/**
 * The log head and the projections' checkpoints move with every school's activity: only a
 * deployment admin sees them; anyone else learns whether the service is up.
 */
const seesFullReport = (request: FastifyRequest): boolean => {
  const user = knownUser(request);
  return user?.role === 'admin' && user.schoolId === ALL_SCHOOLS;
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly queries: QueryBus) {}

  @Public()
  @Get()
  @ApiExtraModels(HealthStatus, HealthReport)
  @ApiOkResponse({
    schema: { anyOf: [{ $ref: getSchemaPath(HealthStatus) }, { $ref: getSchemaPath(HealthReport) }] },
    description:
      'The service answers: `{ status }` only, unless the request carries a deployment admin token (`schoolId: "*"`). `degraded` with 200 when a projection failed or trails the log by more than `maxLagMs` (REGISTRE_HEALTH_MAX_LAG_MS, default 1 s); each projection says by how much, in positions (`lag`) and in time (`lagMs`)',
  })
  @ApiServiceUnavailableResponse({
    schema: { anyOf: [{ $ref: getSchemaPath(HealthStatus) }, { $ref: getSchemaPath(HealthReport) }] },
    description: 'The event store is unreachable',
  })
  async health(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthReport | HealthStatus> {
    const report = await this.queries.execute(new GetHealth());
    void reply.status(report.store === 'reachable' ? 200 : 503);
    return seesFullReport(request) ? report : { status: report.status };
  }
}
