import { apiSpec, GivenStream } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';
import {
  assessmentCreated,
  assessmentStream,
  gradesRecorded,
  schoolStreams,
  Tokens,
  tokensFor,
} from '../assessment/assessment-school';
import { rollCallStream, rollCallTakenOf } from '../attendance/attendance-school';

/** Everything given was recorded on 20 November; the app's clock then moves on to December. */
const NOVEMBER = '2026-11-20T10:00:00.000Z';
const recordedIn = (at: string, given: GivenStream | readonly GivenStream[]): GivenStream[] =>
  (Array.isArray(given) ? given : [given]).map((g: GivenStream) => ({ ...g, recordedAt: at }));

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

const absences: GivenStream[] = [
  rollCallStream(
    { date: '2026-10-05', slot: 'M2' },
    rollCallTakenOf({ date: '2026-10-05', slot: 'M2' }, { absent: ['b1'] }),
  ),
];

describe('views as they stood at a past moment (issue 13)', () => {
  // The app's clock stands at TEST_NOW, 7 December 2026 at 08:00 UTC: the correction is recorded then.
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  const school = `/schools/${SCHOOL}`;
  const given = () => spec.given(recordedIn(NOVEMBER, [...schoolStreams(), ...grades, ...absences]));

  /** b2's 12 in c1 was a 16: corrected by the principal on 7 December. */
  const correctB2 = () =>
    spec
      .http()
      .post(`${school}/assessments/c1/grades/b2/correction`)
      .set('Authorization', as.principal)
      .send({ value: 16, reason: 'copie mal reportée : 16 et non 12' });

  it('shows the council view as it stood before a grade correction, and the live view after it', async () => {
    await given();
    const corrected = await correctB2();
    expect(corrected.status).toBe(200);

    const before = await spec
      .http()
      .get(`${school}/as-of/councils/5B/T1?at=2026-11-25T00:00:00Z`)
      .set('Authorization', as.auditor);
    expect(before.status).toBe(200);
    expect(before.body.asOf).toEqual({ at: '2026-11-25T00:00:00.000Z', position: expect.any(String) });
    const b2Then = before.body.students.find((s: { studentId: string }) => s.studentId === 'b2');
    // (12 + 9 × 2) / 3 = 10
    expect(b2Then.subjects[0]).toMatchObject({ subjectId: 'MATHS', average: { value: 10 } });

    const now = await spec.http().get(`${school}/as-of/councils/5B/T1`).set('Authorization', as.auditor);
    const b2Now = now.body.students.find((s: { studentId: string }) => s.studentId === 'b2');
    // (16 + 9 × 2) / 3 = 11.333…
    expect(b2Now.subjects[0].average.value).toBeCloseTo(11.3333, 3);
    const live = await spec
      .http()
      .get(`${school}/councils/5B/T1?minPosition=${corrected.body.position}`)
      .set('Authorization', as.auditor);
    const b2Live = live.body.students.find((s: { studentId: string }) => s.studentId === 'b2');
    expect(b2Live.subjects[0].average).toEqual(b2Now.subjects[0].average);
    // The view now was extended from the fold of 25 November (the events since applied to it): it is
    // the live view, figure for figure.
    const { asOf: _asOf, ...extended } = now.body;
    expect(extended).toEqual(live.body);
  });

  it('lists what changed since a moment: each figure with its two values, and the correction with who and why', async () => {
    await given();
    await correctB2();
    const changes = await spec
      .http()
      .get(`${school}/as-of/councils/5B/T1/changes?since=2026-11-25T00:00:00Z`)
      .set('Authorization', as.auditor);
    expect(changes.status).toBe(200);
    const figures = changes.body.figures.map((f: { figure: string }) => f.figure);
    expect(figures).toContain('students[b2].subjects[MATHS].average.value');
    expect(
      changes.body.figures.find((f: { figure: string }) => f.figure === 'students[b2].general.value'),
    ).toMatchObject({
      before: 10,
    });
    expect(changes.body.events).toEqual([
      expect.objectContaining({
        type: 'GradeCorrected',
        streamId: `assessment-${SCHOOL}-c1`,
        actorRole: 'principal',
        recordedAt: '2026-12-07T08:00:00.000Z',
        reason: 'copie mal reportée : 16 et non 12',
        studentIds: ['b2'],
      }),
    ]);
  });

  it('shows a grade book and a ledger as they stood', async () => {
    await given();
    const corrected = await correctB2();
    const book = await spec
      .http()
      .get(`${school}/as-of/grade-books/5B/MATHS/T1?at=2026-11-25T00:00:00Z`)
      .set('Authorization', as.principal);
    expect(book.status).toBe(200);
    const b2 = book.body.students.find((s: { studentId: string }) => s.studentId === 'b2');
    expect(b2).toMatchObject({ grades: { c1: 12, c2: 9 }, corrections: [], average: { value: 10 } });
    const liveBook = await spec
      .http()
      .get(`${school}/grade-books/5B/MATHS/T1?minPosition=${corrected.body.position}`)
      .set('Authorization', as.principal);
    const b2Live = liveBook.body.students.find((s: { studentId: string }) => s.studentId === 'b2');
    expect(b2Live).toMatchObject({ grades: { c1: 16, c2: 9 } });
    const ledger = await spec
      .http()
      .get(`${school}/as-of/students/b1/attendance?at=2026-11-25T00:00:00Z&from=2026-10-01&to=2026-10-31`)
      .set('Authorization', as.cpe);
    expect(ledger.status).toBe(200);
    expect(ledger.body.asOf.at).toBe('2026-11-25T00:00:00.000Z');
    expect(ledger.body.totals).toMatchObject({ halfDaysAbsent: 1, unjustifiedHalfDays: 1 });
  });

  it('shows nothing of the school before its first event, refuses an instant still to come and a teacher', async () => {
    await given();
    const early = await spec
      .http()
      .get(`${school}/as-of/councils/5B/T1?at=2026-11-01T00:00:00Z`)
      .set('Authorization', as.auditor);
    expect(early.status).toBe(404);
    const future = await spec
      .http()
      .get(`${school}/as-of/councils/5B/T1?at=2027-01-01T00:00:00Z`)
      .set('Authorization', as.auditor);
    expect(future.status).toBe(400);
    expect(future.body.details.errors[0]).toMatchObject({ field: 'at', rule: 'isPast' });
    const malformed = await spec
      .http()
      .get(`${school}/as-of/councils/5B/T1?at=yesterday`)
      .set('Authorization', as.auditor);
    expect(malformed.status).toBe(400);
    const teacher = await spec.http().get(`${school}/as-of/councils/5B/T1`).set('Authorization', as.teacher);
    expect(teacher.status).toBe(403);
  });

  it('says in the trail what each correction changed in the figures, before and after it', async () => {
    await given();
    await correctB2();
    const received = await spec
      .http()
      .post(`${school}/students/b1/justifications`)
      .set('Authorization', as.cpe)
      .send({
        from: { date: '2026-10-05', halfDay: 'AM' },
        to: { date: '2026-10-05', halfDay: 'AM' },
        reasonCode: 'MALADIE',
        source: 'family',
      });
    expect(received.status).toBe(200);
    const accepted = await spec
      .http()
      .post(`${school}/students/b1/justifications/${received.body.justificationId}/accept`)
      .set('Authorization', as.cpe)
      .send({});
    expect(accepted.status).toBe(200);

    const b2 = await spec
      .http()
      .get(`${school}/audit?studentId=b2&correctionsOnly=true&minPosition=${accepted.body.position}`)
      .set('Authorization', as.auditor);
    expect(b2.status).toBe(200);
    expect(b2.body.entries).toHaveLength(1);
    expect(b2.body.entries[0]).toMatchObject({
      type: 'GradeCorrected',
      actorRole: 'principal',
      reason: 'copie mal reportée : 16 et non 12',
    });
    const texts = b2.body.entries[0].effects.map((e: { text: string }) => e.text);
    expect(texts).toEqual(['MATHS average T1: 10 → 11.33', 'general average T1: 10 → 11.33']);

    const b1 = await spec
      .http()
      .get(`${school}/audit?studentId=b1&category=attendance`)
      .set('Authorization', as.auditor);
    expect(b1.body.entries.map((e: { type: string }) => e.type)).toEqual([
      'JustificationReceived',
      'JustificationAccepted',
    ]);
    expect(b1.body.entries[1].effects.map((e: { text: string }) => e.text)).toEqual([
      'justified half-days, 2026-10: 0 → 1',
      'unjustified half-days, 2026-10: 1 → 0',
    ]);

    const csv = await spec
      .http()
      .get(`${school}/audit?studentId=b1&category=attendance&format=csv`)
      .set('Authorization', as.auditor);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'position;recordedAt;type;streamId;actorId;actorRole;commandId;correlationId;reason;studentId;effect',
    );
    expect(lines.slice(1).map((line) => line.split(';').slice(-2).join(';'))).toEqual([
      ';',
      'b1;justified half-days, 2026-10: 0 → 1',
      'b1;unjustified half-days, 2026-10: 1 → 0',
    ]);
  });
});
