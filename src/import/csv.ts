import { invalid } from '../domain/shared/domain-error';
import { ExportedStudent, StudentsExport } from '../domain/structure/import-file';
import { decodeText } from './decode';
import { parseExportDate } from './xml';
import { isSchoolYear, schoolYearStartingIn } from '../domain/shared/calendar';

/**
 * Students CSV, for schools without SIECLE access. One header row, then one row per student; the
 * separator is `;` (what French spreadsheets write) or `,`; UTF-8 (with or without BOM) or
 * Windows-1252; fields may be quoted with "". Empty lines and lines starting with # are skipped.
 * Column names are case- and accent-insensitive; either name of each pair works:
 *
 *   uai             | uai              required, same on every row (e.g. 0670001A)
 *   annee_scolaire  | school_year      required, same on every row: 2026-2027 (or 2026)
 *   id_eleve        | student_id       required, stable from one import to the next
 *   ine             | ine              optional, 11 letters or digits
 *   nom             | last_name        required
 *   prenom          | first_name       required
 *   date_naissance  | birth_date       optional, dd/mm/yyyy or yyyy-mm-dd
 *   classe          | class            the class code (e.g. 5B); empty for a student who left
 *   groupes         | groups           optional, group codes separated by |
 *   date_entree     | entry_date       optional: first day in the school
 *   date_sortie     | exit_date        optional: first day no longer in the school
 *
 *   uai;annee_scolaire;id_eleve;ine;nom;prenom;date_naissance;classe;groupes;date_entree;date_sortie
 *   0670001A;2026-2027;4521;070123456AB;DUPONT-MOREAU;Léa;17/04/2013;5B;5LATIN|ANG-G1;01/09/2026;
 *
 * The file is the whole list: a student enrolled in the school and missing from it has left.
 */
const COLUMNS = {
  schoolId: ['uai'],
  schoolYear: ['annee_scolaire', 'school_year'],
  studentId: ['id_eleve', 'student_id'],
  ine: ['ine'],
  lastName: ['nom', 'last_name'],
  firstName: ['prenom', 'first_name'],
  birthDate: ['date_naissance', 'birth_date'],
  classId: ['classe', 'class'],
  groupIds: ['groupes', 'groups'],
  entryDate: ['date_entree', 'entry_date'],
  exitDate: ['date_sortie', 'exit_date'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ['schoolId', 'schoolYear', 'studentId', 'lastName', 'firstName'];

const normalise = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

export const readStudentsCsv = (bytes: Uint8Array): StudentsExport => {
  const rows = parseCsv(decodeText(bytes));
  const header = rows.shift();
  if (!header) throw invalid('IMPORT.MALFORMED_CSV', 'the file has no header row', {});
  const index = new Map<Column, number>();
  header.cells.forEach((cell, position) => {
    const column = (Object.keys(COLUMNS) as Column[]).find((c) =>
      (COLUMNS[c] as readonly string[]).includes(normalise(cell)),
    );
    if (column) index.set(column, position);
  });
  for (const column of REQUIRED)
    if (!index.has(column))
      throw invalid(
        'IMPORT.MISSING_COLUMN',
        `line ${header.line}: the header has no column ${COLUMNS[column].join(' or ')}`,
        {
          line: header.line,
          missing: COLUMNS[column][0],
        },
      );
  let schoolId: string | undefined;
  let schoolYear: string | undefined;
  const students: ExportedStudent[] = rows.map(({ cells, line }) => {
    const cell = (column: Column): string => {
      const position = index.get(column);
      return position === undefined ? '' : (cells[position] ?? '').trim();
    };
    const need = (column: Column): string => {
      const value = cell(column);
      if (value === '')
        throw invalid('IMPORT.MISSING_VALUE', `line ${line}: ${COLUMNS[column][0]} is empty`, {
          line,
          field: COLUMNS[column][0],
        });
      return value;
    };
    const rowSchool = need('schoolId').toUpperCase();
    const rawYear = need('schoolYear');
    const rowYear = /^\d{4}$/.test(rawYear) ? schoolYearStartingIn(Number(rawYear)) : rawYear;
    if (!isSchoolYear(rowYear))
      throw invalid(
        'IMPORT.INVALID_VALUE',
        `line ${line}: annee_scolaire ${rawYear} is not a school year like 2026-2027`,
        {
          line,
          field: 'annee_scolaire',
        },
      );
    schoolId ??= rowSchool;
    schoolYear ??= rowYear;
    if (rowSchool !== schoolId || rowYear !== schoolYear)
      throw invalid(
        'IMPORT.MIXED_FILE',
        `line ${line}: this row is for ${rowSchool} ${rowYear}, the rows above for ${schoolId} ${schoolYear}`,
        {
          line,
        },
      );
    const where = `line ${line}`;
    const date = (column: Column) => parseExportDate(cell(column), where, COLUMNS[column][0]);
    return {
      studentId: need('studentId'),
      ine: cell('ine') || null,
      lastName: need('lastName'),
      firstName: need('firstName'),
      birthDate: date('birthDate'),
      entryDate: date('entryDate'),
      exitDate: date('exitDate'),
      classId: cell('classId') || null,
      groupIds: [
        ...new Set(
          cell('groupIds')
            .split('|')
            .map((g) => g.trim())
            .filter((g) => g !== ''),
        ),
      ],
      where,
    };
  });
  if (schoolId === undefined || schoolYear === undefined)
    throw invalid('IMPORT.MALFORMED_CSV', 'the file has a header but no student', {});
  return { format: 'csv', schoolId, schoolYear, exportDate: null, students, classes: [], groups: [] };
};

interface CsvRow {
  readonly cells: string[];
  readonly line: number;
}

/** RFC 4180 with the separator guessed from the header: quoted fields may hold separators, quotes and newlines. */
const parseCsv = (text: string): CsvRow[] => {
  const rows: CsvRow[] = [];
  let separator: string | undefined;
  let line = 1;
  let position = 0;
  while (position < text.length) {
    const startLine = line;
    const end = text.indexOf('\n', position);
    const raw = text.slice(position, end === -1 ? text.length : end).replace(/\r$/, '');
    if (raw.trim() === '' || raw.startsWith('#')) {
      position = end === -1 ? text.length : end + 1;
      line += 1;
      continue;
    }
    separator ??= raw.includes(';') ? ';' : ',';
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let i = position;
    for (; i < text.length; i++) {
      const char = text[i];
      if (quoted) {
        if (char === '"' && text[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (char === '"') quoted = false;
        else {
          if (char === '\n') line += 1;
          cell += char;
        }
      } else if (char === '"' && cell.trim() === '') {
        quoted = true;
        cell = '';
      } else if (char === separator) {
        cells.push(cell);
        cell = '';
      } else if (char === '\n') break;
      else if (char !== '\r') cell += char;
    }
    if (quoted)
      throw invalid('IMPORT.MALFORMED_CSV', `line ${startLine}: a quoted field is never closed`, {
        line: startLine,
      });
    cells.push(cell);
    rows.push({ cells, line: startLine });
    position = i + 1;
    line += 1;
  }
  return rows;
};
