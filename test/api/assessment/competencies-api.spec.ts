import { apiSpec } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';
import { schoolStreams, TEACHER_01, Tokens, tokensFor } from './assessment-school';

/**
 * Competency levels over HTTP: the school's catalogue, an assessment evaluating its items, levels
 * recorded for the class and one corrected, the engine's suggested positioning beside the teacher's
 * final one, and the subject appreciation.
 */
describe('competency levels, positionings and appreciations over HTTP', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  const school = `/schools/${SCHOOL}`;
  const base = `${school}/assessments`;
  const send = (method: 'post' | 'put' | 'delete', token: string, path: string, body: object) =>
    spec.http()[method](`${school}${path}`).set('Authorization', token).send(body);
  const ok = async (method: 'post' | 'put' | 'delete', token: string, path: string, body: object) => {
    const response = await send(method, token, path, body);
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  };

  /** MAT-RAIS, MAT-CALC, MAT-CHER for maths; FR-LIRE for French; MAT-OLD retired. */
  const givenCatalogue = async () => {
    await spec.given(schoolStreams());
    await ok('post', as.principal, '/subjects', { subjectId: 'FRANCAIS', label: 'Français' });
    const items = [
      { itemId: 'MAT-RAIS', subjectId: 'MATHS', label: 'Raisonner', socleComponent: 'REP_MND' },
      { itemId: 'MAT-CALC', subjectId: 'MATHS', label: 'Calculer', socleComponent: 'CPD_SCI' },
      { itemId: 'MAT-CHER', subjectId: 'MATHS', label: 'Chercher', socleComponent: 'MET_APP' },
      { itemId: 'MAT-OLD', subjectId: 'MATHS', label: 'Ancien item' },
      { itemId: 'FR-LIRE', subjectId: 'FRANCAIS', label: 'Lire' },
    ];
    for (const { itemId, ...item } of items)
      await ok('put', as.principal, `/competency-items/${itemId}`, item);
    const retired = await ok('delete', as.principal, '/competency-items/MAT-OLD', {});
    // Read your writes: the catalogue the next commands resolve items against includes them all.
    // (Without it, a create sent while the structure view lags can be refused: see the report.)
    await spec
      .http()
      .get(`${school}/competency-items?minPosition=${retired.body.position}`)
      .set('Authorization', as.principal)
      .expect(200);
    return retired.body.position as string;
  };

  const create = (competencyItemIds: string[]) =>
    send('post', as.teacher, '/assessments', {
      assessmentId: 'eval-1',
      classId: '5B',
      subjectId: 'MATHS',
      date: '2026-10-05',
      title: 'Évaluation par compétences',
      competencyItemIds,
    });

  it('lists the catalogue, and refuses an unknown, a retired or another subject’s item naming competencyItemIds.N', async () => {
    const position = await givenCatalogue();
    const catalogue = await spec
      .http()
      .get(`${school}/competency-items?subjectId=MATHS&minPosition=${position}`)
      .set('Authorization', as.teacher)
      .expect(200);
    expect(catalogue.body.map((i: { itemId: string; retired: boolean }) => [i.itemId, i.retired])).toEqual([
      ['MAT-CALC', false],
      ['MAT-CHER', false],
      ['MAT-OLD', true],
      ['MAT-RAIS', false],
    ]);

    await spec
      .when(() => create(['MAT-RAIS', 'MAT-NOPE']))
      .then({
        status: 400,
        body: {
          code: 'ASSESSMENT.ITEM_UNKNOWN',
          message: 'the school has no competency item MAT-NOPE',
          details: { field: 'competencyItemIds.1', itemId: 'MAT-NOPE' },
        },
        newEvents: [],
      });
    await spec
      .when(() => create(['MAT-OLD']))
      .then({
        status: 400,
        body: {
          code: 'ASSESSMENT.ITEM_UNKNOWN',
          message: 'competency item MAT-OLD was retired',
          details: { field: 'competencyItemIds.0', itemId: 'MAT-OLD' },
        },
        newEvents: [],
      });
    await spec
      .when(() => create(['MAT-RAIS', 'MAT-CALC', 'FR-LIRE']))
      .then({
        status: 400,
        body: {
          code: 'ASSESSMENT.ITEM_UNKNOWN',
          message: 'competency item FR-LIRE belongs to FRANCAIS, not MATHS',
          details: { field: 'competencyItemIds.2', itemId: 'FR-LIRE' },
        },
        newEvents: [],
      });
  });

  it('records the class’s levels in one event, corrects one with a reason, suggests 4 for [4, 4, 3] and keeps the teacher’s final 3 beside it', async () => {
    await givenCatalogue();
    await spec
      .when(() => create(['MAT-RAIS', 'MAT-CALC', 'MAT-CHER']))
      .then({
        status: 200,
        body: { events: ['AssessmentCreated'], unchanged: false },
      });
    const keys = {
      assessmentId: 'eval-1',
      classOrGroupId: '5B',
      groupKind: 'class',
      subjectId: 'MATHS',
      periodId: 'T1',
      date: '2026-10-05',
    };
    const levels = [
      { studentId: 'b1', itemId: 'MAT-RAIS', value: 4 },
      { studentId: 'b1', itemId: 'MAT-CALC', value: 4 },
      { studentId: 'b1', itemId: 'MAT-CHER', value: 3 },
      { studentId: 'b2', itemId: 'MAT-RAIS', value: 1 },
      { studentId: 'b2', itemId: 'MAT-CALC', value: 'ABS' },
    ];
    await spec
      .when((http) => http.post(`${base}/eval-1/levels`).set('Authorization', as.teacher).send({ levels }))
      .then({ status: 200, body: { events: ['LevelsRecorded'] } });
    const reason = 'niveau saisi sur la mauvaise ligne';
    const corrected = await spec
      .when((http) =>
        http
          .post(`${base}/eval-1/levels/b2/MAT-RAIS/correction`)
          .set('Authorization', as.teacher)
          .send({ value: 2, reason }),
      )
      .then({
        status: 200,
        body: { events: ['LevelCorrected'] },
        newEvents: [
          {
            stream: `assessment-${SCHOOL}-eval-1`,
            events: [
              {
                type: 'LevelCorrected',
                data: {
                  ...keys,
                  studentId: 'b2',
                  itemId: 'MAT-RAIS',
                  previous: 1,
                  value: 2,
                  reason,
                  correctedBy: TEACHER_01,
                },
              },
            ],
          },
        ],
      });
    expect(corrected.newEvents[0].metadata).toMatchObject({ reason });

    const positioning = `${school}/reports/5B/MATHS/T1/students/b1/positioning`;
    const set = await spec
      .when((http) => http.put(positioning).set('Authorization', as.teacher).send({ positioning: 3 }))
      .then({ status: 200, body: { events: ['PositioningSet'] } });

    const book = await spec
      .http()
      .get(`${school}/grade-books/5B/MATHS/T1?minPosition=${set.response.body.position}`)
      .set('Authorization', as.teacher)
      .expect(200);
    expect(book.body.assessments).toEqual([
      expect.objectContaining({
        assessmentId: 'eval-1',
        competencyItems: [
          { itemId: 'MAT-RAIS', label: 'Raisonner', socleComponent: 'REP_MND' },
          { itemId: 'MAT-CALC', label: 'Calculer', socleComponent: 'CPD_SCI' },
          { itemId: 'MAT-CHER', label: 'Chercher', socleComponent: 'MET_APP' },
        ],
      }),
    ]);
    const inBook = (studentId: string) =>
      book.body.students.find((s: { studentId: string }) => s.studentId === studentId);
    const positioned = {
      // 50, 50 and 40 points (levels 4, 4, 3): 46.67, nearest to level 4's 50.
      suggested: {
        mode: 'all',
        level: 4,
        levelIds: ['eval-1/MAT-CALC/b1', 'eval-1/MAT-CHER/b1', 'eval-1/MAT-RAIS/b1'],
        assessmentIds: ['eval-1'],
      },
      final: 3,
    };
    expect(inBook('b1').positioning).toMatchObject({ ...positioned, shown: 3 });

    const student = await spec
      .http()
      .get(`${school}/students/b1/grades?periodId=T1&minPosition=${set.response.body.position}`)
      .set('Authorization', as.teacher)
      .expect(200);
    expect(student.body.subjects).toMatchObject([
      { subjectId: 'MATHS', positioning: { ...positioned, shown: 3 } },
    ]);
    expect(student.body.subjects[0].assessments[0].levels).toEqual({
      'MAT-RAIS': 4,
      'MAT-CALC': 4,
      'MAT-CHER': 3,
    });

    const read = await spec
      .http()
      .get(`${base}/eval-1?minPosition=${set.response.body.position}`)
      .set('Authorization', as.auditor)
      .expect(200);
    expect(read.body.levels).toEqual({
      'MAT-RAIS': { b1: 4, b2: 2 },
      'MAT-CALC': { b1: 4, b2: 'ABS' },
      'MAT-CHER': { b1: 3 },
    });
    expect(read.body.corrections).toEqual([
      expect.objectContaining({ studentId: 'b2', itemId: 'MAT-RAIS', previous: 1, value: 2, reason }),
    ]);
  });

  it('keeps an appreciation of 600 characters and refuses 601 naming text', async () => {
    await spec.given(schoolStreams());
    const path = `${school}/reports/5B/MATHS/T1/students/b1/appreciation`;
    const text = 'Travail sérieux. '.repeat(40).slice(0, 600);
    const kept = await spec
      .when((http) => http.put(path).set('Authorization', as.teacher).send({ text }))
      .then({ status: 200, body: { events: ['AppreciationWritten'] } });
    await spec
      .when((http) =>
        http
          .put(path)
          .set('Authorization', as.teacher)
          .send({ text: `${text}.` }),
      )
      .then({
        status: 400,
        body: {
          code: 'VALIDATION',
          details: [
            {
              field: 'text',
              rule: 'isLength',
              message: 'text must be shorter than or equal to 600 characters',
            },
          ],
        },
        newEvents: [],
      });
    const book = await spec
      .http()
      .get(`${school}/grade-books/5B/MATHS/T1?minPosition=${kept.response.body.position}`)
      .set('Authorization', as.principal)
      .expect(200);
    const b1 = book.body.students.find((s: { studentId: string }) => s.studentId === 'b1');
    expect(b1.appreciation).toBe(text);
    expect(b1.appreciation).toHaveLength(600);
  });
});
