import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ID, idMessage } from '../attendance/roll-call.dto';
import { Roles } from '../auth/decorators';
import { DEFAULT_PAGE, decodeCursor, pageOf } from '../core/page';
import { MinPositionQuery, ReadsProjections } from '../core/read-your-writes';
import { SchoolRoutes } from '../validation/path-parameters';
import { IsUai } from '../validation/rules';
import { AccessLog } from './access-log';
import { AccessLogPage, AccessLogQueryDto, instantsOf } from './access-log.dto';
import { PERSONAL_DATA_VIEWS, PersonalData, PersonalDataReader, personalDataCsv } from './personal-data';
import { ACCESS_LOG } from './tokens';

const FORMATS = ['json', 'csv'] as const;

export class StudentParams {
  @ApiProperty({ example: '0670001A' })
  @IsUai()
  readonly schoolId!: string;

  @ApiProperty({ example: '4521' })
  @Matches(ID, idMessage)
  readonly studentId!: string;
}

export class PersonalDataQuery extends MinPositionQuery {
  @ApiPropertyOptional({
    enum: FORMATS,
    default: 'json',
    description: '`json`: one document; `csv`: one row per event, its data as JSON in the last column',
  })
  @IsOptional()
  @IsIn(FORMATS)
  readonly format?: (typeof FORMATS)[number];
}

const HELD_EVENT_SCHEMA = {
  type: 'object',
  required: ['position', 'streamId', 'revision', 'type', 'data', 'metadata'],
  properties: {
    position: { type: 'string', example: '42' },
    streamId: { type: 'string', example: 'attendance-0670001A-4521' },
    revision: { type: 'integer' },
    type: { type: 'string', example: 'AbsenceReported' },
    data: { type: 'object', additionalProperties: true },
    metadata: {
      type: 'object',
      additionalProperties: true,
      description: 'Who recorded it, when (recordedAt), under which command and why',
    },
  },
};

const PERSONAL_DATA_SCHEMA = {
  type: 'object',
  required: ['schoolId', 'studentId', 'generatedAt', 'ownStreams', 'events', 'figures', 'notes'],
  properties: {
    schoolId: { type: 'string' },
    studentId: { type: 'string' },
    generatedAt: { type: 'string', description: 'Server UTC instant' },
    ownStreams: { type: 'array', items: { type: 'string' } },
    events: { type: 'array', items: HELD_EVENT_SCHEMA },
    figures: {
      type: 'object',
      required: ['attendanceThisYear'],
      properties: {
        attendanceThisYear: {
          type: 'object',
          nullable: true,
          additionalProperties: true,
          description:
            'The attendance counts of the current school year, as GET …/students/{studentId}/attendance/counts answers them; null without one',
        },
      },
    },
    notes: { type: 'array', items: { type: 'string' } },
  },
};

/**
 * What the data-protection officer asks: who read which student's record (the access log), and
 * everything held about one student (the right of access). Both only read; reading the latter is
 * itself recorded in the access log.
 */
@ApiTags('data protection')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId')
export class PrivacyController {
  constructor(
    @Inject(ACCESS_LOG) private readonly log: AccessLog,
    private readonly personalData: PersonalDataReader,
  ) {}

  @Get('access-log')
  @Roles('auditor', 'admin')
  @ApiOkResponse({
    type: AccessLogPage,
    description:
      "Every read of a student's record by staff, in the order they were answered: who, when, which student — or, for a view of many students (a class day, a grade book, a council), one entry naming its scope",
  })
  accessLog(@Param('schoolId') schoolId: string, @Query() query: AccessLogQueryDto): AccessLogPage {
    const limit = query.limit ?? DEFAULT_PAGE;
    const [afterSeq] = decodeCursor<[number]>(query.after, ['number']) ?? [];
    const rows = this.log.query({
      schoolId,
      limit: limit + 1,
      ...instantsOf(query),
      ...(query.studentId !== undefined ? { studentId: query.studentId } : {}),
      ...(query.actor !== undefined ? { actorId: query.actor } : {}),
      ...(afterSeq !== undefined ? { afterSeq } : {}),
    });
    const page = pageOf(rows, limit, (row) => [row.seq]);
    return { entries: page.items.map(({ seq: _seq, ...entry }) => entry), next: page.next };
  }

  @Get('students/:studentId/personal-data')
  @Roles('auditor', 'admin', 'principal')
  @ReadsProjections(...PERSONAL_DATA_VIEWS)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'Everything held about the student (right of access): every event of their own streams and every other event naming them, in log order',
    content: {
      'application/json': { schema: PERSONAL_DATA_SCHEMA },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async studentPersonalData(
    @Param() { schoolId, studentId }: StudentParams,
    @Query() query: PersonalDataQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PersonalData | string> {
    const document = await this.personalData.read(schoolId, studentId);
    if (query.format !== 'csv') return document;
    void reply.header('Content-Type', 'text/csv; charset=utf-8');
    void reply.header(
      'Content-Disposition',
      `attachment; filename="personal-data-${schoolId}-${studentId.replace(/[^A-Za-z0-9_-]/g, '_')}.csv"`,
    );
    return personalDataCsv(document);
  }
}
