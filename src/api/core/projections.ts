import { attendanceProjection, rollCallCompletenessProjection } from '../../projections/attendance';
import { auditTrailProjection } from '../../projections/audit-trail';
import { Projection } from '../../projections/projection';
import { streamStatsProjection } from '../../projections/stream-stats';
import { structureProjections } from '../../projections/structure';

/** Every read model the service keeps up to date; a slice adds its projections here. */
export const REGISTRE_PROJECTIONS: readonly Projection[] = [
  streamStatsProjection,
  auditTrailProjection,
  ...structureProjections,
  attendanceProjection as Projection,
  rollCallCompletenessProjection as Projection,
];
