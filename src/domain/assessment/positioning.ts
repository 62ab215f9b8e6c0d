import { DEFAULT_SETTINGS, PositioningSuggestion, ScalarSettings } from '../settings/settings';
import { IsoDate } from '../shared/calendar';
import { sortedUnique, sortInPlace } from '../shared/sorting';
import { Marker, isMarker } from './grade-values';

/** 1 maîtrise insuffisante, 2 fragile, 3 satisfaisante, 4 très bonne maîtrise. */
export type Level = 1 | 2 | 3 | 4;
export const LEVELS: readonly Level[] = [1, 2, 3, 4];
export type LevelValue = Level | Marker;

export const isLevel = (value: unknown): value is Level =>
  typeof value === 'number' && (LEVELS as readonly number[]).includes(value);

/** The socle components of the LSU, which a competency item may be linked to. */
export type SocleComponent =
  'CPD_FRA' | 'CPD_ETR' | 'CPD_SCI' | 'CPD_ART' | 'MET_APP' | 'FRM_CIT' | 'SYS_NAT' | 'REP_MND';
export const SOCLE_COMPONENTS: readonly SocleComponent[] = [
  'CPD_FRA',
  'CPD_ETR',
  'CPD_SCI',
  'CPD_ART',
  'MET_APP',
  'FRM_CIT',
  'SYS_NAT',
  'REP_MND',
];
export const isSocleComponent = (value: unknown): value is SocleComponent =>
  typeof value === 'string' && (SOCLE_COMPONENTS as readonly string[]).includes(value);

export type PositioningSettings = {
  /**
   * The school's `positioningSuggestion` setting, which levels the suggestion uses: every one, the 5
   * most recent, the 5 best, or every one with the recent weighing more (the k-th level in date
   * order weighs k).
   */
  readonly mode: PositioningSuggestion;
  /** The school's `competencyPoints` setting: points for levels 1, 2, 3 and 4. */
  readonly points: readonly [number, number, number, number];
  /** The average of points must be strictly above `4` for positioning 4, above `3` for 3, above `2` for 2. */
  readonly thresholds: Readonly<Record<2 | 3 | 4, number>>;
};

const THRESHOLDS = { 4: 45, 3: 33, 2: 18 } as const;

/** The positioning settings in force, from the school's settings. */
export const positioningSettingsOf = (
  settings: Pick<ScalarSettings, 'positioningSuggestion' | 'competencyPoints'>,
): PositioningSettings => ({
  mode: settings.positioningSuggestion,
  points: settings.competencyPoints,
  thresholds: THRESHOLDS,
});

export const DEFAULT_POSITIONING_SETTINGS: PositioningSettings = positioningSettingsOf(DEFAULT_SETTINGS);

/** One student's current level on one item of one assessment. */
export type LevelForPositioning = {
  readonly assessmentId: string;
  readonly itemId: string;
  readonly studentId: string;
  /** The assessment's date: what "recent" and "last" mean. */
  readonly date: IsoDate;
  readonly value: LevelValue;
  readonly cancelled: boolean;
};

export const levelIdOf = (assessmentId: string, itemId: string, studentId: string): string =>
  `${assessmentId}/${itemId}/${studentId}`;

export type SuggestedPositioning = {
  /** Null when no numeric level counts. */
  readonly level: Level | null;
  /** The (weighted) mean of points the level was mapped from, unrounded. */
  readonly points: number | null;
  readonly mode: PositioningSuggestion;
  /** The levels it was computed from, in date order. */
  readonly levelIds: readonly string[];
  readonly assessmentIds: readonly string[];
};

const chronological = (a: LevelForPositioning, b: LevelForPositioning): number =>
  a.date !== b.date
    ? a.date < b.date
      ? -1
      : 1
    : a.assessmentId !== b.assessmentId
      ? a.assessmentId < b.assessmentId
        ? -1
        : 1
      : a.itemId < b.itemId
        ? -1
        : a.itemId > b.itemId
          ? 1
          : 0;

const pointsOf = (settings: PositioningSettings, level: Level): number => settings.points[level - 1];

type Counted = LevelForPositioning & { readonly value: Level };

const chosen = (counted: readonly Counted[], settings: PositioningSettings): Counted[] => {
  switch (settings.mode) {
    case 'all':
    case 'recent-weighted':
      return [...counted];
    case 'last-5':
      return counted.slice(-5);
    case 'best-5':
      return [...counted]
        .sort((a, b) => pointsOf(settings, b.value) - pointsOf(settings, a.value) || chronological(a, b))
        .slice(0, 5)
        .sort(chronological);
    default: {
      const unexpected: never = settings.mode;
      return unexpected;
    }
  }
};

/** Compares sums rather than a divided mean, so that a mean exactly on a threshold is never nudged over it. */
const levelFor = (pointsSum: number, weightSum: number, settings: PositioningSettings): Level => {
  const { thresholds } = settings;
  if (pointsSum > thresholds[4] * weightSum) return 4;
  if (pointsSum > thresholds[3] * weightSum) return 3;
  if (pointsSum > thresholds[2] * weightSum) return 2;
  return 1;
};

/**
 * The positioning the engine suggests from one student's levels in one subject and period (DOMAIN.md,
 * "Competencies" 2 and 4): markers and cancelled assessments' levels are left out; a level counts
 * whatever its assessment's coefficient or formative flag.
 */
export const suggestPositioning = (
  levels: readonly LevelForPositioning[],
  settings: PositioningSettings = DEFAULT_POSITIONING_SETTINGS,
): SuggestedPositioning => {
  const counted = sortInPlace(
    levels.filter((l): l is Counted => !l.cancelled && !isMarker(l.value) && isLevel(l.value)),
    chronological,
  );
  const used = chosen(counted, settings);
  if (used.length === 0)
    return { level: null, points: null, mode: settings.mode, levelIds: [], assessmentIds: [] };
  let pointsSum = 0;
  let weightSum = 0;
  used.forEach((l, index) => {
    const weight = settings.mode === 'recent-weighted' ? index + 1 : 1;
    pointsSum += weight * pointsOf(settings, l.value);
    weightSum += weight;
  });
  return {
    level: levelFor(pointsSum, weightSum, settings),
    points: pointsSum / weightSum,
    mode: settings.mode,
    levelIds: used.map((l) => levelIdOf(l.assessmentId, l.itemId, l.studentId)),
    assessmentIds: sortedUnique(used.map((l) => l.assessmentId)),
  };
};

/** The suggestion and the teacher's final positioning, both kept; the final one is shown when set. */
export type Positioning = {
  readonly suggested: SuggestedPositioning;
  readonly final: Level | null;
  readonly shown: Level | null;
};

export const positioningOf = (
  levels: readonly LevelForPositioning[],
  settings: PositioningSettings = DEFAULT_POSITIONING_SETTINGS,
  final: Level | null = null,
): Positioning => {
  const suggested = suggestPositioning(levels, settings);
  return { suggested, final, shown: final ?? suggested.level };
};

/**
 * A socle component's level for a period: the same points and thresholds over every level on items
 * linked to that component, across subjects, whatever the positioning mode.
 */
export const socleComponentLevel = (
  levels: readonly LevelForPositioning[],
  settings: PositioningSettings = DEFAULT_POSITIONING_SETTINGS,
): SuggestedPositioning => suggestPositioning(levels, { ...settings, mode: 'all' });
