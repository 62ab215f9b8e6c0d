import { CountingSettingsTimeline, settingsInForce } from './school-inputs';
import { firstDayOfMonth } from '../shared/calendar';
import { AbsenteeismThresholds } from '../shared/school-defaults';

/** The two tiers of DOMAIN.md: the monthly threshold (4 by default) and persistent absenteeism. */
export type AlertTier = 'monthly' | 'persistent';

export const ALERT_TIERS: readonly AlertTier[] = ['monthly', 'persistent'];

/** Thresholds of a calendar month: those in force on its first day. */
export const thresholdsForMonth = (
  settings: CountingSettingsTimeline,
  month: string,
): AbsenteeismThresholds => settingsInForce(settings, firstDayOfMonth(month)).thresholds;

export const tiersReached = (unjustifiedHalfDays: number, thresholds: AbsenteeismThresholds): AlertTier[] =>
  ALERT_TIERS.filter((tier) => unjustifiedHalfDays >= thresholds[tier]);

/**
 * What a new count means for a month's alerts. An alert that no longer holds is withdrawn, never
 * erased: the caller keeps it with both instants.
 */
export const alertChanges = (
  open: readonly AlertTier[],
  unjustifiedHalfDays: number,
  thresholds: AbsenteeismThresholds,
): { readonly raise: AlertTier[]; readonly withdraw: AlertTier[] } => {
  const reached = tiersReached(unjustifiedHalfDays, thresholds);
  return {
    raise: reached.filter((tier) => !open.includes(tier)),
    withdraw: open.filter((tier) => !reached.includes(tier)),
  };
};
