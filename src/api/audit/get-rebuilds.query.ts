import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { RecordedRebuild } from '../../projections/rebuild-diff-reads';
import { DEFAULT_PAGE, decodeCursor, pageOf } from '../core/page';
import { Reads } from '../core/reads';
import { RebuildDto, RebuildsPage, RebuildsQueryDto } from './rebuilds.dto';

export class GetRebuilds extends Query<RebuildsPage> {
  constructor(
    readonly schoolId: string,
    readonly filter: RebuildsQueryDto,
  ) {
    super();
  }
}

export const rebuildDto = ({ id, ...rebuild }: RecordedRebuild): RebuildDto => ({
  id: String(id),
  ...rebuild,
});

/** Rebuilds shown in a student's trail, newest first, each with at most this many rows. */
const TRAIL_REBUILDS = 20;
const TRAIL_ROWS_PER_REBUILD = 20;

/** For the trail of a student: the rebuilds that changed the student's rows, with the rows before and after. */
export const studentRebuilds = async (
  reads: Reads,
  schoolId: string,
  studentId: string,
): Promise<RebuildDto[]> =>
  (
    await reads.run(
      'readRebuilds',
      {},
      {
        schoolId,
        studentId,
        limit: TRAIL_REBUILDS,
        rowsPerRebuild: TRAIL_ROWS_PER_REBUILD,
      },
    )
  ).map(rebuildDto);

/** The rebuilds that changed a school's (or a student's) rows: figures changed by a fix in the code, not by a fact. */
@QueryHandler(GetRebuilds)
export class GetRebuildsHandler implements IQueryHandler<GetRebuilds, RebuildsPage> {
  constructor(@Inject(Reads) private readonly reads: Reads) {}

  async execute({ schoolId, filter }: GetRebuilds): Promise<RebuildsPage> {
    const limit = filter.limit ?? DEFAULT_PAGE;
    const [beforeId] = decodeCursor<[number]>(filter.after, ['number']) ?? [];
    const rows = await this.reads.run(
      'readRebuilds',
      {},
      {
        schoolId,
        limit: limit + 1,
        ...(filter.studentId !== undefined && { studentId: filter.studentId }),
        ...(beforeId !== undefined && { beforeId }),
      },
    );
    const page = pageOf(rows, limit, (rebuild) => [rebuild.id]);
    return { rebuilds: page.items.map(rebuildDto), next: page.next };
  }
}
