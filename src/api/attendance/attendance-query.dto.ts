import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { MinPositionQuery } from '../core/read-your-writes';
import { DATE, dateMessage, ID, idMessage } from './roll-call.dto';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const PERIOD = /^[A-Za-z0-9_-]{1,16}$/;
const SCHOOL_YEAR = /^\d{4}-\d{4}$/;

export class DateRangeQuery extends MinPositionQuery {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day, included' })
  @IsOptional()
  @Matches(DATE, dateMessage)
  readonly from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, included' })
  @IsOptional()
  @Matches(DATE, dateMessage)
  readonly to?: string;
}

/** `?period=` or `?month=` or `?from=&to=`: exactly one way of naming the range. */
export class CountsQuery extends DateRangeQuery {
  @ApiPropertyOptional({ example: 'T1', description: 'A period of the school year (T1..T3, S1..S2)' })
  @IsOptional()
  @Matches(PERIOD, { message: '$property must be a period id such as T1' })
  readonly period?: string;

  @ApiPropertyOptional({ example: '2026-11', description: 'A calendar month' })
  @IsOptional()
  @Matches(MONTH, { message: '$property must be a month YYYY-MM' })
  readonly month?: string;

  @ApiPropertyOptional({
    example: '2026-2027',
    description: 'With period: the year (default: the current one)',
  })
  @IsOptional()
  @Matches(SCHOOL_YEAR, { message: '$property must be written 2026-2027' })
  readonly schoolYear?: string;
}

/** `?date=` for the class's day, otherwise a range as in CountsQuery for its totals. */
export class ClassAttendanceQuery extends CountsQuery {
  @ApiPropertyOptional({ example: '2026-11-16', description: 'The roll calls of that day' })
  @IsOptional()
  @Matches(DATE, dateMessage)
  readonly date?: string;
}

export class AlertsQuery extends MinPositionQuery {
  @ApiPropertyOptional({ enum: ['open', 'withdrawn', 'all'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'withdrawn', 'all'])
  readonly status?: 'open' | 'withdrawn' | 'all';

  @ApiPropertyOptional({ example: '2026-11' })
  @IsOptional()
  @Matches(MONTH, { message: '$property must be a month YYYY-MM' })
  readonly month?: string;

  @ApiPropertyOptional({ example: '4521' })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly studentId?: string;
}
