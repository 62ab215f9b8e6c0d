import { csvRow } from '../domain/shared/csv';
import { frenchAverage } from './format';
import { ReportCardClass } from './report-card-input';

/**
 * The council table for a spreadsheet: one row per student — names, each subject's average, the
 * general average, half-days of absence, latenesses, the mention. French spreadsheets expect `;`
 * between cells, a decimal comma, and a UTF-8 byte order mark to read accents right; lines end in
 * CRLF (RFC 4180). Every cell goes through `csvCell`, which neutralises a leading `=`, `+`, `-`, `@`.
 * Subjects are the columns in the order they first appear among the students.
 */
export const councilTableCsv = (input: ReportCardClass): string => {
  const subjects: string[] = [];
  for (const student of input.students) {
    for (const subject of student.subjects)
      if (!subjects.includes(subject.label)) subjects.push(subject.label);
  }
  const header = [
    'Nom',
    'Prénom',
    ...subjects,
    'Moyenne générale',
    'Demi-journées justifiées',
    'Demi-journées non justifiées',
    'Retards',
    'Mention',
  ];
  const rows = input.students.map((student) => [
    student.lastName,
    student.firstName,
    ...subjects.map((label) => {
      const subject = student.subjects.find((candidate) => candidate.label === label);
      return subject ? frenchAverage(subject.average, input.rounding) : '';
    }),
    frenchAverage(student.general.average, input.rounding),
    student.schoolLife.justifiedHalfDays,
    student.schoolLife.unjustifiedHalfDays,
    student.schoolLife.latenesses,
    student.council.mention ?? '',
  ]);
  return `\ufeff${[header, ...rows].map((row) => csvRow(row)).join('\r\n')}\r\n`;
};
