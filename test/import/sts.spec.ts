import { StaffExport } from '../../src/domain/structure/import-file';
import { readExport } from '../../src/import/read-export';
import { editedFixture, fixture, refusalOf, STS_EXPORT } from './fixtures';

const sts = (bytes: Buffer) => readExport('sts', bytes) as StaffExport;

describe('reading sts_emp_UAI_YEAR.xml', () => {
  const file = sts(fixture(STS_EXPORT));

  it('reads UAJ and ANNEE_SCOLAIRE from their attributes', () => {
    expect([file.format, file.schoolId, file.schoolYear, file.exportDate]).toEqual([
      'sts',
      '0670001A',
      '2026-2027',
      '2026-08-27',
    ]);
  });

  it('reads the subjects of the nomenclature, trimmed', () => {
    expect(file.subjects.map((s) => [s.subjectId, s.code, s.label])).toEqual([
      ['020100', 'FRANC', 'FRANÇAIS'],
      ['030201', 'AGL1', 'ANGLAIS LV1'],
      ['020700', 'LCALA', "LANGUES ET CULTURES DE L'ANTIQUITÉ : LATIN"],
      ['061300', 'MATHS', 'MATHÉMATIQUES'],
    ]);
  });

  it('keeps the teachers: FONCTION ENS, or named by a service even without FONCTION', () => {
    expect(file.teachers.map((t) => [t.teacherId, t.lastName, t.firstName])).toEqual([
      ['8949', 'DURAND', 'Michel'],
      ['8950', 'PETIT-LÉVÊQUE', 'Hélène'],
      ['3506', 'ZETOFREY', 'Mélanie'],
    ]);
  });

  it('reads divisions, groups with the classes they draw from, and who teaches what where', () => {
    expect(file.classes.map((c) => [c.classId, c.label])).toEqual([
      ['5A', '5EME A'],
      ['5B', '5EME B'],
      ['6A', '6EME A'],
      ['6B', undefined],
    ]);
    expect(file.groups.map((g) => [g.groupId, g.classIds])).toEqual([
      ['5LATIN', ['5A', '5B']],
      ['ANG-G1', ['5B']],
    ]);
    expect(file.services.map((s) => `${s.teacherId} ${s.subjectId} ${s.target.kind}:${s.target.id}`)).toEqual(
      [
        '8950 020100 class:5A',
        '8949 061300 class:5A',
        '8950 020100 class:5B',
        '3506 061300 class:5B',
        '8950 020700 group:5LATIN',
        '8949 030201 group:ANG-G1',
      ],
    );
  });

  it('refuses a service whose teacher has no ID, naming the line', async () => {
    const error = await refusalOf(() =>
      sts(
        editedFixture(STS_EXPORT, (t) =>
          t.replace('<ENSEIGNANT ID="3506" TYPE="local"/>', '<ENSEIGNANT TYPE="local"/>'),
        ),
      ),
    );
    expect(error.message).toMatch(/^ENSEIGNANT \(line 98\) has no ID attribute$/);
  });

  it('refuses the file sent up to STS instead of the one it gives back', () => {
    expect(() => sts(Buffer.from('<EDT_STS><PARAMETRES/></EDT_STS>'))).toThrow(/sts_emp/);
  });
});
