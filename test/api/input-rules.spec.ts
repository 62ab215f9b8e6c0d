import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

/** Issue #8: text, school ids and dates that the API used to take as they came. */
describe('input rules of the API', () => {
  let app: TestApp;
  let principal: string;
  let cpe: string;
  let deploymentAdmin: string;
  beforeAll(async () => {
    app = await startTestApp();
    principal = await tokenFor('principal');
    cpe = await tokenFor('cpe');
    deploymentAdmin = await tokenFor('admin', '*');
  });
  afterAll(() => app?.close());

  const get = (path: string, token = principal) => app.http().get(path).set('Authorization', token);
  const post = (path: string, body: object, token = principal) =>
    app.http().post(path).set('Authorization', token).send(body);

  describe('free text', () => {
    it('refuses a bidirectional override in a class label, naming the field and the rule, and writes nothing', async () => {
      const response = await post(`/schools/${SCHOOL}/classes`, { classId: '5B', label: '5e\u202eB' }).expect(
        400,
      );
      expect(response.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION',
        message: 'label must not contain control characters or bidirectional overrides (U+202E at 2)',
        details: [
          {
            field: 'label',
            rule: 'isSafeText',
            message: 'label must not contain control characters or bidirectional overrides (U+202E at 2)',
          },
        ],
      });
      expect((await get(`/schools/${SCHOOL}/classes`).expect(200)).body).toEqual([]);
    });

    it('refuses NUL in a teacher name and a control character in a nested lesson field', async () => {
      const teacher = await post(`/schools/${SCHOOL}/teachers`, {
        teacherId: '8949',
        lastName: 'DURAND\u0000',
        firstName: 'Michel',
      }).expect(400);
      expect(teacher.body.details).toEqual([
        {
          field: 'lastName',
          rule: 'isSafeText',
          message: 'lastName must not contain control characters or bidirectional overrides (U+0000 at 6)',
        },
      ]);
      const timetable = await app
        .http()
        .put(`/schools/${SCHOOL}/classes/5B/timetable`)
        .set('Authorization', principal)
        .send({
          effectiveFrom: '2026-09-01',
          lessons: [{ weekday: 'monday', slotCode: 'M1', teacherId: 'prof\u0007' }],
        })
        .expect(400);
      expect(timetable.body.details).toEqual([
        {
          field: 'lessons.0.teacherId',
          rule: 'isSafeText',
          message:
            'lessons.0.teacherId must not contain control characters or bidirectional overrides (U+0007 at 4)',
        },
      ]);
    });

    it('lets a reason span lines but refuses a bidirectional isolate in it', async () => {
      const lines = await post(
        `/schools/${SCHOOL}/roll-calls/5B/2026-02-30/M1/void`,
        {
          reason: 'wrong slot\nit was M2',
        },
        cpe,
      ).expect(400);
      expect(lines.body.details.map((p: { field: string }) => p.field)).toEqual(['date']);
      const isolate = await post(
        `/schools/${SCHOOL}/roll-calls/5B/2026-11-16/M1/void`,
        {
          reason: 'wrong \u2066slot',
        },
        cpe,
      ).expect(400);
      expect(isolate.body.details).toEqual([
        {
          field: 'reason',
          rule: 'isSafeText',
          message: 'reason must not contain control characters or bidirectional overrides (U+2066 at 6)',
        },
      ]);
    });

    it('refuses an unsafe reason on a command that takes no body fields', async () => {
      const response = await post(
        `/schools/${SCHOOL}/students/4521/justifications/j-1/regularise`,
        { reason: 'received\u0000' },
        cpe,
      ).expect(400);
      expect(response.body.details).toEqual([
        {
          field: 'reason',
          rule: 'isSafeText',
          message: 'reason must not contain control characters or bidirectional overrides (U+0000 at 8)',
        },
      ]);
    });

    it('refuses a council mention with a bidirectional override, which no DTO checks', async () => {
      const response = await post(`/schools/${SCHOOL}/settings`, {
        key: 'councilMentions',
        value: ['Félicitations', 'Avertissement\u202e'],
        effectiveFrom: '2026-09-01',
      }).expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        code: 'SETTINGS.VALUE_INVALID',
        message:
          'councilMentions must be a list of distinct, non-empty labels of at most 60 characters, without control characters or bidirectional overrides',
        details: { field: 'value', key: 'councilMentions' },
      });
    });
  });

  describe('school ids', () => {
    it.each(['not-a-uai', '*', '0670001a', '06700012', '067000001A'])(
      'answers 400 naming schoolId for %s, even to a deployment admin',
      async (schoolId) => {
        const response = await app
          .http()
          .put(`/schools/${encodeURIComponent(schoolId)}/year`)
          .set('Authorization', deploymentAdmin)
          .send({ schoolYear: '2026-2027', start: '2026-09-01', end: '2027-07-03' })
          .expect(400);
        expect(response.body).toEqual({
          statusCode: 400,
          code: 'VALIDATION',
          message: 'schoolId must be a UAI: seven digits and a capital letter, such as 0670001A',
          details: [
            {
              field: 'schoolId',
              rule: 'isUai',
              message: 'schoolId must be a UAI: seven digits and a capital letter, such as 0670001A',
            },
          ],
        });
      },
    );

    it('refuses a bidirectional override decoded from another path parameter', async () => {
      const response = await get(`/schools/${SCHOOL}/students/%E2%80%AE4521/enrolments`).expect(400);
      expect(response.body.details).toEqual([
        {
          field: 'studentId',
          rule: 'isSafeText',
          message: 'studentId must not contain control characters or bidirectional overrides (U+202E at 0)',
        },
      ]);
    });

    it('checks the school id of reads too', async () => {
      const response = await get('/schools/not-a-uai/attendance/alerts', deploymentAdmin).expect(400);
      expect(response.body.details[0]).toMatchObject({ field: 'schoolId', rule: 'isUai' });
    });
  });

  describe('dates', () => {
    it.each(['2026-02-30', '2027-02-29', '2026-13-01', '2026-11-31'])(
      'refuses settings?date=%s',
      async (date) => {
        const response = await get(`/schools/${SCHOOL}/settings?date=${date}`).expect(400);
        expect(response.body.details).toEqual([
          {
            field: 'date',
            rule: 'isCalendarDate',
            message: 'date must be a date YYYY-MM-DD that exists in the calendar',
          },
        ]);
      },
    );

    it('accepts the 29th of February of a leap year', async () => {
      const response = await get(`/schools/${SCHOOL}/settings?date=2028-02-29`).expect(200);
      expect(response.body.settings.halfDayBoundary).toBe('11:55');
    });

    it('refuses a roll call on a day that does not exist, in the path and in the body', async () => {
      const history = await get(`/schools/${SCHOOL}/roll-calls/5B/2027-02-29/M1`, cpe).expect(400);
      expect(history.body.details).toEqual([
        {
          field: 'date',
          rule: 'isCalendarDate',
          message: 'date must be a date YYYY-MM-DD that exists in the calendar',
        },
      ]);
      const taken = await post(
        `/schools/${SCHOOL}/roll-calls`,
        { classId: '5B', date: '2026-02-30', slot: 'M1', absent: [] },
        cpe,
      ).expect(400);
      expect(taken.body.details).toEqual([
        {
          field: 'date',
          rule: 'isCalendarDate',
          message: 'date must be a date YYYY-MM-DD that exists in the calendar',
        },
      ]);
    });

    it('refuses a day that does not exist in an import query and in a student body', async () => {
      const imported = await app
        .http()
        .post(`/schools/${SCHOOL}/imports/csv?effectiveDate=2026-02-30`)
        .set('Authorization', principal)
        .set('Content-Type', 'text/csv')
        .send('uai;annee_scolaire;id_eleve;nom;prenom;classe\n')
        .expect(400);
      expect(imported.body.details).toEqual([
        {
          field: 'effectiveDate',
          rule: 'isCalendarDate',
          message: 'effectiveDate must be a date YYYY-MM-DD that exists in the calendar',
        },
      ]);
      const registered = await post(`/schools/${SCHOOL}/students`, {
        studentId: '4521',
        lastName: 'DUPONT',
        firstName: 'Léa',
        birthDate: '2014-02-29',
      }).expect(400);
      expect(registered.body.details).toEqual([
        {
          field: 'birthDate',
          rule: 'isCalendarDate',
          message: 'birthDate must be a date YYYY-MM-DD that exists in the calendar',
        },
      ]);
    });

    it('refuses a range whose end is before its start', async () => {
      const ledger = await get(
        `/schools/${SCHOOL}/students/4521/attendance?from=2026-11-30&to=2026-11-01`,
      ).expect(400);
      expect(ledger.body.details).toEqual([
        { field: 'to', rule: 'notBefore', message: 'to must not be before from' },
      ]);
      const closures = await get(`/schools/${SCHOOL}/closures?from=2027-01-01&to=2026-09-01`).expect(400);
      expect(closures.body.details).toEqual([
        { field: 'to', rule: 'notBefore', message: 'to must not be before from' },
      ]);
    });

    it('refuses a month that does not exist', async () => {
      const response = await get(`/schools/${SCHOOL}/attendance/alerts?month=2026-13`).expect(400);
      expect(response.body.details).toEqual([
        { field: 'month', rule: 'isCalendarMonth', message: 'month must be a month YYYY-MM' },
      ]);
    });
  });
});
