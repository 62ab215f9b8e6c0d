import { roundForDisplay } from '../domain/assessment/rounding';
import { GradeRounding } from '../domain/settings/settings';
import { IsoDate } from '../domain/shared/calendar';
import { Positioning, SocleLevel } from './report-card-input';

/**
 * An average as a French report card shows it: rounded by the school's setting, with as many
 * decimals as the step has (0.01 → "12,30", 0.5 → "12,5", 1 → "12") and a decimal comma; "" when
 * there is no average.
 */
export const frenchAverage = (value: number | null, rounding: GradeRounding): string => {
  if (value === null) return '';
  const decimals = rounding.step === 0.01 ? 2 : rounding.step === 1 ? 0 : 1;
  return roundForDisplay(value, rounding).toFixed(decimals).replace('.', ',');
};

/** "2026-12-10" → "10/12/2026". */
export const frenchDate = (date: IsoDate): string => {
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
};

export const POSITIONING_WORDS: Readonly<Record<Positioning, string>> = {
  1: 'Objectifs non atteints',
  2: 'Objectifs partiellement atteints',
  3: 'Objectifs atteints',
  4: 'Objectifs dépassés',
};

export const SOCLE_LEVEL_WORDS: Readonly<Record<Exclude<SocleLevel, null>, string>> = {
  0: 'Dispensé',
  1: 'Maîtrise insuffisante',
  2: 'Maîtrise fragile',
  3: 'Maîtrise satisfaisante',
  4: 'Très bonne maîtrise',
};

export const socleLevelWord = (level: SocleLevel): string =>
  level === null ? 'Non évalué' : SOCLE_LEVEL_WORDS[level];

/** "DUPONT Léa": the family name in capitals, as French school documents print it. */
export const studentName = (student: { readonly lastName: string; readonly firstName: string }): string =>
  `${student.lastName.toLocaleUpperCase('fr-FR')} ${student.firstName}`;
