import { ApiProperty } from '@nestjs/swagger';

const NEXT = {
  nullable: true,
  type: String,
  description: 'Pass as ?after= for the next page; null on the last page',
} as const;

export class AlertDto {
  @ApiProperty({ example: '0670001A:4521:2026-11:monthly:32' }) readonly alertId!: string;
  @ApiProperty({ example: '4521' }) readonly studentId!: string;
  @ApiProperty({ example: '2026-11' }) readonly month!: string;
  @ApiProperty({ enum: ['monthly', 'persistent'] }) readonly tier!: string;
  @ApiProperty({ description: 'Unjustified half-days that raise it' }) readonly threshold!: number;
  @ApiProperty({ enum: ['open', 'withdrawn'] }) readonly status!: string;
  @ApiProperty() readonly countAtRaise!: number;
  @ApiProperty() readonly currentCount!: number;
  @ApiProperty({ description: 'Server UTC instant' }) readonly raisedAt!: string;
  @ApiProperty() readonly raisedPosition!: number;
  @ApiProperty({ nullable: true, type: String }) readonly withdrawnAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) readonly withdrawnPosition!: number | null;
}

/** One page of the school's alerts, in month then student order. */
export class AlertsPage {
  @ApiProperty({ type: [AlertDto] }) readonly alerts!: readonly AlertDto[];
  @ApiProperty(NEXT) readonly next!: string | null;
}
