import { GradeRounding } from '../domain/settings/settings';
import { IsoDate } from '../domain/shared/calendar';
import { SocleComponent } from '../domain/assessment/positioning';

/** 1 objectifs non atteints, 2 partiellement atteints, 3 atteints, 4 dépassés. */
export type Positioning = 1 | 2 | 3 | 4;

/** A socle component's level: 1–4 as for competencies, 0 exempted, null not evaluated. */
export type SocleLevel = 0 | 1 | 2 | 3 | 4 | null;

export interface ReportCardSubject {
  readonly label: string;
  readonly teacher: string;
  /** Unrounded; null when the student has no average in the subject. */
  readonly average: number | null;
  readonly classAverage: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** The final positioning, the one the report card prints. */
  readonly positioning: Positioning | null;
  /** The engine's suggestion; printed only in place of a missing final positioning, marked as such. */
  readonly positioningSuggested: Positioning | null;
  readonly appreciation: string;
}

export interface ReportCardSocle {
  readonly component: SocleComponent;
  /** The component's label in French, as the report card prints it. */
  readonly label: string;
  readonly level: SocleLevel;
}

export interface ReportCardSchoolLife {
  readonly justifiedHalfDays: number;
  readonly unjustifiedHalfDays: number;
  readonly latenesses: number;
  readonly openAlerts: number;
}

export interface ReportCardCouncil {
  readonly synthesis: string;
  readonly mention: string | null;
  /** The day the council was held; null while it is not. */
  readonly date: IsoDate | null;
}

export interface ReportCardStudent {
  readonly studentId: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly birthDate?: IsoDate;
  /** A note on a class change during the period ("Arrivé(e) de 4e A le 05/11/2026"). */
  readonly moved?: string;
  readonly subjects: readonly ReportCardSubject[];
  readonly general: { readonly average: number | null; readonly classAverage: number | null };
  readonly socle: readonly ReportCardSocle[];
  readonly schoolLife: ReportCardSchoolLife;
  readonly council: ReportCardCouncil;
}

/** Everything the report cards of one class for one period show; the renderer reads nothing else. */
export interface ReportCardClass {
  readonly school: { readonly uai: string; readonly name: string };
  readonly class: { readonly id: string; readonly label: string };
  readonly period: {
    readonly id: string;
    readonly label: string;
    readonly start: IsoDate;
    readonly end: IsoDate;
  };
  readonly schoolYear: string;
  /** The school's `gradeRounding` setting, applied to every average shown. */
  readonly rounding: GradeRounding;
  /** The PDF's creation date (its metadata); the period's end when left out. Never the clock. */
  readonly issuedOn?: IsoDate;
  readonly students: readonly ReportCardStudent[];
}
