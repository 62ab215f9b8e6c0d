import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AuditArea, AuditTrailQuery, auditTrailProjection } from '../../projections/audit-trail';
import { LiveProjections } from '../../projections/live-projections';
import { DEFAULT_PAGE, badCursor, decodeCursor, pageOf } from '../core/page';
import { Reads } from '../core/reads';
import { PROJECTION_RUNNER } from '../core/tokens';
import { AuditPage, AuditQueryDto } from './audit-query.dto';

export class GetAuditTrail extends Query<AuditPage> {
  constructor(
    readonly schoolId: string,
    readonly filter: AuditQueryDto,
    /** When set, only the entries of that area are shown (a CPE's view). */
    readonly area?: AuditArea,
  ) {
    super();
  }
}

const POSITION = /^[0-9]{1,19}$/;

/** The position a page starts after: a `next` cursor, or the bare position older clients send. */
const positionAfter = (after: string | undefined): bigint | undefined => {
  if (after === undefined) return undefined;
  if (POSITION.test(after)) return BigInt(after);
  const [position] = decodeCursor<[string]>(after, ['string']) ?? [];
  if (position === undefined || !POSITION.test(position)) throw badCursor();
  return BigInt(position);
};

/** One school's trail only, whatever the token: the school comes from the route the guard checked. */
@QueryHandler(GetAuditTrail)
export class GetAuditTrailHandler implements IQueryHandler<GetAuditTrail, AuditPage> {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(Reads) private readonly reads: Reads,
  ) {}

  async execute({ schoolId, filter, area }: GetAuditTrail): Promise<AuditPage> {
    const limit = filter.limit ?? DEFAULT_PAGE;
    const after = positionAfter(filter.after);
    const query: AuditTrailQuery = {
      schoolId,
      limit: limit + 1,
      ...(after !== undefined ? { after } : {}),
      ...(filter.correlationId !== undefined ? { correlationId: filter.correlationId } : {}),
      ...(filter.stream !== undefined ? { streamId: filter.stream } : {}),
      ...(filter.studentId !== undefined ? { studentId: filter.studentId } : {}),
      ...(area !== undefined ? { area } : {}),
    };
    const rows = await this.reads.run(
      'readAuditTrail',
      () => this.runner.tables(auditTrailProjection.name),
      query,
    );
    const page = pageOf(rows, limit, (entry) => [entry.position.toString()]);
    const entries = page.items.map((entry) => ({ ...entry, position: entry.position.toString() }));
    return {
      entries,
      next: page.next,
      nextAfter: page.next === null ? null : entries[entries.length - 1].position,
    };
  }
}
