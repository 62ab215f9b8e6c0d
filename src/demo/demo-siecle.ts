import { writeSiecleStudentsExport } from '../import/fixtures-generator';
import { DemoStudent } from './demo-roster';

/**
 * The demo roster as the SIECLE students export (ElevesSansAdresses.xml) a school downloads at the
 * end of August: ISO-8859-15, dd/mm/yyyy dates, classes (D) and groups (G).
 */

const frenchDate = (date: string): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

export const demoSiecleExport = (
  schoolId: string,
  students: readonly DemoStudent[],
  exportedOn: { readonly date: string; readonly time: string },
): Buffer => {
  const year = Number(exportedOn.date.slice(0, 4));
  return writeSiecleStudentsExport(
    { schoolId, year, exportDate: frenchDate(exportedOn.date), exportTime: exportedOn.time },
    students.map((s) => ({
      id: s.studentId,
      ine: s.ine,
      lastName: s.lastName,
      firstName: s.firstName,
      birthDate: frenchDate(s.birthDate),
      entryDate: `01/09/${year}`,
      exitDate: '',
      classId: s.classId,
      groupIds: s.groupIds,
    })),
  );
};
