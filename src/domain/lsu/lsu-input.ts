import { IsoDate } from '../shared/calendar';

/**
 * What the LSU export of one class and period is made from: plain figures, already computed by the
 * council (unrounded averages, final positionings, school-life counts), with the national ids the
 * LSU needs. Nothing here is read from a store: the caller gathers it, and the export date comes
 * from the caller's clock.
 */
export interface LsuClassPeriod {
  readonly school: {
    readonly uai: string;
    readonly name?: string;
    /** The LSU's `responsable-etab`: who signs the reports, e.g. "Mme Claire Morel, principale". */
    readonly head: string;
  };
  readonly export: {
    readonly editor: string;
    readonly application: string;
    readonly applicationVersion?: string;
    readonly date: IsoDate;
  };
  readonly period: LsuPeriod;
  readonly class: {
    /** The SIECLE division code, the LSU's `code-division`. */
    readonly code: string;
    readonly label: string;
    /** The class's main teachers (professeurs principaux), written as `prof-princ-refs`. */
    readonly mainTeacherIds?: readonly string[];
  };
  readonly teachers: readonly LsuTeacher[];
  readonly subjects: readonly LsuSubject[];
  readonly students: readonly LsuStudent[];
}

export interface LsuPeriod {
  readonly id: string;
  readonly label: string;
  readonly start: IsoDate;
  readonly end: IsoDate;
  /** 1 for the first trimester or semester. */
  readonly index: number;
  /** 3 for trimesters, 2 for semesters. */
  readonly count: number;
}

export type LsuCivility = 'M' | 'MME';

/** `epp`: known to STS-web (the usual case); `local`: created in the school's own tools. */
export type LsuTeacherKind = 'epp' | 'local' | 'dir' | 'autre';

export interface LsuTeacher {
  readonly id: string;
  readonly civility?: LsuCivility;
  readonly lastName: string;
  readonly firstName: string;
  /** The STS-web individual id (a positive integer), the LSU's `id-sts`. */
  readonly stsId?: string | null;
  readonly kind?: LsuTeacherKind;
}

/** How the subject is taken (BCN "modalité d'élection"): S common core, O compulsory option, F optional… */
export type LsuElectionMode = 'S' | 'O' | 'F' | 'L' | 'R' | 'X' | 'D';

export interface LsuSubject {
  readonly id: string;
  /** The six-character national subject code (BCN/STS code matière), e.g. 030201 for English. */
  readonly code: string;
  readonly label: string;
  readonly electionMode?: LsuElectionMode;
}

export type LsuPositioning = 1 | 2 | 3 | 4;

/** Why a student has no average: not graded, still awaited, or exempted (DISP). */
export type LsuEvaluationStatus = 'NN' | 'PENDING' | 'DISP';

export interface LsuStudentSubject {
  readonly subjectId: string;
  /** Every teacher who taught the student this subject in the period (both, after a class move). */
  readonly teacherIds: readonly string[];
  /** Unrounded; rounded to 0.01 on export. Null when the student has no average. */
  readonly average: number | null;
  /** Defaults to NN (non noté) when the average is null. */
  readonly evaluationStatus?: LsuEvaluationStatus;
  readonly classAverage?: number | null;
  readonly positioning?: LsuPositioning | null;
  readonly appreciation: string | null;
  /** Programme elements worked on in the period (LSU `elements-programme`), as labels. */
  readonly elements?: readonly string[];
}

export interface LsuSchoolLife {
  readonly justified: number;
  readonly unjustified: number;
  readonly lateness: number;
  readonly missedHours?: number;
  readonly comment?: string;
}

export type LsuSocleCode =
  'CPD_FRA' | 'CPD_ETR' | 'CPD_SCI' | 'CPD_ART' | 'MET_APP' | 'FRM_CIT' | 'SYS_NAT' | 'REP_MND';

export const LSU_SOCLE_CODES: readonly LsuSocleCode[] = [
  'CPD_FRA',
  'CPD_ETR',
  'CPD_SCI',
  'CPD_ART',
  'MET_APP',
  'FRM_CIT',
  'SYS_NAT',
  'REP_MND',
];

export interface LsuSocleLevel {
  readonly code: LsuSocleCode;
  /** 1–4, or 0 for exempted. */
  readonly level: number;
}

export interface LsuStudent {
  readonly studentId: string;
  /** The SIECLE (Base élèves) id, the LSU's `id-be`. */
  readonly ineOrSiecleId: string | null;
  readonly lastName: string;
  readonly firstName: string;
  /** The LSU's `date-scolarite`: when the student's schooling in the class began, if after the period's start (a move). */
  readonly schoolingStart?: IsoDate;
  readonly subjects: readonly LsuStudentSubject[];
  readonly schoolLife: LsuSchoolLife | null;
  /** The council's synthesis, the LSU's `acquis-conseils`. */
  readonly councilSynthesis: string | null;
  readonly councilDate: IsoDate | null;
  readonly socle?: readonly LsuSocleLevel[];
}
