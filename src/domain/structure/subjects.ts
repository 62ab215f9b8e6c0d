import { invalid, notFound } from '../shared/domain-error';
import { DomainEvent, eventTypeGuard } from '../shared/event';
import { checkCode, checkText, SchoolCmd, set, WithSchool } from './school-part';

/** The subjects taught in the school and who gave each its label, on the school stream. */

/**
 * Who gave a subject its label. A label is only replaced by a source of the same or a higher rank:
 * the school's own rename > SIECLE's Nomenclature (LIBELLE_EDITION) > STS-web. Subjects defined
 * before sources were recorded have none, the lowest rank.
 */
export type SubjectLabelSource = 'school' | 'nomenclature' | 'sts';
const LABEL_RANK: Readonly<Record<SubjectLabelSource, number>> = { sts: 1, nomenclature: 2, school: 3 };
export const labelRank = (source: SubjectLabelSource | undefined): number =>
  source === undefined ? 0 : LABEL_RANK[source];

export type Subject = {
  readonly subjectId: string;
  /** Short management code (SIECLE "code gestion", e.g. `AGL1`). */
  readonly code: string;
  readonly label: string;
  readonly shortLabel: string;
  /** Absent on events written before label sources existed. */
  readonly labelSource?: SubjectLabelSource;
};

export type SubjectDefined = DomainEvent<'SubjectDefined', WithSchool<Subject>>;
/** The school's own label: no import replaces it. */
export type SubjectRenamed = DomainEvent<
  'SubjectRenamed',
  WithSchool<{ readonly subjectId: string; readonly label: string; readonly shortLabel: string }>
>;
export type SubjectEvent = SubjectDefined | SubjectRenamed;

export const SUBJECT_EVENT_TYPES = [
  'SubjectDefined',
  'SubjectRenamed',
] as const satisfies readonly SubjectEvent['type'][];

export const isSubjectEvent = eventTypeGuard<SubjectEvent>(SUBJECT_EVENT_TYPES);

export interface Subjects {
  readonly subjects: ReadonlyMap<string, Subject>;
}

export type DefineSubject = SchoolCmd<
  'DefineSubject',
  {
    readonly subjectId: string;
    readonly code?: string;
    readonly label: string;
    readonly shortLabel?: string;
    /** Which import defines it; absent when the school defines it itself. */
    readonly source?: Exclude<SubjectLabelSource, 'school'>;
  }
>;
export type RenameSubject = SchoolCmd<
  'RenameSubject',
  { readonly subjectId: string; readonly label: string; readonly shortLabel?: string }
>;

export const evolveSubjects = (part: Subjects, event: SubjectEvent): Subjects => {
  switch (event.type) {
    case 'SubjectDefined': {
      const { schoolId: _schoolId, ...subject } = event.data;
      return { subjects: set(part.subjects, subject.subjectId, subject) };
    }
    case 'SubjectRenamed': {
      const known = part.subjects.get(event.data.subjectId);
      const { subjectId, label, shortLabel } = event.data;
      const subject: Subject = {
        subjectId,
        code: known?.code ?? subjectId,
        label,
        shortLabel,
        labelSource: 'school',
      };
      return { subjects: set(part.subjects, subjectId, subject) };
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
};

export const defineSubject = (data: DefineSubject['data'], state: Subjects): SubjectEvent[] => {
  const subjectId = checkCode(data.subjectId, 'subjectId', 'subject');
  const label = checkText(data.label, 'label');
  if (label === '')
    throw invalid('STRUCTURE.SUBJECT_LABEL_REQUIRED', `subject ${subjectId} needs a label`, {
      field: 'label',
    });
  const labelSource: SubjectLabelSource = data.source ?? 'school';
  const known = state.subjects.get(subjectId);
  // An import never relabels a subject a higher source named: alternate imports relabel nothing.
  if (known && labelRank(known.labelSource) > labelRank(labelSource)) return [];
  const subject: Subject = {
    subjectId,
    code: checkText(data.code, 'code') || subjectId,
    label,
    shortLabel: checkText(data.shortLabel, 'shortLabel') || label,
    labelSource,
  };
  return known && sameSubject(known, subject) && labelRank(known.labelSource) >= labelRank(labelSource)
    ? []
    : [{ type: 'SubjectDefined', data: { schoolId: data.schoolId, ...subject } }];
};

const sameSubject = (a: Subject, b: Subject): boolean =>
  a.code === b.code && a.label === b.label && a.shortLabel === b.shortLabel;

export const renameSubject = (data: RenameSubject['data'], state: Subjects): SubjectEvent[] => {
  const known = state.subjects.get(data.subjectId);
  if (!known)
    throw notFound('STRUCTURE.SUBJECT_UNKNOWN', `no subject ${data.subjectId} in this school`, {
      field: 'subjectId',
    });
  const label = checkText(data.label, 'label');
  if (label === '')
    throw invalid('STRUCTURE.SUBJECT_LABEL_REQUIRED', `subject ${known.subjectId} needs a label`, {
      field: 'label',
    });
  const shortLabel = checkText(data.shortLabel, 'shortLabel') || label;
  if (known.labelSource === 'school' && known.label === label && known.shortLabel === shortLabel) return [];
  return [
    {
      type: 'SubjectRenamed',
      data: { schoolId: data.schoolId, subjectId: known.subjectId, label, shortLabel },
    },
  ];
};
