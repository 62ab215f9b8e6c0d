/**
 * Which parts of which events are a student's personal data (RGPD, issue 13): kept out of the log in
 * clear, sealed with the owning student's own key, and shown as a pseudonym once that key is erased.
 *
 * Every event listed here is about one student, named by `data.studentId`, in the school of
 * `metadata.schoolId`. Paths are `data.<field>` or `metadata.reason` (the free-text reason of a
 * correction, which may name the student). Null and empty values are never sealed: they say nothing,
 * and keeping them visible keeps "withdrawn" and "missing" what they were.
 *
 * Deliberately not listed, because they belong to no single student: a roll call's amendment reason
 * and void reason, an outing's label (CollectiveExemptionRecorded.label), a class's council
 * appreciation, an assessment's title. Student ids themselves are SIECLE's internal ELEVE_ID, a
 * pseudonymous key, and stay in clear so that every projection still routes and counts.
 */
export type PiiKind = 'lastName' | 'firstName' | 'birthDate' | 'ine' | 'text';

export type PiiPath = `data.${string}` | 'metadata.reason';

const details = {
  'data.lastName': 'lastName',
  'data.firstName': 'firstName',
  'data.birthDate': 'birthDate',
  'data.ine': 'ine',
  'metadata.reason': 'text',
} as const;

const reason = { 'data.reason': 'text', 'metadata.reason': 'text' } as const;
const note = { 'data.note': 'text', 'metadata.reason': 'text' } as const;

export const PII_FIELDS: Readonly<Record<string, Readonly<Partial<Record<PiiPath, PiiKind>>>>> = {
  StudentRegistered: details,
  StudentDetailsCorrected: details,
  AbsenceReported: note,
  /** `authorisedBy`: the adult who collected the student, named in free text. */
  DepartureDuringDayRecorded: { ...note, 'data.authorisedBy': 'text' },
  InfirmaryVisitRecorded: note,
  CollectiveExemptionRecorded: note,
  AttendanceFactVoided: reason,
  JustificationReceived: note,
  JustificationAccepted: reason,
  JustificationRejected: { ...note, ...reason },
  PositioningSet: reason,
  AppreciationWritten: { 'data.text': 'text', 'data.previous': 'text', ...reason },
  GradeCorrected: reason,
  LevelCorrected: reason,
  StudentSynthesisWritten: { 'data.text': 'text', 'data.previous': 'text', 'metadata.reason': 'text' },
};

export const PII_EVENT_TYPES: readonly string[] = Object.keys(PII_FIELDS);

export const piiFieldsOf = (type: string): Readonly<Partial<Record<PiiPath, PiiKind>>> | undefined =>
  Object.prototype.hasOwnProperty.call(PII_FIELDS, type) ? PII_FIELDS[type] : undefined;

/** A value worth sealing: a non-empty string (null, absent and '' carry nothing personal). */
export const isSealable = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** FNV-1a, 32 bits: enough to tell erased students apart in a view, not to identify them. */
const shortHash = (text: string): string => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0').slice(0, 6);
};

export const ERASED_LAST_NAME = 'Élève effacé';
export const ERASED_TEXT = '[effacé]';

/**
 * What a view shows in place of an erased student's data: stable for one student (so that lists stay
 * sorted and distinct), the same shape as the original (a name stays a non-empty string, free text
 * stays non-empty so that nothing counts as "missing"), null where the data may be null.
 */
export const pseudonymFor = (kind: PiiKind, schoolId: string, studentId: string): string | null => {
  switch (kind) {
    case 'lastName':
      return ERASED_LAST_NAME;
    case 'firstName':
      return `#${shortHash(`${schoolId}/${studentId}`)}`;
    case 'birthDate':
    case 'ine':
      return null;
    case 'text':
      return ERASED_TEXT;
    default: {
      const exhaustive: never = kind;
      return exhaustive;
    }
  }
};
