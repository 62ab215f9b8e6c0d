import { DEFAULT_SETTINGS, GradeRounding } from '../settings/settings';

/**
 * The school's `gradeRounding` setting (to the nearest step, halves up, or always up; steps 0.01,
 * 0.1, 0.5, 1), applied only when an average is displayed or exported, never to a stored or summed
 * value.
 */
export const DEFAULT_ROUNDING: GradeRounding = DEFAULT_SETTINGS.gradeRounding;

/**
 * The tolerance absorbs binary noise (12.345 stored as 12.3449999…), so that a true half goes up and a
 * value on a step is not pushed to the next one; it is far below the 0.01 any grade is typed in.
 */
const NOISE = 1e-9;

export const roundForDisplay = (value: number, rounding: GradeRounding = DEFAULT_ROUNDING): number => {
  const steps = value / rounding.step;
  const whole = rounding.mode === 'nearest' ? Math.floor(steps + 0.5 + NOISE) : Math.ceil(steps - NOISE);
  const decimals = rounding.step === 0.01 ? 2 : rounding.step === 1 ? 0 : 1;
  return Number((whole * rounding.step).toFixed(decimals));
};
