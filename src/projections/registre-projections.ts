import { attendanceProjection, rollCallCompletenessProjection } from './attendance';
import { assessmentsProjection } from './assessment';
import { auditTrailProjection } from './audit-trail';
import { councilsProjection } from './council';
import { closedPeriodsProjection } from './closed-periods';
import { Projection } from './projection';
import { streamStatsProjection } from './stream-stats';
import { structureProjections } from './structure';

/** Every read model the service keeps up to date; a slice adds its projections here. */
export const REGISTRE_PROJECTIONS: readonly Projection[] = [
  streamStatsProjection,
  auditTrailProjection,
  ...structureProjections,
  attendanceProjection,
  rollCallCompletenessProjection,
  assessmentsProjection,
  councilsProjection,
  closedPeriodsProjection,
];
