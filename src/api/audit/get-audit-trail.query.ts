import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AuditTrailEntry, AuditTrailQuery, auditTrailProjection } from '../../projections/audit-trail';
import { LiveProjections } from '../../projections/live-projections';
import { Reads } from '../core/reads';
import { PROJECTION_RUNNER } from '../core/tokens';
import { AuditPage, AuditQueryDto } from './audit-query.dto';

export class GetAuditTrail extends Query<AuditPage> {
  constructor(
    readonly schoolId: string,
    readonly filter: AuditQueryDto,
    /** When set, only these streams are shown (a CPE's view). */
    readonly visibleStream?: (streamId: string) => boolean,
  ) {
    super();
  }
}

const DEFAULT_PAGE = 100;
const SCAN_PAGE = 2000;

/** One school's trail only, whatever the token: the school comes from the route the guard checked. */
@QueryHandler(GetAuditTrail)
export class GetAuditTrailHandler implements IQueryHandler<GetAuditTrail, AuditPage> {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(Reads) private readonly reads: Reads,
  ) {}

  async execute({ schoolId, filter, visibleStream }: GetAuditTrail): Promise<AuditPage> {
    const limit = filter.limit ?? DEFAULT_PAGE;
    const query: AuditTrailQuery = {
      schoolId,
      limit,
      ...(filter.after !== undefined ? { after: BigInt(filter.after) } : {}),
      ...(filter.correlationId !== undefined ? { correlationId: filter.correlationId } : {}),
    };
    const { stream } = filter;
    const shown = (streamId: string) =>
      (stream === undefined || streamId === stream) && (visibleStream?.(streamId) ?? true);
    const found =
      stream === undefined && visibleStream === undefined
        ? await this.read(query)
        : await this.readWhere(query, shown, limit);
    const entries = found.map((entry) => ({ ...entry, position: entry.position.toString() }));
    return { entries, nextAfter: entries.length === limit ? entries[entries.length - 1].position : null };
  }

  private read(query: AuditTrailQuery): Promise<AuditTrailEntry[]> {
    return this.reads.run('readAuditTrail', () => this.runner.tables(auditTrailProjection.name), query);
  }

  // The audit read model is indexed by school and by correlation, not by stream: scan the school's trail in pages.
  private async readWhere(
    query: AuditTrailQuery,
    shown: (streamId: string) => boolean,
    limit: number,
  ): Promise<AuditTrailEntry[]> {
    const found: AuditTrailEntry[] = [];
    let after = query.after;
    while (found.length < limit) {
      const page = await this.read({ ...query, limit: SCAN_PAGE, ...(after !== undefined ? { after } : {}) });
      for (const entry of page) {
        if (shown(entry.streamId) && found.length < limit) found.push(entry);
      }
      if (page.length < SCAN_PAGE) break;
      after = page[page.length - 1].position;
    }
    return found;
  }
}
