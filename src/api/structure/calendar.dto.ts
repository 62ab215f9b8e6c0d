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

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateMessage = { message: '$property must be a date YYYY-MM-DD' };

export class DeclareClosureDto {
  @ApiProperty({
    example: 'toussaint-2026',
    description: 'Chosen by the school: 1–40 letters, digits, . _ -; declaring it again changes nothing',
  })
  @Matches(CLOSURE_ID, { message: 'closureId must be 1 to 40 letters, digits, . _ or -' })
  readonly closureId!: string;

  @ApiProperty({ example: '2026-10-17', description: 'First closed day' })
  @Matches(DATE, dateMessage)
  readonly from!: string;

  @ApiProperty({
    example: '2026-11-01',
    description: `Last closed day, included (at most ${MAX_CLOSURE_DAYS} days from the first)`,
  })
  @Matches(DATE, dateMessage)
  readonly to!: string;

  @ApiProperty({ example: 'Vacances de la Toussaint', maxLength: MAX_CLOSURE_LABEL_LENGTH })
  @IsString()
  @Length(1, MAX_CLOSURE_LABEL_LENGTH)
  readonly label!: string;

  @ApiProperty({ enum: CLOSURE_KINDS, example: 'holidays' })
  @IsIn(CLOSURE_KINDS)
  readonly kind!: ClosureKind;

  @ApiPropertyOptional({ description: 'Why this change is made (kept with the events)', maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  readonly reason?: string;
}

export class WithdrawClosureDto {
  @ApiProperty({ example: 'declared twice: the Armistice is in the holidays list', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  readonly reason!: string;
}

export class ClosuresQuery extends MinPositionQuery {
  @ApiPropertyOptional({ example: '2026-09-01', description: 'Closures that end on or after this date' })
  @IsOptional()
  @Matches(DATE, dateMessage)
  readonly from?: string;

  @ApiPropertyOptional({ example: '2027-07-03', description: 'Closures that start on or before this date' })
  @IsOptional()
  @Matches(DATE, dateMessage)
  readonly to?: string;
}
