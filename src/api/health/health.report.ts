import { ApiProperty } from '@nestjs/swagger';

export class ProjectionLag {
  @ApiProperty({ example: 'audit-trail' })
  readonly name!: string;

  @ApiProperty({ description: 'Last global position applied', example: '1200' })
  readonly checkpoint!: string;

  @ApiProperty({ description: 'Positions between the head of the log and the checkpoint', example: 0 })
  readonly lag!: number;

  @ApiProperty({
    description:
      'How long ago the oldest event not yet applied was recorded, in ms (0 at the head); null when it cannot be read',
    example: 0,
    nullable: true,
    type: Number,
  })
  readonly lagMs!: number | null;
}

/** The threads answering queries, so that the engineer on call sees reads piling up. */
export class ReadThreads {
  @ApiProperty({
    description: 'Threads answering queries (REGISTRE_READ_THREADS); 0: on the command thread',
    example: 2,
  })
  readonly threads!: number;

  @ApiProperty({ description: 'Threads with their read connection open', example: 2 })
  readonly ready!: number;

  @ApiProperty({ description: 'Threads running a read now', example: 1 })
  readonly running!: number;

  @ApiProperty({
    description: 'Reads waiting for a thread; past REGISTRE_READ_QUEUE a query gets 503 READS.BUSY',
    example: 0,
  })
  readonly waiting!: number;
}

/** What anyone may know: whether the service is up. */
export class HealthStatus {
  @ApiProperty({
    enum: ['ok', 'degraded'],
    description:
      '`degraded` when the store is unreachable, a projection failed, or a projection trails the log by more than `maxLagMs` (REGISTRE_HEALTH_MAX_LAG_MS, default 1 s); a service that answers says so with HTTP 200',
  })
  readonly status!: 'ok' | 'degraded';
}

/** For a deployment admin: the store, the head of the log and each projection's checkpoint and lag. */
export class HealthReport extends HealthStatus {
  @ApiProperty({ enum: ['reachable', 'unreachable'] })
  readonly store!: 'reachable' | 'unreachable';

  @ApiProperty({
    description: 'Global position of the last event, null when the store is unreachable',
    nullable: true,
    type: String,
  })
  readonly head!: string | null;

  @ApiProperty({
    description:
      'A projection whose `lagMs` exceeds this makes the status `degraded` (REGISTRE_HEALTH_MAX_LAG_MS); null when the projections cannot be read',
    nullable: true,
    type: Number,
    example: 1000,
  })
  readonly maxLagMs!: number | null;

  @ApiProperty({ type: [ProjectionLag] })
  readonly projections!: readonly ProjectionLag[];

  @ApiProperty({ type: ReadThreads })
  readonly reads!: ReadThreads;
}
