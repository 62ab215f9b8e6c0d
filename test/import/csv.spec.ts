import { StudentsExport } from '../../src/domain/structure/import-file';
import { readExport } from '../../src/import/read-export';
import { fixture, refusalOf } from './fixtures';

const csv = (text: string | Buffer) =>
  readExport('csv', typeof text === 'string' ? Buffer.from(text, 'utf8') : text) as StudentsExport;

const refusal = (text: string) => refusalOf(() => csv(text));

const HEADER = 'uai;annee_scolaire;id_eleve;nom;prenom;classe;date_naissance\n';

describe('reading the students CSV', () => {
  it('reads the documented layout, French column names with accents, quotes and both date formats', async () => {
    const file = csv(fixture('eleves.csv'));
    expect([file.format, file.schoolId, file.schoolYear]).toEqual(['csv', '0670001A', '2026-2027']);
    expect(
      file.students.map((s) => [
        s.studentId,
        s.lastName,
        s.firstName,
        s.birthDate,
        s.classId,
        s.groupIds,
        s.exitDate,
      ]),
    ).toEqual([
      ['E001', 'DUPONT-MOREAU', 'Léa', '2014-04-17', '5B', ['5LATIN', 'ANG-G1'], null],
      ['E002', 'N\'DIAYE; dite "Aïssa"', 'Aïssatou', '2013-12-03', '5B', ['ANG-G1'], null],
      ['E003', 'HAMIDI', 'Yanis', '2014-06-21', '5A', ['5LATIN'], null],
      ['E004', 'MARTIN', 'Hugo', '2015-01-02', '6B', [], '2026-11-13'],
    ]);
    expect(file.students[1].where).toBe('line 4');
  });

  it('reads English column names, commas and Windows-1252', async () => {
    const bytes = Buffer.from(
      'UAI,School Year,Student_ID,Last_Name,First_Name,Class\r\n0670001A,2026,12,LEFÈVRE,Zoé,6A\r\n',
      'latin1',
    );
    expect(bytes.includes(0xc8)).toBe(true);
    expect(csv(bytes).students[0]).toMatchObject({ lastName: 'LEFÈVRE', firstName: 'Zoé', classId: '6A' });
    expect(csv(bytes).schoolYear).toBe('2026-2027');
  });

  it('names the missing column', async () => {
    const error = await refusal('uai;annee_scolaire;nom;prenom\n0670001A;2026-2027;A;B\n');
    expect([error.code, error.message]).toEqual([
      'IMPORT.MISSING_COLUMN',
      'line 1: the header has no column id_eleve or student_id',
    ]);
  });

  it('names the line and field of a bad date or an empty required field', async () => {
    expect((await refusal(`${HEADER}0670001A;2026-2027;1;A;B;5B;31/02/2013\n`)).message).toBe(
      'line 2: date_naissance "31/02/2013" is not a date dd/mm/yyyy',
    );
    expect((await refusal(`${HEADER}0670001A;2026-2027;1;;B;5B;\n`)).message).toBe('line 2: nom is empty');
  });

  it('refuses rows for two schools in one file', async () => {
    const error = await refusal(`${HEADER}0670001A;2026-2027;1;A;B;5B;\n0670002B;2026-2027;2;C;D;5B;\n`);
    expect([error.code, error.message]).toEqual([
      'IMPORT.MIXED_FILE',
      'line 3: this row is for 0670002B 2026-2027, the rows above for 0670001A 2026-2027',
    ]);
  });

  it('refuses a quoted field never closed', async () =>
    expect((await refusal(`${HEADER}0670001A;2026-2027;1;"A;B;5B;\n`)).code).toBe('IMPORT.MALFORMED_CSV'));
});
