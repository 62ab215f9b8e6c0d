import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { SETTING_KEYS } from '../../domain/settings/validation';
import {
  CLOSURE_ID,
  CLOSURE_KINDS,
  ClosureKind,
  MAX_CLOSURE_DAYS,
  MAX_CLOSURE_LABEL_LENGTH,
} from '../../domain/structure/closures';
import { SOCLE_COMPONENTS, SocleComponent } from '../../domain/assessment/positioning';
import { MAX_COMPETENCY_ITEM_LABEL_LENGTH } from '../../domain/structure/competency-items';
import { MinPositionQuery } from '../core/read-your-writes';
import { IsCalendarDate, IsNotBefore, IsSafeText } from '../validation/rules';
import { WriteDto } from './structure-shared.dto';

const TIME = /^[0-9]{2}:[0-9]{2}$/;

export class PeriodDto {
  @ApiProperty({ example: '2026-09-01' })
  @IsCalendarDate()
  readonly start!: string;

  @ApiProperty({ example: '2026-11-30', description: 'Last day, included' })
  @IsCalendarDate()
  readonly end!: string;

  @ApiPropertyOptional({ example: '1er trimestre' })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 60)
  readonly label?: string;
}

export class PeriodsBySchemeDto {
  @ApiPropertyOptional({ type: [PeriodDto], description: 'T1, T2, T3 in order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => PeriodDto)
  readonly trimester?: PeriodDto[];

  @ApiPropertyOptional({ type: [PeriodDto], description: 'S1, S2 in order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => PeriodDto)
  readonly semester?: PeriodDto[];
}

export class DefineSchoolYearDto extends WriteDto {
  @ApiProperty({ example: '2026-2027' })
  @Matches(/^[0-9]{4}-[0-9]{4}$/, { message: 'schoolYear must be written 2026-2027' })
  readonly schoolYear!: string;

  @ApiProperty({ example: '2026-09-01' })
  @IsCalendarDate()
  readonly start!: string;

  @ApiProperty({ example: '2027-07-03', description: 'Last day, included' })
  @IsCalendarDate()
  readonly end!: string;

  @ApiPropertyOptional({ type: PeriodsBySchemeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PeriodsBySchemeDto)
  readonly periods?: PeriodsBySchemeDto;
}

export class SetPeriodsDto extends WriteDto {
  @ApiPropertyOptional({ example: '2026-2027', description: 'Default: the current school year' })
  @IsOptional()
  @Matches(/^[0-9]{4}-[0-9]{4}$/, { message: 'schoolYear must be written 2026-2027' })
  readonly schoolYear?: string;

  @ApiProperty({ type: [PeriodDto] })
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => PeriodDto)
  readonly periods!: PeriodDto[];
}

class EffectiveDto extends WriteDto {
  @ApiProperty({ example: '2026-09-01', description: 'First day the change is in force' })
  @IsCalendarDate()
  readonly effectiveFrom!: string;
}

export class ChangeSettingDto extends EffectiveDto {
  @ApiProperty({ enum: SETTING_KEYS, example: 'halfDayBoundary' })
  @IsIn(SETTING_KEYS)
  readonly key!: string;

  @ApiProperty({
    description:
      "The new value; its shape depends on the key. lessonHalfDays: { monday: ['AM', 'PM'], …, wednesday: ['AM'], saturday: [], sunday: [] }. subjectCoefficients: { '3e': { MATHS: 4 }, '3A': { MATHS: 3 } }, by class level or class (the class wins), whole numbers 0 to 20, 1 when not named",
    example: '12:00',
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array', items: {} },
      { type: 'object', additionalProperties: true },
    ],
  })
  @IsDefined()
  readonly value!: unknown;
}

export class SlotDto {
  @ApiProperty({ example: 'M1' })
  @IsString()
  @IsSafeText()
  @Length(1, 16)
  readonly code!: string;

  @ApiProperty({ example: '08:00' })
  @Matches(TIME, { message: '$property must be a time HH:MM' })
  readonly start!: string;

  @ApiProperty({ example: '08:55' })
  @Matches(TIME, { message: '$property must be a time HH:MM' })
  readonly end!: string;
}

export class SetTimetableDto extends EffectiveDto {
  @ApiProperty({ type: [SlotDto] })
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => SlotDto)
  readonly slots!: SlotDto[];
}

export class DefineReasonDto extends EffectiveDto {
  @ApiProperty({ example: 'MALADIE' })
  @IsString()
  @IsSafeText()
  @Length(1, 32)
  readonly code!: string;

  @ApiProperty({ example: "Maladie de l'enfant" })
  @IsString()
  @IsSafeText()
  @Length(1, 120)
  readonly label!: string;

  @ApiProperty({ description: 'The absence becomes justified when this reason is accepted' })
  @IsBoolean()
  readonly legitimate!: boolean;

  @ApiProperty({ description: 'Counted in the half-day figures of the report card' })
  @IsBoolean()
  readonly countsAsAbsence!: boolean;

  @ApiProperty({
    description: "Under the school's responsibility (outing, infirmary): not an absence at all",
  })
  @IsBoolean()
  readonly schoolResponsibility!: boolean;
}

export class RetireReasonDto extends EffectiveDto {}

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

export class DefineCompetencyItemDto extends WriteDto {
  @ApiProperty({
    example: '030201',
    description: 'The subject the item belongs to (a subject of the school)',
  })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly subjectId!: string;

  @ApiProperty({
    example: "S'exprimer à l'oral en continu",
    maxLength: MAX_COMPETENCY_ITEM_LABEL_LENGTH,
  })
  @IsString()
  @IsSafeText()
  @Length(1, MAX_COMPETENCY_ITEM_LABEL_LENGTH)
  readonly label!: string;

  @ApiPropertyOptional({
    enum: SOCLE_COMPONENTS,
    nullable: true,
    example: 'CPD_ETR',
    description: 'The socle component the item is linked to (LSU code); absent or null: none',
  })
  @IsOptional()
  @IsIn(SOCLE_COMPONENTS)
  readonly socleComponent?: SocleComponent | null;
}

export class RetireCompetencyItemDto extends WriteDto {}

export class CompetencyItemsQuery extends MinPositionQuery {
  @ApiPropertyOptional({ example: '030201', description: 'Only the items of this subject', maxLength: 40 })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly subjectId?: string;
}
