import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageAfter, PageLimit } from '../core/page';
import { MinPositionQuery } from '../core/read-your-writes';
import { IsCalendarDate, IsCalendarMonth, IsNotBefore } from '../validation/rules';
import { ID, idMessage } from './roll-call.dto';

const PERIOD = /^[A-Za-z0-9_-]{1,16}$/;
const SCHOOL_YEAR = /^[0-9]{4}-[0-9]{4}$/;

export class DateRangeQuery extends MinPositionQuery {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day, included' })
  @IsOptional()
  @IsCalendarDate()
  readonly from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, included' })
  @IsOptional()
  @IsCalendarDate()
  @IsNotBefore('from')
  readonly to?: string;
}

/** A student's ledger, one page of days at a time. */
export class LedgerQuery extends DateRangeQuery {
  @PageAfter('The `next` of the previous page: the page starts on the day after it')
  readonly after?: string;

  @PageLimit()
  readonly limit?: number;
}

/** Completeness over a range, its per-lesson lists (missing, unexpected) one page at a time. */
export class CompletenessQuery extends DateRangeQuery {
  @PageAfter('The `next` of the previous page: the lists start after that lesson')
  readonly after?: string;

  @PageLimit()
  readonly limit?: number;
}

/** `?period=` or `?month=` or `?from=&to=`: exactly one way of naming the range. */
export class CountsQuery extends DateRangeQuery {
  @ApiPropertyOptional({ example: 'T1', description: 'A period of the school year (T1..T3, S1..S2)' })
  @IsOptional()
  @Matches(PERIOD, { message: '$property must be a period id such as T1' })
  readonly period?: string;

  @ApiPropertyOptional({ example: '2026-11', description: 'A calendar month' })
  @IsOptional()
  @IsCalendarMonth()
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
  @IsCalendarDate()
  readonly date?: string;
}

export class AlertsQuery extends MinPositionQuery {
  @ApiPropertyOptional({ enum: ['open', 'withdrawn', 'all'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'withdrawn', 'all'])
  readonly status?: 'open' | 'withdrawn' | 'all';

  @ApiPropertyOptional({ example: '2026-11' })
  @IsOptional()
  @IsCalendarMonth()
  readonly month?: string;

  @ApiPropertyOptional({ example: '4521' })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly studentId?: string;

  @PageAfter()
  readonly after?: string;

  @PageLimit()
  readonly limit?: number;
}
