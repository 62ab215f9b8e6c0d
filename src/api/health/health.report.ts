import { ApiProperty } from '@nestjs/swagger';

export class ProjectionLag {
  @ApiProperty({ example: 'audit-trail' })
  readonly name!: string;

  @ApiProperty({ description: 'Last global position applied', example: '1200' })
  readonly checkpoint!: string;

  @ApiProperty({ description: 'Positions between the head of the log and the checkpoint', example: 0 })
  readonly lag!: number;
}

/** What anyone may know: whether the service is up. */
export class HealthStatus {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  readonly status!: 'ok' | 'degraded';
}

/** For a deployment admin: the store, the head of the log and each projection's checkpoint. */
export class HealthReport extends HealthStatus {
  @ApiProperty({ enum: ['reachable', 'unreachable'] })
  readonly store!: 'reachable' | 'unreachable';

  @ApiProperty({
    description: 'Global position of the last event, null when the store is unreachable',
    nullable: true,
    type: String,
  })
  readonly head!: string | null;

  @ApiProperty({ type: [ProjectionLag] })
  readonly projections!: readonly ProjectionLag[];
}
