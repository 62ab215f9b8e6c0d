import type { Database } from 'better-sqlite3';
import { ProjectionRunner } from '../../../src/projections/projection-runner';
import {
  enrolmentsProjection,
  readClasses,
  readEnrolmentHistory,
  readGroups,
  readSchoolYears,
  readSettingsOn,
  readStudentIds,
  readStudentsOfClassOn,
  readStudentsOfGroupOn,
  readTeaching,
  schoolSettingsProjection,
  schoolStructureProjection,
  structureProjections,
} from '../../../src/projections/structure';
import { makeSiecleExport } from '../../../src/import/fixtures-generator';
import { AUGUST_EXPORT, fixture, NOVEMBER_EXPORT, STS_EXPORT } from '../../import/fixtures';
import { SCHOOL, StructureHarness } from '../../import/import-harness';

const names = (rows: { lastName: string; firstName: string }[]) =>
  rows.map((r) => `${r.lastName} ${r.firstName}`);

describe('the structure read models', () => {
  let harness: StructureHarness;
  beforeAll(async () => {
    harness = StructureHarness.open();
    await harness.defineYear();
    await harness.import('siecle', fixture(AUGUST_EXPORT));
    await harness.import('sts', fixture(STS_EXPORT));
    await harness.import('siecle', fixture(NOVEMBER_EXPORT));
  });
  afterAll(() => harness.close());

  const structure = () => harness.tables(schoolStructureProjection.name);
  const enrolments = () => harness.tables(enrolmentsProjection.name);

  it('list the classes and groups of the school', () => {
    expect(
      readClasses(harness.readDb, structure(), SCHOOL).map((c) => [c.classId, c.label, c.periodScheme]),
    ).toEqual([
      ['5A', '5EME A', 'trimester'],
      ['5B', '5EME B', 'trimester'],
      ['6A', '6EME A', 'trimester'],
      ['6B', '6B', 'trimester'],
    ]);
    expect(readGroups(harness.readDb, structure(), SCHOOL).map((g) => [g.groupId, g.classIds])).toEqual([
      ['5LATIN', ['5A', '5B']],
      ['6-CHORALE', []],
      ['ANG-G1', ['5B']],
    ]);
    expect(readClasses(harness.readDb, structure(), '0670002B')).toEqual([]);
  });

  it('give the year with its periods', () => {
    const [year] = readSchoolYears(harness.readDb, structure(), SCHOOL);
    expect(year.schoolYear).toBe('2026-2027');
    expect(year.periods.trimester?.map((p) => `${p.id} ${p.start} ${p.end}`)).toEqual([
      'T1 2026-09-01 2026-11-30',
      'T2 2026-12-01 2027-03-07',
      'T3 2027-03-08 2027-07-03',
    ]);
  });

  it('answer who was in a class on a date, following moves', () => {
    expect(names(readStudentsOfClassOn(harness.readDb, enrolments(), SCHOOL, '5B', '2026-11-15'))).toEqual([
      'DUPONT-MOREAU Léa',
      "N'DIAYE Aïssatou",
    ]);
    expect(names(readStudentsOfClassOn(harness.readDb, enrolments(), SCHOOL, '5B', '2026-11-16'))).toEqual([
      'HAMIDI Yanis',
      "N'DIAYE Aïssatou",
    ]);
    expect(names(readStudentsOfClassOn(harness.readDb, enrolments(), SCHOOL, '5A', '2026-11-16'))).toEqual([
      'DUPONT-MOREAU Léa',
      'GARCIA Inès',
    ]);
  });

  it('answer who was in a class on a date, following departures and arrivals', () => {
    expect(names(readStudentsOfClassOn(harness.readDb, enrolments(), SCHOOL, '6B', '2026-11-12'))).toEqual([
      'MARTIN Hugo',
      'PETIT-JEAN Noé',
      'SCHNEIDER Zoé-Anaïs',
    ]);
    expect(names(readStudentsOfClassOn(harness.readDb, enrolments(), SCHOOL, '6B', '2026-11-13'))).toEqual([
      'PETIT-JEAN Noé',
      'SCHNEIDER Zoé-Anaïs',
    ]);
    expect(names(readStudentsOfClassOn(harness.readDb, enrolments(), SCHOOL, '6B', '2026-11-01'))).toEqual([
      'MARTIN Hugo',
      'SCHNEIDER Zoé-Anaïs',
    ]);
    expect(
      names(readStudentsOfGroupOn(harness.readDb, enrolments(), SCHOOL, '6-CHORALE', '2026-11-13')),
    ).toEqual(['CŒURDEROY Chloé', 'PETIT-JEAN Noé']);
  });

  it("keep a student's whole history", () => {
    expect(readEnrolmentHistory(harness.readDb, enrolments(), SCHOOL, '4521')).toEqual({
      studentId: '4521',
      ine: '070123456AB',
      lastName: 'DUPONT-MOREAU',
      firstName: 'Léa',
      birthDate: '2014-04-17',
      status: 'enrolled',
      departedOn: null,
      classes: [
        { classId: '5B', from: '2026-09-01', until: '2026-11-16' },
        { classId: '5A', from: '2026-11-16', until: null },
      ],
      groups: [
        { groupId: '5LATIN', from: '2026-09-01', until: null },
        { groupId: 'ANG-G1', from: '2026-09-01', until: null },
      ],
    });
    expect(readEnrolmentHistory(harness.readDb, enrolments(), SCHOOL, '4527')).toMatchObject({
      status: 'departed',
      departedOn: '2026-11-13',
      groups: [{ groupId: '6-CHORALE', from: '2026-09-01', until: '2026-11-13' }],
    });
    expect(readEnrolmentHistory(harness.readDb, enrolments(), SCHOOL, 'nobody')).toBeUndefined();
    expect(readStudentIds(harness.readDb, enrolments(), SCHOOL)).toHaveLength(9);
  });

  it('list subjects, teachers and who teaches what', () => {
    const teaching = readTeaching(harness.readDb, structure(), SCHOOL);
    expect(teaching.teachers.map((t) => t.lastName)).toEqual(['DURAND', 'PETIT-LÉVÊQUE', 'ZETOFREY']);
    expect(teaching.assignments).toContainEqual({
      teacherId: '8949',
      subjectId: '030201',
      target: { kind: 'group', id: 'ANG-G1' },
    });
    expect(teaching.subjects).toHaveLength(4);
  });

  it('give the settings in force on a date, with the date of their version', async () => {
    await harness.school({
      type: 'ChangeSetting',
      data: { schoolId: SCHOOL, key: 'halfDayBoundary', value: '12:30', effectiveFrom: '2027-01-04' },
    });
    await harness.school({
      type: 'ChangeSetting',
      data: { schoolId: SCHOOL, key: 'countingMode', value: 'full', effectiveFrom: '2026-09-01' },
    });
    await harness.runner.catchUp();
    const t = harness.tables(schoolSettingsProjection.name);
    expect(readSettingsOn(harness.readDb, t, SCHOOL, '2026-08-31')).toMatchObject({
      since: null,
      settings: { halfDayBoundary: '11:55', countingMode: 'gross' },
    });
    expect(readSettingsOn(harness.readDb, t, SCHOOL, '2026-12-01')).toMatchObject({
      since: '2026-09-01',
      settings: { halfDayBoundary: '11:55', countingMode: 'full' },
    });
    expect(readSettingsOn(harness.readDb, t, SCHOOL, '2027-01-04')).toMatchObject({
      since: '2027-01-04',
      settings: { halfDayBoundary: '12:30', countingMode: 'full' },
    });
  });
});

describe('rebuilding the structure read models', () => {
  const dump = (db: Database, runner: ProjectionRunner): Record<string, unknown[]> =>
    Object.fromEntries(
      structureProjections.flatMap((projection) =>
        Object.entries(runner.tables(projection.name)).map(([table, physical]) => [
          `${projection.name}.${table}`,
          db.prepare(`SELECT * FROM "${physical}" ORDER BY 1, 2, 3`).all(),
        ]),
      ),
    );

  it('gives the same rows read one event at a time as read in large batches', async () => {
    const harness = StructureHarness.open();
    try {
      await harness.defineYear();
      await harness.import('siecle', makeSiecleExport({ students: 60, classes: 8, groups: 5, seed: 7 }));
      await harness.import(
        'siecle',
        makeSiecleExport({
          students: 60,
          classes: 8,
          groups: 5,
          seed: 7,
          moves: 12,
          departures: 4,
          exportDate: '05/01/2027',
        }),
      );
      const oneByOne = harness.secondReader(1);
      try {
        await oneByOne.runner.catchUp();
        expect(dump(oneByOne.db, oneByOne.runner)).toEqual(dump(harness.readDb, harness.runner));
      } finally {
        oneByOne.close();
      }
    } finally {
      await harness.close();
    }
  });
});
