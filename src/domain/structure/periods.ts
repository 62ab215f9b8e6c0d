import { invalid } from '../shared/domain-error';
import { addDays, IsoDate, isIsoDate } from '../shared/calendar';

export type PeriodScheme = 'trimester' | 'semester';
export const PERIOD_SCHEMES: readonly PeriodScheme[] = ['trimester', 'semester'];

export interface Period {
  /** `T1`..`T3` or `S1`..`S2`. */
  readonly id: string;
  readonly label: string;
  readonly start: IsoDate;
  /** Last day of the period, included. */
  readonly end: IsoDate;
}

export type SchoolYear = {
  readonly schoolYear: string;
  readonly start: IsoDate;
  /** Last day of the year, included. */
  readonly end: IsoDate;
};

export const PERIOD_IDS: Readonly<Record<PeriodScheme, readonly string[]>> = {
  trimester: ['T1', 'T2', 'T3'],
  semester: ['S1', 'S2'],
};

const DEFAULT_LABELS: Readonly<Record<string, string>> = {
  T1: '1er trimestre',
  T2: '2e trimestre',
  T3: '3e trimestre',
  S1: '1er semestre',
  S2: '2nd semestre',
};

export const defaultPeriodLabel = (id: string): string => DEFAULT_LABELS[id] ?? id;

/**
 * The periods of one scheme tile the school year: each inside it, in order, with no overlap and no
 * day of the year left outside a period.
 */
export const validatePeriods = (year: SchoolYear, scheme: PeriodScheme, periods: readonly Period[]): void => {
  const ids = PERIOD_IDS[scheme];
  if (periods.length !== ids.length || periods.some((p, i) => p.id !== ids[i]))
    throw invalid(
      'STRUCTURE.PERIOD_IDS_INVALID',
      `a ${scheme} scheme has the periods ${ids.join(', ')} in this order, got ${periods.map((p) => p.id).join(', ') || 'none'}`,
      { field: 'periods' },
    );
  periods.forEach((period, index) => {
    for (const bound of ['start', 'end'] as const)
      if (!isIsoDate(period[bound]))
        throw invalid(
          'STRUCTURE.PERIOD_DATE_INVALID',
          `period ${period.id}: ${bound} must be a date YYYY-MM-DD`,
          {
            field: `periods[${index}].${bound}`,
          },
        );
    if (period.end < period.start)
      throw invalid(
        'STRUCTURE.PERIOD_ENDS_BEFORE_START',
        `period ${period.id} ends on ${period.end}, before it starts on ${period.start}`,
        {
          field: `periods[${index}].end`,
        },
      );
    if (period.start < year.start || period.end > year.end)
      throw invalid(
        'STRUCTURE.PERIOD_OUTSIDE_YEAR',
        `period ${period.id} (${period.start} to ${period.end}) is not inside the school year ${year.schoolYear} (${year.start} to ${year.end})`,
        { field: `periods[${index}]` },
      );
  });
  for (let i = 1; i < periods.length; i++) {
    const [previous, next] = [periods[i - 1], periods[i]];
    if (next.start <= previous.end)
      throw invalid(
        'STRUCTURE.PERIODS_OVERLAP',
        `period ${next.id} starts on ${next.start}, before ${previous.id} ends on ${previous.end}`,
        { periods: [previous.id, next.id] },
      );
    if (next.start !== addDays(previous.end, 1))
      throw invalid(
        'STRUCTURE.PERIODS_GAP',
        `no period covers ${addDays(previous.end, 1)} to ${addDays(next.start, -1)}, between ${previous.id} and ${next.id}`,
        { periods: [previous.id, next.id] },
      );
  }
  const [first, last] = [periods[0], periods[periods.length - 1]];
  if (first.start !== year.start)
    throw invalid(
      'STRUCTURE.PERIODS_GAP',
      `no period covers ${year.start} to ${addDays(first.start, -1)}: ${first.id} must start when the school year starts`,
      { periods: [first.id] },
    );
  if (last.end !== year.end)
    throw invalid(
      'STRUCTURE.PERIODS_GAP',
      `no period covers ${addDays(last.end, 1)} to ${year.end}: ${last.id} must end when the school year ends`,
      { periods: [last.id] },
    );
};

export const periodOn = (periods: readonly Period[], date: IsoDate): Period | undefined =>
  periods.find((period) => period.start <= date && date <= period.end);
