import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { CommandAnswer } from '../core/command-answer';
import { IsCalendarDate, IsSafeText } from '../validation/rules';
import { ID, idMessage, MAX_CLASS_SIZE } from './roll-call.dto';

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const END_TIME = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
const timeMessage = { message: '$property must be a time HH:MM' };
const SLOT = /^[A-Za-z0-9_-]{1,16}$/;

class NoteDto {
  @ApiPropertyOptional({ example: 'the mother called at 7:50', maxLength: 500 })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly note?: string;
}

/** A date, optionally narrowed to a slot; both ends of a range are included. */
export class SlotBoundDto {
  @ApiProperty({ example: '2026-11-16' })
  @IsCalendarDate()
  readonly date!: string;

  @ApiPropertyOptional({ example: 'M3', description: 'From (or until) this slot; the whole day without it' })
  @IsOptional()
  @Matches(SLOT, { message: '$property must be a slot code such as M1' })
  readonly slot?: string;
}

export class HalfDayBoundDto {
  @ApiProperty({ example: '2026-11-16' })
  @IsCalendarDate()
  readonly date!: string;

  @ApiProperty({ enum: ['AM', 'PM'] })
  @IsIn(['AM', 'PM'])
  readonly halfDay!: 'AM' | 'PM';
}

/** A range bound in the body: required, validated as its own object. */
const Bound = (type: new () => object) =>
  applyDecorators(
    ApiProperty({ type }),
    IsDefined(),
    ValidateNested(),
    Type(() => type),
  );

class FactDto extends NoteDto {
  @ApiPropertyOptional({
    example: 'abs-2026-11-16-4521',
    description: 'Id of the fact (default: derived from the Idempotency-Key, or new)',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly factId?: string;

  @ApiPropertyOptional({
    example: '5B',
    description: "The student's class (default: the class on that date)",
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly classId?: string;

  @ApiPropertyOptional({
    description:
      "Why a fact is recorded in a period whose class council was held: the principal's, required then",
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason?: string;
}

export class ReportAbsenceDto extends FactDto {
  @Bound(SlotBoundDto)
  readonly from!: SlotBoundDto;

  @Bound(SlotBoundDto)
  readonly to!: SlotBoundDto;

  @ApiPropertyOptional({
    example: 'MALADIE',
    description: 'The reason the family gave, if any (not a justification)',
  })
  @IsOptional()
  @Matches(/^[A-Z0-9_]{1,32}$/, { message: '$property must be a reason code such as MALADIE' })
  readonly reasonCode?: string;
}

export class RecordDepartureDto extends FactDto {
  @ApiProperty({ example: '2026-11-16' })
  @IsCalendarDate()
  readonly date!: string;

  @ApiProperty({ example: '14:30', description: 'Time the student left' })
  @Matches(TIME, timeMessage)
  readonly at!: string;

  @ApiPropertyOptional({
    example: 'father',
    description: 'Who collected the student or allowed the departure',
  })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 120)
  readonly authorisedBy?: string;
}

export class InfirmaryVisitDto extends FactDto {
  @ApiProperty({ example: '2026-11-16' })
  @IsCalendarDate()
  readonly date!: string;

  @ApiProperty({ example: '10:05' })
  @Matches(TIME, timeMessage)
  readonly from!: string;

  @ApiProperty({ example: '11:00' })
  @Matches(END_TIME, timeMessage)
  readonly to!: string;
}

export class ReceiveJustificationDto extends NoteDto {
  @ApiPropertyOptional({
    example: 'just-4521-1',
    description: 'Id (default: derived from the Idempotency-Key, or new)',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly justificationId?: string;

  @Bound(HalfDayBoundDto)
  readonly from!: HalfDayBoundDto;

  @Bound(HalfDayBoundDto)
  readonly to!: HalfDayBoundDto;

  @ApiProperty({ example: 'MALADIE', description: "A reason of the school's list" })
  @Matches(/^[A-Z0-9_]{1,32}$/, { message: '$property must be a reason code such as MALADIE' })
  readonly reasonCode!: string;

  @ApiProperty({ enum: ['family', 'student', 'school'] })
  @IsIn(['family', 'student', 'school'])
  readonly source!: 'family' | 'student' | 'school';

  @ApiPropertyOptional({ example: '2026-11-20', description: 'Default: today (Europe/Paris)' })
  @IsOptional()
  @IsCalendarDate()
  readonly receivedOn?: string;
}

/** A decision changed after it was made needs a reason. */
class DecisionDto {
  @ApiPropertyOptional({
    description:
      "Why an earlier decision is changed; for absences in a period whose class council was held, the principal's, required",
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason?: string;
}

export class AcceptJustificationDto extends DecisionDto {
  @ApiPropertyOptional({ example: 'MALADIE', description: "Requalify the family's reason" })
  @IsOptional()
  @Matches(/^[A-Z0-9_]{1,32}$/, { message: '$property must be a reason code such as MALADIE' })
  readonly reasonCode?: string;
}

export class RejectJustificationDto extends DecisionDto {
  @ApiPropertyOptional({ example: 'reason not accepted by the school rules', maxLength: 500 })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly note?: string;
}

export class VoidFactDto {
  @ApiProperty({ example: 'recorded for the wrong student', maxLength: 500 })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason!: string;
}

export class CollectiveExemptionDto extends NoteDto {
  @ApiPropertyOptional({
    example: '5B',
    description: 'The class on the outing (exactly one of classId, groupId)',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly classId?: string;

  @ApiPropertyOptional({
    example: '5LATIN',
    description: 'The group on the outing (exactly one of classId, groupId)',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly groupId?: string;

  @ApiPropertyOptional({
    example: 'sortie-musee-2026-11-20',
    description: 'Default: derived from the Idempotency-Key, or new',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly exemptionId?: string;

  @ApiProperty({ example: 'Visit to the Musée de l’Œuvre Notre-Dame' })
  @IsString()
  @IsSafeText()
  @Length(1, 200)
  readonly label!: string;

  @Bound(SlotBoundDto)
  readonly from!: SlotBoundDto;

  @Bound(SlotBoundDto)
  readonly to!: SlotBoundDto;

  @ApiPropertyOptional({
    type: [String],
    example: ['4521'],
    description:
      'Students of the class or group who did not go: the outing does not cover them (each enrolled on from.date, once)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CLASS_SIZE)
  @ArrayUnique()
  @Matches(ID, {
    each: true,
    message: 'each of notParticipating must be a student id (1 to 64 letters, digits, _ . : or -)',
  })
  readonly notParticipating?: string[];
}

export class FactAnswer extends CommandAnswer {
  @ApiProperty({ example: 'f-3b1c9e0d7a2f4c51', description: 'Id of the fact, to void it later' })
  readonly factId!: string;
}

export class JustificationAnswer extends CommandAnswer {
  @ApiProperty({ example: 'j-3b1c9e0d7a2f4c51' })
  readonly justificationId!: string;
}

export class StudentExemptionAnswer extends CommandAnswer {
  @ApiProperty({ example: '4521' })
  readonly studentId!: string;

  @ApiProperty()
  readonly factId!: string;

  @ApiProperty({
    type: [String],
    description:
      'Absences reported for the student on part of the outing: on those slots the absence counts, not the outing',
  })
  readonly absencesReported!: readonly string[];
}

export const LEFT_OUT_REASONS = ['not_participating', 'absence_reported', 'exemption_voided'] as const;

export class LeftOutOfExemptionAnswer {
  @ApiProperty({ example: '4521' })
  readonly studentId!: string;

  @ApiProperty({
    enum: LEFT_OUT_REASONS,
    description:
      'not_participating: listed as not going; absence_reported: an absence or departure already reported covers every slot of the outing; exemption_voided: the student’s part in this outing was voided',
  })
  readonly reason!: (typeof LEFT_OUT_REASONS)[number];

  @ApiProperty({ type: [String], description: 'The reported absences that leave the student out' })
  readonly absencesReported!: readonly string[];
}

export class CollectiveExemptionAnswer {
  @ApiProperty()
  readonly exemptionId!: string;

  @ApiProperty({ description: 'Correlation id shared by every student’s event' })
  readonly correlationId!: string;

  @ApiProperty({ description: 'Highest position written; pass it as ?minPosition=' })
  readonly position!: string;

  @ApiProperty({
    type: [StudentExemptionAnswer],
    description: 'The students the outing covers: under the school’s responsibility, not absent',
  })
  readonly students!: readonly StudentExemptionAnswer[];

  @ApiProperty({
    type: [LeftOutOfExemptionAnswer],
    description:
      'The students of the class or group it does not cover, and why: nothing is recorded for them',
  })
  readonly leftOut!: readonly LeftOutOfExemptionAnswer[];
}
