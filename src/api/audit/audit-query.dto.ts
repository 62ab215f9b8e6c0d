import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Length, Matches } from 'class-validator';
import { INSTANT_PATTERN } from './as-of.dto';
import { PageAfter, PageLimit } from '../core/page';
import { MinPositionQuery } from '../core/read-your-writes';
import { ID, idMessage } from '../attendance/roll-call.dto';
import { IsSafeText } from '../validation/rules';
import { RebuildDto } from './rebuilds.dto';

export class AuditQueryDto extends MinPositionQuery {
  @ApiPropertyOptional({ description: 'Only the events of one correction campaign or command chain' })
  @IsOptional()
  @Length(1, 128)
  @IsSafeText()
  readonly correlationId?: string;

  @ApiPropertyOptional({
    description: 'Only the events of one stream',
    example: 'rollcall-0670001A-5B-2026-09-07-M1',
  })
  @IsOptional()
  @Length(1, 256)
  @IsSafeText()
  readonly stream?: string;

  @ApiPropertyOptional({
    description:
      'Only the events about one student: their own streams, and the roll calls that listed them absent or late (added or removed when amended)',
    example: '4521',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly studentId?: string;

  @ApiPropertyOptional({
    description: 'Only the events about one class or group (its roll calls, assessments, reports, council)',
    example: '5B',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly classId?: string;

  @ApiPropertyOptional({
    description: 'Only the events recorded by one person (their id, as in their token)',
    example: 'principal-01',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly actor?: string;

  @ApiPropertyOptional({ description: 'Only the events of one type', example: 'GradeCorrected' })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,64}$/, { message: '$property must be an event type such as GradeCorrected' })
  readonly type?: string;

  @ApiPropertyOptional({
    description: 'Only the events of one kind of stream',
    enum: ['rollcall', 'attendance', 'assessment', 'report', 'council', 'student', 'school'],
  })
  @IsOptional()
  @IsIn(['rollcall', 'attendance', 'assessment', 'report', 'council', 'student', 'school'])
  readonly category?: string;

  @ApiPropertyOptional({
    description: 'Only the corrections (events recorded with a reason)',
    enum: ['true', 'false'],
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  readonly correctionsOnly?: string;

  @ApiPropertyOptional({
    description: 'Recorded at or after this instant (ISO 8601 with its offset)',
    example: '2026-11-01T00:00:00+01:00',
  })
  @IsOptional()
  @Matches(INSTANT_PATTERN, {
    message: '$property must be an instant with its offset, such as 2026-11-27T17:00:00Z',
  })
  readonly from?: string;

  @ApiPropertyOptional({
    description: 'Recorded at or before this instant (ISO 8601 with its offset)',
    example: '2026-11-30T23:59:59+01:00',
  })
  @IsOptional()
  @Matches(INSTANT_PATTERN, {
    message: '$property must be an instant with its offset, such as 2026-11-27T17:00:00Z',
  })
  readonly to?: string;

  @ApiPropertyOptional({
    description:
      "Each entry's effect on the figures of the students it is about (half-days per month, alerts, averages and " +
      'positionings of the period), computed from the views just before and just after it. Default: true when the ' +
      'trail is of a student, a class, a stream or a correlation id; false for the whole school. At most 50 entries a page then.',
    enum: ['true', 'false'],
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  readonly effects?: string;

  @ApiPropertyOptional({
    description: 'csv: the page as CSV (one line per entry and effect)',
    enum: ['json', 'csv'],
  })
  @IsOptional()
  @IsIn(['json', 'csv'])
  readonly format?: string;

  @PageAfter(
    "The previous page's `next`; a global position (the previous page's `nextAfter`) is still accepted: entries strictly after it",
  )
  readonly after?: string;

  @PageLimit()
  readonly limit?: number;
}

export class EffectDto {
  @ApiProperty({ example: '4521' }) readonly studentId!: string;
  @ApiProperty({ example: 'attendance.2026-11.unjustifiedHalfDays' }) readonly figure!: string;
  @ApiProperty({ example: 'unjustified half-days, 2026-11' }) readonly label!: string;
  @ApiProperty({
    oneOf: [{ type: 'number', nullable: true }, { type: 'string' }, { type: 'boolean' }],
    description: 'null when the figure did not exist (an alert not raised yet)',
  })
  readonly before!: number | string | boolean | null;
  @ApiProperty({
    oneOf: [{ type: 'number', nullable: true }, { type: 'string' }, { type: 'boolean' }],
    description: 'null when the figure did not exist (an alert not raised yet)',
  })
  readonly after!: number | string | boolean | null;
  @ApiProperty({ example: 'unjustified half-days, 2026-11: 5 → 3' }) readonly text!: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: '42' }) readonly position!: string;
  @ApiProperty() readonly streamId!: string;
  @ApiProperty() readonly revision!: number;
  @ApiProperty({ example: 'RollCallAmended' }) readonly type!: string;
  @ApiProperty({ nullable: true, type: String }) readonly actorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) readonly actorRole!: string | null;
  @ApiProperty({ nullable: true, type: String }) readonly schoolId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Server UTC instant' }) readonly recordedAt!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) readonly commandId!: string | null;
  @ApiProperty({ nullable: true, type: String }) readonly correlationId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why, for every correction' }) readonly reason!:
    string | null;
  @ApiProperty({
    required: false,
    type: [EffectDto],
    description:
      'What the event changed in the figures of the students it is about (when effects are asked for)',
  })
  readonly effects?: readonly EffectDto[];
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryDto] }) readonly entries!: readonly AuditEntryDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?after= for the next page; null on the last page',
  })
  readonly next!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'The global position of the last entry when a page follows, else null (kept for older clients: prefer next)',
  })
  readonly nextAfter!: string | null;
  @ApiProperty({
    required: false,
    type: String,
    description:
      'Why the entries come without their effects this time (the read models they are computed from lag behind the log); retry shortly',
  })
  readonly effectsUnavailable?: string;
  @ApiProperty({
    required: false,
    type: [RebuildDto],
    description:
      "With studentId, on the first page (not a CPE's): the rebuilds of a view that changed the student's rows " +
      '(a fix in the code, not a fact), newest first (20 at most, 20 rows each), with the rows as both versions held them; ' +
      'absent when there is none',
  })
  readonly rebuilds?: readonly RebuildDto[];
}
