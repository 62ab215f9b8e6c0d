import { StudentsExport, SubjectsExport } from '../../src/domain/structure/import-file';
import { countStartTags, readExport, readExportFile } from '../../src/import/read-export';
import { AUGUST_EXPORT, editedFixture, fixture, NOVEMBER_EXPORT, refusalOf } from './fixtures';

const students = (bytes: Buffer) => readExport('siecle', bytes) as StudentsExport;

describe('reading ElevesSansAdresses.xml', () => {
  const august = students(fixture(AUGUST_EXPORT));

  it('reads the school, the year (2026 means 2026-2027) and the export date', () => {
    expect([august.format, august.schoolId, august.schoolYear, august.exportDate]).toEqual([
      'siecle',
      '0670001A',
      '2026-2027',
      '2026-08-28',
    ]);
  });

  it('decodes ISO-8859-15: accents, hyphens, apostrophes and the œ ligature', () => {
    const names = august.students.map((s) => `${s.lastName} ${s.firstName}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'DUPONT-MOREAU Léa',
        "N'DIAYE Aïssatou",
        'GARCIA Inès',
        'LE GOFF Maël',
        'CŒURDEROY Chloé',
        'SCHNEIDER Zoé-Anaïs',
      ]),
    );
  });

  it('turns dd/mm/yyyy into dates and empty elements into nothing', () => {
    const lea = august.students.find((s) => s.studentId === '4521');
    expect(lea).toMatchObject({
      ine: '070123456AB',
      birthDate: '2014-04-17',
      entryDate: '2025-09-01',
      exitDate: null,
      classId: '5B',
    });
    expect(lea?.groupIds).toEqual(['5LATIN', 'ANG-G1']);
    const zoe = august.students.find((s) => s.studentId === '4528');
    expect(zoe).toMatchObject({ ine: null, entryDate: null, classId: '6B', groupIds: [] });
  });

  it('reads the older NOM element when NOM_DE_FAMILLE is absent, and the date a student left', () => {
    expect(august.students.find((s) => s.studentId === '4529')).toMatchObject({
      lastName: 'BERNARD',
      exitDate: '2026-07-04',
      classId: '4A',
    });
  });

  it('says where each student is in the file', () => {
    expect(august.students.find((s) => s.studentId === '4524')?.where).toBe(
      'ELEVE ELEVE_ID="4524" (line 47)',
    );
  });

  it('reads the same file re-encoded as UTF-8, as its declaration then says', () => {
    const iso = fixture(NOVEMBER_EXPORT);
    const utf8 = Buffer.from(
      new TextDecoder('iso-8859-15').decode(iso).replace('ISO-8859-15', 'UTF-8'),
      'utf8',
    );
    expect(utf8.length).toBeGreaterThan(iso.length);
    expect(students(utf8).students).toEqual(students(iso).students);
  });

  it('falls back to ISO-8859-15 for a file without declaration that is not UTF-8', () => {
    const undeclared = editedFixture(AUGUST_EXPORT, (t) =>
      t.replace('<?xml version="1.0" encoding="ISO-8859-15"?>', ''),
    );
    expect(students(undeclared).students.map((s) => s.lastName)).toContain('CŒURDEROY');
  });
});

describe('refusing a SIECLE file', () => {
  it('names the line of malformed XML', async () => {
    const error = await refusalOf(() => students(fixture('ElevesSansAdresses-malforme.xml')));
    expect(error.code).toBe('IMPORT.MALFORMED_XML');
    expect(error.message).toMatch(/line 41/);
    expect(error.details).toMatchObject({ line: 41 });
  });

  it('names the element and line of a student without a first name', async () => {
    const error = await refusalOf(() => students(fixture('ElevesSansAdresses-sans-prenom.xml')));
    expect(error.code).toBe('IMPORT.MISSING_ELEMENT');
    expect(error.message).toBe('ELEVE ELEVE_ID="4524" (line 47) has no PRENOM');
  });

  it('names a date that is not one', async () => {
    const error = await refusalOf(() =>
      students(editedFixture(AUGUST_EXPORT, (t) => t.replace('17/04/2014', '31/04/2014'))),
    );
    expect(error.code).toBe('IMPORT.INVALID_VALUE');
    expect(error.message).toMatch(/ELEVE ELEVE_ID="4521" \(line \d+\): DATE_NAISS "31\/04\/2014"/);
  });

  it('refuses more students than maxStudents before parsing: a file cut short is still counted', async () => {
    const eleves = Array.from(
      { length: 21 },
      (_, i) => `<ELEVE ELEVE_ID="${4600 + i}"><PRENOM>A</PRENOM></ELEVE>`,
    );
    const cut = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<BEE_ELEVES><DONNEES><ELEVES>${eleves.join('\n')}`,
    );
    const error = await refusalOf(() =>
      readExportFile('siecle', cut, { maxBytes: 1_000_000, maxStudents: 20 }),
    );
    expect([error.code, error.message, error.details]).toEqual([
      'IMPORT.TOO_MANY_STUDENTS',
      'the file lists 21 students, more than the 20 an import takes (REGISTRE_IMPORT_MAX_STUDENTS)',
      { students: 21, maxStudents: 20 },
    ]);
    expect(
      countStartTags(
        Buffer.from('<ELEVES><ELEVE/><ELEVE\tA="1"></ELEVE><STRUCTURES_ELEVE ELEVE_ID="1">'),
        'ELEVE',
      ),
    ).toBe(2);
    const whole = await readExportFile('siecle', fixture(NOVEMBER_EXPORT), {
      maxBytes: 1_000_000,
      maxStudents: 20,
    });
    expect(whole.format).toBe('siecle');
  });

  it('refuses a missing UAJ', async () => {
    const error = await refusalOf(() =>
      students(editedFixture(AUGUST_EXPORT, (t) => t.replace('<UAJ>0670001A</UAJ>', ''))),
    );
    expect(error.code).toBe('IMPORT.MISSING_ELEMENT');
    expect(error.message).toMatch(/PARAMETRES \(line 3\) has no UAJ/);
  });

  it('refuses a student in two classes at once', async () => {
    const twoClasses = editedFixture(AUGUST_EXPORT, (t) =>
      t.replace(
        '<STRUCTURES_ELEVE ELEVE_ID="4524" ELENOET="1204">',
        '<STRUCTURES_ELEVE ELEVE_ID="4524" ELENOET="1204"><STRUCTURE><CODE_STRUCTURE>5B</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>',
      ),
    );
    const error = await refusalOf(() => students(twoClasses));
    expect(error.code).toBe('IMPORT.DUPLICATE_CLASS');
    expect(error.message).toMatch(/two classes at once, 5B and 5A/);
  });

  it('refuses structures naming a student the file does not describe', async () => {
    const error = await refusalOf(() =>
      students(
        editedFixture(AUGUST_EXPORT, (t) =>
          t.replace('<STRUCTURES_ELEVE ELEVE_ID="4528"', '<STRUCTURES_ELEVE ELEVE_ID="9999"'),
        ),
      ),
    );
    expect(error.code).toBe('IMPORT.UNKNOWN_STUDENT');
    expect(error.message).toMatch(/STRUCTURES_ELEVE ELEVE_ID="9999" \(line \d+\)/);
  });

  it('says which file it is when given another SIECLE or STS export', async () => {
    const error = await refusalOf(() =>
      readExport('siecle', Buffer.from('<?xml version="1.0"?><BEE_RESPONSABLES VERSION="1"/>')),
    );
    expect(error.code).toBe('IMPORT.WRONG_FILE');
    expect(error.message).toMatch(/guardians/);
    expect(
      (await refusalOf(() => readExport('siecle', fixture('sts_emp_0670001A_2026.xml')))).message,
    ).toMatch(/registre import siecle/);
  });
});

describe('reading Nomenclature.xml', () => {
  it('reads the subjects, trimming the padding SIECLE leaves in them', () => {
    const file = readExport('siecle', fixture('Nomenclature.xml')) as SubjectsExport;
    expect(file.format).toBe('nomenclature');
    expect(
      file.subjects.map(({ subjectId, code, label, shortLabel }) => ({ subjectId, code, label, shortLabel })),
    ).toEqual([
      { subjectId: '020100', code: 'FRANC', label: 'Français', shortLabel: 'FRANCAIS' },
      { subjectId: '030201', code: 'AGL1', label: 'Anglais LV1', shortLabel: 'ANGLAIS LV1' },
      { subjectId: '061300', code: 'MATHS', label: 'Mathématiques', shortLabel: 'MATHEMATIQUES' },
    ]);
  });
});
