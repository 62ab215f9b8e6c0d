import { makeSiecleExport } from '../../src/import/fixtures-generator';
import { describePlan } from '../../src/import/describe-plan';
import { AUGUST_EXPORT, editedFixture, fixture, NOVEMBER_EXPORT, refusalOf, STS_EXPORT } from './fixtures';
import { contextFor, StructureHarness } from './import-harness';

describe('running an import against the store', () => {
  let harness: StructureHarness;
  beforeEach(async () => {
    harness = StructureHarness.open();
    await harness.defineYear();
  });
  afterEach(() => harness.close());

  const eventsAfter = async (position: bigint) => harness.store.readAll({ after: position });

  it('writes the plan, every event under one correlation id, and nothing more when the file comes again', async () => {
    const report = await harness.import('siecle', fixture(AUGUST_EXPORT), {
      ctx: contextFor({ commandId: 'import-aout' }),
    });
    expect(report.eventsWritten).toBe(report.plan.eventCount);
    expect(report.commands).toBe(9);
    const written = (await harness.store.readAll()).filter((e) => e.metadata.correlationId === 'import-aout');
    expect(written).toHaveLength(report.eventsWritten);
    expect(new Set(written.map((e) => e.metadata.commandId)).size).toBe(9);
    expect(
      written.every((e) => e.metadata.actor.id === 'admin-01' && e.metadata.causationId === 'import-aout'),
    ).toBe(true);

    const head = await harness.store.headPosition();
    const again = await harness.import('siecle', fixture(AUGUST_EXPORT));
    expect([again.eventsWritten, again.commands]).toEqual([0, 0]);
    expect(await harness.store.headPosition()).toBe(head);
  });

  it('writes exactly the moves, the departure and the arrival of a later export', async () => {
    await harness.import('siecle', fixture(AUGUST_EXPORT));
    const head = await harness.store.headPosition();
    await harness.import('siecle', fixture(NOVEMBER_EXPORT));
    const written = await eventsAfter(head);
    expect(written.map((e) => `${e.streamId} ${e.type}`)).toEqual([
      'student-0670001A-4521 StudentMovedClass',
      'student-0670001A-4523 StudentMovedClass',
      'student-0670001A-4527 StudentDeparted',
      'student-0670001A-4530 StudentRegistered',
      'student-0670001A-4530 StudentEnrolled',
      'student-0670001A-4530 StudentJoinedGroup',
    ]);
    const head2 = await harness.store.headPosition();
    await harness.import('siecle', fixture(NOVEMBER_EXPORT));
    expect(await harness.store.headPosition()).toBe(head2);
  });

  it('writes an import sent twice at once (a double click) only once', async () => {
    const ctx = contextFor({ commandId: 'double-click' });
    const [first, second] = await Promise.all([
      harness.import('siecle', fixture(AUGUST_EXPORT), { ctx }),
      harness.import('siecle', fixture(AUGUST_EXPORT), { ctx }),
    ]);
    expect(first.plan.eventCount).toBe(29);
    expect(first.eventsWritten + second.eventsWritten).toBe(29);
    expect(
      (await harness.store.readAll()).filter((e) => e.metadata.correlationId === 'double-click'),
    ).toHaveLength(29);
  });

  it('writes nothing on a dry run, and describes what it would change', async () => {
    const head = await harness.store.headPosition();
    const report = await harness.import('siecle', fixture(AUGUST_EXPORT), { dryRun: true });
    expect(await harness.store.headPosition()).toBe(head);
    expect(report.plan.summary.studentsRegistered).toBe(8);
    const lines = describePlan(report.plan);
    expect(lines[0]).toBe('siecle import for 0670001A, school year 2026-2027, changes dated 2026-09-01');
    expect(lines[1]).toBe(
      '  4 classes opened, 3 groups opened, 8 new students, 8 enrolments, 6 groups joined (29 events)',
    );
    expect(lines).toContain('  4521 DUPONT-MOREAU Léa enrolled in 5B from 2026-09-01');
    expect(lines.at(-1)).toMatch(/Lucas BERNARD left on 2026-07-04, before this year: skipped/);
  });

  const refusedWithoutWriting = async (bytes: Buffer, code: string, message: RegExp) => {
    const head = await harness.store.headPosition();
    const error = await refusalOf(() => harness.import('siecle', bytes));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(await harness.store.headPosition()).toBe(head);
  };

  it('refuses a file for another school, naming both, and writes nothing', () =>
    refusedWithoutWriting(
      editedFixture(AUGUST_EXPORT, (t) => t.replace('<UAJ>0670001A</UAJ>', '<UAJ>0670002B</UAJ>')),
      'IMPORT.WRONG_SCHOOL',
      /^this file is for school 0670002B, not for 0670001A$/,
    ));

  it('refuses a file for another year, naming both, and writes nothing', () =>
    refusedWithoutWriting(
      editedFixture(AUGUST_EXPORT, (t) =>
        t.replace('<ANNEE_SCOLAIRE>2026</ANNEE_SCOLAIRE>', '<ANNEE_SCOLAIRE>2027</ANNEE_SCOLAIRE>'),
      ),
      'IMPORT.WRONG_YEAR',
      /^this file is for the school year 2027-2028, which the school has not declared \(declared: 2026-2027\)$/,
    ));

  it('refuses malformed XML naming the line, and writes nothing', () =>
    refusedWithoutWriting(fixture('ElevesSansAdresses-malforme.xml'), 'IMPORT.MALFORMED_XML', /line 41/));

  it('refuses a record the rules refuse, even the last one, and writes nothing at all', () =>
    refusedWithoutWriting(
      editedFixture(AUGUST_EXPORT, (t) =>
        t.replace('<DATE_NAISS>25/11/2015</DATE_NAISS>', '<DATE_NAISS>25/13/2015</DATE_NAISS>'),
      ),
      'IMPORT.INVALID_VALUE',
      /ELEVE ELEVE_ID="4528" \(line \d+\): DATE_NAISS "25\/13\/2015"/,
    ));

  it('imports STS-web after SIECLE: teachers, subjects and assignments', async () => {
    await harness.import('siecle', fixture(AUGUST_EXPORT));
    const report = await harness.import('sts', fixture(STS_EXPORT));
    expect(report.plan.summary.teachingAssigned).toBe(6);
    const school = await harness.schoolState();
    expect([...school.teachers.keys()]).toEqual(['8949', '8950', '3506']);
    expect((await harness.import('sts', fixture(STS_EXPORT))).eventsWritten).toBe(0);
  });

  it('imports 1,500 generated students with their classes and groups', async () => {
    const bytes = makeSiecleExport({ students: 1500, classes: 50, groups: 20 });
    const report = await harness.import('siecle', bytes);
    expect(report.plan.summary.studentsRegistered).toBe(1500);
    expect(report.plan.summary.classesOpened).toBe(50);
    expect(report.plan.summary.groupsOpened).toBe(20);
    expect(report.eventsWritten).toBe(report.plan.eventCount);
    expect((await harness.import('siecle', bytes)).eventsWritten).toBe(0);
  });
});
