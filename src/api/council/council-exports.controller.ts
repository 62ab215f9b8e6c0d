import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ERROR_RESPONSE } from '../docs/error-answers';
import { CurrentUser, Roles } from '../auth/decorators';
import { AuthenticatedUser } from '../auth/user';
import { MinPositionQuery, ReadsProjections } from '../core/read-your-writes';
import { SchoolRoutes } from '../validation/path-parameters';
import { COUNCIL_VIEWS } from './council.controller';
import { CouncilParams, CouncilStudentParams } from './council.dto';
import { CouncilExports } from './council-exports';

const attachment = (reply: FastifyReply, type: string, fileName: string): void => {
  void reply.header('Content-Type', type);
  void reply.header('Content-Disposition', `attachment; filename="${fileName}"`);
};

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['code', 'field', 'message'],
  properties: {
    code: { type: 'string', example: 'LSU.APPRECIATION_MISSING' },
    studentId: { type: 'string' },
    subjectId: { type: 'string' },
    teacherId: { type: 'string' },
    field: { type: 'string', example: 'students[b2].subjects[MATHS].appreciation' },
    message: { type: 'string' },
  },
};

/**
 * The council's exports: the national LSU file (with its pre-export check), the report cards as PDF
 * (the class, or one student) and the council table as CSV. Whoever reads the council view reads them.
 */
@ApiTags('class councils')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/councils/:classId/:periodId')
export class CouncilExportsController {
  constructor(private readonly exports: CouncilExports) {}

  @Get('lsu/check')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...COUNCIL_VIEWS)
  @ApiOkResponse({
    description:
      'Everything the national LSU import would refuse in this class and period (missing SIECLE id, STS id, ' +
      'subject code, appreciation, council date or synthesis, head of school…): fix each before exporting',
    schema: {
      type: 'object',
      required: ['problems'],
      properties: { problems: { type: 'array', items: PROBLEM_SCHEMA } },
    },
  })
  lsuCheck(
    @Param() params: CouncilParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.exports.lsuCheck(user, params.schoolId, params.classId, params.periodId);
  }

  @Get('lsu')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...COUNCIL_VIEWS)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/xml', 'application/json')
  @ApiOkResponse({
    description:
      'The periodic reports of the class as the national LSU import file (schema 10.0), as an attachment lsu-{uai}-{class}-{period}.xml',
    content: { 'application/xml': { schema: { type: 'string' } } },
  })
  @ApiConflictResponse({
    description:
      'LSU.NOT_EXPORTABLE: the pre-export check found what the national import would refuse; `details.problems` lists each',
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_RESPONSE}` } } },
  })
  async lsu(
    @Param() params: CouncilParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { fileName, xml } = await this.exports.lsu(user, params.schoolId, params.classId, params.periodId);
    attachment(reply, 'application/xml; charset=utf-8', fileName);
    return xml;
  }

  @Get('report-cards.pdf')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...COUNCIL_VIEWS)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/pdf', 'application/json')
  @ApiOkResponse({
    description: "The class's report cards in one PDF, one page per council student, fonts embedded",
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async reportCards(
    @Param() params: CouncilParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { fileName, pdf } = await this.exports.reportCards(
      user,
      params.schoolId,
      params.classId,
      params.periodId,
    );
    attachment(reply, 'application/pdf', fileName);
    return pdf;
  }

  @Get('students/:studentId/report-card.pdf')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...COUNCIL_VIEWS)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/pdf', 'application/json')
  @ApiOkResponse({
    description: "One council student's report card as a PDF",
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async studentReportCard(
    @Param() params: CouncilStudentParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const { fileName, pdf } = await this.exports.studentReportCard(
      user,
      params.schoolId,
      params.classId,
      params.periodId,
      params.studentId,
    );
    attachment(reply, 'application/pdf', fileName);
    return pdf;
  }

  @Get('council.csv')
  @Roles('teacher', 'cpe', 'principal', 'auditor')
  @ReadsProjections(...COUNCIL_VIEWS)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({
    description: 'The council table (a row per student, a column per subject) as CSV for a spreadsheet',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async councilCsv(
    @Param() params: CouncilParams,
    @Query() _query: MinPositionQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { fileName, csv } = await this.exports.councilCsv(
      user,
      params.schoolId,
      params.classId,
      params.periodId,
    );
    attachment(reply, 'text/csv; charset=utf-8', fileName);
    return csv;
  }
}
