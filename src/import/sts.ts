import { ExportedClass, ExportedGroup, NotImported, StaffExport } from '../domain/structure/import-file';
import { STAFF_FUNCTIONS, StaffFunction, TeachingTarget } from '../domain/structure/school';
import { checkRoot, readHeader } from './export-header';
import { attribute, child, childText, children, parseXmlExport, required, XmlDocument, XmlNode } from './xml';

/**
 * STS-web's export for timetable software, sts_emp_<UAI>_<YEAR>.xml:
 *
 *   <STS_EDT VERSION="…">
 *     <PARAMETRES><UAJ CODE="0670001A"/><ANNEE_SCOLAIRE ANNEE="2026"/>…</PARAMETRES>
 *     <NOMENCLATURES><MATIERES><MATIERE CODE="030201"><CODE_GESTION>AGL1</CODE_GESTION>
 *                    <LIBELLE_COURT/><LIBELLE_LONG/></MATIERE>…</MATIERES>…</NOMENCLATURES>
 *     <DONNEES>
 *       <INDIVIDUS><INDIVIDU ID="8949" TYPE="epp"><NOM_USAGE/><NOM_PATRONYMIQUE/><PRENOM/><FONCTION>ENS</FONCTION>…
 *       <STRUCTURE>
 *         <DIVISIONS><DIVISION CODE="5B"><LIBELLE_LONG/><SERVICES><SERVICE CODE_MATIERE="030201" CODE_MOD_COURS="CG">
 *                   <ENSEIGNANTS><ENSEIGNANT ID="8949" TYPE="epp"/></ENSEIGNANTS></SERVICE>…
 *         <GROUPES><GROUPE CODE="5LATIN"><LIBELLE_LONG/><DIVISIONS_APPARTENANCE><DIVISION_APPARTENANCE CODE="5B"/>…
 *                  <SERVICES>… as for a division</GROUPE>…
 *
 * Teachers are the INDIVIDUs whose FONCTION is ENS and any other one a service names; CPE (EDU) and
 * direction (DIR) become known staff. Substitutes (<SUPPLEANTS>), services without a teacher and
 * staff of other functions are listed as not imported.
 */
const ARRAY_TAGS = [
  'MATIERE',
  'INDIVIDU',
  'DIVISION',
  'GROUPE',
  'SERVICE',
  'ENSEIGNANT',
  'DIVISION_APPARTENANCE',
  'SUPPLEANT',
];

export const readStsExport = (bytes: Uint8Array): StaffExport => {
  const document = parseXmlExport(bytes, ARRAY_TAGS);
  checkRoot(document, ['STS_EDT'], 'registre import sts');
  const header = readHeader(document);
  const data = child(document.root, 'DONNEES');
  const structure = data ? (child(data, 'STRUCTURE') ?? data) : undefined;

  const subjects = children(document.root, 'NOMENCLATURES', 'MATIERES', 'MATIERE').map((matiere) => {
    const where = document.where('MATIERE', matiere, 'CODE');
    const subjectId = required(attribute(matiere, 'CODE'), where, 'CODE attribute');
    const shortLabel = childText(matiere, 'LIBELLE_COURT') || undefined;
    const label = required(childText(matiere, 'LIBELLE_LONG') || shortLabel, where, 'LIBELLE_LONG');
    return {
      subjectId,
      code: childText(matiere, 'CODE_GESTION') || subjectId,
      label,
      shortLabel: shortLabel ?? label,
      where,
    };
  });

  const services: StaffExport['services'][number][] = [];
  const notImported: NotImported[] = [];
  const readServices = (owner: XmlNode, target: TeachingTarget) => {
    for (const service of children(owner, 'SERVICES', 'SERVICE')) {
      const where = document.where('SERVICE', service, 'CODE_MATIERE');
      const subjectId = required(attribute(service, 'CODE_MATIERE'), where, 'CODE_MATIERE attribute');
      const teachers = children(service, 'ENSEIGNANTS', 'ENSEIGNANT');
      if (teachers.length === 0)
        notImported.push({
          element: `${where} of ${target.kind} ${target.id}`,
          reason: 'a service without a teacher',
        });
      for (const teacher of teachers) {
        const at = document.where('ENSEIGNANT', teacher, 'ID');
        services.push({
          teacherId: required(attribute(teacher, 'ID'), at, 'ID attribute'),
          subjectId,
          target,
          where: at,
        });
      }
    }
  };

  const classes: ExportedClass[] = children(structure, 'DIVISIONS', 'DIVISION').map((division) => {
    const where = document.where('DIVISION', division, 'CODE');
    const classId = required(attribute(division, 'CODE'), where, 'CODE attribute');
    readServices(division, { kind: 'class', id: classId });
    return { classId, label: childText(division, 'LIBELLE_LONG') || undefined, where };
  });

  const groups: ExportedGroup[] = children(structure, 'GROUPES', 'GROUPE').map((groupe) => {
    const where = document.where('GROUPE', groupe, 'CODE');
    const groupId = required(attribute(groupe, 'CODE'), where, 'CODE attribute');
    const classIds = children(groupe, 'DIVISIONS_APPARTENANCE', 'DIVISION_APPARTENANCE').map((d) =>
      required(attribute(d, 'CODE'), document.where('DIVISION_APPARTENANCE', d), 'CODE attribute'),
    );
    readServices(groupe, { kind: 'group', id: groupId });
    return { groupId, label: childText(groupe, 'LIBELLE_LONG') || undefined, classIds, where };
  });

  const named = new Set(services.map((s) => s.teacherId));
  const teachers: StaffExport['teachers'][number][] = [];
  const staff: StaffExport['staff'][number][] = [];
  for (const individu of children(data, 'INDIVIDUS', 'INDIVIDU')) {
    const fonction = childText(individu, 'FONCTION') ?? '';
    if (fonction === 'ENS' || named.has(attribute(individu, 'ID') ?? ''))
      teachers.push(readTeacher(document, individu));
    else if (isStaffFunction(fonction)) {
      const { teacherId: staffId, ...person } = readTeacher(document, individu);
      staff.push({ staffId, ...person, function: fonction });
    } else
      notImported.push({
        element: document.where('INDIVIDU', individu, 'ID'),
        reason: `staff of function ${fonction || '(none)'}, neither teacher, CPE nor direction`,
      });
  }
  for (const suppleant of children(data, 'SUPPLEANTS', 'SUPPLEANT'))
    notImported.push({
      element: document.where('SUPPLEANT', suppleant, 'ID'),
      reason: 'a substitute (SUPPLEANT): substitutes are not imported',
    });

  const schoolName = readSchoolName(document);
  return {
    format: 'sts',
    ...header,
    subjects,
    teachers,
    classes,
    groups,
    services,
    staff,
    notImported,
    ...(schoolName !== undefined && { schoolName }),
  };
};

/** `PARAMETRES/UAJ`'s DENOM_PRINC and DENOM_COMPL ("COLLEGE" "JEAN MOULIN"), spaces made single. */
const readSchoolName = (document: XmlDocument): StaffExport['schoolName'] => {
  const parameters = child(document.root, 'PARAMETRES');
  const uaj = parameters && child(parameters, 'UAJ');
  if (!uaj) return undefined;
  const name = [childText(uaj, 'DENOM_PRINC'), childText(uaj, 'DENOM_COMPL')]
    .filter((part): part is string => part !== undefined && part.trim() !== '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name === '' ? undefined : { name, where: document.where('UAJ', uaj) };
};

const isStaffFunction = (value: string): value is StaffFunction =>
  (STAFF_FUNCTIONS as readonly string[]).includes(value);

const readTeacher = (document: XmlDocument, individu: XmlNode) => {
  const where = document.where('INDIVIDU', individu, 'ID');
  return {
    teacherId: required(attribute(individu, 'ID'), where, 'ID attribute'),
    lastName: required(
      childText(individu, 'NOM_USAGE') || childText(individu, 'NOM_PATRONYMIQUE'),
      where,
      'NOM_USAGE',
    ),
    firstName: childText(individu, 'PRENOM') ?? '',
    where,
  };
};
