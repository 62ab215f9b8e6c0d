import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/decorators';
import { SchoolRoutes } from '../validation/path-parameters';
import { GetRebuilds } from './get-rebuilds.query';
import { RebuildsPage, RebuildsQueryDto } from './rebuilds.dto';

@ApiTags('audit')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/audit/rebuilds')
export class RebuildsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('auditor', 'principal', 'admin')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({
    type: RebuildsPage,
    description:
      "The rebuilds of a view that changed the school's rows, newest first: figures changed because the code that " +
      'computes them changed (a fix), with the versions before and after, not because of a new fact. With studentId: ' +
      "those that changed the student's rows, each row as both versions held it",
  })
  rebuilds(@Param('schoolId') schoolId: string, @Query() filter: RebuildsQueryDto): Promise<RebuildsPage> {
    return this.queries.execute(new GetRebuilds(schoolId, filter));
  }
}
