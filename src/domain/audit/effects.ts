import { Leaf } from './view-diff';

/**
 * One figure of a student as a view shows it: a month's half-days, an alert, a subject's average
 * of a period, a general average. `key` identifies it; `label` says it in words.
 */
export interface Figure {
  readonly studentId: string;
  readonly key: string;
  readonly label: string;
  readonly value: Leaf;
  /** What the figure is when the view has no row for it (a month without a half-day counts 0). */
  readonly absentMeans?: Leaf;
}

/** What an event changed in one figure, in words: "unjustified half-days, 2026-11: 5 → 3". */
export interface Effect {
  readonly studentId: string;
  readonly figure: string;
  readonly label: string;
  readonly before: Leaf;
  readonly after: Leaf;
  readonly text: string;
}

const shown = (value: Leaf): string =>
  value === null ? '—' : typeof value === 'number' ? String(Math.round(value * 100) / 100) : String(value);

/** Names of the figures, as labels say them. */
export const figureLabels = {
  halfDaysAbsent: (month: string) => `half-days absent, ${month}`,
  justifiedHalfDays: (month: string) => `justified half-days, ${month}`,
  unjustifiedHalfDays: (month: string) => `unjustified half-days, ${month}`,
  latenesses: (month: string) => `latenesses, ${month}`,
  alert: (month: string, tier: string) => `absenteeism alert (${tier}), ${month}`,
  average: (subjectId: string, periodId: string) => `${subjectId} average ${periodId}`,
  positioning: (subjectId: string, periodId: string) => `${subjectId} positioning ${periodId}`,
  general: (periodId: string) => `general average ${periodId}`,
} as const;

/**
 * The effects of an event: every figure whose value differs after it from before it, for the
 * students the event is about, in student then figure order. A figure that appears (an alert
 * raised) goes from null; one that disappears goes to null.
 */
export const effectsOf = (before: readonly Figure[], after: readonly Figure[]): Effect[] => {
  const keyOf = (f: Figure) => `${f.studentId}\u0000${f.key}`;
  const was = new Map(before.map((f) => [keyOf(f), f]));
  const now = new Map(after.map((f) => [keyOf(f), f]));
  const effects: Effect[] = [];
  for (const key of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const a = was.get(key);
    const b = now.get(key);
    const valueBefore = a === undefined ? (b?.absentMeans ?? null) : a.value;
    const valueAfter = b === undefined ? (a?.absentMeans ?? null) : b.value;
    if (valueBefore === valueAfter) continue;
    const figure = (b ?? a)!;
    effects.push({
      studentId: figure.studentId,
      figure: figure.key,
      label: figure.label,
      before: valueBefore,
      after: valueAfter,
      text: `${figure.label}: ${shown(valueBefore)} → ${shown(valueAfter)}`,
    });
  }
  return effects;
};
