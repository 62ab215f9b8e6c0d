import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';
import { COUNCIL_TEXT_MAX_LENGTH } from '../../domain/council';
import { CommandAnswer } from '../core/command-answer';
import { ID, idMessage } from '../attendance/roll-call.dto';
import { IsCalendarDate, IsSafeText, IsUai } from '../validation/rules';

const PERIOD = /^[A-Za-z0-9_-]{1,16}$/;
const periodMessage = {
  message: '$property must be a period id such as T1 (1 to 16 letters, digits, - or _)',
};

export class CouncilParams {
  @ApiProperty({ example: '0670001A' })
  @IsUai()
  readonly schoolId!: string;

  @ApiProperty({ example: '5B' })
  @Matches(ID, idMessage)
  readonly classId!: string;

  @ApiProperty({ example: 'T1' })
  @Matches(PERIOD, periodMessage)
  readonly periodId!: string;
}

export class CouncilStudentParams extends CouncilParams {
  @ApiProperty({ example: '4521' })
  @Matches(ID, idMessage)
  readonly studentId!: string;
}

export class ScheduleCouncilDto {
  @ApiProperty({
    example: '2026-12-02',
    description: 'The day the council meets: at the earliest three weeks before the period ends',
  })
  @IsCalendarDate()
  readonly date!: string;
}

export class CouncilTextDto {
  @ApiProperty({
    example: 'Un trimestre sérieux ; des progrès en mathématiques.',
    description: `At most ${COUNCIL_TEXT_MAX_LENGTH} characters; empty withdraws it`,
    maxLength: COUNCIL_TEXT_MAX_LENGTH,
  })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(0, COUNCIL_TEXT_MAX_LENGTH)
  readonly text!: string;
}

export class AwardMentionDto {
  @ApiProperty({
    example: 'Félicitations',
    description:
      "One of the school's council mentions in force on the period's last day (setting councilMentions; " +
      'default Félicitations, Compliments, Encouragements), or null to withdraw it',
    type: 'string',
    nullable: true,
    maxLength: 100,
  })
  @ValidateBy({
    name: 'isMention',
    validator: {
      validate: (value: unknown) =>
        value === null || (typeof value === 'string' && value.length >= 1 && value.length <= 100),
      defaultMessage: () => '$property must be a text of 1 to 100 characters, or null to withdraw it',
    },
  })
  readonly mention!: string | null;
}

export class HoldCouncilDto {
  @ApiPropertyOptional({
    example: '2026-12-02',
    description: 'The day the council met; the scheduled date when not given. Not after today.',
  })
  @IsOptional()
  @IsCalendarDate()
  readonly heldOn?: string;
}

export class ReopenCouncilDto {
  @ApiProperty({
    example: 'A grade typed in the wrong column changes a general average',
    description: 'Why the held council is reopened',
    maxLength: 500,
  })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason!: string;
}

export class CouncilAnswer extends CommandAnswer {
  @ApiProperty({ example: 'council-0670001A-5B-T1' })
  readonly streamId!: string;

  @ApiProperty({ description: 'True when the council already said exactly this: nothing was appended' })
  readonly unchanged!: boolean;
}
