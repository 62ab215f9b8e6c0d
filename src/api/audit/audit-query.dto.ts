import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Length, Matches } from 'class-validator';
import { PageAfter, PageLimit } from '../core/page';
import { MinPositionQuery } from '../core/read-your-writes';
import { ID, idMessage } from '../attendance/roll-call.dto';
import { IsSafeText } from '../validation/rules';

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

  @PageAfter(
    "The previous page's `next`; a global position (the previous page's `nextAfter`) is still accepted: entries strictly after it",
  )
  readonly after?: string;

  @PageLimit()
  readonly limit?: number;
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
}
