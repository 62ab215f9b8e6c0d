import fc from 'fast-check';
import {
  DEFAULT_POSITIONING_SETTINGS,
  LevelForPositioning,
  LevelValue,
  suggestPositioning,
} from '../../../src/domain/assessment';
import { PositioningSuggestion } from '../../../src/domain/settings/settings';

const POINTS = [10, 25, 40, 50];

/** DOMAIN.md, Competencies 2, said again: mean of points, then > 45 → 4, > 33 → 3, > 18 → 2, else 1. */
const oracle = (levels: readonly LevelForPositioning[], mode: PositioningSuggestion): number | null => {
  const numeric = levels
    .filter((l) => !l.cancelled && typeof l.value === 'number')
    .map((l) => ({ key: `${l.date}|${l.assessmentId}|${l.itemId}`, points: POINTS[(l.value as number) - 1] }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const used =
    mode === 'last-5'
      ? numeric.slice(-5)
      : mode === 'best-5'
        ? [...numeric].sort((a, b) => b.points - a.points).slice(0, 5)
        : numeric;
  if (used.length === 0) return null;
  const weights = used.map((_, i) => (mode === 'recent-weighted' ? i + 1 : 1));
  const mean =
    used.reduce((sum, l, i) => sum + weights[i] * l.points, 0) / weights.reduce((a, b) => a + b, 0);
  const above = (threshold: number) => mean > threshold + 1e-9;
  return above(45) ? 4 : above(33) ? 3 : above(18) ? 2 : 1;
};

const levels = fc
  .uniqueArray(
    fc.record({
      assessmentId: fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'),
      itemId: fc.constantFrom('c1', 'c2'),
      date: fc.constantFrom('2026-09-14', '2026-10-05', '2026-11-09'),
      value: fc.constantFrom<LevelValue>(1, 2, 3, 4, 'ABS', 'DISP', 'NN'),
      cancelled: fc.boolean(),
    }),
    { selector: (l) => `${l.assessmentId}|${l.itemId}`, maxLength: 12 },
  )
  // An assessment has one date.
  .map((ls) =>
    ls.map((l) => ({
      ...l,
      studentId: 's01',
      date: ['2026-09-14', '2026-10-05', '2026-11-09'][Number(l.assessmentId[1]) % 3],
    })),
  );

const modes = fc.constantFrom<PositioningSuggestion>('all', 'last-5', 'best-5', 'recent-weighted');

describe('the suggested positioning, for any levels', () => {
  it('matches the oracle under every mode, whatever order the levels come in', () =>
    fc.assert(
      fc.property(levels, modes, fc.func(fc.integer()), (ls, mode, order) => {
        const shuffled = [...ls].sort((a, b) => order(a) - order(b));
        const settings = { ...DEFAULT_POSITIONING_SETTINGS, mode };
        const suggestion = suggestPositioning(shuffled, settings);
        expect(suggestion).toEqual(suggestPositioning(ls, settings));
        expect(suggestion.level).toBe(oracle(ls, mode));
      }),
      { numRuns: 300 },
    ));
});
