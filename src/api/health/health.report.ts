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

  @ApiProperty({
    description: 'Reads sent to a thread and not yet answered (a thread takes a few ahead)',
    example: 1,
  })
  readonly running!: number;

  @ApiProperty({
    description: 'Reads waiting for a thread; past REGISTRE_READ_QUEUE a query gets 503 READS.BUSY',
    example: 0,
  })
  readonly waiting!: number;
}

/** The first problem a `registre verify` found in the events' hash chain. */
export class ChainProblemReport {
  @ApiProperty({
    description: 'Global position of the first event found altered, missing or out of place',
    example: '17',
  })
  readonly position!: string;

  @ApiProperty({ description: 'Its stream; null when the event is gone', nullable: true, type: String })
  readonly streamId!: string | null;

  @ApiProperty({
    description: 'Its revision in the stream; null when the event is gone',
    nullable: true,
    type: Number,
  })
  readonly revision!: number | null;

  @ApiProperty({ enum: ['content-altered', 'missing-event', 'out-of-order', 'inserted', 'chain-altered'] })
  readonly problem!: 'content-altered' | 'missing-event' | 'out-of-order' | 'inserted' | 'chain-altered';

  @ApiProperty({ example: 'the event at position 17 is missing: its row was removed' })
  readonly message!: string;
}

/** The last run of `registre verify` over the events' hash chain, as recorded in the events file. */
export class LastVerification {
  @ApiProperty({ description: 'When it ran (UTC)', format: 'date-time', example: '2026-12-07T08:00:00.000Z' })
  readonly verifiedAt!: string;

  @ApiProperty({ enum: ['intact', 'tampered'] })
  readonly outcome!: 'intact' | 'tampered';

  @ApiProperty({
    description: 'Events whose links were found right (all of them when intact)',
    example: 1200,
  })
  readonly events!: number;

  @ApiProperty({ description: 'Global position of the last event found right', example: '1200' })
  readonly headPosition!: string;

  @ApiProperty({
    description: 'Its chain hash (sha256, hex): keep it elsewhere to catch a later rewrite of the whole file',
    pattern: '^[0-9a-f]{64}$',
  })
  readonly headHash!: string;

  @ApiProperty({
    type: ChainProblemReport,
    required: false,
    description: 'Present when `outcome` is `tampered`',
  })
  readonly problem?: ChainProblemReport;
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

  @ApiProperty({
    type: LastVerification,
    nullable: true,
    description:
      'The last `registre verify` of the hash chain (SQLite store); null when none was recorded or the store cannot tell',
  })
  readonly lastVerification!: LastVerification | null;
}
