import { Projection } from '../projection';
import { enrolmentsProjection } from './enrolments.projection';
import { schoolSettingsProjection } from './school-settings.projection';
import { schoolStructureProjection } from './school-structure.projection';

export * from './class-timetables.queries';
export * from './enrolments.projection';
export * from './memberships.queries';
export * from './school-calendar.queries';
export * from './school-settings.projection';
export * from './school-structure.projection';
export * from './structure.queries';

/** The read models of the school's structure, for the runner's list. */
export const structureProjections: readonly Projection[] = [
  schoolStructureProjection,
  enrolmentsProjection,
  schoolSettingsProjection,
];
