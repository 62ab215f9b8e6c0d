import {
  DEFAULT_POSITIONING_SETTINGS,
  LevelForPositioning,
  LevelValue,
  positioningOf,
  socleComponentLevel,
  suggestPositioning,
} from '../../../src/domain/assessment';
import { PositioningSuggestion } from '../../../src/domain/settings/settings';

const levels = (...values: LevelValue[]): LevelForPositioning[] =>
  values.map((value, index) => ({
    assessmentId: `a${index + 1}`,
    itemId: 'c1',
    studentId: 's01',
    date: `2026-09-${String(10 + index).padStart(2, '0')}`,
    value,
    cancelled: false,
  }));

const under = (mode: PositioningSuggestion) => ({ ...DEFAULT_POSITIONING_SETTINGS, mode });

describe('the suggested positioning (DOMAIN.md, Competencies 2 and 4)', () => {
  it('gives 4 for the levels 4, 4, 3 under "all evaluations"', () =>
    expect(suggestPositioning(levels(4, 4, 3))).toEqual({
      level: 4,
      points: 140 / 3,
      mode: 'all',
      levelIds: ['a1/c1/s01', 'a2/c1/s01', 'a3/c1/s01'],
      assessmentIds: ['a1', 'a2', 'a3'],
    }));

  it('maps the mean of points back with the thresholds 45, 33 and 18, strictly above', () => {
    expect(suggestPositioning(levels(4, 3)).level).toBe(3); // 45: not above 45
    expect(suggestPositioning(levels(3, 2, 3, 2, 3, 2)).level).toBe(2); // 32.5: not above 33
    expect(suggestPositioning(levels(3, 3, 2)).level).toBe(3); // 35
    expect(suggestPositioning(levels(3, 2, 3, 2, 3, 2)).points).toBe(32.5);
    expect(suggestPositioning(levels(2, 2)).level).toBe(2);
    expect(suggestPositioning(levels(1, 2)).level).toBe(1); // 17.5
    expect(suggestPositioning(levels(1)).level).toBe(1);
  });

  it('leaves markers and cancelled assessments out, and is empty with no numeric level', () => {
    const withCancelled = [
      ...levels(4, 'ABS', 'NN'),
      { ...levels(1)[0], assessmentId: 'x', cancelled: true },
    ];
    expect(suggestPositioning(withCancelled)).toMatchObject({ level: 4, levelIds: ['a1/c1/s01'] });
    expect(suggestPositioning(levels('ABS', 'DISP'))).toEqual({
      level: null,
      points: null,
      mode: 'all',
      levelIds: [],
      assessmentIds: [],
    });
  });

  it('uses the 5 most recent levels under "last 5"', () => {
    const suggestion = suggestPositioning(levels(1, 1, 4, 4, 4, 4, 3), under('last-5'));
    expect(suggestion.level).toBe(4); // 50, 50, 50, 50, 40 → 48
    expect(suggestion.levelIds).toEqual(['a3/c1/s01', 'a4/c1/s01', 'a5/c1/s01', 'a6/c1/s01', 'a7/c1/s01']);
    expect(suggestPositioning(levels(1, 1, 4, 4, 4, 4, 3)).level).toBe(3); // all: 270 / 7 ≈ 38.6
  });

  it('uses the 5 best levels under "best 5"', () => {
    const suggestion = suggestPositioning(levels(4, 1, 3, 1, 4, 2, 3), under('best-5'));
    expect(suggestion.points).toBe(41); // 50, 40, 50, 25, 40
    expect(suggestion.level).toBe(3);
    expect(suggestion.levelIds).toEqual(['a1/c1/s01', 'a3/c1/s01', 'a5/c1/s01', 'a6/c1/s01', 'a7/c1/s01']);
  });

  it('weighs the k-th level in date order k under "recent weighted more"', () => {
    // (1×10 + 2×25 + 3×50) / 6 = 35 → 3, where "all" gives 28.3 → 2
    expect(suggestPositioning(levels(1, 2, 4), under('recent-weighted'))).toMatchObject({
      points: 35,
      level: 3,
    });
    expect(suggestPositioning(levels(1, 2, 4)).level).toBe(2);
  });

  it('orders by the assessment’s date, whatever order the levels come in', () => {
    const shuffled = levels(1, 1, 4, 4, 4, 4, 3).reverse();
    expect(suggestPositioning(shuffled, under('last-5')).level).toBe(4);
  });

  it('follows the points per level, a setting', () => {
    const settings = { ...DEFAULT_POSITIONING_SETTINGS, points: [0, 20, 35, 50] as const };
    expect(suggestPositioning(levels(3, 3), settings).level).toBe(3);
    expect(suggestPositioning(levels(2, 3), settings).level).toBe(2); // 27.5
  });
});

describe('the positioning shown', () => {
  it('keeps the suggestion beside the teacher’s final positioning, and shows the final one', () => {
    const positioning = positioningOf(levels(4, 4, 3), DEFAULT_POSITIONING_SETTINGS, 3);
    expect(positioning.suggested.level).toBe(4);
    expect(positioning.final).toBe(3);
    expect(positioning.shown).toBe(3);
  });

  it('shows the suggestion while no final positioning is set', () =>
    expect(positioningOf(levels(2, 2))).toMatchObject({ final: null, shown: 2 }));
});

describe('a socle component’s level', () => {
  it('uses every level on its items, whatever the positioning mode', () =>
    expect(socleComponentLevel(levels(1, 1, 4, 4, 4, 4, 3), under('last-5')).level).toBe(3));
});
