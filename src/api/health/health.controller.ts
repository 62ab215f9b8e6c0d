import { Controller, Get, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators';
import { GetHealth } from './get-health.query';
import { HealthReport } from './health.report';

const withStatus = (reply: FastifyReply, report: HealthReport): HealthReport => {
  void reply.status(report.store === 'reachable' ? 200 : 503);
  return report;
};

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly queries: QueryBus) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: HealthReport })
  @ApiServiceUnavailableResponse({ type: HealthReport, description: 'The event store is unreachable' })
  health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.queries.execute(new GetHealth()).then((report) => withStatus(reply, report));
  }
}
