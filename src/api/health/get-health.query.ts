import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EventStore } from '../../event-store/event-store';
import { LiveProjections } from '../../projections/live-projections';
import { EVENT_STORE, PROJECTION_RUNNER } from '../core/tokens';
import { HealthReport } from './health.report';

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

const UNREACHABLE: HealthReport = { status: 'degraded', store: 'unreachable', head: null, projections: [] };

/** Public, so it says how far behind each view is but never why a projection failed. */
@QueryHandler(GetHealth)
export class GetHealthHandler implements IQueryHandler<GetHealth, HealthReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
  ) {}

  async execute(): Promise<HealthReport> {
    if (!(await answersWithin(this.store.ping(), PING_TIMEOUT_MS))) return UNREACHABLE;
    let head: bigint;
    try {
      head = await this.store.headPosition();
    } catch {
      return UNREACHABLE;
    }
    try {
      const statuses = await this.runner.status();
      return {
        status: statuses.some((status) => status.lastError !== undefined) ? 'degraded' : 'ok',
        store: 'reachable',
        head: head.toString(),
        projections: statuses.map(({ name, checkpoint, lag }) => ({ name, checkpoint, lag })),
      };
    } catch {
      // The projection worker is being replaced: the store answers, the views' state is unknown.
      return { status: 'degraded', store: 'reachable', head: head.toString(), projections: [] };
    }
  }
}
