import { encodeIso885915 } from '../import/fixtures-generator';
import { DemoStudent } from './demo-roster';

/**
 * The demo roster as the SIECLE students export (ElevesSansAdresses.xml, BEE_ELEVES 3.1) a school
 * downloads at the end of August: ISO-8859-15, dd/mm/yyyy dates, classes (D) and groups (G).
 */

const frenchDate = (date: string): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

const structure = (code: string, type: 'D' | 'G'): string =>
  `        <STRUCTURE><CODE_STRUCTURE>${escapeXml(code)}</CODE_STRUCTURE><TYPE_STRUCTURE>${type}</TYPE_STRUCTURE></STRUCTURE>`;

export const demoSiecleExport = (
  schoolId: string,
  students: readonly DemoStudent[],
  exportedOn: { readonly date: string; readonly time: string },
): Buffer => {
  const year = Number(exportedOn.date.slice(0, 4));
  const xml = [
    '<?xml version="1.0" encoding="ISO-8859-15"?>',
    '<BEE_ELEVES VERSION="3.1">',
    '  <PARAMETRES>',
    `    <UAJ>${schoolId}</UAJ>`,
    `    <ANNEE_SCOLAIRE>${year}</ANNEE_SCOLAIRE>`,
    `    <DATE_EXPORT>${frenchDate(exportedOn.date)}</DATE_EXPORT>`,
    `    <HORODATAGE>${frenchDate(exportedOn.date)} ${exportedOn.time}</HORODATAGE>`,
    '  </PARAMETRES>',
    '  <DONNEES>',
    '    <ELEVES>',
    ...students.map((s) =>
      [
        `      <ELEVE ELEVE_ID="${s.studentId}">`,
        `        <ID_NATIONAL>${s.ine}</ID_NATIONAL>`,
        `        <NOM_DE_FAMILLE>${escapeXml(s.lastName)}</NOM_DE_FAMILLE>`,
        `        <NOM_USAGE></NOM_USAGE>`,
        `        <PRENOM>${escapeXml(s.firstName)}</PRENOM>`,
        `        <DATE_NAISS>${frenchDate(s.birthDate)}</DATE_NAISS>`,
        `        <DATE_ENTREE>01/09/${year}</DATE_ENTREE>`,
        `        <DATE_SORTIE></DATE_SORTIE>`,
        `      </ELEVE>`,
      ].join('\n'),
    ),
    '    </ELEVES>',
    '    <STRUCTURES>',
    ...students.map((s) =>
      [
        `      <STRUCTURES_ELEVE ELEVE_ID="${s.studentId}">`,
        structure(s.classId, 'D'),
        ...s.groupIds.map((groupId) => structure(groupId, 'G')),
        '      </STRUCTURES_ELEVE>',
      ].join('\n'),
    ),
    '    </STRUCTURES>',
    '  </DONNEES>',
    '</BEE_ELEVES>',
    '',
  ].join('\n');
  return encodeIso885915(xml);
};
