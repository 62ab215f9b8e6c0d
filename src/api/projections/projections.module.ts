import { Module } from '@nestjs/common';
import { GetProjectionStatusHandler } from './projection-status.query';
import { ProjectionsController } from './projections.controller';
import { RebuildProjectionHandler } from './rebuild-projection.command';

@Module({
  controllers: [ProjectionsController],
  providers: [GetProjectionStatusHandler, RebuildProjectionHandler],
})
export class ProjectionsApiModule {}
