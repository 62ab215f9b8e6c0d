import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsCalendarDate, IsSafeText } from '../validation/rules';
import { WriteDto } from './structure-shared.dto';

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
