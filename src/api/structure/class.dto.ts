import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PERIOD_SCHEMES, PeriodScheme } from '../../domain/structure/periods';
import { IsSafeText } from '../validation/rules';
import { WriteDto } from './structure-shared.dto';

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
