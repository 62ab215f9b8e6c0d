import { schoolStreamId } from '../../../src/domain/structure/school';
import { schoolYearDefined, trimestersSet } from '../../domain/structure/structure-fixtures';
import { AUGUST_EXPORT, editedFixture, fixture, NOVEMBER_EXPORT, STS_EXPORT } from '../../import/fixtures';
import { apiSpec } from '../../support/api-spec';
import { OTHER_SCHOOL, SCHOOL, tokenFor } from '../../support/http';

/** Every test starts from its own store holding the 2026-2027 year; those that need the August import send it. */
describe('the structure API', () => {
  const spec = apiSpec();
  let principal: string;
  beforeAll(async () => {
    principal = await tokenFor('principal');
  });
  beforeEach(() =>
    spec.given({ stream: schoolStreamId(SCHOOL), events: [schoolYearDefined(), trimestersSet()] }),
  );

  const importFile = (kind: string, bytes: Buffer, query = '', token = principal) =>
    spec
      .http()
      .post(`/schools/${SCHOOL}/imports/${kind}${query}`)
      .set('Authorization', token)
      .set('Content-Type', 'application/xml')
      .send(bytes);
  /** The August SIECLE export imported: classes 5A, 5B, 6A, 6B and their students. */
  const importAugust = () => importFile('siecle', fixture(AUGUST_EXPORT)).expect(200);

  it('lets only the principal and the admin write', async () => {
    for (const role of ['cpe', 'teacher', 'auditor'] as const)
      await spec
        .http()
        .post(`/schools/${SCHOOL}/classes`)
        .set('Authorization', await tokenFor(role))
        .send({ classId: '3A' })
        .expect(403);
    await spec
      .http()
      .post(`/schools/${SCHOOL}/classes`)
      .set('Authorization', await tokenFor('admin', OTHER_SCHOOL))
      .send({ classId: '3A' })
      .expect(403);
  });

  it('shows a dry run of an import without writing anything', async () => {
    const response = await importFile('siecle', fixture(AUGUST_EXPORT), '?dryRun=true').expect(200);
    expect(response.body).toMatchObject({
      dryRun: true,
      schoolYear: '2026-2027',
      effectiveDate: '2026-09-01',
      plannedEvents: 29,
      eventsWritten: 0,
    });
    expect(response.body.changes).toContain('4521 DUPONT-MOREAU Léa enrolled in 5B from 2026-09-01');
    const classes = await spec
      .http()
      .get(`/schools/${SCHOOL}/classes`)
      .set('Authorization', principal)
      .expect(200);
    expect(classes.body).toEqual([]);
  });

  it('imports SIECLE then STS-web, and answers with the position to read them back', async () => {
    const siecle = await importFile('siecle', fixture(AUGUST_EXPORT), '', principal)
      .set('X-Correlation-Id', 'import-rentree')
      .expect(200);
    expect(siecle.body).toMatchObject({ importId: 'import-rentree', eventsWritten: 29 });
    const sts = await importFile('sts', fixture(STS_EXPORT)).expect(200);
    expect(sts.body.summary).toMatchObject({ teachingAssigned: 6, subjectsDefined: 4 });
    const classes = await spec
      .http()
      .get(`/schools/${SCHOOL}/classes?minPosition=${sts.body.position}`)
      .set('Authorization', await tokenFor('teacher'))
      .expect(200);
    expect(classes.body.map((c: { classId: string }) => c.classId)).toEqual(['5A', '5B', '6A', '6B']);
    const students = await spec
      .http()
      .get(`/schools/${SCHOOL}/classes/5B/students?date=2026-09-01`)
      .set('Authorization', await tokenFor('cpe'))
      .expect(200);
    expect(students.body.map((s: { lastName: string }) => s.lastName)).toEqual(['DUPONT-MOREAU', "N'DIAYE"]);
  });

  it('takes a file as JSON base64 too, and writes only the differences of a later export', async () => {
    await importAugust();
    const response = await spec
      .http()
      .post(`/schools/${SCHOOL}/imports/siecle`)
      .set('Authorization', principal)
      .send({ content: fixture(NOVEMBER_EXPORT).toString('base64') })
      .expect(200);
    expect(response.body.summary).toMatchObject({
      moves: 2,
      departures: 1,
      studentsRegistered: 1,
      enrolments: 1,
      groupJoins: 1,
    });
    const history = await spec
      .http()
      .get(`/schools/${SCHOOL}/students/4521/enrolments?minPosition=${response.body.position}`)
      .set('Authorization', await tokenFor('auditor'))
      .expect(200);
    expect(history.body.classes).toEqual([
      { classId: '5B', from: '2026-09-01', until: '2026-11-16' },
      { classId: '5A', from: '2026-11-16', until: null },
    ]);
    const again = await importFile('siecle', fixture(NOVEMBER_EXPORT)).expect(200);
    expect([again.body.plannedEvents, again.body.eventsWritten]).toEqual([0, 0]);
  });

  it('refuses a file for another school, malformed or incomplete, saying which and where', async () => {
    const wrongSchool = await importFile(
      'siecle',
      editedFixture(AUGUST_EXPORT, (t) => t.replace('<UAJ>0670001A</UAJ>', '<UAJ>0670002B</UAJ>')),
    ).expect(400);
    expect(wrongSchool.body).toMatchObject({
      code: 'IMPORT.WRONG_SCHOOL',
      message: 'this file is for school 0670002B, not for 0670001A',
      details: { expected: '0670001A', found: '0670002B' },
    });
    const malformed = await importFile('siecle', fixture('ElevesSansAdresses-malforme.xml')).expect(400);
    expect(malformed.body).toMatchObject({ code: 'IMPORT.MALFORMED_XML', details: { line: 41 } });
    const missing = await importFile('siecle', fixture('ElevesSansAdresses-sans-prenom.xml')).expect(400);
    expect(missing.body.message).toBe('ELEVE ELEVE_ID="4524" (line 47) has no PRENOM');
    await spec
      .http()
      .post(`/schools/${SCHOOL}/imports/excel`)
      .set('Authorization', principal)
      .send({ content: 'AA==' })
      .expect(400);
  });

  it('moves a student by hand, refusing an unknown class and recording nothing for the same class', async () => {
    await importAugust();
    const unknown = await spec
      .http()
      .post(`/schools/${SCHOOL}/students/4522/moves`)
      .set('Authorization', principal)
      .send({ toClassId: '5Z', on: '2026-12-01' })
      .expect(404);
    expect(unknown.body.code).toBe('STRUCTURE.CLASS_UNKNOWN');
    const same = await spec
      .http()
      .post(`/schools/${SCHOOL}/students/4522/moves`)
      .set('Authorization', principal)
      .send({ toClassId: '5B', on: '2026-12-01' })
      .expect(201);
    expect(same.body.events).toEqual([]);
    const moved = await spec
      .http()
      .post(`/schools/${SCHOOL}/students/4522/moves`)
      .set('Authorization', principal)
      .send({ toClassId: '5A', on: '2026-12-01', reason: 'demande de la famille' })
      .expect(201);
    expect(moved.body.events).toEqual(['StudentMovedClass']);
    const list = await spec
      .http()
      .get(`/schools/${SCHOOL}/classes/5A/students?date=2026-12-01&minPosition=${moved.body.position}`)
      .set('Authorization', principal)
      .expect(200);
    expect(list.body.map((s: { studentId: string }) => s.studentId)).toContain('4522');
    await spec
      .http()
      .get(`/schools/${SCHOOL}/classes/9Z/students`)
      .set('Authorization', principal)
      .expect(404);
  });

  it('registers and enrols a student at once, validating the body', async () => {
    await importAugust();
    const response = await spec
      .http()
      .post(`/schools/${SCHOOL}/students`)
      .set('Authorization', principal)
      .send({ studentId: 'N-1', lastName: 'LÉVÊQUE', firstName: 'Éloïse', classId: '6A', from: '2027-01-04' })
      .expect(201);
    expect(response.body.events).toEqual(['StudentRegistered', 'StudentEnrolled']);
    const bad = await spec
      .http()
      .post(`/schools/${SCHOOL}/students`)
      .set('Authorization', principal)
      .send({ studentId: 'N-2', lastName: 'A', firstName: 'B', colour: 'red' })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION');
  });

  it('changes settings from a date and reads those in force on any date', async () => {
    const changed = await spec
      .http()
      .post(`/schools/${SCHOOL}/settings`)
      .set('Authorization', principal)
      .send({ key: 'halfDayBoundary', value: '11:00', effectiveFrom: '2027-01-04' })
      .expect(201);
    const before = await spec
      .http()
      .get(`/schools/${SCHOOL}/timetable?date=2027-01-03&minPosition=${changed.body.position}`)
      .set('Authorization', principal)
      .expect(200);
    const after = await spec
      .http()
      .get(`/schools/${SCHOOL}/timetable?date=2027-01-04`)
      .set('Authorization', principal)
      .expect(200);
    const m4 = (body: { slots: { code: string; halfDay: string }[] }) =>
      body.slots.find((s) => s.code === 'M4')?.halfDay;
    expect([m4(before.body), m4(after.body)]).toEqual(['AM', 'PM']);
    const settings = await spec
      .http()
      .get(`/schools/${SCHOOL}/settings?date=2027-02-01`)
      .set('Authorization', principal)
      .expect(200);
    expect(settings.body).toMatchObject({
      date: '2027-02-01',
      since: '2027-01-04',
      settings: { halfDayBoundary: '11:00', absenteeismThreshold: 4 },
    });
    const history = await spec
      .http()
      .get(`/schools/${SCHOOL}/settings/history`)
      .set('Authorization', await tokenFor('auditor'))
      .expect(200);
    expect(history.body.at(-1)).toMatchObject({
      type: 'SettingChanged',
      effectiveFrom: '2027-01-04',
      change: { key: 'halfDayBoundary', value: '11:00' },
      actorId: 'principal-01',
    });
    const wrong = await spec
      .http()
      .post(`/schools/${SCHOOL}/settings`)
      .set('Authorization', principal)
      .send({ key: 'countingMode', value: 'net', effectiveFrom: '2027-01-04' })
      .expect(400);
    expect(wrong.body.code).toBe('SETTINGS.VALUE_INVALID');
  });

  it('refuses a slot ending before it starts and overlapping periods, naming the field', async () => {
    const slot = await spec
      .http()
      .put(`/schools/${SCHOOL}/timetable`)
      .set('Authorization', principal)
      .send({ slots: [{ code: 'M1', start: '09:00', end: '08:00' }], effectiveFrom: '2026-09-01' })
      .expect(400);
    expect(slot.body).toMatchObject({
      code: 'SETTINGS.SLOT_ENDS_BEFORE_START',
      details: { field: 'slots[0].end' },
    });
    const periods = await spec
      .http()
      .put(`/schools/${SCHOOL}/periods/semester`)
      .set('Authorization', principal)
      .send({
        periods: [
          { start: '2026-09-01', end: '2027-02-01' },
          { start: '2027-01-25', end: '2027-07-03' },
        ],
      })
      .expect(400);
    expect(periods.body.code).toBe('STRUCTURE.PERIODS_OVERLAP');
    const years = await spec
      .http()
      .get(`/schools/${SCHOOL}/years`)
      .set('Authorization', principal)
      .expect(200);
    expect(years.body[0].periods.trimester).toHaveLength(3);
  });
});
