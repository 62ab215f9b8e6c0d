/**
 * How the school shows an average (a setting): to the nearest step, halves up, or always up. Applied
 * only when an average is displayed or exported, never to a stored or summed value.
 */
export type RoundingMode = 'nearest' | 'up';
export type RoundingStep = 0.01 | 0.1 | 0.5 | 1;
export const ROUNDING_STEPS: readonly RoundingStep[] = [0.01, 0.1, 0.5, 1];

export type Rounding = { readonly mode: RoundingMode; readonly step: RoundingStep };

export const DEFAULT_ROUNDING: Rounding = { mode: 'nearest', step: 0.01 };

/**
 * The tolerance absorbs binary noise (12.345 stored as 12.3449999…), so that a true half goes up and a
 * value on a step is not pushed to the next one; it is far below the 0.01 any grade is typed in.
 */
const NOISE = 1e-9;

export const roundForDisplay = (value: number, rounding: Rounding = DEFAULT_ROUNDING): number => {
  const steps = value / rounding.step;
  const whole = rounding.mode === 'nearest' ? Math.floor(steps + 0.5 + NOISE) : Math.ceil(steps - NOISE);
  const decimals = rounding.step === 0.01 ? 2 : rounding.step === 1 ? 0 : 1;
  return Number((whole * rounding.step).toFixed(decimals));
};
