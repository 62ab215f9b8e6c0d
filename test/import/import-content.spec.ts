import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePlan } from '../../src/import/describe-plan';
import { readTeaching, schoolStructureProjection } from '../../src/projections/structure';
import { AUGUST_EXPORT, editedFixture, fixture, onlyStudents, refusalOf } from './fixtures';
import { contextFor, StructureHarness } from './import-harness';

/** Issue #8: what an import writes, refuses and reports (the content side). */

const REAL = join(__dirname, '..', '..', '..', 'shared', 'real-exports');
const real = (path: string): Buffer => readFileSync(join(REAL, path));

const STS_SCHOOL = '0770935Y';
const YEAR_2017 = { schoolYear: '2017-2018', start: '2017-09-04', end: '2018-07-07' };
const PIX_SCHOOL = '0999999Z';
const YEAR_2019 = { schoolYear: '2019-2020', start: '2019-09-02', end: '2020-07-04' };

describe('importing students files (issue #8)', () => {
  let harness: StructureHarness;
  beforeEach(async () => {
    harness = StructureHarness.open();
    await harness.defineYear();
  });
  afterEach(() => harness.close());

  describe('the departure guard', () => {
    it('refuses a one-student file that would record the 7 other enrolled students as left, writing nothing', async () => {
      await harness.import('siecle', fixture(AUGUST_EXPORT));
      const head = await harness.store.headPosition();
      const error = await refusalOf(() => harness.import('siecle', onlyStudents('4521')));
      expect([error.code, error.kind]).toEqual(['IMPORT.TOO_MANY_DEPARTURES', 'conflict']);
      expect(error.details).toEqual({ departures: 7, enrolled: 8, share: 0.1, threshold: 5 });
      expect(error.message).toBe(
        "this file would record 7 of the 8 enrolled students as left (they are missing from it), more than 5 (10 %): send the whole school's file, or allow the departures explicitly",
      );
      expect(await harness.store.headPosition()).toBe(head);
    });

    it('shows the count and the refusal in a dry run, and writes the departures when allowed explicitly', async () => {
      await harness.import('siecle', fixture(AUGUST_EXPORT));
      const dry = await harness.import('siecle', onlyStudents('4521'), { dryRun: true });
      expect(dry.plan.departureGuard).toEqual({
        missing: 7,
        enrolled: 8,
        share: 0.1,
        threshold: 5,
        allowed: false,
        refuses: true,
      });
      expect(describePlan(dry.plan)[2]).toBe(
        '  7 of 8 enrolled students missing from the file, recorded as left: more than 5 (10 %): the import would be refused unless mass departure is allowed',
      );
      const allowed = await harness.import('siecle', onlyStudents('4521'), { allowMassDeparture: true });
      expect(allowed.plan.summary.departures).toBe(7);
      expect(allowed.eventsWritten).toBe(7);
    });

    it('lets a file through that records as left no more than the threshold', async () => {
      await harness.import('siecle', fixture(AUGUST_EXPORT));
      const report = await harness.import('siecle', onlyStudents('4521', '4522', '4523'));
      expect(report.plan.departureGuard?.refuses).toBe(false);
      expect(report.eventsWritten).toBe(5);
    });
  });

  it("imports a file for this year while next year is declared (June's back-to-school preparation)", async () => {
    await harness.defineYear({ schoolYear: '2027-2028', start: '2027-09-01', end: '2028-07-01' });
    const thisYear = await harness.import('siecle', fixture(AUGUST_EXPORT));
    expect([thisYear.plan.schoolYear, thisYear.eventsWritten]).toEqual(['2026-2027', 29]);
    const nextYear = await harness.import(
      'siecle',
      editedFixture(AUGUST_EXPORT, (t) =>
        t.replace('<ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE>', '<ANNEE_SCOLAIRE>2027</ANNEE_SCOLAIRE>'),
      ),
      { dryRun: true },
    );
    expect([nextYear.plan.schoolYear, nextYear.plan.effectiveDate]).toEqual(['2027-2028', '2027-09-01']);
    expect(nextYear.plan.school?.events.map((e) => `${e.type} ${JSON.stringify(e.data)}`)[0]).toBe(
      'ClassOpened {"schoolId":"0670001A","classId":"5A","label":"5A","schoolYear":"2027-2028","periodScheme":"trimester"}',
    );
  });

  it("leaves next year's classes in next year when this year's file comes again", async () => {
    await harness.defineYear({ schoolYear: '2027-2028', start: '2027-09-01', end: '2028-07-01' });
    const nextYearFile = editedFixture(AUGUST_EXPORT, (t) =>
      t.replace('<ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE>', '<ANNEE_SCOLAIRE>2027</ANNEE_SCOLAIRE>'),
    );
    await harness.import('siecle', fixture(AUGUST_EXPORT));
    await harness.import('siecle', nextYearFile);
    const head = await harness.store.headPosition();
    const again = await harness.import('siecle', fixture(AUGUST_EXPORT));
    const andNext = await harness.import('siecle', nextYearFile);
    expect([again.eventsWritten, andNext.eventsWritten]).toEqual([0, 0]);
    expect(await harness.store.headPosition()).toBe(head);
    expect((await harness.schoolState()).classes.get('5B')?.schoolYear).toBe('2027-2028');
  });

  it('warns, naming both SIECLE ids, when one INE appears under two students, and imports both', async () => {
    const twice = editedFixture(AUGUST_EXPORT, (t) =>
      t.replace('<ID_NATIONAL>070223456BC</ID_NATIONAL>', '<ID_NATIONAL>070123456AB</ID_NATIONAL>'),
    );
    const report = await harness.import('siecle', twice);
    expect(report.plan.warnings).toContain(
      'ELEVE ELEVE_ID="4522" (line 27): the INE 070123456AB of student 4522 is also that of student 4521 (ELEVE ELEVE_ID="4521" (line 11)): one of them is wrong in SIECLE',
    );
    expect(report.plan.summary.studentsRegistered).toBe(8);
  });

  it('warns when a new student has the INE of a student the school already has', async () => {
    await harness.import('siecle', onlyStudents('4521'));
    const newcomer = editedFixture(AUGUST_EXPORT, (t) =>
      t.replace('<ID_NATIONAL>070223456BC</ID_NATIONAL>', '<ID_NATIONAL>070123456AB</ID_NATIONAL>'),
    );
    const report = await harness.import('siecle', newcomer, { dryRun: true });
    expect(report.plan.warnings.filter((w) => w.includes('070123456AB'))).toEqual([
      'ELEVE ELEVE_ID="4522" (line 27): the INE 070123456AB of student 4522 is also that of student 4521 (ELEVE ELEVE_ID="4521" (line 11)): one of them is wrong in SIECLE',
    ]);
  });

  describe('names and birth dates', () => {
    it('refuses a name with a control character, naming the element and line, writing nothing', async () => {
      const head = await harness.store.headPosition();
      const error = await refusalOf(() =>
        harness.import(
          'siecle',
          editedFixture(AUGUST_EXPORT, (t) =>
            t.replace('<NOM_DE_FAMILLE>HAMIDI', '<NOM_DE_FAMILLE>HAM\u0090IDI'),
          ),
        ),
      );
      expect([error.code, error.kind]).toEqual(['STRUCTURE.TEXT_UNSAFE', 'invalid']);
      expect(error.message).toBe(
        'ELEVE ELEVE_ID="4523" (line 37): lastName must not contain control characters or bidirectional overrides (U+0090 at 3)',
      );
      expect(await harness.store.headPosition()).toBe(head);
    });

    it('reads character references in names as the characters they stand for, and checks those', async () => {
      const error = await refusalOf(() =>
        harness.import(
          'siecle',
          editedFixture(AUGUST_EXPORT, (t) =>
            t.replace('<NOM_DE_FAMILLE>HAMIDI', '<NOM_DE_FAMILLE>HAM&#x202E;IDI'),
          ),
        ),
      );
      expect(error.message).toBe(
        'ELEVE ELEVE_ID="4523" (line 37): lastName must not contain control characters or bidirectional overrides (U+202E at 3)',
      );
      await harness.import(
        'siecle',
        editedFixture(AUGUST_EXPORT, (t) =>
          t.replace('<NOM_DE_FAMILLE>DUPONT-MOREAU', '<NOM_DE_FAMILLE>DUPONT-MOR&#201;AU &amp; FILS'),
        ),
      );
      const [registered] = await harness.store.readStream('student-0670001A-4521');
      expect(registered.data).toMatchObject({ lastName: 'DUPONT-MORÉAU & FILS' });
    });

    it('refuses a birth date a student cannot have, naming the element and line', async () => {
      const error = await refusalOf(() =>
        harness.import(
          'siecle',
          editedFixture(AUGUST_EXPORT, (t) => t.replace('<DATE_NAISS>03/12/2013', '<DATE_NAISS>03/12/1913')),
        ),
      );
      expect(error.code).toBe('STRUCTURE.BIRTH_DATE_IMPLAUSIBLE');
      expect(error.message).toBe(
        'ELEVE ELEVE_ID="4522" (line 27): a student born on 1913-12-03 would be 112 on 2026-09-01: a student is between 2 and 30 on the first day of the school year',
      );
    });

    it('refuses a CSV name with a bidirectional override, naming the line', async () => {
      const csv = readFileSync(join(__dirname, '..', 'fixtures', 'siecle', 'eleves.csv'), 'utf8').replace(
        'HAMIDI',
        'HAM\u202eIDI',
      );
      const error = await refusalOf(() => harness.import('csv', Buffer.from(csv, 'utf8')));
      expect(error.code).toBe('STRUCTURE.TEXT_UNSAFE');
      expect(error.message).toMatch(
        /^line 5: lastName must not contain control characters or bidirectional overrides \(U\+202E at 3\)$/,
      );
    });

    it('refuses the same birth date in a CSV file, naming the line', async () => {
      const csv = readFileSync(join(__dirname, '..', 'fixtures', 'siecle', 'eleves.csv'), 'utf8').replace(
        '03/12/2013',
        '03/12/2025',
      );
      const error = await refusalOf(() => harness.import('csv', Buffer.from(csv, 'utf8')));
      expect(error.code).toBe('STRUCTURE.BIRTH_DATE_IMPLAUSIBLE');
      expect(error.message).toMatch(/^line 4: a student born on 2025-12-03 would be 0 on 2026-09-01/);
    });
  });

  it('lists a group of a student without a class as not imported, naming the element', async () => {
    await harness.defineYear(YEAR_2019, PIX_SCHOOL);
    const report = await harness.import(
      'siecle',
      real('derived/pix-no-longer-in-school.uaj-year-added.group-renamed.xml'),
      { schoolId: PIX_SCHOOL },
    );
    expect(report.plan.notImported).toEqual([
      {
        element: 'group 4e 1 G of ELEVE ELEVE_ID="0004" (line 47)',
        reason: '0004 has no class: a group without a class is not joined',
      },
    ]);
  });

  it('names the element and line of a group that has the code of a class', async () => {
    await harness.defineYear(YEAR_2019, PIX_SCHOOL);
    const error = await refusalOf(() =>
      harness.import('siecle', real('derived/pix-no-longer-in-school.uaj-year-added.xml'), {
        schoolId: PIX_SCHOOL,
      }),
    );
    expect(error.code).toBe('STRUCTURE.CODE_TAKEN');
    expect(error.message).toBe(
      'group 4e 1 of ELEVE ELEVE_ID="0004" (line 47): 4e 1 is already a class: a group needs its own code',
    );
    expect(error.details.element).toBe('group 4e 1 of ELEVE ELEVE_ID="0004" (line 47)');
  });
});

describe('importing STS-web and Nomenclature files (issue #8)', () => {
  let harness: StructureHarness;
  beforeEach(async () => {
    harness = StructureHarness.open();
    await harness.defineYear(YEAR_2017, STS_SCHOOL);
  });
  afterEach(() => harness.close());

  const sts = () => real('sts-web/frederic-v-gestages__sts_emp.xml');
  const nomenclature = () => real('derived/Nomenclature-2019-20.as-0770935Y-2017.xml');
  const subjectEvents = async (after: bigint) =>
    (await harness.store.readAll({ after })).filter((e) => e.type === 'SubjectDefined').length;

  it('keeps the Nomenclature label of the 50 subjects both files hold, whichever came last', async () => {
    await harness.import('siecle', nomenclature(), { schoolId: STS_SCHOOL });
    const afterNomenclature = await harness.store.headPosition();
    await harness.import('sts', sts(), { schoolId: STS_SCHOOL });
    // 136 subjects in the STS file, 50 of them in the Nomenclature too: 86 new, none relabelled.
    expect(await subjectEvents(afterNomenclature)).toBe(86);
    const head = await harness.store.headPosition();
    const again = await harness.import('siecle', nomenclature(), { schoolId: STS_SCHOOL });
    const andSts = await harness.import('sts', sts(), { schoolId: STS_SCHOOL });
    expect([again.eventsWritten, andSts.eventsWritten]).toEqual([0, 0]);
    expect(await harness.store.headPosition()).toBe(head);
    expect((await harness.schoolState(STS_SCHOOL)).subjects.get('001300')).toEqual({
      subjectId: '001300',
      code: expect.any(String),
      label: 'Pratiques professionnelles',
      shortLabel: expect.any(String),
      labelSource: 'nomenclature',
    });
  });

  it("relabels an STS subject with the Nomenclature's label, and never again with STS-web's", async () => {
    await harness.import('sts', sts(), { schoolId: STS_SCHOOL });
    const head = await harness.store.headPosition();
    await harness.import('siecle', nomenclature(), { schoolId: STS_SCHOOL });
    expect(await subjectEvents(head)).toBe(108);
    const again = await harness.import('sts', sts(), { schoolId: STS_SCHOOL });
    expect(again.eventsWritten).toBe(0);
  });

  it("keeps the school's own label through every later import", async () => {
    await harness.import('siecle', nomenclature(), { schoolId: STS_SCHOOL });
    await harness.school(
      {
        type: 'RenameSubject',
        data: { schoolId: STS_SCHOOL, subjectId: '001300', label: 'Pratiques pro.' },
      },
      contextFor({ schoolId: STS_SCHOOL }, 'principal'),
    );
    await harness.import('sts', sts(), { schoolId: STS_SCHOOL });
    await harness.import('siecle', nomenclature(), { schoolId: STS_SCHOOL });
    const subject = (await harness.schoolState(STS_SCHOOL)).subjects.get('001300');
    expect([subject?.label, subject?.labelSource]).toEqual(['Pratiques pro.', 'school']);
    await harness.runner.catchUp();
    const view = readTeaching(harness.readDb, harness.tables(schoolStructureProjection.name), STS_SCHOOL);
    expect(view.subjects.find((s) => s.subjectId === '001300')?.label).toBe('Pratiques pro.');
  });

  it('records the 4 CPE and 3 direction staff, and lists the substitutes and services without a teacher', async () => {
    const report = await harness.import('sts', sts(), { schoolId: STS_SCHOOL });
    expect(report.plan.summary.staffRecorded).toBe(7);
    expect(report.plan.notImported).toHaveLength(13);
    expect(report.plan.notImported.filter((n) => n.element.startsWith('SUPPLEANT'))).toEqual([
      {
        element: 'SUPPLEANT ID="73684" (line 25649)',
        reason: 'a substitute (SUPPLEANT): substitutes are not imported',
      },
      {
        element: 'SUPPLEANT ID="185858" (line 25659)',
        reason: 'a substitute (SUPPLEANT): substitutes are not imported',
      },
      {
        element: 'SUPPLEANT ID="186486" (line 25669)',
        reason: 'a substitute (SUPPLEANT): substitutes are not imported',
      },
    ]);
    expect(report.plan.notImported.filter((n) => n.reason === 'a service without a teacher')).toHaveLength(
      10,
    );
    await harness.runner.catchUp();
    const view = readTeaching(harness.readDb, harness.tables(schoolStructureProjection.name), STS_SCHOOL);
    expect(view.staff.map((s) => s.function).sort()).toEqual([
      'DIR',
      'DIR',
      'DIR',
      'EDU',
      'EDU',
      'EDU',
      'EDU',
    ]);
    expect(view.teachers).toHaveLength(129);
  });
});
