import { moved } from '../../domain/structure/structure-fixtures';
import { apiSpec } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';
import { studentStreamId } from '../../../src/domain/structure/student';
import {
  assessmentCreated,
  assessmentStream,
  gradesRecorded,
  keysOf,
  PRINCIPAL_01,
  schoolStreams,
  TEACHER_01,
  Tokens,
  tokensFor,
} from './assessment-school';

type Student = { studentId: string; average: { display: number | null; excluded: unknown[] } };

/** Every test starts from its own store: the school of attendance-school.ts (5A, 5B, MATHS) plus what it gives. */
describe('changing assessments, who may do what, a class change, settings, and the command headers', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  const school = `/schools/${SCHOOL}`;
  const base = `${school}/assessments`;
  const gradeBook = async (token: string, position: string, classId = '5B', periodId = 'T1') =>
    (
      await spec
        .http()
        .get(`${school}/grade-books/${classId}/MATHS/${periodId}?minPosition=${position}`)
        .set('Authorization', token)
        .expect(200)
    ).body;
  const classResults = async (token: string, position: string, classId = '5B', periodId = 'T1') =>
    (
      await spec
        .http()
        .get(`${school}/classes/${classId}/results?periodId=${periodId}&minPosition=${position}`)
        .set('Authorization', token)
        .expect(200)
    ).body;
  const studentOf = (book: { students: Student[] }, studentId: string): Student =>
    book.students.find((s) => s.studentId === studentId)!;

  describe('changes after grades', () => {
    /** b1: 18/20 in a, 8/20 in b (coefficient 1 each): 13. */
    const givenTwoGraded = () =>
      spec.given(
        schoolStreams(),
        assessmentStream('a', assessmentCreated('a'), gradesRecorded('a', { b1: 18 })),
        assessmentStream(
          'b',
          assessmentCreated('b', { date: '2026-10-09' }),
          gradesRecorded('b', { b1: 8 }, '2026-10-09'),
        ),
      );
    const patch = (body: object) => () =>
      spec.http().patch(`${base}/b`).set('Authorization', as.teacher).send(body);

    it('refuses a coefficient change without a reason once graded (409), and with one the average follows', async () => {
      await givenTwoGraded();
      expect(studentOf(await gradeBook(as.teacher, '0'), 'b1').average).toMatchObject({ display: 13 });
      await spec.when(patch({ coefficient: 3 })).then({
        status: 409,
        body: { code: 'ASSESSMENT.REASON_REQUIRED', details: { field: 'reason' } },
        newEvents: [],
      });
      const reason = 'le contrôle commun compte triple';
      const changed = await spec.when(patch({ coefficient: 3, reason })).then({
        status: 200,
        body: { events: ['AssessmentChanged'] },
      });
      const book = await gradeBook(as.teacher, changed.response.body.position);
      // (18 × 1 + 8 × 3) / 4 = 10.5
      expect(studentOf(book, 'b1').average).toMatchObject({ value: 10.5, display: 10.5 });
      expect(book.assessments[1]).toMatchObject({ assessmentId: 'b', coefficient: 3, counted: true });
    });

    it('leaves a formative assessment out of the average', async () => {
      await givenTwoGraded();
      const changed = await spec
        .when(patch({ formative: true, reason: 'évaluation diagnostique' }))
        .then({ status: 200, body: { events: ['AssessmentChanged'] } });
      const book = await gradeBook(as.teacher, changed.response.body.position);
      expect(studentOf(book, 'b1').average).toMatchObject({
        display: 18,
        assessmentIds: ['a'],
        excluded: [{ gradeId: 'b/b1', assessmentId: 'b', reason: 'formative' }],
      });
      expect(book.assessments[1]).toMatchObject({ assessmentId: 'b', formative: true, counted: false });
    });

    it('keeps a cancelled assessment in the grade book, excluded with the reason cancelled', async () => {
      await givenTwoGraded();
      const reason = 'sujet distribué la veille';
      const cancelled = await spec
        .when((http) => http.post(`${base}/b/cancel`).set('Authorization', as.teacher).send({ reason }))
        .then({
          status: 200,
          body: { events: ['AssessmentCancelled'] },
          newEvents: [
            assessmentStream('b', {
              type: 'AssessmentCancelled',
              data: { ...keysOf('b', '2026-10-09'), reason, studentIds: ['b1'], cancelledBy: TEACHER_01 },
            }),
          ],
        });
      const book = await gradeBook(as.teacher, cancelled.response.body.position);
      expect(studentOf(book, 'b1').average).toMatchObject({
        display: 18,
        assessmentIds: ['a'],
        excluded: [{ gradeId: 'b/b1', assessmentId: 'b', reason: 'cancelled' }],
      });
      expect(book.assessments[1]).toMatchObject({ assessmentId: 'b', cancelled: true, counted: false });
    });
  });

  describe('who reads and who writes', () => {
    const given = () =>
      spec.given(
        schoolStreams(),
        assessmentStream('a', assessmentCreated('a'), gradesRecorded('a', { b1: 18, b2: 11 })),
      );
    const reads = [
      `${school}/grade-books/5B/MATHS/T1`,
      `${school}/students/b1/grades?periodId=T1`,
      `${school}/classes/5B/results?periodId=T1`,
      `${base}/a`,
    ];
    const writes: [string, string, object][] = [
      [
        'post',
        base,
        { assessmentId: 'x', classId: '5B', subjectId: 'MATHS', date: '2026-10-02', title: 'Intrus' },
      ],
      ['patch', `${base}/a`, { title: 'Autre titre' }],
      ['post', `${base}/a/cancel`, { reason: 'par erreur' }],
      ['post', `${base}/a/grades`, { grades: [{ studentId: 'b3', value: 10 }] }],
      ['post', `${base}/a/grades/b1/correction`, { value: 17, reason: 'erreur de saisie' }],
      ['post', `${base}/a/levels`, { levels: [] }],
      ['post', `${base}/a/levels/b1/MAT-RAIS/correction`, { value: 2, reason: 'erreur' }],
      ['put', `${school}/reports/5B/MATHS/T1/students/b1/positioning`, { positioning: 3 }],
      ['put', `${school}/reports/5B/MATHS/T1/students/b1/appreciation`, { text: 'Bien.' }],
    ];
    const write = (token: string, [method, path, body]: [string, string, object]) =>
      (spec.http() as unknown as Record<string, (p: string) => import('supertest').Test>)
        [method](path)
        .set('Authorization', token)
        .send(body);

    it.each([
      ['cpe', 'AUTH.ROLE_FORBIDDEN'],
      ['auditor', 'AUTH.READ_ONLY_ROLE'],
    ] as const)(
      'lets the %s read the grade book, a student’s grades, the class results and an assessment, and refuses every write (403 %s)',
      async (role, code) => {
        await given();
        for (const path of reads) await spec.http().get(path).set('Authorization', as[role]).expect(200);
        for (const request of writes) {
          const answer = await write(as[role], request);
          expect([request[0], request[1], answer.status, answer.body.code]).toEqual([
            request[0],
            request[1],
            403,
            code,
          ]);
        }
        await spec.when(() => write(as[role], writes[3])).then({ status: 403, newEvents: [] });
      },
    );

    it('refuses the admin every read and every write (403): grades are the teaching staff’s', async () => {
      await given();
      for (const path of reads) {
        const answer = await spec.http().get(path).set('Authorization', as.admin);
        expect([path, answer.status, answer.body.code]).toEqual([path, 403, 'AUTH.ROLE_FORBIDDEN']);
      }
      for (const request of writes) {
        const answer = await write(as.admin, request);
        expect([request[1], answer.status]).toEqual([request[1], 403]);
      }
    });

    it('lets the principal create an assessment for any class in a teacher’s name, and correct its grades', async () => {
      await given();
      await spec
        .when((http) =>
          http.post(base).set('Authorization', as.principal).send({
            assessmentId: 'p1',
            classId: '5A',
            subjectId: 'MATHS',
            date: '2026-10-06',
            title: 'Devoir commun',
            teacherId: 'T9',
          }),
        )
        .then({
          status: 200,
          newEvents: [
            assessmentStream('p1', {
              type: 'AssessmentCreated',
              data: {
                ...keysOf('p1', '2026-10-06', { classId: '5A' }),
                title: 'Devoir commun',
                outOf: 20,
                coefficient: 1,
                formative: false,
                teacherId: 'T9',
                competencyItems: [],
                createdBy: PRINCIPAL_01,
              },
            }),
          ],
        });
      const reason = 'copie recorrigée en commission';
      await spec
        .when((http) =>
          http
            .post(`${base}/a/grades/b2/correction`)
            .set('Authorization', as.principal)
            .send({ value: 13, reason }),
        )
        .then({
          status: 200,
          newEvents: [
            assessmentStream('a', {
              type: 'GradeCorrected',
              data: {
                ...keysOf('a'),
                studentId: 'b2',
                previous: 11,
                value: 13,
                reason,
                correctedBy: PRINCIPAL_01,
              },
            }),
          ],
        });
    });

    it('lets a teacher read only their classes: another class, or a student of another class, is 403', async () => {
      await given();
      await spec.http().get(`${school}/grade-books/5B/MATHS/T1`).set('Authorization', as.teacher).expect(200);
      await spec
        .http()
        .get(`${school}/students/b1/grades?periodId=T1`)
        .set('Authorization', as.teacher)
        .expect(200);
      const otherClass = await spec
        .http()
        .get(`${school}/grade-books/5A/MATHS/T1`)
        .set('Authorization', as.teacher);
      expect([otherClass.status, otherClass.body.code]).toEqual([403, 'AUTH.CLASS_FORBIDDEN']);
      const results = await spec
        .http()
        .get(`${school}/classes/5A/results?periodId=T1`)
        .set('Authorization', as.teacher);
      expect([results.status, results.body.code]).toEqual([403, 'AUTH.CLASS_FORBIDDEN']);
      const otherStudent = await spec
        .http()
        .get(`${school}/students/a1/grades?periodId=T1`)
        .set('Authorization', as.teacher);
      expect([otherStudent.status, otherStudent.body]).toEqual([
        403,
        expect.objectContaining({
          code: 'AUTH.STUDENT_FORBIDDEN',
          message: 'teacher teacher-01 teaches no class or group of student a1',
        }),
      ]);
    });
  });

  it('shows a student moved from 5A to 5B mid-T1 as moved in 5B’s grade book with the 5A grades, and in 5B’s council only', async () => {
    await spec.given(
      schoolStreams(),
      { stream: studentStreamId(SCHOOL, 'a3'), events: [moved('5A', '5B', '2026-10-19', 'a3')] },
      assessmentStream(
        'in-5a',
        assessmentCreated('in-5a', { classId: '5A', date: '2026-10-05' }),
        gradesRecorded('in-5a', { a1: 12, a3: 14 }, '2026-10-05', { classId: '5A' }),
      ),
      assessmentStream(
        'in-5b',
        assessmentCreated('in-5b', { date: '2026-11-09' }),
        gradesRecorded('in-5b', { a3: 10, b1: 16 }, '2026-11-09'),
      ),
    );
    const book = await gradeBook(as.principal, '0');
    const a3 = book.students.find((s: { studentId: string }) => s.studentId === 'a3');
    expect(a3).toMatchObject({
      moved: [
        { classId: '5A', from: '2026-09-01', until: '2026-10-19' },
        { classId: '5B', from: '2026-10-19', until: null },
      ],
      grades: { 'in-5b': 10 },
      gradesElsewhere: [{ assessmentId: 'in-5a', classOrGroupId: '5A', value: 14 }],
      average: { display: 12, assessmentIds: ['in-5a', 'in-5b'] },
    });
    const in5B = await classResults(as.principal, '0', '5B');
    expect(in5B.students.map((s: { studentId: string }) => s.studentId)).toEqual([
      'a3',
      'b1',
      'b2',
      'b3',
      'b4',
      'b5',
      'b6',
    ]);
    const in5A = await classResults(as.principal, '0', '5A');
    expect(in5A.students.map((s: { studentId: string }) => s.studentId)).toEqual(['a1', 'a2']);
    expect(in5A.left).toEqual([expect.objectContaining({ studentId: 'a3' })]);
  });

  describe('settings, effective-dated', () => {
    const setting = async (key: string, value: unknown, effectiveFrom: string) => {
      const answer = await spec
        .http()
        .post(`${school}/settings`)
        .set('Authorization', as.principal)
        .send({ key, value, effectiveFrom });
      if (answer.status !== 201) throw new Error(`${key}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.position as string;
    };
    /** b1: 18/20, 3/10 and 1/5 in T1 and again in T2. */
    const threeGrades = (prefix: string, periodId: string, dates: [string, string, string]) =>
      (
        [
          ['a', 20, 18],
          ['b', 10, 3],
          ['c', 5, 1],
        ] as const
      ).map(([name, outOf, grade], i) =>
        assessmentStream(
          `${prefix}${name}`,
          assessmentCreated(`${prefix}${name}`, { outOf, date: dates[i], periodId }),
          gradesRecorded(`${prefix}${name}`, { b1: grade }, dates[i], { periodId }),
        ),
      );

    it('keeps T1 brought to twenty (9.33) and weights T2 by scale (12.57) after a change effective 2026-12-01', async () => {
      await spec.given(
        schoolStreams(),
        threeGrades('t1', 'T1', ['2026-10-02', '2026-10-09', '2026-10-16']),
        threeGrades('t2', 'T2', ['2026-12-02', '2026-12-03', '2026-12-04']),
      );
      const position = await setting('averageConvention', 'weighted-by-scale', '2026-12-01');
      const t1 = await classResults(as.principal, position, '5B', 'T1');
      expect(t1.settings).toMatchObject({ averageConvention: 'brought-to-twenty' });
      expect(t1.students[0].subjects).toEqual([
        expect.objectContaining({ subjectId: 'MATHS', average: expect.objectContaining({ display: 9.33 }) }),
      ]);
      const t2 = await classResults(as.principal, position, '5B', 'T2');
      expect(t2.settings).toMatchObject({ averageConvention: 'weighted-by-scale' });
      // (18 + 3 + 1) / (20 + 10 + 5) × 20 = 12.571…
      expect(t2.students[0].subjects).toEqual([
        expect.objectContaining({ subjectId: 'MATHS', average: expect.objectContaining({ display: 12.57 }) }),
      ]);
    });

    it('weights maths 3 in the general average of a 5e class once subjectCoefficients says so', async () => {
      await spec.given(
        schoolStreams(),
        assessmentStream('m', assessmentCreated('m'), gradesRecorded('m', { b1: 18 })),
        assessmentStream(
          'f',
          assessmentCreated('f', { subjectId: 'FRANCAIS' }),
          gradesRecorded('f', { b1: 8 }, undefined, { subjectId: 'FRANCAIS' }),
        ),
      );
      const before = await classResults(as.principal, '0');
      expect(before.students[0].general).toMatchObject({ display: 13 });
      const position = await setting('subjectCoefficients', { '5e': { MATHS: 3 } }, '2026-09-01');
      const after = await classResults(as.principal, position);
      // (18 × 3 + 8 × 1) / 4 = 15.5
      expect(after.students[0].general).toMatchObject({ display: 15.5 });
      expect(after.settings).toMatchObject({ subjectCoefficients: { MATHS: 3 } });
    });

    it('rounds up to the half point in display only', async () => {
      await spec.given(schoolStreams(), threeGrades('t1', 'T1', ['2026-10-02', '2026-10-09', '2026-10-16']));
      const position = await setting('gradeRounding', { mode: 'up', step: 0.5 }, '2026-09-01');
      const book = await gradeBook(as.teacher, position);
      const average = studentOf(book, 'b1').average as unknown as { value: number; display: number };
      expect(average.display).toBe(9.5);
      expect(average.value).toBeCloseTo(9.3333, 4);
    });
  });

  describe('the command headers', () => {
    it('refuses an Idempotency-Key reused with another body (422) and writes nothing', async () => {
      await spec.given(schoolStreams(), assessmentStream('a', assessmentCreated('a')));
      const send = (grades: object[]) => () =>
        spec
          .http()
          .post(`${base}/a/grades`)
          .set('Authorization', as.teacher)
          .set('Idempotency-Key', 'grades-a')
          .send({ grades });
      await spec.when(send([{ studentId: 'b1', value: 12 }])).then({ status: 200 });
      await spec.when(send([{ studentId: 'b1', value: 13 }])).then({
        status: 422,
        body: {
          code: 'IDEMPOTENCY.KEY_REUSED',
          details: { field: 'Idempotency-Key', idempotencyKey: 'grades-a' },
        },
        newEvents: [],
      });
    });

    it('refuses an If-Match with a stale revision (409) naming the current one', async () => {
      await spec.given(
        schoolStreams(),
        assessmentStream('a', assessmentCreated('a'), gradesRecorded('a', { b1: 12 })),
      );
      await spec
        .when((http) =>
          http
            .post(`${base}/a/grades/b1/correction`)
            .set('Authorization', as.teacher)
            .set('If-Match', '"0"')
            .send({ value: 13, reason: 'erreur de saisie' }),
        )
        .then({
          status: 409,
          body: {
            code: 'STORE.WRONG_EXPECTED_REVISION',
            details: { expectedRevision: '0', currentRevision: 1 },
          },
          newEvents: [],
        });
      await spec
        .when((http) =>
          http
            .post(`${base}/a/grades/b1/correction`)
            .set('Authorization', as.teacher)
            .set('If-Match', '"1"')
            .send({ value: 13, reason: 'erreur de saisie' }),
        )
        .then({ status: 200, body: { events: ['GradeCorrected'], revision: 2 } });
    });
  });
});
