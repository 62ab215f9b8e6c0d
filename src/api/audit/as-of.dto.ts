import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { AlertsQuery, CountsQuery, LedgerQuery } from '../attendance/attendance-query.dto';
import { ID, idMessage } from '../attendance/roll-call.dto';
import { IsUai } from '../validation/rules';

/** An instant with its offset, as `recordedAt` is written (seconds and fractions optional). */
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const POSITION_PATTERN = /^\d{1,19}$/;
const instantMessage = {
  message: '$property must be an instant with its offset, such as 2026-11-27T17:00:00Z',
};
const positionMessage = { message: '$property must be a global position (digits)' };

const AT_DESCRIPTION =
  'The instant the view is shown as it stood (ISO 8601 with its offset): every event the school recorded up to it, ' +
  'under the settings then in force. Not after now. Without `at` nor `position`: now.';
const POSITION_DESCRIPTION =
  'Instead of `at`: the global position of the log the view is shown at (that event included)';

export class MomentQuery {
  @ApiPropertyOptional({ example: '2026-11-27T17:00:00Z', description: AT_DESCRIPTION })
  @IsOptional()
  @Matches(INSTANT_PATTERN, instantMessage)
  readonly at?: string;

  @ApiPropertyOptional({ example: '4200', description: POSITION_DESCRIPTION })
  @IsOptional()
  @Matches(POSITION_PATTERN, positionMessage)
  readonly position?: string;
}

export class LedgerAsOfQuery extends IntersectionType(LedgerQuery, MomentQuery) {}

export class CountsAsOfQuery extends IntersectionType(CountsQuery, MomentQuery) {}

export class AlertsAsOfQuery extends IntersectionType(AlertsQuery, MomentQuery) {}

/** Two moments: what changed from the first to the second. */
export class ChangesQuery {
  @ApiPropertyOptional({
    example: '2026-11-27T17:00:00Z',
    description: 'The first moment, an instant (e.g. when the council met); give it or `sincePosition`',
  })
  @IsOptional()
  @Matches(INSTANT_PATTERN, instantMessage)
  readonly since?: string;

  @ApiPropertyOptional({ example: '4200', description: 'The first moment as a global position' })
  @IsOptional()
  @Matches(POSITION_PATTERN, positionMessage)
  readonly sincePosition?: string;

  @ApiPropertyOptional({ example: '2026-12-07T08:00:00Z', description: 'The second moment (default: now)' })
  @IsOptional()
  @Matches(INSTANT_PATTERN, instantMessage)
  readonly until?: string;

  @ApiPropertyOptional({ example: '4800', description: 'The second moment as a global position' })
  @IsOptional()
  @Matches(POSITION_PATTERN, positionMessage)
  readonly untilPosition?: string;
}

export class StudentAsOfParams {
  @ApiProperty({ example: '0670001A' })
  @IsUai()
  readonly schoolId!: string;

  @ApiProperty({ example: '4521' })
  @Matches(ID, idMessage)
  readonly studentId!: string;
}
