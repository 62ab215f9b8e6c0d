import { invalid } from '../domain/shared/domain-error';
import { ExportedStudent, StudentsExport, SubjectsExport } from '../domain/structure/import-file';
import { checkRoot, readHeader } from './export-header';
import {
  attribute,
  childText,
  children,
  parseExportDate,
  parseXmlExport,
  required,
  XmlDocument,
} from './xml';

/**
 * SIECLE "BEE" exports. ElevesSansAdresses.xml:
 *
 *   <BEE_ELEVES VERSION="3.1">
 *     <PARAMETRES><UAJ>0670001A</UAJ><ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE><DATE_EXPORT>28/08/2026</DATE_EXPORT>…
 *     <DONNEES>
 *       <ELEVES><ELEVE ELEVE_ID="4521" ELENOET="…"><ID_NATIONAL/><NOM_DE_FAMILLE/> (older: <NOM/>) <NOM_USAGE/>
 *               <PRENOM/><DATE_NAISS>17/04/2013</DATE_NAISS><DATE_ENTREE/><DATE_SORTIE/>…</ELEVE>…</ELEVES>
 *       <STRUCTURES><STRUCTURES_ELEVE ELEVE_ID="4521">
 *         <STRUCTURE><CODE_STRUCTURE>5B</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE> (G: a group)
 *       </STRUCTURES_ELEVE>…</STRUCTURES>
 *
 * A student who left during the year stays in the export with DATE_SORTIE (the first day out).
 * Nomenclature.xml: <BEE_NOMENCLATURES><DONNEES><MATIERES><MATIERE CODE_MATIERE="030201">
 * <CODE_GESTION>AGL1</CODE_GESTION><LIBELLE_COURT/><LIBELLE_LONG/><LIBELLE_EDITION/>…
 */
const ARRAY_TAGS = ['ELEVE', 'STRUCTURES_ELEVE', 'STRUCTURE', 'MATIERE'];

export const SIECLE_ROOTS = ['BEE_ELEVES', 'BEE_NOMENCLATURES'] as const;

export const readSiecleExport = (bytes: Uint8Array): StudentsExport | SubjectsExport => {
  const document = parseXmlExport(bytes, ARRAY_TAGS);
  checkRoot(document, SIECLE_ROOTS, 'registre import siecle');
  return document.rootName === 'BEE_NOMENCLATURES' ? nomenclature(document) : students(document);
};

const students = (document: XmlDocument): StudentsExport => {
  const header = readHeader(document);
  const data = children(document.root, 'DONNEES')[0];
  if (!data)
    throw invalid('IMPORT.MISSING_ELEMENT', 'BEE_ELEVES has no DONNEES', {
      element: 'BEE_ELEVES',
      missing: 'DONNEES',
    });
  const structures = structuresByStudent(document, data);
  const seen = new Set<string>();
  const list: ExportedStudent[] = children(data, 'ELEVES', 'ELEVE').map((eleve) => {
    const where = document.where('ELEVE', eleve, 'ELEVE_ID');
    const studentId = required(attribute(eleve, 'ELEVE_ID'), where, 'ELEVE_ID attribute');
    seen.add(studentId);
    const lastName =
      childText(eleve, 'NOM_USAGE') || childText(eleve, 'NOM_DE_FAMILLE') || childText(eleve, 'NOM');
    const placement = structures.get(studentId);
    return {
      studentId,
      ine: childText(eleve, 'ID_NATIONAL') || null,
      lastName: required(lastName, where, 'NOM_DE_FAMILLE (or NOM)'),
      firstName: required(childText(eleve, 'PRENOM'), where, 'PRENOM'),
      birthDate: parseExportDate(childText(eleve, 'DATE_NAISS'), where, 'DATE_NAISS'),
      entryDate: parseExportDate(childText(eleve, 'DATE_ENTREE'), where, 'DATE_ENTREE'),
      exitDate: parseExportDate(childText(eleve, 'DATE_SORTIE'), where, 'DATE_SORTIE'),
      classId: placement?.classId ?? null,
      groupIds: placement?.groupIds ?? [],
      where,
    };
  });
  for (const [studentId, placement] of structures)
    if (!seen.has(studentId))
      throw invalid(
        'IMPORT.UNKNOWN_STUDENT',
        `${placement.where} names a student that no ELEVE of the file describes`,
        {
          element: placement.where,
        },
      );
  return { format: 'siecle', ...header, students: list, classes: [], groups: [] };
};

interface Placement {
  readonly classId: string | null;
  readonly groupIds: string[];
  readonly where: string;
}

const structuresByStudent = (
  document: XmlDocument,
  data: Parameters<typeof children>[0],
): Map<string, Placement> => {
  const placements = new Map<string, Placement>();
  for (const entry of children(data, 'STRUCTURES', 'STRUCTURES_ELEVE')) {
    const where = document.where('STRUCTURES_ELEVE', entry, 'ELEVE_ID');
    const studentId = required(attribute(entry, 'ELEVE_ID'), where, 'ELEVE_ID attribute');
    if (placements.has(studentId))
      throw invalid(
        'IMPORT.DUPLICATE_STUDENT',
        `${where}: the structures of student ${studentId} are given twice (first at ${placements.get(studentId)?.where})`,
        {
          element: where,
        },
      );
    let classId: string | null = null;
    const groupIds: string[] = [];
    for (const structure of children(entry, 'STRUCTURE')) {
      const at = `${where}, STRUCTURE${document.lineOf(structure) ? ` (line ${document.lineOf(structure)})` : ''}`;
      const code = required(childText(structure, 'CODE_STRUCTURE'), at, 'CODE_STRUCTURE');
      const type = required(childText(structure, 'TYPE_STRUCTURE'), at, 'TYPE_STRUCTURE').toUpperCase();
      if (type === 'D') {
        if (classId !== null && classId !== code)
          throw invalid(
            'IMPORT.DUPLICATE_CLASS',
            `${at}: student ${studentId} is in two classes at once, ${classId} and ${code}`,
            {
              element: at,
            },
          );
        classId = code;
      } else if (type === 'G' && !groupIds.includes(code)) groupIds.push(code);
    }
    placements.set(studentId, { classId, groupIds, where });
  }
  return placements;
};

const nomenclature = (document: XmlDocument): SubjectsExport => {
  const header = readHeader(document);
  const subjects = children(document.root, 'DONNEES', 'MATIERES', 'MATIERE').map((matiere) => {
    const where = document.where('MATIERE', matiere, 'CODE_MATIERE');
    const subjectId = required(attribute(matiere, 'CODE_MATIERE'), where, 'CODE_MATIERE attribute');
    const shortLabel = childText(matiere, 'LIBELLE_COURT') || undefined;
    const label = childText(matiere, 'LIBELLE_EDITION') || childText(matiere, 'LIBELLE_LONG') || shortLabel;
    return {
      subjectId,
      code: childText(matiere, 'CODE_GESTION') || subjectId,
      label: required(label, where, 'LIBELLE_LONG'),
      shortLabel: shortLabel ?? required(label, where, 'LIBELLE_COURT'),
      where,
    };
  });
  return { format: 'nomenclature', ...header, subjects };
};
