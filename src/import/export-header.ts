import { invalid } from '../domain/shared/domain-error';
import { child, parseExportDate, required, textOrAttribute, XmlDocument } from './xml';
import { isSchoolYear, schoolYearStartingIn } from '../domain/shared/calendar';

const UAI = /^\d{7}[A-Z]$/;

/** A root element names the file it starts; a wrong one gets a message saying which file it is. */
const KNOWN_ROOTS: Readonly<Record<string, string>> = {
  BEE_ELEVES: 'a SIECLE students export (ElevesSansAdresses.xml / ElevesAvecAdresses.xml)',
  BEE_NOMENCLATURES: 'a SIECLE nomenclature export (Nomenclature.xml)',
  BEE_RESPONSABLES: 'a SIECLE export of the students’ guardians (ResponsablesAvecAdresses.xml)',
  BEE_STRUCTURES: 'a SIECLE structures export (Structures.xml)',
  STS_EDT: 'an STS-web export for timetable software (sts_emp_UAI_YEAR.xml)',
  EDT_STS: 'a timetable file sent up to STS-web (emp_sts_…), not the sts_emp_… export STS-web gives back',
};

export const checkRoot = (document: XmlDocument, expected: readonly string[], command: string): void => {
  if (expected.includes(document.rootName)) return;
  const what = KNOWN_ROOTS[document.rootName];
  throw invalid(
    'IMPORT.WRONG_FILE',
    what
      ? `this file is ${what}; \`${command}\` reads ${expected.map((root) => KNOWN_ROOTS[root]).join(' or ')}`
      : `the root element is ${document.rootName}; \`${command}\` expects ${expected.join(' or ')}`,
    { element: document.rootName },
  );
};

export interface ParsedHeader {
  readonly schoolId: string;
  readonly schoolYear: string;
  readonly exportDate: string | null;
}

/** `PARAMETRES`: UAJ and ANNEE_SCOLAIRE as text (SIECLE) or as attributes CODE and ANNEE (STS-web). */
export const readHeader = (document: XmlDocument): ParsedHeader => {
  const where = document.rootName;
  const parameters = child(document.root, 'PARAMETRES');
  if (!parameters)
    throw invalid('IMPORT.MISSING_ELEMENT', `${where} has no PARAMETRES`, {
      element: where,
      missing: 'PARAMETRES',
    });
  const at = document.where('PARAMETRES', parameters);
  const schoolId = required(textOrAttribute(parameters, 'UAJ', 'CODE'), at, 'UAJ').toUpperCase();
  if (!UAI.test(schoolId))
    throw invalid('IMPORT.INVALID_VALUE', `${at}: UAJ ${schoolId} is not a UAI (7 digits and a letter)`, {
      element: at,
      field: 'UAJ',
    });
  const year = required(textOrAttribute(parameters, 'ANNEE_SCOLAIRE', 'ANNEE'), at, 'ANNEE_SCOLAIRE');
  const schoolYear = /^\d{4}$/.test(year) ? schoolYearStartingIn(Number(year)) : year;
  if (!isSchoolYear(schoolYear))
    throw invalid('IMPORT.INVALID_VALUE', `${at}: ANNEE_SCOLAIRE ${year} is not a school year`, {
      element: at,
      field: 'ANNEE_SCOLAIRE',
    });
  const exportDate =
    parseExportDate(textOrAttribute(parameters, 'DATE_EXPORT', 'DATE'), at, 'DATE_EXPORT') ??
    parseExportDate(textOrAttribute(parameters, 'HORODATAGE', 'DATE'), at, 'HORODATAGE');
  return { schoolId, schoolYear, exportDate };
};
