import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli';
import { apiSpec, GivenStream } from '../../support/api-spec';
import { SCHOOL, TEST_SECRET, testClock } from '../../support/http';
import {
  assessmentCreated,
  assessmentStream,
  gradesRecorded,
  schoolStreams,
  Tokens,
  tokensFor,
} from '../assessment/assessment-school';

const grades: GivenStream[] = [
  assessmentStream(
    'c1',
    assessmentCreated('c1'),
    gradesRecorded('c1', { b1: 18, b2: 12, b3: 7.25, b4: 10, b5: 'ABS', b6: 14 }),
  ),
  assessmentStream(
    'c2',
    assessmentCreated('c2', { date: '2026-11-05', coefficient: 2 }),
    gradesRecorded('c2', { b1: 15, b2: 9, b4: 10, b5: 11, b6: 14 }, '2026-11-05'),
  ),
];

/** c1 counted 3, not 1; b3's c2 paper (8/20) was left out. */
const campaign = {
  reason: 'contrôle c1 de coefficient 3, copie de b3 oubliée',
  correlationId: 'campaign-maths-5B',
  operations: [
    { method: 'PATCH', path: `/schools/${SCHOOL}/assessments/c1`, body: { coefficient: 3 } },
    { method: 'POST', path: `/schools/${SCHOOL}/assessments/c2/grades/b3/correction`, body: { value: 8 } },
  ],
};

type Student = { studentId: string; views: string[]; figures: { text: string }[] };
const textsOf = (students: Student[]) =>
  Object.fromEntries(students.map((s) => [s.studentId, s.figures.map((f) => f.text)]));

describe('correction campaigns (issue 13)', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });
  const school = `/schools/${SCHOOL}`;
  const post = (path: string, body: object, token = as.principal) =>
    spec.http().post(`${school}${path}`).set('Authorization', token).send(body);

  it('lists in a dry run exactly the figures its commit then changes, and its revert restores every one', async () => {
    await spec.given([...schoolStreams(), ...grades]);
    const head = await spec.store.headPosition();

    const dry = await post('/campaigns', { ...campaign, dryRun: true });
    expect(dry.status).toBe(200);
    expect(await spec.store.headPosition()).toBe(head);
    expect(dry.body.refused).toEqual([]);
    expect(dry.body.events).toEqual([
      { streamId: `assessment-${SCHOOL}-c1`, type: 'AssessmentChanged' },
      { streamId: `assessment-${SCHOOL}-c2`, type: 'GradeCorrected' },
    ]);
    const expected = {
      // (18 × 3 + 15 × 2) / 5 = 16.8, was (18 + 30) / 3 = 16
      b1: ['MATHS average T1: 16 → 16.8', 'general average T1: 16 → 16.8'],
      // (12 × 3 + 9 × 2) / 5 = 10.8
      b2: ['MATHS average T1: 10 → 10.8', 'general average T1: 10 → 10.8'],
      // (7.25 × 3 + 8 × 2) / 5 = 7.55
      b3: ['MATHS average T1: 7.25 → 7.55', 'general average T1: 7.25 → 7.55'],
      // b4: 10 and 10, b6: 14 and 14, b5: ABS in c1: unchanged
    };
    expect(textsOf(dry.body.students)).toEqual(expected);
    expect(dry.body.students[0].views).toEqual([
      'class results',
      'council',
      'grade book',
      'grades',
      'report card',
    ]);

    const commit = await post('/campaigns', campaign);
    expect(commit.status).toBe(200);
    expect(commit.body.students).toEqual(dry.body.students);
    const appended = (await spec.store.readAll({ after: head })).map((e) => [
      e.type,
      e.metadata.correlationId,
      e.metadata.reason,
    ]);
    expect(appended).toEqual([
      ['AssessmentChanged', 'campaign-maths-5B', 'contrôle c1 de coefficient 3, copie de b3 oubliée'],
      ['GradeCorrected', 'campaign-maths-5B', 'contrôle c1 de coefficient 3, copie de b3 oubliée'],
    ]);
    const book = await spec
      .http()
      .get(`${school}/grade-books/5B/MATHS/T1?minPosition=${commit.body.position}`)
      .set('Authorization', as.principal);
    const b3 = book.body.students.find((s: { studentId: string }) => s.studentId === 'b3');
    expect(b3.average.value).toBe(7.55);

    const revertDry = await post('/campaigns/campaign-maths-5B/revert', {
      reason: 'campagne annulée',
      dryRun: true,
    });
    expect(revertDry.status).toBe(200);
    expect(textsOf(revertDry.body.students)).toEqual({
      b1: ['MATHS average T1: 16.8 → 16', 'general average T1: 16.8 → 16'],
      b2: ['MATHS average T1: 10.8 → 10', 'general average T1: 10.8 → 10'],
      b3: ['MATHS average T1: 7.55 → 7.25', 'general average T1: 7.55 → 7.25'],
    });
    const reverted = await post('/campaigns/campaign-maths-5B/revert', { reason: 'campagne annulée' });
    expect(reverted.status).toBe(200);
    expect(reverted.body).toMatchObject({
      correlationId: 'revert.campaign-maths-5B',
      refused: [],
      notUndone: [],
    });
    expect(reverted.body.students).toEqual(revertDry.body.students);
    const after = await spec
      .http()
      .get(`${school}/grade-books/5B/MATHS/T1?minPosition=${reverted.body.position}`)
      .set('Authorization', as.principal);
    const averages = Object.fromEntries(
      after.body.students.map((s: { studentId: string; average: { value: number } }) => [
        s.studentId,
        s.average.value,
      ]),
    );
    expect(averages).toEqual({ b1: 16, b2: 10, b3: 7.25, b4: 10, b5: 11, b6: 14 });
  });

  it('reports the operations a route refused, the others standing; refuses a teacher, an auditor, and a route of another school', async () => {
    await spec.given([...schoolStreams(), ...grades]);
    const partly = await post('/campaigns', {
      reason: 'notes corrigées',
      operations: [
        { method: 'POST', path: `${school}/assessments/c2/grades/b3/correction`, body: { value: 8 } },
        { method: 'POST', path: `${school}/assessments/c2/grades/b3/correction`, body: { value: 25 } },
      ],
    });
    expect(partly.status).toBe(200);
    expect(partly.body.refused).toEqual([1]);
    expect(partly.body.operations[1]).toMatchObject({ status: 400, accepted: false });
    expect(partly.body.events).toEqual([
      expect.objectContaining({ streamId: `assessment-${SCHOOL}-c2`, type: 'GradeCorrected' }),
    ]);

    expect((await post('/campaigns', campaign, as.teacher)).status).toBe(403);
    expect((await post('/campaigns', campaign, as.auditor)).status).toBe(403);
    const elsewhere = await post('/campaigns', {
      ...campaign,
      operations: [{ method: 'PATCH', path: '/schools/0750001A/assessments/c1', body: { coefficient: 3 } }],
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.details).toMatchObject({ field: 'operations.0.path', rule: 'isRouteOfSchool' });
  });

  it('registre campaign run --dry-run and run, then revert, against the running service', async () => {
    await spec.given([...schoolStreams(), ...grades]);
    await spec.app.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = spec.app.app.getHttpServer().address() as AddressInfo;
    const file = join(spec.app.dir, 'campaign.json');
    writeFileSync(file, JSON.stringify(campaign));
    const cli = async (...args: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(['node', 'registre', 'campaign', ...args], {
        env: {
          REGISTRE_DB_PATH: join(spec.app.dir, 'unused', 'registre.db'),
          REGISTRE_JWT_SECRET: TEST_SECRET,
          REGISTRE_URL: `http://127.0.0.1:${port}`,
        },
        out: (text) => void (out += text),
        err: (text) => void (err += text),
        clock: testClock,
      });
      return { code, err, answer: out === '' ? undefined : (JSON.parse(out) as Record<string, unknown>) };
    };
    const head = await spec.store.headPosition();
    const dry = await cli('run', '--school', SCHOOL, '--file', file, '--dry-run');
    expect({ code: dry.code, err: dry.err }).toEqual({ code: 0, err: '' });
    expect(dry.answer).toMatchObject({ dryRun: true, correlationId: 'campaign-maths-5B', refused: [] });
    expect(await spec.store.headPosition()).toBe(head);
    const run = await cli('run', '--school', SCHOOL, '--file', file);
    expect(run.code).toBe(0);
    expect((run.answer as { students: unknown }).students).toEqual(
      (dry.answer as { students: unknown }).students,
    );
    const reverted = await cli('revert', 'campaign-maths-5B', '--school', SCHOOL, '--reason', 'annulée');
    expect(reverted.code).toBe(0);
    expect(reverted.answer).toMatchObject({ correlationId: 'revert.campaign-maths-5B', refused: [] });
    const events = (await spec.store.readAll({ after: head })).map((e) => [e.type, e.metadata.actor.id]);
    expect(events).toEqual([
      ['AssessmentChanged', `cli:${userInfo().username}`],
      ['GradeCorrected', `cli:${userInfo().username}`],
      ['GradeCorrected', `cli:${userInfo().username}`],
      ['AssessmentChanged', `cli:${userInfo().username}`],
    ]);
  });
});
