import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  CLOSURE_ID,
  CLOSURE_KINDS,
  ClosureKind,
  MAX_CLOSURE_DAYS,
  MAX_CLOSURE_LABEL_LENGTH,
} from '../../domain/structure/closures';
import { MinPositionQuery } from '../core/read-your-writes';

import { IsCalendarDate, IsNotBefore, IsSafeText } from '../validation/rules';

export class DeclareClosureDto {
  @ApiProperty({
    example: 'toussaint-2026',
    description: 'Chosen by the school: 1–40 letters, digits, . _ -; declaring it again changes nothing',
  })
  @Matches(CLOSURE_ID, { message: 'closureId must be 1 to 40 letters, digits, . _ or -' })
  readonly closureId!: string;

  @ApiProperty({ example: '2026-10-17', description: 'First closed day' })
  @IsCalendarDate()
  readonly from!: string;

  @ApiProperty({
    example: '2026-11-01',
    description: `Last closed day, included (at most ${MAX_CLOSURE_DAYS} days from the first)`,
  })
  @IsCalendarDate()
  readonly to!: string;

  @ApiProperty({ example: 'Vacances de la Toussaint', maxLength: MAX_CLOSURE_LABEL_LENGTH })
  @IsString()
  @IsSafeText()
  @Length(1, MAX_CLOSURE_LABEL_LENGTH)
  readonly label!: string;

  @ApiProperty({ enum: CLOSURE_KINDS, example: 'holidays' })
  @IsIn(CLOSURE_KINDS)
  readonly kind!: ClosureKind;

  @ApiPropertyOptional({ description: 'Why this change is made (kept with the events)', maxLength: 500 })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason?: string;
}

export class WithdrawClosureDto {
  @ApiProperty({ example: 'declared twice: the Armistice is in the holidays list', maxLength: 500 })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason!: string;
}

export class ClosuresQuery extends MinPositionQuery {
  @ApiPropertyOptional({ example: '2026-09-01', description: 'Closures that end on or after this date' })
  @IsOptional()
  @IsCalendarDate()
  readonly from?: string;

  @ApiPropertyOptional({ example: '2027-07-03', description: 'Closures that start on or before this date' })
  @IsOptional()
  @IsCalendarDate()
  @IsNotBefore('from')
  readonly to?: string;
}
