import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class BuildStatusDto {
  @ApiProperty() readonly version!: number;
  @ApiProperty() readonly generation!: number;
  @ApiProperty({ example: '800' }) readonly checkpoint!: string;
  @ApiProperty() readonly lag!: number;
}

export class ProjectionStatusDto {
  @ApiProperty({ example: 'audit-trail' }) readonly name!: string;
  @ApiProperty({ description: 'Version of the code' }) readonly version!: number;
  @ApiProperty({
    description: 'Version answering queries; null until a first build reaches the head',
    nullable: true,
    type: Number,
  })
  readonly liveVersion!: number | null;
  @ApiProperty({ example: '1200' }) readonly checkpoint!: string;
  @ApiProperty({ example: '1200' }) readonly head!: string;
  @ApiProperty({ description: 'Positions between the head and the checkpoint' }) readonly lag!: number;
  @ApiProperty({ enum: ['building', 'live'] }) readonly status!: 'building' | 'live';
  @ApiPropertyOptional({
    type: BuildStatusDto,
    description: 'The version or rebuild being built next to the live tables',
  })
  readonly build?: BuildStatusDto;
  @ApiPropertyOptional() readonly lastError?: string;
}
