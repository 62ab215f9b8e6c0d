import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AuditArea, AuditTrailQuery, auditTrailProjection } from '../../projections/audit-trail';
import { LiveProjections } from '../../projections/live-projections';
import { DEFAULT_PAGE, badCursor, decodeCursor, pageOf } from '../core/page';
import { Reads } from '../core/reads';
import { PROJECTION_RUNNER } from '../core/tokens';
import { AuditPage, AuditQueryDto } from './audit-query.dto';
import { AuthenticatedUser } from '../auth/user';
import { AsOfViews, recordedInstant } from './as-of-views';
import { Effect } from '../../domain/audit/effects';
import { ApiError } from '../errors/api-error';
import { studentRebuilds } from './get-rebuilds.query';

export class GetAuditTrail extends Query<AuditPage> {
  constructor(
    readonly user: AuthenticatedUser,
    readonly schoolId: string,
    readonly filter: AuditQueryDto,
    /** When set, only the entries of that area are shown (a CPE's view). */
    readonly area?: AuditArea,
  ) {
    super();
  }
}

const POSITION = /^[0-9]{1,19}$/;

/** A page whose effects are computed holds at most this many entries: each costs two readings of the views. */
const MAX_PAGE_WITH_EFFECTS = 50;

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
    @Inject(AsOfViews) private readonly asOf: AsOfViews,
  ) {}

  async execute({ user, schoolId, filter, area }: GetAuditTrail): Promise<AuditPage> {
    const scoped =
      filter.studentId !== undefined ||
      filter.classId !== undefined ||
      filter.stream !== undefined ||
      filter.correlationId !== undefined;
    const effects = filter.effects === undefined ? scoped : filter.effects === 'true';
    const limit = Math.min(
      filter.limit ?? DEFAULT_PAGE,
      effects ? MAX_PAGE_WITH_EFFECTS : Number.MAX_SAFE_INTEGER,
    );
    const after = positionAfter(filter.after);
    const query: AuditTrailQuery = {
      schoolId,
      limit: limit + 1,
      ...(after !== undefined ? { after } : {}),
      ...(filter.correlationId !== undefined ? { correlationId: filter.correlationId } : {}),
      ...(filter.stream !== undefined ? { streamId: filter.stream } : {}),
      ...(filter.studentId !== undefined ? { studentId: filter.studentId } : {}),
      ...(area !== undefined ? { area } : {}),
      ...(filter.classId !== undefined ? { classId: filter.classId } : {}),
      ...(filter.actor !== undefined ? { actorId: filter.actor } : {}),
      ...(filter.type !== undefined ? { type: filter.type } : {}),
      ...(filter.category !== undefined ? { category: filter.category } : {}),
      ...(filter.correctionsOnly === 'true' ? { correctionsOnly: true } : {}),
      ...(filter.from !== undefined ? { recordedFrom: recordedInstant(filter.from, 'from') } : {}),
      ...(filter.to !== undefined ? { recordedTo: recordedInstant(filter.to, 'to') } : {}),
    };
    const rows = await this.reads.run(
      'readAuditTrail',
      () => this.runner.tables(auditTrailProjection.name),
      query,
    );
    const page = pageOf(rows, limit, (entry) => [entry.position.toString()]);
    // The trail answers even when the views its effects are computed from lag or cannot be built:
    // the entries then come without effects, and the answer says why.
    let found: Map<string, Effect[]> | undefined;
    let effectsUnavailable: string | undefined;
    if (effects)
      try {
        found = await this.asOf.effects(user, schoolId, page.items, filter.studentId);
      } catch (error) {
        if (!(error instanceof ApiError) || error.getStatus() !== 503) throw error;
        effectsUnavailable = error.message;
      }
    const entries = page.items.map((entry) => ({
      ...entry,
      position: entry.position.toString(),
      ...(found !== undefined ? { effects: found.get(entry.position.toString()) ?? [] } : {}),
    }));
    // Figures a fix in the code changed, told apart from the facts: a student's first page, not a CPE's area.
    const rebuilds =
      filter.studentId !== undefined && area === undefined && filter.after === undefined
        ? await studentRebuilds(this.reads, schoolId, filter.studentId)
        : undefined;
    return {
      entries,
      next: page.next,
      nextAfter: page.next === null ? null : entries[entries.length - 1].position,
      ...(rebuilds !== undefined && rebuilds.length > 0 && { rebuilds }),
      ...(effectsUnavailable !== undefined && { effectsUnavailable }),
    };
  }
}
