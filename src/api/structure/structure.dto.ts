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
import { PERIOD_SCHEMES, PeriodScheme } from '../../domain/structure/periods';
import { MinPositionQuery } from '../core/read-your-writes';
import { IsCalendarDate, IsSafeText } from '../validation/rules';

const TIME = /^[0-9]{2}:[0-9]{2}$/;

/** Every write may say why: mandatory in spirit for corrections, kept in the event's metadata. */
class WriteDto {
  @ApiPropertyOptional({ description: 'Why this change is made (kept with the events)', maxLength: 500 })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason?: string;
}

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

export const isPeriodScheme = (value: string): value is PeriodScheme =>
  (PERIOD_SCHEMES as readonly string[]).includes(value);

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
      "The new value; its shape depends on the key. lessonHalfDays: { monday: ['AM', 'PM'], …, wednesday: ['AM'], saturday: [], sunday: [] }",
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

export class OpenClassDto extends WriteDto {
  @ApiProperty({ example: '5B' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly classId!: string;

  @ApiPropertyOptional({ example: '5e B' })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 80)
  readonly label?: string;

  @ApiPropertyOptional({ enum: PERIOD_SCHEMES, default: 'trimester' })
  @IsOptional()
  @IsIn(PERIOD_SCHEMES)
  readonly periodScheme?: PeriodScheme;
}

export class OpenGroupDto extends WriteDto {
  @ApiProperty({ example: '5LATIN' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly groupId!: string;

  @ApiPropertyOptional({ example: 'Latin 5e' })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 80)
  readonly label?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['5A', '5B'],
    description: 'The classes the group draws from',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsSafeText({}, { each: true })
  readonly classIds?: string[];
}

export class RenameSubjectDto extends WriteDto {
  @ApiProperty({ example: 'Anglais', description: "The school's label: imports no longer replace it" })
  @IsString()
  @Length(1, 120)
  readonly label!: string;

  @ApiPropertyOptional({ example: 'ANGLAIS' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  readonly shortLabel?: string;
}

export class DefineSubjectDto extends WriteDto {
  @ApiProperty({ example: '030201', description: 'National subject code (CODE_MATIERE)' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly subjectId!: string;

  @ApiPropertyOptional({ example: 'AGL1' })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 20)
  readonly code?: string;

  @ApiProperty({ example: 'Anglais LV1' })
  @IsString()
  @IsSafeText()
  @Length(1, 120)
  readonly label!: string;

  @ApiPropertyOptional({ example: 'ANGLAIS LV1' })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 60)
  readonly shortLabel?: string;
}

export class RecordTeacherDto extends WriteDto {
  @ApiProperty({ example: '8949' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly teacherId!: string;

  @ApiProperty({ example: 'DURAND' })
  @IsString()
  @IsSafeText()
  @Length(1, 100)
  readonly lastName!: string;

  @ApiProperty({ example: 'Michel' })
  @IsString()
  @IsSafeText()
  @Length(0, 100)
  readonly firstName!: string;
}

export class TeachingAssignmentDto extends WriteDto {
  @ApiProperty({ example: '8949' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly teacherId!: string;

  @ApiProperty({ example: '030201' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly subjectId!: string;

  @ApiProperty({ enum: ['class', 'group'] })
  @IsIn(['class', 'group'])
  readonly targetKind!: 'class' | 'group';

  @ApiProperty({ example: '5B' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly targetId!: string;
}

export class RegisterStudentDto extends WriteDto {
  @ApiProperty({ example: '4521', description: "The school's stable id for the student (SIECLE ELEVE_ID)" })
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'studentId must be 1 to 40 letters, digits, _ . or -' })
  readonly studentId!: string;

  @ApiPropertyOptional({ example: '070123456AB' })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(0, 11)
  readonly ine?: string;

  @ApiProperty({ example: 'DUPONT-MOREAU' })
  @IsString()
  @IsSafeText()
  @Length(1, 100)
  readonly lastName!: string;

  @ApiProperty({ example: 'Léa' })
  @IsString()
  @IsSafeText()
  @Length(1, 100)
  readonly firstName!: string;

  @ApiPropertyOptional({ example: '2014-04-17' })
  @IsOptional()
  @IsCalendarDate()
  readonly birthDate?: string;

  @ApiPropertyOptional({ example: '5B', description: 'Enrol in this class at once' })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly classId?: string;

  @ApiPropertyOptional({ example: '2026-09-01', description: 'First day in the class (with classId)' })
  @IsOptional()
  @IsCalendarDate()
  readonly from?: string;
}

export class EnrolDto extends WriteDto {
  @ApiProperty({ example: '5B' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly classId!: string;

  @ApiProperty({ example: '2026-09-01' })
  @IsCalendarDate()
  readonly from!: string;
}

export class MoveDto extends WriteDto {
  @ApiProperty({ example: '5C' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly toClassId!: string;

  @ApiProperty({ example: '2026-11-16', description: 'First day in the new class' })
  @IsCalendarDate()
  readonly on!: string;
}

export class JoinGroupDto extends WriteDto {
  @ApiProperty({ example: '5LATIN' })
  @IsString()
  @IsSafeText()
  @Length(1, 40)
  readonly groupId!: string;

  @ApiProperty({ example: '2026-09-01' })
  @IsCalendarDate()
  readonly from!: string;
}

export class DatedDto extends WriteDto {
  @ApiProperty({ example: '2027-02-01', description: 'First day no longer there' })
  @IsCalendarDate()
  readonly on!: string;
}

export class DateQuery extends MinPositionQuery {
  @ApiPropertyOptional({ example: '2026-11-16', description: 'Default: today (Europe/Paris)' })
  @IsOptional()
  @IsCalendarDate()
  readonly date?: string;
}

export class ImportQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Plan only: show what would change, write nothing',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  readonly dryRun?: 'true' | 'false';

  @ApiPropertyOptional({
    example: '2026-11-16',
    description: "Date of the moves and departures (default: the file's export date)",
  })
  @IsOptional()
  @IsCalendarDate()
  readonly effectiveDate?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Students missing from a students file have left (default true)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  readonly departMissing?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'Write a students file even if it records as left more than 10 % of the enrolled students (and more than 5); refused with 409 IMPORT.TOO_MANY_DEPARTURES otherwise',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  readonly allowMassDeparture?: 'true' | 'false';
}

export class DepartureGuardAnswer {
  @ApiProperty({ description: 'Students missing from the file, recorded as left' })
  readonly missing!: number;

  @ApiProperty({ description: 'Students enrolled in a class before the import' })
  readonly enrolled!: number;

  @ApiProperty({ example: 0.1 })
  readonly share!: number;

  @ApiProperty({ description: 'Most departures of missing students allowed without allowMassDeparture' })
  readonly threshold!: number;

  @ApiProperty()
  readonly allowed!: boolean;

  @ApiProperty({ description: 'A real import of this file is refused (IMPORT.TOO_MANY_DEPARTURES)' })
  readonly refuses!: boolean;
}

export class NotImportedAnswer {
  @ApiProperty({ example: 'SUPPLEANT ID="73684" (line 25649)' })
  readonly element!: string;

  @ApiProperty({ example: 'a substitute (SUPPLEANT): substitutes are not imported' })
  readonly reason!: string;
}

export class ImportAnswer {
  @ApiProperty({ description: 'Correlation id of every event of this import' })
  readonly importId!: string;

  @ApiProperty()
  readonly dryRun!: boolean;

  @ApiProperty({ example: '2026-2027' })
  readonly schoolYear!: string;

  @ApiProperty({ example: '2026-11-16' })
  readonly effectiveDate!: string;

  @ApiProperty({ description: 'Counts of changes by kind', example: { moves: 2, departures: 1 } })
  readonly summary!: Record<string, number>;

  @ApiProperty({ type: [String], description: 'One line per change, every one of them' })
  readonly changes!: string[];

  @ApiProperty({ type: [String] })
  readonly warnings!: string[];

  @ApiProperty({
    type: [NotImportedAnswer],
    description: 'What the file holds that is not imported, each with its element and line',
  })
  readonly notImported!: NotImportedAnswer[];

  @ApiPropertyOptional({
    type: DepartureGuardAnswer,
    description: 'Students files: the departures of missing students against the guard',
  })
  readonly departures?: DepartureGuardAnswer;

  @ApiProperty({ description: 'Events the plan holds' })
  readonly plannedEvents!: number;

  @ApiProperty({ description: 'Events appended (0 for a dry run)' })
  readonly eventsWritten!: number;

  @ApiProperty({
    description: 'Global position of the last event written; pass it as ?minPosition=',
    example: '42',
  })
  readonly position!: string;
}
