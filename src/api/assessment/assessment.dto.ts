import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { APPRECIATION_MAX_LENGTH, hasAtMostTwoDecimals, isMarker, MARKERS } from '../../domain/assessment';
import { CommandAnswer } from '../core/command-answer';
import { MinPositionQuery } from '../core/read-your-writes';
import { ID, idMessage, MAX_CLASS_SIZE } from '../attendance/roll-call.dto';
import { IsCalendarDate, IsSafeText, IsUai } from '../validation/rules';

const PERIOD = /^[A-Za-z0-9_-]{1,16}$/;
const periodMessage = {
  message: '$property must be a period id such as T1 (1 to 16 letters, digits, - or _)',
};
const MAX_ITEMS = 20;

/** A grade as sent: a number (the decision checks 0..outOf and two decimals) or a marker. */
const IsGradeValue = (nullable: boolean) =>
  ValidateBy({
    name: 'isGradeValue',
    validator: {
      validate: (value: unknown) =>
        (typeof value === 'number' && Number.isFinite(value)) ||
        isMarker(value) ||
        (nullable && value === null),
      defaultMessage: () =>
        `$property must be a number or one of ${MARKERS.join(', ')}${nullable ? ', or null to remove it' : ''}`,
    },
  });

const IsLevelValue = (nullable: boolean) =>
  ValidateBy({
    name: 'isLevelValue',
    validator: {
      validate: (value: unknown) =>
        [1, 2, 3, 4].includes(value as number) || isMarker(value) || (nullable && value === null),
      defaultMessage: () =>
        `$property must be a level 1 to 4 or one of ${MARKERS.join(', ')}${nullable ? ', or null to remove it' : ''}`,
    },
  });

/**
 * A coefficient: a finite number with at most two decimals. Not class-validator's IsNumber with
 * maxDecimalPlaces, which throws on a number written in exponent form (3e-323) and answers 500.
 */
const IsCoefficient = () =>
  ValidateBy({
    name: 'isCoefficient',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' &&
        Number.isFinite(value) &&
        hasAtMostTwoDecimals(value) &&
        Math.round(value * 100) / 100 === value,
      defaultMessage: () => '$property must be a number with at most two decimals',
    },
  });

/** OpenAPI 3.0 has no `type: 'null'`: a value that may be null says `nullable: true` beside its oneOf. */
const gradeSchema = (nullable: boolean) => ({
  oneOf: [
    {
      type: 'number',
      minimum: 0,
      maximum: 100,
      description: 'From 0 to the assessment’s outOf, at most two decimals',
    },
    { type: 'string', enum: [...MARKERS] },
  ],
  ...(nullable ? { nullable: true } : {}),
});

const levelSchema = (nullable: boolean) => ({
  oneOf: [
    { type: 'integer', minimum: 1, maximum: 4 },
    { type: 'string', enum: [...MARKERS] },
  ],
  ...(nullable ? { nullable: true } : {}),
});

class ReasonDto {
  @ApiPropertyOptional({
    description: 'Why: required for a correction, and for a change of terms once grades exist',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason?: string;
}

export class CreateAssessmentDto {
  @ApiProperty({
    example: 'ctrl-5B-maths-2026-10-02',
    description: 'Chosen by the client: a resend of the same creates nothing',
  })
  @Matches(ID, idMessage)
  readonly assessmentId!: string;

  @ApiPropertyOptional({
    example: '5B',
    description: 'The class assessed (give exactly one of classId, groupId)',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly classId?: string;

  @ApiPropertyOptional({
    example: '5LATIN',
    description: 'The group assessed (give exactly one of classId, groupId)',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly groupId?: string;

  @ApiProperty({ example: 'MATHS' })
  @Matches(ID, idMessage)
  readonly subjectId!: string;

  @ApiProperty({ example: '2026-10-02', description: 'Europe/Paris date; it decides the period' })
  @IsCalendarDate()
  readonly date!: string;

  @ApiProperty({ example: 'Contrôle : fractions', maxLength: 200 })
  @IsString()
  @IsSafeText()
  @Length(1, 200)
  readonly title!: string;

  @ApiPropertyOptional({ example: 20, description: 'Default 20' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  readonly outOf?: number;

  @ApiPropertyOptional({ example: 1, description: 'Default 1; 0: shown, not counted; at most two decimals' })
  @IsOptional()
  @IsCoefficient()
  @Min(0)
  @Max(99)
  readonly coefficient?: number;

  @ApiPropertyOptional({ description: 'A formative assessment is never counted in averages (default false)' })
  @IsOptional()
  @IsBoolean()
  readonly formative?: boolean;

  @ApiPropertyOptional({ example: 'T042', description: 'Principal only: whose assessment it is' })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly teacherId?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['MAT-RAIS'],
    description: "The school's competency items this assessment evaluates",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS)
  @Matches(ID, {
    each: true,
    message: 'each of competencyItemIds must be an item id (1 to 64 letters, digits, _ . : or -)',
  })
  readonly competencyItemIds?: string[];
}

export class ChangeAssessmentDto extends ReasonDto {
  @ApiPropertyOptional({ example: '2026-10-03' })
  @IsOptional()
  @IsCalendarDate()
  readonly date?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsSafeText()
  @Length(1, 200)
  readonly title?: string;

  @ApiPropertyOptional({ example: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  readonly outOf?: number;

  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @IsCoefficient()
  @Min(0)
  @Max(99)
  readonly coefficient?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  readonly formative?: boolean;
}

export class CancelAssessmentDto extends ReasonDto {}

export class StudentGradeDto {
  @ApiProperty({ example: '4521' })
  @Matches(ID, idMessage)
  readonly studentId!: string;

  @ApiProperty({ example: 14.5, ...gradeSchema(false) })
  @IsGradeValue(false)
  readonly value!: number | string;
}

export class RecordGradesDto {
  @ApiProperty({
    type: [StudentGradeDto],
    description: 'The grades of the class, or of the students graded so far',
  })
  @IsArray()
  @ArrayMaxSize(MAX_CLASS_SIZE)
  @ValidateNested({ each: true })
  @Type(() => StudentGradeDto)
  readonly grades!: StudentGradeDto[];
}

export class CorrectGradeDto {
  @ApiProperty({ example: 12, ...gradeSchema(true) })
  @IsGradeValue(true)
  readonly value!: number | string | null;

  @ApiProperty({ example: 'typed in the wrong column', maxLength: 500 })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason!: string;
}

export class StudentLevelDto {
  @ApiProperty({ example: '4521' })
  @Matches(ID, idMessage)
  readonly studentId!: string;

  @ApiProperty({ example: 'MAT-RAIS' })
  @Matches(ID, idMessage)
  readonly itemId!: string;

  @ApiProperty({ example: 3, ...levelSchema(false) })
  @IsLevelValue(false)
  readonly value!: number | string;
}

export class RecordLevelsDto {
  @ApiProperty({ type: [StudentLevelDto] })
  @IsArray()
  @ArrayMaxSize(MAX_CLASS_SIZE * MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => StudentLevelDto)
  readonly levels!: StudentLevelDto[];
}

export class CorrectLevelDto {
  @ApiProperty({ example: 2, ...levelSchema(true) })
  @IsLevelValue(true)
  readonly value!: number | string | null;

  @ApiProperty({ example: 'level entered on the wrong item', maxLength: 500 })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason!: string;
}

export class SetPositioningDto extends ReasonDto {
  @ApiProperty({
    example: 3,
    description: 'The final positioning 1–4, or null to withdraw it (the suggestion is shown again)',
    type: 'integer',
    minimum: 1,
    maximum: 4,
    nullable: true,
  })
  @ValidateBy({
    name: 'isPositioning',
    validator: {
      validate: (value: unknown) => value === null || [1, 2, 3, 4].includes(value as number),
      defaultMessage: () => '$property must be 1, 2, 3, 4 or null',
    },
  })
  readonly positioning!: number | null;
}

export class WriteAppreciationDto extends ReasonDto {
  @ApiProperty({
    example: 'Travail sérieux, des progrès en calcul.',
    description: `At most ${APPRECIATION_MAX_LENGTH} characters (LSU); empty withdraws it`,
    maxLength: APPRECIATION_MAX_LENGTH,
  })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(0, APPRECIATION_MAX_LENGTH)
  readonly text!: string;
}

export class AssessmentParams {
  @ApiProperty({ example: '0670001A' })
  @IsUai()
  readonly schoolId!: string;

  @ApiProperty({ example: 'ctrl-5B-maths-2026-10-02' })
  @Matches(ID, idMessage)
  readonly assessmentId!: string;
}

export class GradeParams extends AssessmentParams {
  @ApiProperty({ example: '4521' })
  @Matches(ID, idMessage)
  readonly studentId!: string;
}

export class LevelParams extends GradeParams {
  @ApiProperty({ example: 'MAT-RAIS' })
  @Matches(ID, idMessage)
  readonly itemId!: string;
}

export class ReportParams {
  @ApiProperty({ example: '0670001A' })
  @IsUai()
  readonly schoolId!: string;

  @ApiProperty({ example: '5B' })
  @Matches(ID, idMessage)
  readonly classId!: string;

  @ApiProperty({ example: 'MATHS' })
  @Matches(ID, idMessage)
  readonly subjectId!: string;

  @ApiProperty({ example: 'T1' })
  @Matches(PERIOD, periodMessage)
  readonly periodId!: string;

  @ApiProperty({ example: '4521' })
  @Matches(ID, idMessage)
  readonly studentId!: string;
}

export class GradeBookParams {
  @ApiProperty({ example: '0670001A' })
  @IsUai()
  readonly schoolId!: string;

  @ApiProperty({ example: '5B', description: 'A class or a group' })
  @Matches(ID, idMessage)
  readonly classOrGroup!: string;

  @ApiProperty({ example: 'MATHS' })
  @Matches(ID, idMessage)
  readonly subjectId!: string;

  @ApiProperty({ example: 'T1' })
  @Matches(PERIOD, periodMessage)
  readonly periodId!: string;
}

export class PeriodQuery extends MinPositionQuery {
  @ApiProperty({ example: 'T1' })
  @Matches(PERIOD, periodMessage)
  readonly periodId!: string;
}

export class AssessmentAnswer extends CommandAnswer {
  @ApiProperty({ example: 'assessment-0670001A-ctrl-5B-maths-2026-10-02' })
  readonly streamId!: string;

  @ApiProperty({ description: 'True when the assessment already said exactly this: nothing was appended' })
  readonly unchanged!: boolean;
}
