import { Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CommandContext } from '../../event-store/handle-command';
import { DomainError } from '../../domain/shared/domain-error';
import { IMPORT_KINDS, ImportKind } from '../../import/read-export';
import { ImportsBusyError } from '../../import/reader/import-reader';
import { Roles } from '../auth/decorators';
import { ApiCommandHeaders, CommandCtx } from '../core/command-context';
import { ApiError, validationError } from '../errors/api-error';
import { RunStructureImport } from './import.commands';
import { ImportAnswer, ImportQuery } from './import.dto';
import { SchoolRoutes } from '../validation/path-parameters';

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

/** The file as the raw body (XML, CSV, octet-stream) or as JSON `{ "content": "<base64>" }`. */
const fileOf = (body: unknown): Buffer => {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  const content = (body as { content?: unknown } | undefined)?.content;
  if (typeof content === 'string' && content.length > 0 && BASE64.test(content))
    return Buffer.from(content, 'base64');
  throw validationError([
    {
      field: 'body',
      rule: 'isFile',
      message: 'send the file as the body (application/xml, text/csv) or as JSON { "content": "<base64>" }',
    },
  ]);
};

const TOO_LARGE_CODES = new Set(['IMPORT.TOO_LARGE', 'IMPORT.TOO_COMPLEX', 'IMPORT.TOO_MANY_STUDENTS']);

/** A file over the import limits is a 413; too many imports at once, a 503 to retry. */
const asHttpRefusal = (error: unknown): unknown => {
  if (error instanceof DomainError && TOO_LARGE_CODES.has(error.code))
    return new ApiError(413, error.code, error.message, error.details);
  if (error instanceof ImportsBusyError)
    return new ApiError(
      503,
      'IMPORT.BUSY',
      error.message,
      { running: error.running },
      { 'Retry-After': '5' },
    );
  return error;
};

const isImportKind = (value: string): value is ImportKind =>
  (IMPORT_KINDS as readonly string[]).includes(value);

@ApiTags('imports')
@ApiBearerAuth()
@SchoolRoutes()
@Controller('schools/:schoolId/imports')
export class ImportsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':kind')
  @HttpCode(200)
  @Roles('admin', 'principal')
  @ApiCommandHeaders()
  @ApiParam({
    name: 'kind',
    enum: IMPORT_KINDS,
    description: 'siecle (ElevesSansAdresses.xml, Nomenclature.xml), sts (sts_emp_*.xml) or csv',
  })
  @ApiConsumes(
    'application/xml',
    'text/csv',
    'application/zip',
    'application/octet-stream',
    'application/json',
  )
  @ApiBody({
    description:
      'The file itself (XML, CSV, or the ZIP SIECLE delivers holding one XML export), or JSON { "content": "<base64 of the file>" }',
  })
  @ApiOkResponse({
    type: ImportAnswer,
    description: 'What the import changed (or, with dryRun=true, would change)',
  })
  run(
    @Param('kind') kind: string,
    @Query() query: ImportQuery,
    @Req() request: FastifyRequest,
    @CommandCtx() ctx: CommandContext,
  ): Promise<ImportAnswer> {
    if (!isImportKind(kind))
      throw validationError([
        { field: 'kind', rule: 'isIn', message: `kind must be one of ${IMPORT_KINDS.join(', ')}` },
      ]);
    return this.commands
      .execute(
        new RunStructureImport(ctx, kind, fileOf(request.body), {
          dryRun: query.dryRun === 'true',
          ...(query.effectiveDate !== undefined ? { effectiveDate: query.effectiveDate } : {}),
          ...(query.departMissing !== undefined ? { departMissing: query.departMissing === 'true' } : {}),
          ...(query.allowMassDeparture === 'true' ? { allowMassDeparture: true } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw asHttpRefusal(error);
      });
  }
}
