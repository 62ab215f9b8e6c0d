import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CommandAnswer } from '../core/command-answer';
import { IsCalendarDate, IsSafeText, IsUai } from '../validation/rules';

export const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
export const idMessage = { message: '$property must be 1 to 64 letters, digits, _ . : or -' };
export const SLOT = /^[A-Za-z0-9_-]{1,16}$/;
const slotMessage = { message: '$property must be a slot code such as M1 (1 to 16 letters, digits, - or _)' };
export const MAX_CLASS_SIZE = 200;
export const MAX_LATENESS_MINUTES = 240;

export class LatenessDto {
  @ApiProperty({ example: '4521' })
  @Matches(ID, idMessage)
  readonly studentId!: string;

  @ApiProperty({ example: 10, description: 'Minutes late, 1 to the length of the slot' })
  @IsInt()
  @Min(1)
  @Max(MAX_LATENESS_MINUTES)
  readonly minutes!: number;
}

export class TakeRollCallDto {
  @ApiPropertyOptional({
    example: '5B',
    description: 'The class called (give exactly one of classId, groupId)',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly classId?: string;

  @ApiPropertyOptional({
    example: '5LATIN',
    description: 'The group called (give exactly one of classId, groupId)',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly groupId?: string;

  @ApiProperty({ example: '2026-11-16', description: 'Europe/Paris date of the lesson' })
  @IsCalendarDate()
  readonly date!: string;

  @ApiProperty({ example: 'M1', description: 'Timetable slot of the lesson' })
  @Matches(SLOT, slotMessage)
  readonly slot!: string;

  @ApiProperty({ type: [String], example: ['4521'], description: 'Absent students ([]: everybody present)' })
  @IsArray()
  @ArrayMaxSize(MAX_CLASS_SIZE)
  @Matches(ID, {
    each: true,
    message: 'each of absent must be a student id (1 to 64 letters, digits, _ . : or -)',
  })
  readonly absent!: string[];

  @ApiPropertyOptional({ type: [LatenessDto], description: 'Late students with their minutes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CLASS_SIZE)
  @ValidateNested({ each: true })
  @Type(() => LatenessDto)
  readonly late?: LatenessDto[];

  @ApiPropertyOptional({
    description: 'Why the list changes; required to remove absences someone else recorded',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason?: string;
}

export class VoidRollCallDto {
  @ApiProperty({ example: 'wrong slot: it was the M2 lesson', maxLength: 500 })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason!: string;
}

export class RevertRollCallDto extends VoidRollCallDto {
  @ApiPropertyOptional({
    example: 1,
    description: 'The version to restore (default: the one before the last)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  readonly toVersion?: number;
}

/** The route of one roll call: `/schools/:schoolId/roll-calls/:classOrGroup/:date/:slot`. */
export class RollCallParams {
  @ApiProperty({ example: '0670001A' })
  @IsUai()
  readonly schoolId!: string;

  @ApiProperty({ example: '5B', description: 'A class or a group' })
  @Matches(ID, idMessage)
  readonly classOrGroup!: string;

  @ApiProperty({ example: '2026-11-16' })
  @IsCalendarDate()
  readonly date!: string;

  @ApiProperty({ example: 'M1' })
  @Matches(SLOT, slotMessage)
  readonly slot!: string;
}

export class RollCallAnswer extends CommandAnswer {
  @ApiProperty({ example: 'rollcall-0670001A-5B-2026-11-16-M1', description: 'The roll call’s stream' })
  readonly rollCallId!: string;

  @ApiProperty({ description: 'True when the roll call already said exactly this: nothing was appended' })
  readonly unchanged!: boolean;
}
