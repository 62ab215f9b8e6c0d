/**
 * Realistic SIECLE students exports of any size, for the bench and for tests: ISO-8859-15 bytes,
 * dd/mm/yyyy dates, accented and hyphenated names, empty elements, classes and groups. The same
 * options give the same bytes; `moves` and `departures` make the "later export" of the same school.
 */
export interface SiecleExportOptions {
  readonly students: number;
  readonly classes: number;
  readonly groups: number;
  readonly schoolId?: string;
  /** First calendar year of the school year (2026 for 2026-2027). */
  readonly year?: number;
  /** dd/mm/yyyy */
  readonly exportDate?: string;
  /** How many students are in another class than in the first export. */
  readonly moves?: number;
  /** How many students have left (DATE_SORTIE set to `departureDate`). */
  readonly departures?: number;
  /** dd/mm/yyyy */
  readonly departureDate?: string;
  readonly seed?: number;
}

const LAST_NAMES = [
  'MARTIN',
  'BERNARD',
  'DUBOIS',
  'THOMAS',
  'ROBERT',
  'PETIT',
  'DURAND',
  'LEROY',
  'MOREAU',
  'SIMON',
  'LAURENT',
  'LEFÈVRE',
  'MICHEL',
  'GARCIA',
  'DAVID',
  'BERTRAND',
  'ROUX',
  'VINCENT',
  'FOURNIER',
  'MOREL',
  'GIRARD',
  'ANDRÉ',
  'MERCIER',
  'DUPONT',
  'LAMBERT',
  'BONNET',
  'FRANÇOIS',
  'MARTINEZ',
  "N'DIAYE",
  'LE GOFF',
  'CŒURDEROY',
  'MÜLLER',
  'DUPONT-MOREAU',
  'BENOÎT',
  'HAMIDI',
  'NGUYEN',
  'KOWALSKI',
  'ŠIMIC',
  'ÉTIENNE',
  'DA SILVA',
];
const FIRST_NAMES = [
  'Léa',
  'Hugo',
  'Chloé',
  'Lucas',
  'Inès',
  'Maël',
  'Zoé',
  'Noé',
  'Aïssatou',
  'Yanis',
  'Jade',
  'Raphaël',
  'Louise',
  'Gabriel',
  'Anaïs',
  'Arthur',
  'Mélanie',
  'Théo',
  'Héloïse',
  'Nathan',
  'Zoé-Anaïs',
  'Jean-Baptiste',
  'Éloïse',
  'Adèle',
  'Loïc',
  'Maëlys',
  'Benoît',
  'Clémence',
  'Joël',
  'Océane',
];
const GROUP_SUBJECTS = ['LATIN', 'ANG', 'ALL', 'ESP', 'CHORALE', 'GREC', 'SECT-EURO', 'ITA'];

/** A small, seedable generator (mulberry32) so that an export can be rebuilt byte for byte. */
const random = (seed: number) => {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export const classCode = (index: number): string =>
  `${6 - (index % 4)}${String.fromCharCode(65 + (Math.floor(index / 4) % 26))}${index >= 104 ? Math.floor(index / 104) : ''}`;
export const groupCode = (index: number): string =>
  `${GROUP_SUBJECTS[index % GROUP_SUBJECTS.length]}-G${Math.floor(index / GROUP_SUBJECTS.length) + 1}`;

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

/** One student as a SIECLE students export writes it; dates already in dd/mm/yyyy, '' when empty. */
export interface SiecleStudentRecord {
  readonly id: string;
  readonly ine: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly birthDate: string;
  readonly entryDate: string;
  readonly exitDate: string;
  readonly classId: string;
  readonly groupIds: readonly string[];
}

export interface SiecleExportHeader {
  readonly schoolId: string;
  readonly year: number;
  /** dd/mm/yyyy */
  readonly exportDate: string;
  /** HH:MM:SS */
  readonly exportTime: string;
}

/** ElevesSansAdresses.xml (BEE_ELEVES 3.1) as SIECLE writes it, encoded ISO-8859-15. */
export const writeSiecleStudentsExport = (
  header: SiecleExportHeader,
  students: readonly SiecleStudentRecord[],
): Buffer => {
  const eleves = students.map((student, i) =>
    [
      `      <ELEVE ELEVE_ID="${student.id}" ELENOET="${i + 1}">`,
      `        <ID_NATIONAL>${student.ine}</ID_NATIONAL>`,
      `        <ELENOET>${i + 1}</ELENOET>`,
      `        <NOM_DE_FAMILLE>${escapeXml(student.lastName)}</NOM_DE_FAMILLE>`,
      `        <NOM_USAGE></NOM_USAGE>`,
      `        <PRENOM>${escapeXml(student.firstName)}</PRENOM>`,
      `        <PRENOM2></PRENOM2>`,
      `        <DATE_NAISS>${student.birthDate}</DATE_NAISS>`,
      `        <DOUBLEMENT>N</DOUBLEMENT>`,
      `        <CODE_SEXE>${1 + (i % 2)}</CODE_SEXE>`,
      `        <DATE_ENTREE>${student.entryDate}</DATE_ENTREE>`,
      `        <DATE_SORTIE>${student.exitDate}</DATE_SORTIE>`,
      `      </ELEVE>`,
    ].join('\n'),
  );
  const structure = (code: string, type: 'D' | 'G') => [
    `        <STRUCTURE>`,
    `          <CODE_STRUCTURE>${escapeXml(code)}</CODE_STRUCTURE>`,
    `          <TYPE_STRUCTURE>${type}</TYPE_STRUCTURE>`,
    `        </STRUCTURE>`,
  ];
  const structures = students.map((student, i) =>
    [
      `      <STRUCTURES_ELEVE ELEVE_ID="${student.id}" ELENOET="${i + 1}">`,
      ...structure(student.classId, 'D'),
      ...student.groupIds.flatMap((group) => structure(group, 'G')),
      `      </STRUCTURES_ELEVE>`,
    ].join('\n'),
  );
  const xml = [
    '<?xml version="1.0" encoding="ISO-8859-15"?>',
    '<BEE_ELEVES VERSION="3.1">',
    '  <PARAMETRES>',
    `    <UAJ>${header.schoolId}</UAJ>`,
    `    <ANNEE_SCOLAIRE>${header.year}</ANNEE_SCOLAIRE>`,
    `    <DATE_EXPORT>${header.exportDate}</DATE_EXPORT>`,
    `    <HORODATAGE>${header.exportDate} ${header.exportTime}</HORODATAGE>`,
    '  </PARAMETRES>',
    '  <DONNEES>',
    '    <ELEVES>',
    ...eleves,
    '    </ELEVES>',
    '    <STRUCTURES>',
    ...structures,
    '    </STRUCTURES>',
    '  </DONNEES>',
    '</BEE_ELEVES>',
    '',
  ].join('\n');
  return encodeIso885915(xml);
};

export const makeSiecleExport = (options: SiecleExportOptions): Buffer => {
  const { students, classes, groups } = options;
  if (classes < 2) throw new RangeError('makeSiecleExport needs at least 2 classes');
  const year = options.year ?? 2026;
  const next = random(options.seed ?? 20260828);
  const records: SiecleStudentRecord[] = [];
  for (let i = 0; i < students; i++) {
    const lastName = LAST_NAMES[Math.floor(next() * LAST_NAMES.length)];
    const firstName = FIRST_NAMES[Math.floor(next() * FIRST_NAMES.length)];
    const classIndex = i % classes;
    const level = 6 - (classIndex % 4);
    const birthYear = year - level - 5;
    const birth = `${pad(1 + Math.floor(next() * 28))}/${pad(1 + Math.floor(next() * 12))}/${birthYear}`;
    const hasIne = next() > 0.02;
    const ine = hasIne
      ? `${pad(Math.floor(next() * 1e9), 9)}${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i * 7) % 26))}`
      : '';
    const entered = level === 6 || next() < 0.1 ? `01/09/${year}` : `01/09/${year - (6 - level)}`;
    const moved = i < (options.moves ?? 0);
    const departed = i >= students - (options.departures ?? 0);
    const studentGroups = new Set<string>();
    for (let g = 0; g < groups; g++) if (next() < 1.2 / Math.max(groups, 1)) studentGroups.add(groupCode(g));
    records.push({
      id: String(100000 + i),
      ine,
      lastName,
      firstName,
      birthDate: birth,
      entryDate: entered,
      exitDate: departed ? (options.departureDate ?? `15/01/${year + 1}`) : '',
      classId: classCode(moved ? (classIndex + 4) % classes : classIndex),
      groupIds: [...studentGroups],
    });
  }
  const exportDate = options.exportDate ?? `28/08/${year}`;
  return writeSiecleStudentsExport(
    { schoolId: options.schoolId ?? '0670001A', year, exportDate, exportTime: '16:42:07' },
    records,
  );
};

/** ISO-8859-15 is Latin-1 with eight code points replaced (€, Š, š, Ž, ž, Œ, œ, Ÿ). */
const LATIN9: Readonly<Record<string, number>> = {
  '€': 0xa4,
  Š: 0xa6,
  š: 0xa8,
  Ž: 0xb4,
  ž: 0xb8,
  Œ: 0xbc,
  œ: 0xbd,
  Ÿ: 0xbe,
};

export const encodeIso885915 = (text: string): Buffer => {
  const bytes = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const code = LATIN9[char] ?? char.charCodeAt(0);
    if (code > 0xff) throw new RangeError(`${char} cannot be written in ISO-8859-15`);
    bytes[i] = code;
  }
  return bytes;
};
