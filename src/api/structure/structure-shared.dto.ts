import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { MinPositionQuery } from '../core/read-your-writes';
import { IsCalendarDate, IsSafeText } from '../validation/rules';

/** Every write may say why: mandatory in spirit for corrections, kept in the event's metadata. */
export class WriteDto {
  @ApiPropertyOptional({ description: 'Why this change is made (kept with the events)', maxLength: 500 })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason?: string;
}

export class DateQuery extends MinPositionQuery {
  @ApiPropertyOptional({ example: '2026-11-16', description: 'Default: today (Europe/Paris)' })
  @IsOptional()
  @IsCalendarDate()
  readonly date?: string;
}
