import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { MinPositionQuery } from '../core/read-your-writes';
import { IsSafeText } from '../validation/rules';

export const MAX_AUDIT_PAGE = 1000;

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
    description: "Entries strictly after this global position (the previous page's nextAfter)",
  })
  @IsOptional()
  @Matches(/^[0-9]{1,19}$/, { message: 'after must be a global position (digits)' })
  readonly after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_AUDIT_PAGE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_PAGE)
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
  readonly nextAfter!: string | null;
}
