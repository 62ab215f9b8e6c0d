import { apiSpec } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';
import {
  assessmentCreated,
  assessmentStream,
  gradesRecorded,
  keysOf,
  schoolStreams,
  TEACHER_01,
  Tokens,
  tokensFor,
} from './assessment-school';

/** Every test starts from its own store: the school of attendance-school.ts (5A, 5B, MATHS) plus what it gives. */
describe('the assessment API', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  const base = `/schools/${SCHOOL}/assessments`;
  const post = (token: string, path: string, body: object, key?: string) => () => {
    const request = spec.http().post(`${base}${path}`).set('Authorization', token);
    return (key ? request.set('Idempotency-Key', key) : request).send(body);
  };
  const gradeBook = (token: string, minPosition = '0') =>
    spec
      .http()
      .get(`/schools/${SCHOOL}/grade-books/5B/MATHS/T1?minPosition=${minPosition}`)
      .set('Authorization', token);

  it("lets the class's teacher create an assessment and record the class's grades in one event; a resend writes nothing", async () => {
    await spec
      .given(schoolStreams())
      .when(
        post(as.teacher, '', {
          assessmentId: 'c1',
          classId: '5B',
          subjectId: 'MATHS',
          date: '2026-10-02',
          title: 'Contrôle c1',
        }),
      )
      .then({
        status: 200,
        body: { events: ['AssessmentCreated'], unchanged: false, streamId: `assessment-${SCHOOL}-c1` },
        newEvents: [assessmentStream('c1', assessmentCreated('c1'))],
      });
    const grades = [
      { studentId: 'b1', value: 18 },
      { studentId: 'b2', value: 'ABS' },
      { studentId: 'b3', value: 7.25 },
    ];
    const recorded = await spec.when(post(as.teacher, '/c1/grades', { grades }, 'grades-c1')).then({
      status: 200,
      body: { events: ['GradesRecorded'] },
      newEvents: [assessmentStream('c1', gradesRecorded('c1', { b1: 18, b2: 'ABS', b3: 7.25 }))],
    });
    await spec.when(post(as.teacher, '/c1/grades', { grades }, 'grades-c1')).then({
      status: 200,
      body: { deduplicated: true, events: [] },
      newEvents: [],
    });
    await spec.when(post(as.teacher, '/c1/grades', { grades }, 'another-key')).then({
      status: 200,
      body: { deduplicated: false, unchanged: true, events: [] },
      newEvents: [],
    });
    const book = await gradeBook(as.teacher, recorded.response.body.position).expect(200);
    expect(book.body.assessments).toEqual([
      expect.objectContaining({ assessmentId: 'c1', outOf: 20, coefficient: 1, counted: true }),
    ]);
    const b1 = book.body.students.find((s: { studentId: string }) => s.studentId === 'b1');
    expect(b1.grades).toEqual({ c1: 18 });
    expect(b1.average).toMatchObject({ value: 18, display: 18, gradeIds: ['c1/b1'], assessmentIds: ['c1'] });
    const b2 = book.body.students.find((s: { studentId: string }) => s.studentId === 'b2');
    expect(b2.average).toMatchObject({
      value: null,
      excluded: [{ gradeId: 'c1/b2', assessmentId: 'c1', reason: 'marker' }],
    });
    expect(book.body.statistics).toMatchObject({
      subjectId: 'MATHS',
      count: 2,
      average: 12.625,
      min: 7.25,
      max: 18,
    });
  });

  it('refuses a whole list with a grade above outOf, naming the student and the rule, and writes nothing', async () => {
    await spec
      .given(schoolStreams(), assessmentStream('c1', assessmentCreated('c1', { outOf: 10 })))
      .when(
        post(as.teacher, '/c1/grades', {
          grades: [
            { studentId: 'b1', value: 8 },
            { studentId: 'b2', value: 12 },
          ],
        }),
      )
      .then({
        status: 400,
        body: {
          code: 'ASSESSMENT.GRADES_INVALID',
          message: expect.stringContaining('b2'),
          details: {
            field: 'grades[1].value',
            faults: [{ field: 'grades[1].value', studentId: 'b2', rule: expect.stringContaining('10') }],
          },
        },
        newEvents: [],
      });
  });

  it("refuses a teacher on another teacher's class (403) and writes nothing", async () => {
    await spec
      .given(schoolStreams())
      .when(
        post(as.otherTeacher, '', {
          assessmentId: 'c9',
          classId: '5B',
          subjectId: 'MATHS',
          date: '2026-10-02',
          title: 'Intrus',
        }),
      )
      .then({ status: 403, body: { code: 'ASSESSMENT.NOT_CLASS_TEACHER' }, newEvents: [] });
    await spec
      .given(assessmentStream('c1', assessmentCreated('c1')))
      .when(post(as.otherTeacher, '/c1/grades', { grades: [{ studentId: 'b1', value: 8 }] }))
      .then({ status: 403, body: { code: 'ASSESSMENT.NOT_CLASS_TEACHER' }, newEvents: [] });
    await gradeBook(as.otherTeacher).expect(403);
  });

  it('refuses a student not enrolled in the class on the date, naming the student and the date', async () => {
    await spec
      .given(schoolStreams(), assessmentStream('c1', assessmentCreated('c1')))
      .when(
        post(as.teacher, '/c1/grades', {
          grades: [
            { studentId: 'b1', value: 8 },
            { studentId: 'a1', value: 12 },
          ],
        }),
      )
      .then({
        status: 409,
        body: {
          code: 'ASSESSMENT.STUDENT_NOT_ENROLLED',
          message: 'not enrolled in 5B on 2026-10-02: a1',
          details: { studentIds: ['a1'], date: '2026-10-02' },
        },
        newEvents: [],
      });
  });

  it('corrects a grade typed in the wrong column with two corrections under one correlation id', async () => {
    await spec.given(
      schoolStreams(),
      assessmentStream('c1', assessmentCreated('c1'), gradesRecorded('c1', { b1: 5, b2: 15 })),
    );
    const reason = 'notes inversées entre b1 et b2';
    const correct = (studentId: string, value: number) => () =>
      spec
        .http()
        .post(`${base}/c1/grades/${studentId}/correction`)
        .set('Authorization', as.teacher)
        .set('X-Correlation-Id', 'swap-c1')
        .send({ value, reason });
    const first = await spec.when(correct('b1', 15)).then({
      status: 200,
      newEvents: [
        assessmentStream('c1', {
          type: 'GradeCorrected',
          data: { ...keysOf('c1'), studentId: 'b1', previous: 5, value: 15, reason, correctedBy: TEACHER_01 },
        }),
      ],
    });
    const second = await spec.when(correct('b2', 5)).then({ status: 200 });
    expect(first.newEvents[0].metadata).toMatchObject({ correlationId: 'swap-c1', reason });
    expect(second.newEvents[0].metadata).toMatchObject({ correlationId: 'swap-c1', reason });
    const read = await spec
      .http()
      .get(`${base}/c1?minPosition=${second.response.body.position}`)
      .set('Authorization', as.auditor)
      .expect(200);
    expect(read.body.grades).toEqual({ b1: 15, b2: 5 });
    expect(read.body.corrections).toEqual([
      expect.objectContaining({
        studentId: 'b1',
        previous: 5,
        value: 15,
        correlationId: 'swap-c1',
        by: 'teacher-01',
      }),
      expect.objectContaining({
        studentId: 'b2',
        previous: 15,
        value: 5,
        correlationId: 'swap-c1',
        by: 'teacher-01',
      }),
    ]);
  });

  it('gives 9.33 brought back to 20 for 18/20, 3/10, 1/5, and a coefficient-0 assessment changes nothing', async () => {
    await spec.given(
      schoolStreams(),
      assessmentStream('a', assessmentCreated('a'), gradesRecorded('a', { b1: 18 })),
      assessmentStream('b', assessmentCreated('b', { outOf: 10 }), gradesRecorded('b', { b1: 3 })),
      assessmentStream('c', assessmentCreated('c', { outOf: 5 }), gradesRecorded('c', { b1: 1 })),
      assessmentStream('z', assessmentCreated('z', { coefficient: 0 }), gradesRecorded('z', { b1: 20 })),
    );
    const book = await gradeBook(as.principal).expect(200);
    const b1 = book.body.students.find((s: { studentId: string }) => s.studentId === 'b1');
    expect(b1.average).toMatchObject({ display: 9.33, assessmentIds: ['a', 'b', 'c'] });
    expect(b1.average.excluded).toEqual([{ gradeId: 'z/b1', assessmentId: 'z', reason: 'coefficientZero' }]);
  });
});
