import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { MAX_CAMPAIGN_OPERATIONS } from '../../domain/audit/campaign';
import { IsSafeText, IsUai } from '../validation/rules';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export class CampaignOperationDto {
  @ApiProperty({ enum: ['POST', 'PUT', 'PATCH', 'DELETE'], example: 'PATCH' })
  @IsIn(['POST', 'PUT', 'PATCH', 'DELETE'])
  readonly method!: 'POST' | 'PUT' | 'PATCH' | 'DELETE';

  @ApiProperty({
    example: '/schools/0670001A/assessments/c1',
    description: "A write route of the campaign's school, as one would send it alone",
  })
  @IsString()
  @Length(1, 300)
  @Matches(/^\/schools\/[A-Za-z0-9]{1,16}(\/[A-Za-z0-9._:%-]{1,128}){1,8}$/, {
    message: '$property must be a route such as /schools/0670001A/assessments/c1',
  })
  readonly path!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { coefficient: 2 },
    description: "The route's body. Without `reason`, the campaign's reason is the command's",
  })
  @IsOptional()
  @IsObject()
  readonly body?: Record<string, unknown>;
}

export class CampaignDto {
  @ApiProperty({ example: 'coefficient of the maths tests of 5B typed as 1 instead of 2', maxLength: 500 })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason!: string;

  @ApiPropertyOptional({
    example: 'campaign-2026-12-07-maths-5B',
    description: 'The correlation id of every event the campaign appends (default: generated)',
  })
  @IsOptional()
  @Matches(CORRELATION_ID, { message: '$property must be 1–100 characters of A-Z a-z 0-9 . _ : -' })
  readonly correlationId?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'true: decide every operation, append nothing, and show which figures would change',
  })
  @IsOptional()
  @IsBoolean()
  readonly dryRun?: boolean;

  @ApiProperty({ type: [CampaignOperationDto], maxItems: MAX_CAMPAIGN_OPERATIONS, minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CAMPAIGN_OPERATIONS)
  @ValidateNested({ each: true })
  @Type(() => CampaignOperationDto)
  readonly operations!: CampaignOperationDto[];
}

export class RevertCampaignDto {
  @ApiProperty({ example: 'the coefficient was right after all', maxLength: 500 })
  @IsString()
  @IsSafeText({ multiline: true })
  @Length(1, 500)
  readonly reason!: string;

  @ApiPropertyOptional({
    default: false,
    description: 'true: show what the revert would change, append nothing',
  })
  @IsOptional()
  @IsBoolean()
  readonly dryRun?: boolean;
}

export class CampaignParams {
  @ApiProperty({ example: '0670001A' })
  @IsUai()
  readonly schoolId!: string;

  @ApiProperty({ example: 'campaign-2026-12-07-maths-5B' })
  @Matches(CORRELATION_ID, { message: '$property must be 1–100 characters of A-Z a-z 0-9 . _ : -' })
  readonly correlationId!: string;
}

export class CampaignOperationResultDto {
  @ApiProperty() readonly index!: number;
  @ApiProperty({ enum: ['POST', 'PUT', 'PATCH', 'DELETE'] }) readonly method!: string;
  @ApiProperty() readonly path!: string;
  @ApiProperty({ description: 'The status the route answered' }) readonly status!: number;
  @ApiProperty() readonly accepted!: boolean;
  @ApiProperty({
    description: "The route's answer, as it would have answered alone",
    type: 'object',
    additionalProperties: true,
  })
  readonly answer!: unknown;
}

export class CampaignEventDto {
  @ApiProperty() readonly streamId!: string;
  @ApiProperty({ example: 'AssessmentChanged' }) readonly type!: string;
  @ApiPropertyOptional({ description: 'Its global position (not in a dry run)' }) readonly position?: string;
}

export class CampaignFigureDto {
  @ApiProperty({ example: 'b2' }) readonly studentId!: string;
  @ApiProperty({ example: 'average.T1.MATHS' }) readonly figure!: string;
  @ApiProperty({ example: 'MATHS average T1' }) readonly label!: string;
  @ApiProperty({ oneOf: [{ type: 'number', nullable: true }, { type: 'string' }, { type: 'boolean' }] })
  readonly before!: number | string | boolean | null;
  @ApiProperty({ oneOf: [{ type: 'number', nullable: true }, { type: 'string' }, { type: 'boolean' }] })
  readonly after!: number | string | boolean | null;
  @ApiProperty({ example: 'MATHS average T1: 10 → 10.8' }) readonly text!: string;
}

export class CampaignStudentDto {
  @ApiProperty({ example: 'b2' }) readonly studentId!: string;
  @ApiProperty({ type: [String], example: ['council', 'grade book'] }) readonly views!: string[];
  @ApiProperty({ type: [CampaignFigureDto] }) readonly figures!: CampaignFigureDto[];
}

export class CampaignAnswer {
  @ApiProperty() readonly correlationId!: string;
  @ApiProperty() readonly reason!: string;
  @ApiProperty() readonly dryRun!: boolean;
  @ApiProperty({ description: 'The log position the campaign was decided on' }) readonly head!: string;
  @ApiProperty({
    description:
      'The position of the last event appended (the head in a dry run): read views with ?minPosition= it',
  })
  readonly position!: string;
  @ApiProperty({ type: [CampaignOperationResultDto] }) readonly operations!: CampaignOperationResultDto[];
  @ApiProperty({ type: [Number], description: 'The indexes of the operations their route refused' })
  readonly refused!: number[];
  @ApiProperty({ type: [CampaignEventDto] }) readonly events!: CampaignEventDto[];
  @ApiProperty({ type: [CampaignStudentDto] }) readonly students!: CampaignStudentDto[];
}

export class NotUndoneDto {
  @ApiProperty() readonly position!: string;
  @ApiProperty() readonly type!: string;
  @ApiProperty() readonly why!: string;
}

export class RevertAnswer extends CampaignAnswer {
  @ApiProperty({ description: 'The correlation id of the campaign undone' }) readonly reverts!: string;
  @ApiProperty({ type: [NotUndoneDto] }) readonly notUndone!: NotUndoneDto[];
}
