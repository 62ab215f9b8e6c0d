import { AUGUST_EXPORT, fixture, NOVEMBER_EXPORT, onlyStudents } from '../../import/fixtures';
import { SCHOOL_YEAR_2026 } from '../../import/import-harness';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../../support/http';

/** Issue #8 over HTTP: the departure guard, the school's subject labels, plausible students. */
describe('imports and the structure they write, over HTTP', () => {
  let app: TestApp;
  let principal: string;
  beforeEach(async () => {
    app = await startTestApp();
    principal = await tokenFor('principal');
    await app
      .http()
      .put(`/schools/${SCHOOL}/year`)
      .set('Authorization', principal)
      .send(SCHOOL_YEAR_2026)
      .expect(200);
  });
  afterEach(() => app?.close());

  const importFile = (kind: string, bytes: Buffer, query = '') =>
    app
      .http()
      .post(`/schools/${SCHOOL}/imports/${kind}${query}`)
      .set('Authorization', principal)
      .set('Content-Type', 'application/xml')
      .send(bytes);

  it('refuses with 409 a file that records most of the school as left, unless allowMassDeparture=true', async () => {
    await importFile('siecle', fixture(AUGUST_EXPORT)).expect(200);
    const refused = await importFile('siecle', onlyStudents('4521')).expect(409);
    expect(refused.body).toMatchObject({
      code: 'IMPORT.TOO_MANY_DEPARTURES',
      details: { departures: 7, enrolled: 8, share: 0.1, threshold: 5 },
    });
    const dry = await importFile('siecle', onlyStudents('4521'), '?dryRun=true').expect(200);
    expect(dry.body.departures).toEqual({
      missing: 7,
      enrolled: 8,
      share: 0.1,
      threshold: 5,
      allowed: false,
      refuses: true,
    });
    const allowed = await importFile('siecle', onlyStudents('4521'), '?allowMassDeparture=true').expect(200);
    expect([allowed.body.summary.departures, allowed.body.eventsWritten]).toEqual([7, 7]);
    expect(allowed.body.changes).toHaveLength(7);
  });

  it("keeps the school's label of a subject when its Nomenclature comes again", async () => {
    await importFile('siecle', fixture('Nomenclature.xml')).expect(200);
    const renamed = await app
      .http()
      .put(`/schools/${SCHOOL}/subjects/030201/label`)
      .set('Authorization', principal)
      .send({ label: 'Anglais' })
      .expect(200);
    expect(renamed.body.events).toEqual(['SubjectRenamed']);
    const again = await importFile('siecle', fixture('Nomenclature.xml')).expect(200);
    expect(again.body.eventsWritten).toBe(0);
    const teaching = await app
      .http()
      .get(`/schools/${SCHOOL}/teaching?minPosition=${renamed.body.position}`)
      .set('Authorization', principal)
      .expect(200);
    expect(teaching.body.subjects.find((s: { subjectId: string }) => s.subjectId === '030201')).toMatchObject(
      {
        label: 'Anglais',
        labelSource: 'school',
      },
    );
    for (const role of ['cpe', 'teacher'] as const)
      await app
        .http()
        .put(`/schools/${SCHOOL}/subjects/030201/label`)
        .set('Authorization', await tokenFor(role))
        .send({ label: 'X' })
        .expect(403);
  });

  it('refuses to register a student with an implausible birth date or an unsafe name', async () => {
    const old = await app
      .http()
      .post(`/schools/${SCHOOL}/students`)
      .set('Authorization', principal)
      .send({ studentId: 'N-1', lastName: 'LÉVÊQUE', firstName: 'Éloïse', birthDate: '1950-03-01' })
      .expect(400);
    expect(old.body).toMatchObject({
      code: 'STRUCTURE.BIRTH_DATE_IMPLAUSIBLE',
      message:
        'a student born on 1950-03-01 would be 76 on 2026-09-01: a student is between 2 and 30 on the first day of the school year',
    });
    const bidi = await app
      .http()
      .post(`/schools/${SCHOOL}/students`)
      .set('Authorization', principal)
      .send({ studentId: 'N-1', lastName: 'LÉV\u202eÊQUE', firstName: 'Éloïse', birthDate: '2013-03-01' })
      .expect(400);
    expect(bidi.body.code).toMatch(/^(STRUCTURE\.TEXT_UNSAFE|VALIDATION)$/);
    await app
      .http()
      .post(`/schools/${SCHOOL}/students`)
      .set('Authorization', principal)
      .send({ studentId: 'N-1', lastName: 'LÉVÊQUE', firstName: 'Éloïse', birthDate: '2013-03-01' })
      .expect(201);
  });

  it('writes the second of two files sent under one X-Correlation-Id: it groups commands, it does not name them', async () => {
    const importUnder = (file: string) =>
      app
        .http()
        .post(`/schools/${SCHOOL}/imports/siecle`)
        .set('Authorization', principal)
        .set('Content-Type', 'application/xml')
        .set('X-Correlation-Id', 'rentree-2026')
        .send(fixture(file));
    await importUnder(AUGUST_EXPORT).expect(200);
    const november = await importUnder(NOVEMBER_EXPORT).expect(200);
    expect([november.body.importId, november.body.eventsWritten]).toEqual(['rentree-2026', 6]);
  });
});
