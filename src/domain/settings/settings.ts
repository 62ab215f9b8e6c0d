import { IsoDate, WallClockTime } from '../shared/calendar';
import {
  CountingMode,
  DEFAULT_ABSENTEEISM_THRESHOLDS,
  DEFAULT_COUNTING_MODE,
  DEFAULT_HALF_DAY_BOUNDARY,
} from '../shared/school-defaults';
import { DEFAULT_LESSON_HALF_DAYS, LessonHalfDays } from './lesson-half-days';
import { SubjectCoefficientsSetting } from './subject-coefficients';

/**
 * What a school chooses for itself (DOMAIN.md: "where a rule varies between schools it is a
 * setting"). Every value here is versioned by the date it takes effect, see `settingsInForce`.
 */
export type RoundingMode = 'nearest' | 'up';
export const ROUNDING_STEPS = [0.01, 0.1, 0.5, 1] as const;
export type RoundingStep = (typeof ROUNDING_STEPS)[number];
export type AverageConvention = 'brought-to-twenty' | 'weighted-by-scale';
export type PositioningSuggestion = 'all' | 'last-5' | 'best-5' | 'recent-weighted';

export interface GradeRounding {
  readonly mode: RoundingMode;
  readonly step: RoundingStep;
}

export interface TimetableSlot {
  readonly code: string;
  readonly start: WallClockTime;
  readonly end: WallClockTime;
}

export interface Reason {
  readonly code: string;
  readonly label: string;
  /** The absence becomes justified when this reason is accepted. */
  readonly legitimate: boolean;
  /** Counted in the half-day figures of the report card. */
  readonly countsAsAbsence: boolean;
  /** The student was under the school's responsibility (outing, infirmary): not an absence at all. */
  readonly schoolResponsibility: boolean;
}

export interface ScalarSettings {
  /**
   * The school's name as its report cards and exports print it ("Collège Jean Moulin"); empty until
   * the school gives it, when they print `Établissement {UAI}`.
   */
  readonly schoolName: string;
  /** Slots starting before this time are in the morning half-day. */
  readonly halfDayBoundary: WallClockTime;
  readonly countingMode: CountingMode;
  /** Unjustified half-days in one calendar month from which the school must act (circular 2014-159). */
  readonly absenteeismThreshold: number;
  /** The second, higher tier: persistent absenteeism. */
  readonly persistentAbsenteeismThreshold: number;
  readonly gradeRounding: GradeRounding;
  readonly councilMentions: readonly string[];
  /** An arrival later than this many minutes is an absence for the slot, not a lateness (0: never). */
  readonly lateArrivalAbsenceMinutes: number;
  /** How many days ahead of today a roll call may be dated (0: only today and before). */
  readonly rollCallDaysAhead: number;
  /** How far ahead the CPE may record an absence the family announced, or a school outing. */
  readonly announcedAbsenceDaysAhead: number;
  /** Days the family has to justify an absence. */
  readonly justificationDeadlineDays: number;
  readonly averageConvention: AverageConvention;
  readonly positioningSuggestion: PositioningSuggestion;
  /** Points for competency levels 1..4 when suggesting a positioning. */
  readonly competencyPoints: readonly [number, number, number, number];
  /** Which half-days of each weekday have lessons (closures are separate, dated facts). */
  readonly lessonHalfDays: LessonHalfDays;
  /**
   * Coefficient of each subject in the general average, by class level ('3e') or class ('3A', which
   * overrides its level); 1 when not named, 0 to show a subject without counting it.
   */
  readonly subjectCoefficients: SubjectCoefficientsSetting;
}

export type SettingKey = keyof ScalarSettings;

export interface SchoolSettings extends ScalarSettings {
  readonly slots: readonly TimetableSlot[];
  readonly reasons: readonly Reason[];
}

const reason = (
  code: string,
  label: string,
  legitimate: boolean,
  countsAsAbsence: boolean,
  schoolResponsibility = false,
): Reason => ({ code, label, legitimate, countsAsAbsence, schoolResponsibility });

/** The legitimate reasons of Code de l'éducation L131-8, and the usual school-specific ones. */
export const DEFAULT_REASONS: readonly Reason[] = [
  reason('MALADIE', "Maladie de l'enfant", true, true),
  reason('MALADIE_FAMILLE', "Maladie transmissible ou contagieuse d'un membre de la famille", true, true),
  reason('REUNION_FAMILLE', 'Réunion solennelle de famille', true, true),
  reason('TRANSPORT', 'Difficulté accidentelle des transports', true, true),
  reason('ABSENCE_FAMILLE', "Absence temporaire de la famille que l'enfant accompagne", true, true),
  reason('CONVOCATION', 'Convocation officielle (examen, JDC, tribunal)', true, true),
  reason('SORTIE_SCOLAIRE', 'Sortie ou voyage scolaire', true, false, true),
  reason('INFIRMERIE', "Passage à l'infirmerie", true, false, true),
  reason('NON_RECEVABLE', 'Motif non recevable', false, true),
];

export const DEFAULT_SLOTS: readonly TimetableSlot[] = [
  { code: 'M1', start: '08:00', end: '08:55' },
  { code: 'M2', start: '08:55', end: '09:50' },
  { code: 'M3', start: '10:05', end: '11:00' },
  { code: 'M4', start: '11:00', end: '11:55' },
  { code: 'S1', start: '13:30', end: '14:25' },
  { code: 'S2', start: '14:25', end: '15:20' },
  { code: 'S3', start: '15:35', end: '16:30' },
  { code: 'S4', start: '16:30', end: '17:25' },
];

export const DEFAULT_SETTINGS: SchoolSettings = {
  schoolName: '',
  halfDayBoundary: DEFAULT_HALF_DAY_BOUNDARY,
  countingMode: DEFAULT_COUNTING_MODE,
  absenteeismThreshold: DEFAULT_ABSENTEEISM_THRESHOLDS.monthly,
  persistentAbsenteeismThreshold: DEFAULT_ABSENTEEISM_THRESHOLDS.persistent,
  gradeRounding: { mode: 'nearest', step: 0.01 },
  councilMentions: ['Félicitations', 'Compliments', 'Encouragements'],
  lateArrivalAbsenceMinutes: 0,
  rollCallDaysAhead: 0,
  announcedAbsenceDaysAhead: 90,
  justificationDeadlineDays: 2,
  averageConvention: 'brought-to-twenty',
  positioningSuggestion: 'all',
  competencyPoints: [10, 25, 40, 50],
  lessonHalfDays: DEFAULT_LESSON_HALF_DAYS,
  subjectCoefficients: {},
  slots: DEFAULT_SLOTS,
  reasons: DEFAULT_REASONS,
};

/** `{ key, value }` pairs typed together, so that a value always matches its key. */
export type SettingValue = {
  [K in SettingKey]: { readonly key: K; readonly value: ScalarSettings[K] };
}[SettingKey];

export type Effective = {
  readonly schoolId: string;
  /** First date (Europe/Paris) from which this change is in force. */
  readonly effectiveFrom: IsoDate;
};
