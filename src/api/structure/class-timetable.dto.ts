import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { WEEKDAY_NAMES, WeekdayName } from '../../domain/settings/lesson-half-days';
import { IsCalendarDate, IsSafeText } from '../validation/rules';

/** Seven days of at most 16 slots: more lessons than that cannot fit in a week. */
const MAX_WEEKLY_LESSONS = 7 * 16;

export class WeeklyLessonDto {
  @ApiProperty({ enum: WEEKDAY_NAMES, example: 'monday' })
  @IsIn(WEEKDAY_NAMES)
  readonly weekday!: WeekdayName;

  @ApiProperty({ example: 'M1', description: 'A slot of the school timetable in force on effectiveFrom' })
  @IsString()
  @IsSafeText()
  @Length(1, 16)
  readonly slotCode!: string;

  @ApiProperty({ example: 'prof-lefevre', description: 'A teacher recorded in the school' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly teacherId!: string;

  @ApiPropertyOptional({ example: 'MATHS', description: 'A subject defined in the school' })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly subjectId?: string;
}

export class SetClassTimetableDto {
  @ApiProperty({
    example: '2026-09-01',
    description: 'First day this week is in force; the days before keep the week declared for them',
  })
  @IsCalendarDate()
  readonly effectiveFrom!: string;

  @ApiProperty({
    type: [WeeklyLessonDto],
    description: 'The whole week, one lesson per weekday and slot; [] for no lessons from effectiveFrom',
  })
  @IsArray()
  @ArrayMaxSize(MAX_WEEKLY_LESSONS)
  @ValidateNested({ each: true })
  @Type(() => WeeklyLessonDto)
  readonly lessons!: WeeklyLessonDto[];

  @ApiPropertyOptional({ description: 'Why this change is made (kept with the events)', maxLength: 500 })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason?: string;
}
