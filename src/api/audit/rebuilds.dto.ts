import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ID, idMessage } from '../attendance/roll-call.dto';
import { PageAfter, PageLimit } from '../core/page';

export class RebuildsQueryDto {
  @ApiPropertyOptional({
    description: "Only the rebuilds that changed this student's rows, each with the rows before and after",
    example: '4521',
  })
  @IsOptional()
  @Matches(ID, idMessage)
  readonly studentId?: string;

  @PageAfter()
  readonly after?: string;

  @PageLimit()
  readonly limit?: number;
}

export class RebuildBuildDto {
  @ApiProperty({ example: 1, description: "The projection's code version" }) readonly version!: number;
  @ApiProperty({ example: 0, description: 'Rebuilds of the same version: 0 for the first build' })
  readonly generation!: number;
  @ApiProperty({ example: '4200', description: 'The global position of the log its rows include' })
  readonly position!: string;
}

export class RebuildRowDto {
  @ApiProperty({ example: 'months', description: "The view's table (its logical name)" })
  readonly table!: string;
  @ApiProperty({ nullable: true, type: String, example: '4521' }) readonly studentId!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { school_id: '0670001A', student_id: '4521', month: '2026-11' },
    description: "The row's primary key; for a table without one, its number of copies before and after",
  })
  readonly key!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { month: '2026-11', unjustified_half_days: 5 },
    description: 'The row as the replaced version held it; null when the rebuild added it',
  })
  readonly before!: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { month: '2026-11', unjustified_half_days: 3 },
    description: 'The row as the new version holds it; null when the rebuild removed it',
  })
  readonly after!: Record<string, unknown> | null;
}

export class RebuildDto {
  @ApiProperty({ example: '3' }) readonly id!: string;
  @ApiProperty({ example: 'attendance' }) readonly projection!: string;
  @ApiProperty({ type: RebuildBuildDto, description: 'The tables that answered until the swap' })
  readonly from!: RebuildBuildDto;
  @ApiProperty({ type: RebuildBuildDto, description: 'The build that replaced them' })
  readonly to!: RebuildBuildDto;
  @ApiProperty({ example: '2026-11-27T17:00:00.000Z', description: 'Server UTC instant of the swap' })
  readonly swappedAt!: string;
  @ApiProperty({
    example: 12,
    description:
      "Rows of the school the rebuild changed; with a student, the student's rows among those kept (see allRowsKept)",
  })
  readonly rowsChanged!: number;
  @ApiProperty({
    description:
      'False when the rebuild changed more rows than the 10,000 it keeps: rows listed are then the first ones only',
  })
  readonly allRowsKept!: boolean;
  @ApiProperty({ type: [String], example: ['months'], description: "The view's tables whose rows changed" })
  readonly tables!: readonly string[];
  @ApiProperty({
    type: [RebuildRowDto],
    required: false,
    description: "With a student: the student's rows the rebuild changed (100 at most)",
  })
  readonly rows?: readonly RebuildRowDto[];
}

export class RebuildsPage {
  @ApiProperty({ type: [RebuildDto] }) readonly rebuilds!: readonly RebuildDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?after= for the next page; null on the last page',
  })
  readonly next!: string | null;
}
