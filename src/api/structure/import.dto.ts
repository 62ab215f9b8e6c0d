import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate } from '../validation/rules';

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
