import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DEFAULT_HEALTH_MAX_LAG_MS, RegistreConfig } from '../../config';
import type { Clock } from '../../domain/shared/clock';
import { EventStore } from '../../event-store/event-store';
import { LiveProjections } from '../../projections/live-projections';
import { ProjectionStatus } from '../../projections/projection-runner';
import { ReadPool } from '../../projections/read-pool';
import { CLOCK, CONFIG, EVENT_STORE, PROJECTION_RUNNER, READ_POOL } from '../core/tokens';
import { HealthReport, LastVerification, ProjectionLag } from './health.report';

const PING_TIMEOUT_MS = 2000;

export class GetHealth extends Query<HealthReport> {}

const answersWithin = async (work: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
};

const UNREACHABLE: Omit<HealthReport, 'reads' | 'lastVerification'> = {
  status: 'degraded',
  store: 'unreachable',
  head: null,
  maxLagMs: null,
  projections: [],
};

/** Public, so it says how far behind each view is but never why a projection failed. */
@QueryHandler(GetHealth)
export class GetHealthHandler implements IQueryHandler<GetHealth, HealthReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: RegistreConfig,
    @Inject(READ_POOL) private readonly pool: ReadPool,
  ) {}

  async execute(): Promise<HealthReport> {
    const report = await this.storeAndProjections();
    return {
      ...report,
      reads: this.pool.stats(),
      lastVerification: report.store === 'reachable' ? await this.lastVerification() : null,
    };
  }

  private async lastVerification(): Promise<LastVerification | null> {
    try {
      const record = await this.store.lastVerification?.();
      if (!record) return null;
      return {
        verifiedAt: record.verifiedAt,
        outcome: record.outcome,
        events: record.events,
        headPosition: record.headPosition.toString(),
        headHash: record.headHash,
        ...(record.problem
          ? { problem: { ...record.problem, position: record.problem.position.toString() } }
          : {}),
      };
    } catch {
      return null;
    }
  }

  private async storeAndProjections(): Promise<Omit<HealthReport, 'reads' | 'lastVerification'>> {
    if (!(await answersWithin(this.store.ping(), PING_TIMEOUT_MS))) return UNREACHABLE;
    let head: bigint;
    try {
      head = await this.store.headPosition();
    } catch {
      return UNREACHABLE;
    }
    let statuses: ProjectionStatus[];
    try {
      statuses = await this.runner.status();
    } catch {
      // The projection worker is being replaced: the store answers, the views' state is unknown.
      return {
        status: 'degraded',
        store: 'reachable',
        head: head.toString(),
        maxLagMs: null,
        projections: [],
      };
    }
    const projections = await this.lagsOf(statuses, head);
    const threshold = this.config.healthMaxLagMs ?? DEFAULT_HEALTH_MAX_LAG_MS;
    const healthy =
      statuses.every((status) => status.lastError === undefined) &&
      projections.every(({ lagMs }) => lagMs !== null && lagMs <= threshold);
    return {
      status: healthy ? 'ok' : 'degraded',
      store: 'reachable',
      head: head.toString(),
      maxLagMs: threshold,
      projections,
    };
  }

  /**
   * Each projection's lag in positions (against the head read here, so that every figure of one
   * report agrees) and in time: how long ago the first event it has not applied was recorded.
   */
  private async lagsOf(statuses: readonly ProjectionStatus[], head: bigint): Promise<ProjectionLag[]> {
    const now = this.clock.now().getTime();
    const recordedAfter = new Map<string, Promise<number | null>>();
    const ageOfNextAfter = (checkpoint: bigint): Promise<number | null> => {
      const key = checkpoint.toString();
      let age = recordedAfter.get(key);
      if (!age) {
        age = this.store.readAll({ after: checkpoint, limit: 1 }).then(
          ([next]) => {
            // Appended since the head was read: applied or not, it is younger than this report.
            if (next === undefined || next.position > head) return 0;
            const recorded = Date.parse(next.metadata.recordedAt);
            return Number.isNaN(recorded) ? null : Math.max(0, now - recorded);
          },
          () => null,
        );
        recordedAfter.set(key, age);
      }
      return age;
    };
    return Promise.all(
      statuses.map(async ({ name, checkpoint }) => {
        const at = BigInt(checkpoint);
        const lag = Number(head > at ? head - at : 0n);
        return { name, checkpoint, lag, lagMs: lag === 0 ? 0 : await ageOfNextAfter(at) };
      }),
    );
  }
}
