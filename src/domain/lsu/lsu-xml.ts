import { XMLBuilder } from 'fast-xml-parser';
import { roundForDisplay } from '../assessment/rounding';
import { invalid } from '../shared/domain-error';
import { LsuClassPeriod, LsuEvaluationStatus, LsuStudent, LsuStudentSubject } from './lsu-input';
import { hasLsuText, lsuProblems } from './lsu-problems';

export const LSU_NAMESPACE = 'urn:fr:edu:scolarite:lsun:bilans:import';
export const LSU_SCHEMA_VERSION = '10.0';

type XmlNode = { readonly [key: string]: string | XmlNode | readonly XmlNode[] | undefined };

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

/** The LSU's averages: a dot and two decimals, rounded to the nearest hundredth, halves up. */
export const lsuAverage = (value: number): string =>
  roundForDisplay(value, { mode: 'nearest', step: 0.01 }).toFixed(2);

const EVALUATION_STATUS: Readonly<Record<LsuEvaluationStatus, string>> = { NN: '1', PENDING: '2', DISP: '3' };

/** The school year a period belongs to, by the year it starts in (2026 for 2026-2027). */
const millesime = (periodStart: string): string => {
  const year = Number(periodStart.slice(0, 4));
  const month = Number(periodStart.slice(5, 7));
  return String(month >= 8 ? year : year - 1);
};

/**
 * XML ids are generated, not taken from Registre's ids, which need not be XML names: the LSU only
 * asks them to be unique within the file and to link its parts.
 */
const idsOf = (prefix: string, keys: readonly string[]): ReadonlyMap<string, string> =>
  new Map(keys.map((key, index) => [key, `${prefix}${index + 1}`]));

const refs = (ids: ReadonlyMap<string, string>, keys: readonly string[], prefix: string): string =>
  keys.map((key) => ids.get(key) ?? `${prefix}UNKNOWN`).join(' ');

/** An XML comment may not hold "--"; control characters are refused by the check. */
const commentText = (value: string): string => value.replace(/-+/g, '-');

const text = (value: string | null | undefined): string => value ?? '';

/**
 * The LSU XML as written, without the pre-export check: for tests that show what the national
 * import's schema would say about a file the check would have stopped. Use `lsuXml`.
 */
export const lsuXmlUnchecked = (input: LsuClassPeriod): string => {
  const studentIds = idsOf(
    'EL_',
    input.students.map((student) => student.studentId),
  );
  const subjectIds = idsOf(
    'DI_',
    input.subjects.map((subject) => subject.id),
  );
  const teacherIds = idsOf(
    'ENS_',
    input.teachers.map((teacher) => teacher.id),
  );
  const elements = [
    ...new Set(input.students.flatMap((s) => s.subjects.flatMap((entry) => entry.elements ?? []))),
  ];
  const elementIds = idsOf('EP_', elements);
  const periodId = 'P_1';
  const headId = 'RESP_1';

  const acquis = (entry: LsuStudentSubject): XmlNode => ({
    '@_discipline-ref': subjectIds.get(entry.subjectId) ?? 'DI_UNKNOWN',
    '@_enseignant-refs': entry.teacherIds.length > 0 ? refs(teacherIds, entry.teacherIds, 'ENS_') : undefined,
    '@_element-programme-refs':
      entry.elements !== undefined && entry.elements.length > 0
        ? refs(elementIds, entry.elements, 'EP_')
        : undefined,
    '@_moyenne-eleve': entry.average === null ? undefined : lsuAverage(entry.average),
    '@_moyenne-structure':
      entry.classAverage === undefined || entry.classAverage === null
        ? undefined
        : lsuAverage(entry.classAverage),
    '@_statut-evaluation-eleve':
      entry.average === null ? EVALUATION_STATUS[entry.evaluationStatus ?? 'NN'] : undefined,
    '@_statut-evaluation-structure':
      entry.classAverage === undefined || entry.classAverage === null ? '1' : undefined,
    '@_positionnement':
      entry.positioning === undefined || entry.positioning === null ? undefined : String(entry.positioning),
    appreciation: text(entry.appreciation),
  });

  const bilan = (student: LsuStudent): XmlNode => ({
    '@_eleve-ref': studentIds.get(student.studentId),
    '@_periode-ref': periodId,
    '@_date-conseil-classe': student.councilDate ?? undefined,
    '@_date-scolarite': student.schoolingStart ?? input.period.start,
    '@_responsable-etab-ref': headId,
    '@_prof-princ-refs':
      input.class.mainTeacherIds !== undefined && input.class.mainTeacherIds.length > 0
        ? refs(teacherIds, input.class.mainTeacherIds, 'ENS_')
        : undefined,
    'liste-acquis': { acquis: student.subjects.map(acquis) },
    'acquis-conseils': text(student.councilSynthesis),
    'vie-scolaire':
      student.schoolLife === null
        ? undefined
        : {
            '@_nb-retards': String(student.schoolLife.lateness),
            '@_nb-abs-justifiees': String(student.schoolLife.justified),
            '@_nb-abs-injustifiees': String(student.schoolLife.unjustified),
            '@_nb-heures-manquees':
              student.schoolLife.missedHours === undefined
                ? undefined
                : String(student.schoolLife.missedHours),
            commentaire: hasLsuText(student.schoolLife.comment) ? student.schoolLife.comment : undefined,
          },
    socle:
      student.socle !== undefined && student.socle.length > 0
        ? {
            domaine: student.socle.map((level) => ({
              '@_code': level.code,
              '@_positionnement': String(level.level),
            })),
          }
        : undefined,
  });

  const document: XmlNode = {
    'lsun-bilans': {
      '@_xmlns': LSU_NAMESPACE,
      '@_schemaVersion': LSU_SCHEMA_VERSION,
      entete: {
        editeur: input.export.editor,
        application: input.export.application,
        appliVersion: hasLsuText(input.export.applicationVersion)
          ? input.export.applicationVersion
          : undefined,
        etablissement: input.school.uai,
      },
      donnees: {
        'responsables-etab': { 'responsable-etab': { '@_id': headId, '@_libelle': input.school.head } },
        eleves: {
          eleve: input.students.map((student) => ({
            '@_id': studentIds.get(student.studentId),
            '@_id-be': hasLsuText(student.ineOrSiecleId) ? student.ineOrSiecleId : undefined,
            '@_nom': student.lastName,
            '@_prenom': student.firstName,
            '@_code-division': input.class.code,
          })),
        },
        periodes: {
          periode: {
            '@_id': periodId,
            '@_millesime': millesime(input.period.start),
            '@_indice': String(input.period.index),
            '@_nb-periodes': String(input.period.count),
          },
        },
        disciplines: {
          discipline: input.subjects.map((subject) => ({
            '@_id': subjectIds.get(subject.id),
            '@_code': subject.code,
            '@_modalite-election': subject.electionMode ?? 'S',
            '@_libelle': subject.label,
          })),
        },
        enseignants: {
          enseignant: input.teachers.map((teacher) => ({
            '@_id': teacherIds.get(teacher.id),
            '@_type': teacher.kind ?? 'epp',
            '@_id-sts': teacher.stsId === null || teacher.stsId === '' ? undefined : teacher.stsId,
            '@_civilite': teacher.civility,
            '@_nom': teacher.lastName,
            '@_prenom': teacher.firstName,
          })),
        },
        'elements-programme':
          elements.length > 0
            ? {
                'element-programme': elements.map((label) => ({
                  '@_id': elementIds.get(label),
                  '@_libelle': label,
                })),
              }
            : undefined,
        'bilans-periodiques': { 'bilan-periodique': input.students.map(bilan) },
      },
    },
  };
  const about = [input.school.uai, input.class.code, input.period.label, input.export.date]
    .map(commentText)
    .join(', ');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!-- LSU export: ${about} -->\n${builder.build(document)}`;
};

/**
 * The periodic reports of one class and period as the national LSU import file (XSD version 10.0),
 * UTF-8 with its declaration; the same input always gives the same bytes. Refused with the list of
 * problems when the national import would refuse any part of it.
 */
export const lsuXml = (input: LsuClassPeriod): string => {
  const problems = lsuProblems(input);
  if (problems.length > 0) {
    throw invalid(
      'LSU.NOT_EXPORTABLE',
      `the LSU export of ${input.class.code}, ${input.period.label} has ${problems.length} problem(s) to fix first`,
      { problems },
    );
  }
  return lsuXmlUnchecked(input);
};
