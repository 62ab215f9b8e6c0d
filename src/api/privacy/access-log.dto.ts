import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Length, Matches } from 'class-validator';
import { isCalendarDate } from '../../domain/shared';
import { ID, idMessage } from '../attendance/roll-call.dto';
import { PageAfter, PageLimit } from '../core/page';
import { FieldProblem, validationError } from '../errors/api-error';
import { IsSafeText } from '../validation/rules';

const INSTANT =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const INSTANT_MESSAGE = {
  message: '$property must be an instant such as 2026-09-07T08:00:00Z or 2026-09-07T10:00+02:00',
};

export class AccessLogQueryDto {
  @ApiPropertyOptional({ description: 'Only the reads of this student’s record', example: '4521' })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly studentId?: string;

  @ApiPropertyOptional({
    description: 'Only the reads of this member of staff (the token’s `sub`)',
    example: 'cpe-01',
  })
  @IsOptional()
  @Length(1, 256)
  @IsSafeText()
  readonly actor?: string;

  @ApiPropertyOptional({
    description: 'Only the reads at or after this instant (ISO 8601 with Z or an offset)',
    example: '2026-09-07T00:00:00Z',
  })
  @IsOptional()
  @Matches(INSTANT, INSTANT_MESSAGE)
  readonly from?: string;

  @ApiPropertyOptional({
    description:
      'Only the reads before this instant (excluded; ISO 8601 with Z or an offset); not before `from`',
    example: '2026-09-08T00:00:00Z',
  })
  @IsOptional()
  @Matches(INSTANT, INSTANT_MESSAGE)
  readonly to?: string;

  @PageAfter()
  readonly after?: string;

  @PageLimit()
  readonly limit?: number;
}

/** `from` and `to` as UTC instants comparable with the entries', or a 400 naming the field. */
export const instantsOf = (query: AccessLogQueryDto): { from?: string; to?: string } => {
  const problems: FieldProblem[] = [];
  const utc = (field: 'from' | 'to'): string | undefined => {
    const value = query[field];
    if (value === undefined) return undefined;
    const date = INSTANT.exec(value)?.[1];
    const instant = new Date(value);
    if (date === undefined || !isCalendarDate(date) || Number.isNaN(instant.getTime())) {
      problems.push({ field, rule: 'matches', message: `${field} must be an instant whose date exists` });
      return undefined;
    }
    return instant.toISOString();
  };
  const from = utc('from');
  const to = utc('to');
  if (from !== undefined && to !== undefined && to < from)
    problems.push({ field: 'to', rule: 'notBefore', message: 'to must not be before from' });
  if (problems.length > 0) throw validationError(problems);
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
};

export class AccessEntryDto {
  @ApiProperty({ description: 'Server UTC instant of the read', example: '2026-09-07T08:12:03.000Z' })
  readonly at!: string;
  @ApiProperty({ description: 'Who read (the token’s `sub`)', example: 'cpe-01' }) readonly actorId!: string;
  @ApiProperty({ example: 'cpe' }) readonly actorRole!: string;
  @ApiProperty({ example: '0670001A' }) readonly schoolId!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The student whose record was read; null for a list view (see scope)',
    example: '4521',
  })
  readonly studentId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'What a view of many students covered (`class day 5B`, `council 5B T1`…): one entry per request, not per student',
    example: null,
  })
  readonly scope!: string | null;
  @ApiProperty({ example: '/schools/:schoolId/students/:studentId/attendance' }) readonly route!: string;
  @ApiProperty({ description: 'The HTTP status answered', example: 200 }) readonly status!: number;
}

export class AccessLogPage {
  @ApiProperty({ type: [AccessEntryDto] }) readonly entries!: readonly AccessEntryDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?after= for the next page; null on the last page',
  })
  readonly next!: string | null;
}
