import type { Response } from 'supertest';
import { apiSpec, GivenStream } from '../../support/api-spec';
import { ManualClock, TEST_NOW } from '../../support/clock';
import { SCHOOL } from '../../support/http';
import {
  assessmentCreated,
  assessmentStream,
  gradesRecorded,
  schoolStreams,
  Tokens,
  tokensFor,
} from '../assessment/assessment-school';

/**
 * Issue 13: each data-collection error of DOMAIN.md reproduced end to end through the API, then
 * corrected; the live view is right, the view as it stood between the error and its correction
 * still shows the error, and the trail names the correction and what it changed in the figures.
 * The app's clock moves a minute between the error and its correction; `between` is in the middle.
 */
const MINUTE = 60_000;
const between = new Date(new Date(TEST_NOW).getTime() + MINUTE / 2).toISOString();

describe('data-collection errors, corrected, as they stood, and in the trail (issue 13)', () => {
  const clock = new ManualClock();
  const spec = apiSpec({ clock });
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });
  beforeEach(() => {
    clock.set(TEST_NOW);
  });

  const school = `/schools/${SCHOOL}`;
  let last = '0';
  const ok = async (request: PromiseLike<Response>, status = 200): Promise<Response> => {
    const response = await request;
    if (response.status !== status) {
      const { method, url } = response.request as unknown as { method: string; url: string };
      throw new Error(`${method} ${url} answered ${response.status} ${JSON.stringify(response.body)}`);
    }
    const position: unknown = response.body?.position;
    if (typeof position === 'string') last = position;
    return response;
  };
  const post = (token: string, path: string, body: object = {}) =>
    spec.http().post(`${school}${path}`).set('Authorization', token).send(body);
  const get = (token: string, path: string) =>
    spec.http().get(`${school}${path}`).set('Authorization', token);
  const rollCall = (token: string, slot: string, absent: string[], extra: object = {}) =>
    ok(post(token, '/roll-calls', { classId: '5B', date: '2026-11-16', slot, absent, late: [], ...extra }));

  /** A student's November counts, live (read-your-writes) or as they stood at `at`. */
  const november = async (studentId: string, at?: string) => {
    const path =
      at === undefined
        ? `/students/${studentId}/attendance/counts?month=2026-11&minPosition=${last}`
        : `/as-of/students/${studentId}/attendance/counts?month=2026-11&at=${at}`;
    const body = (await ok(get(as.auditor, path))).body;
    return {
      absent: body.total.halfDaysAbsent as number,
      unjustified: body.total.unjustifiedHalfDays as number,
      alerts: (body.alerts as { status: string }[]).map((a) => a.status),
    };
  };
  /** The corrections of a student's trail, each with its effects in words. */
  const corrections = async (studentId: string) =>
    (
      await ok(get(as.auditor, `/audit?studentId=${studentId}&correctionsOnly=true&minPosition=${last}`))
    ).body.entries.map(
      (e: { type: string; actorRole: string; reason: string; effects: { text: string }[] }) => ({
        type: e.type,
        by: e.actorRole,
        reason: e.reason,
        effects: e.effects.map((f) => f.text),
      }),
    );

  it('1. a roll call sent twice: one roll call, counted once, then as now', async () => {
    await spec.given(schoolStreams());
    const send = () =>
      ok(
        post(as.teacher, '/roll-calls', {
          classId: '5B',
          date: '2026-11-16',
          slot: 'M1',
          absent: ['b1'],
          late: [],
        }).set('Idempotency-Key', 'tablet-42-m1'),
      );
    const first = await send();
    clock.advance(MINUTE);
    const again = await send();
    expect(again.body.position).toBe(first.body.position);
    expect(await november('b1')).toEqual({ absent: 1, unjustified: 1, alerts: [] });
    expect(await november('b1', between)).toEqual({ absent: 1, unjustified: 1, alerts: [] });
    const trail = await ok(
      get(as.auditor, `/audit?stream=rollcall-${SCHOOL}-5B-2026-11-16-M1&minPosition=${last}`),
    );
    expect(trail.body.entries.map((e: { type: string }) => e.type)).toEqual(['RollCallTaken']);
    expect(trail.body.entries[0].effects.map((e: { text: string }) => e.text)).toEqual([
      'half-days absent, 2026-11: 0 → 1',
      'unjustified half-days, 2026-11: 0 → 1',
    ]);
  });

  it('2. a roll call re-sent with defaults that wipe an absence: the amendment shows, is attributed, and is reverted', async () => {
    await spec.given(schoolStreams());
    await rollCall(as.teacher, 'M1', ['b1']);
    await rollCall(as.teacher, 'M1', []); // the tablet re-sent its defaults: nobody absent
    clock.advance(MINUTE);
    await ok(
      post(as.cpe, '/roll-calls/5B/2026-11-16/M1/revert', {
        reason: 'liste effacée par un renvoi de la tablette',
      }),
    );
    expect(await november('b1')).toEqual({ absent: 1, unjustified: 1, alerts: [] });
    expect(await november('b1', between)).toEqual({ absent: 0, unjustified: 0, alerts: [] });
    expect(await corrections('b1')).toEqual([
      {
        type: 'RollCallAmended',
        by: 'cpe',
        reason: 'liste effacée par un renvoi de la tablette',
        effects: ['half-days absent, 2026-11: 0 → 1', 'unjustified half-days, 2026-11: 0 → 1'],
      },
    ]);
  });

  it('3. an absence recorded for the wrong student: the right one recorded, counts and council view follow', async () => {
    await spec.given(schoolStreams());
    await rollCall(as.teacher, 'M1', ['b1']);
    clock.advance(MINUTE);
    await rollCall(as.cpe, 'M1', ['b2'], { reason: 'c’est b2 qui était absent, pas b1' });
    expect(await november('b1')).toEqual({ absent: 0, unjustified: 0, alerts: [] });
    expect(await november('b2')).toEqual({ absent: 1, unjustified: 1, alerts: [] });
    expect(await november('b1', between)).toEqual({ absent: 1, unjustified: 1, alerts: [] });
    expect(await november('b2', between)).toEqual({ absent: 0, unjustified: 0, alerts: [] });
    const schoolLife = (view: {
      students: { studentId: string; schoolLife: { unjustifiedHalfDays: number } }[];
    }) => Object.fromEntries(view.students.map((s) => [s.studentId, s.schoolLife.unjustifiedHalfDays]));
    const then = await ok(get(as.auditor, `/as-of/councils/5B/T1?at=${between}`));
    expect(schoolLife(then.body)).toMatchObject({ b1: 1, b2: 0 });
    const now = await ok(get(as.auditor, `/councils/5B/T1?minPosition=${last}`));
    expect(schoolLife(now.body)).toMatchObject({ b1: 0, b2: 1 });
    const reason = 'c’est b2 qui était absent, pas b1';
    expect(await corrections('b1')).toEqual([
      {
        type: 'RollCallAmended',
        by: 'cpe',
        reason,
        effects: ['half-days absent, 2026-11: 1 → 0', 'unjustified half-days, 2026-11: 1 → 0'],
      },
    ]);
    expect(await corrections('b2')).toEqual([
      {
        type: 'RollCallAmended',
        by: 'cpe',
        reason,
        effects: ['half-days absent, 2026-11: 0 → 1', 'unjustified half-days, 2026-11: 0 → 1'],
      },
    ]);
  });

  it('5. a late justification: the half-days and the absenteeism alert are recomputed', async () => {
    await spec.given(schoolStreams());
    // b1 absent four half-days in November: the monthly alert opens.
    for (const [date, slot] of [
      ['2026-11-16', 'M1'],
      ['2026-11-16', 'S1'],
      ['2026-11-17', 'M1'],
      ['2026-11-17', 'S1'],
    ])
      await ok(post(as.teacher, '/roll-calls', { classId: '5B', date, slot, absent: ['b1'], late: [] }));
    expect(await november('b1')).toEqual({ absent: 4, unjustified: 4, alerts: ['open'] });
    clock.advance(MINUTE);
    const received = await ok(
      post(as.cpe, '/students/b1/justifications', {
        from: { date: '2026-11-16', halfDay: 'AM' },
        to: { date: '2026-11-17', halfDay: 'PM' },
        reasonCode: 'MALADIE',
        source: 'family',
      }),
    );
    await ok(post(as.cpe, `/students/b1/justifications/${received.body.justificationId}/accept`));
    expect(await november('b1')).toEqual({ absent: 4, unjustified: 0, alerts: ['withdrawn'] });
    expect(await november('b1', between)).toEqual({ absent: 4, unjustified: 4, alerts: ['open'] });
    const trail = await ok(
      get(as.auditor, `/audit?studentId=b1&type=JustificationAccepted&minPosition=${last}`),
    );
    expect(
      trail.body.entries.map((e: { effects: { text: string }[] }) => e.effects.map((f) => f.text)),
    ).toEqual([
      [
        'absenteeism alert (monthly), 2026-11: open → withdrawn',
        'justified half-days, 2026-11: 0 → 4',
        'unjustified half-days, 2026-11: 4 → 0',
      ],
    ]);
    // Read again with the rest of the student's trail: the kept effects go to their own entry.
    const whole = await ok(get(as.auditor, `/audit?studentId=b1`));
    const effectsOf = (type: string) =>
      whole.body.entries
        .filter((e: { type: string }) => e.type === type)
        .map((e: { effects: { text: string }[] }) => e.effects.map((f) => f.text));
    expect(effectsOf('JustificationAccepted')).toEqual([
      [
        'absenteeism alert (monthly), 2026-11: open → withdrawn',
        'justified half-days, 2026-11: 0 → 4',
        'unjustified half-days, 2026-11: 4 → 0',
      ],
    ]);
    expect(effectsOf('JustificationReceived')).toEqual([[]]);
  });

  const maths: GivenStream[] = [
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
  const averageOf = (
    book: { students: { studentId: string; average: { value: number | null } }[] },
    id: string,
  ) => book.students.find((s) => s.studentId === id)?.average.value;

  it('8. a wrong coefficient and a grade typed in the wrong column: corrected, the averages follow', async () => {
    await spec.given(schoolStreams(), maths);
    clock.advance(MINUTE);
    await ok(
      spec
        .http()
        .patch(`${school}/assessments/c1`)
        .set('Authorization', as.principal)
        .send({ coefficient: 3, reason: 'coefficient 3 annoncé aux élèves' }),
    );
    // b2's 9 in c2 belonged to b4, and b4's 10 to b2: two corrections under one correlation id.
    for (const [studentId, value] of [
      ['b2', 10],
      ['b4', 9],
    ] as const)
      await ok(
        post(as.principal, `/assessments/c2/grades/${studentId}/correction`, {
          value,
          reason: 'notes de b2 et b4 inversées',
        }).set('X-Correlation-Id', 'swap-c2-b2-b4'),
      );
    const now = await ok(get(as.principal, `/grade-books/5B/MATHS/T1?minPosition=${last}`));
    // b2: (12 × 3 + 10 × 2) / 5 = 11.2; b4: (10 × 3 + 9 × 2) / 5 = 9.6
    expect([averageOf(now.body, 'b2'), averageOf(now.body, 'b4')]).toEqual([11.2, 9.6]);
    const then = await ok(get(as.principal, `/as-of/grade-books/5B/MATHS/T1?at=${between}`));
    // b2: (12 + 9 × 2) / 3 = 10; b4: 10
    expect([averageOf(then.body, 'b2'), averageOf(then.body, 'b4')]).toEqual([10, 10]);
    expect(await corrections('b2')).toEqual([
      {
        type: 'AssessmentChanged',
        by: 'principal',
        reason: 'coefficient 3 annoncé aux élèves',
        effects: ['MATHS average T1: 10 → 10.8', 'general average T1: 10 → 10.8'],
      },
      {
        type: 'GradeCorrected',
        by: 'principal',
        reason: 'notes de b2 et b4 inversées',
        effects: ['MATHS average T1: 10.8 → 11.2', 'general average T1: 10.8 → 11.2'],
      },
    ]);
    const swap = await ok(get(as.auditor, `/audit?correlationId=swap-c2-b2-b4&minPosition=${last}`));
    expect(
      swap.body.entries.map((e: { effects: { text: string; studentId: string }[] }) =>
        e.effects.map((f) => `${f.studentId} ${f.text}`),
      ),
    ).toEqual([
      ['b2 MATHS average T1: 10.8 → 11.2', 'b2 general average T1: 10.8 → 11.2'],
      ['b4 MATHS average T1: 10 → 9.6', 'b4 general average T1: 10 → 9.6'],
    ]);
  });

  it('9. a setting changed: the views follow the new one, and the auditor still sees them under the old one', async () => {
    // b1: 18/20, 3/10 and 1/5 in T1.
    await spec.given(schoolStreams(), [
      assessmentStream(
        'ta',
        assessmentCreated('ta', { outOf: 20, date: '2026-10-02' }),
        gradesRecorded('ta', { b1: 18 }, '2026-10-02'),
      ),
      assessmentStream(
        'tb',
        assessmentCreated('tb', { outOf: 10, date: '2026-10-09' }),
        gradesRecorded('tb', { b1: 3 }, '2026-10-09'),
      ),
      assessmentStream(
        'tc',
        assessmentCreated('tc', { outOf: 5, date: '2026-10-16' }),
        gradesRecorded('tc', { b1: 1 }, '2026-10-16'),
      ),
    ]);
    clock.advance(MINUTE);
    await ok(
      post(as.principal, '/settings', {
        key: 'averageConvention',
        value: 'weighted-by-scale',
        effectiveFrom: '2026-09-01',
      }),
      201,
    );
    const now = await ok(get(as.principal, `/grade-books/5B/MATHS/T1?minPosition=${last}`));
    // (18 + 3 + 1) / (20 + 10 + 5) × 20 = 12.571…
    expect(now.body.settings.averageConvention).toBe('weighted-by-scale');
    expect(averageOf(now.body, 'b1')).toBeCloseTo(12.5714, 3);
    const then = await ok(get(as.principal, `/as-of/grade-books/5B/MATHS/T1?at=${between}`));
    // (18/20 + 3/10 + 1/5) × 20 / 3 = 9.333…
    expect(then.body.settings.averageConvention).toBe('brought-to-twenty');
    expect(averageOf(then.body, 'b1')).toBeCloseTo(9.3333, 3);
    const trail = await ok(
      get(as.auditor, `/audit?category=school&type=SettingChanged&effects=true&minPosition=${last}`),
    );
    expect(trail.body.entries).toHaveLength(1);
    expect(
      trail.body.entries[0].effects.map(
        (e: { studentId: string; text: string }) => `${e.studentId} ${e.text}`,
      ),
    ).toEqual(['b1 MATHS average T1: 9.33 → 12.57', 'b1 general average T1: 9.33 → 12.57']);
  });

  it('4. absent in class and present at the infirmary for the same slot: the infirmary wins, both facts stay', async () => {
    await spec.given(schoolStreams());
    await rollCall(as.teacher, 'M2', ['b1']);
    clock.advance(MINUTE);
    await ok(
      post(as.cpe, '/students/b1/infirmary-visits', { date: '2026-11-16', from: '08:55', to: '09:50' }),
    );
    expect(await november('b1')).toEqual({ absent: 0, unjustified: 0, alerts: [] });
    expect(await november('b1', between)).toEqual({ absent: 1, unjustified: 1, alerts: [] });
    const ledger = await ok(
      get(as.auditor, `/students/b1/attendance?from=2026-11-16&to=2026-11-16&minPosition=${last}`),
    );
    const day = JSON.stringify(ledger.body);
    expect(day).toContain('M2');
    const trail = await ok(get(as.auditor, `/audit?studentId=b1&minPosition=${last}`));
    expect(
      trail.body.entries.map((e: { type: string; effects: { text: string }[] }) => [
        e.type,
        e.effects.map((f) => f.text),
      ]),
    ).toEqual([
      ['StudentRegistered', []],
      ['StudentEnrolled', []],
      ['RollCallTaken', ['half-days absent, 2026-11: 0 → 1', 'unjustified half-days, 2026-11: 0 → 1']],
      [
        'InfirmaryVisitRecorded',
        ['half-days absent, 2026-11: 1 → 0', 'unjustified half-days, 2026-11: 1 → 0'],
      ],
    ]);
  });

  it('7. a student who changed class mid-period: the move, recorded late, moves the council and the counts with the dates', async () => {
    await spec.given(schoolStreams(), maths);
    await rollCall(as.teacher, 'M1', ['b1']);
    clock.advance(MINUTE);
    await ok(
      post(as.principal, '/students/b1/moves', {
        toClassId: '5A',
        on: '2026-11-02',
        reason: 'passé en 5A le 2 novembre',
      }),
      201,
    );
    const members = (view: { students: { studentId: string }[] }) => view.students.map((s) => s.studentId);
    const then5B = await ok(get(as.auditor, `/as-of/councils/5B/T1?at=${between}`));
    expect(members(then5B.body)).toContain('b1');
    const now5B = await ok(get(as.auditor, `/councils/5B/T1?minPosition=${last}`));
    expect(members(now5B.body)).not.toContain('b1');
    const now5A = await ok(get(as.auditor, `/councils/5A/T1?minPosition=${last}`));
    const b1 = now5A.body.students.find((s: { studentId: string }) => s.studentId === 'b1');
    // Their maths grades stay with 5B's assessments and count in 5A's council, the move flagged: c1
    // (2 October, in 5B) counts; c2 (5 November, after the move's date) does not: 18, no longer 16.
    expect(b1.subjects[0]).toMatchObject({ subjectId: 'MATHS', average: { value: 18 } });
    const b1Then = then5B.body.students.find((s: { studentId: string }) => s.studentId === 'b1');
    expect(b1Then.subjects[0]).toMatchObject({ subjectId: 'MATHS', average: { value: 16 } });
    expect(b1.moved).not.toBeNull();
    const trail = await ok(get(as.auditor, `/audit?studentId=b1&correctionsOnly=true&minPosition=${last}`));
    expect(trail.body.entries.map((e: { type: string; reason: string }) => [e.type, e.reason])).toEqual([
      [expect.any(String), 'passé en 5A le 2 novembre'],
    ]);
  });

  it('6. a school trip recorded over individual absences: the trip covers them, the individual entries stay', async () => {
    await spec.given(schoolStreams());
    await rollCall(as.teacher, 'M1', ['b1', 'b2']);
    clock.advance(MINUTE);
    await ok(
      post(as.cpe, '/collective-exemptions', {
        classId: '5B',
        exemptionId: 'sortie-musee-2026-11-16',
        label: 'Sortie au musée',
        from: { date: '2026-11-16', slot: 'M1' },
        to: { date: '2026-11-16', slot: 'M4' },
        notParticipating: ['b2'],
      }),
    );
    expect(await november('b1')).toEqual({ absent: 0, unjustified: 0, alerts: [] });
    expect(await november('b2')).toEqual({ absent: 1, unjustified: 1, alerts: [] });
    expect(await november('b1', between)).toEqual({ absent: 1, unjustified: 1, alerts: [] });
    // The roll call still says b1 was marked absent: the trip covers the entry, it does not erase it.
    const call = await ok(get(as.auditor, `/roll-calls/5B/2026-11-16/M1?minPosition=${last}`));
    expect(JSON.stringify(call.body)).toContain('b1');
    const trail = await ok(get(as.auditor, `/audit?studentId=b1&category=attendance&minPosition=${last}`));
    expect(
      trail.body.entries.map((e: { type: string; effects: { text: string }[] }) => [
        e.type,
        e.effects.map((f) => f.text),
      ]),
    ).toEqual([
      [
        'CollectiveExemptionRecorded',
        ['half-days absent, 2026-11: 1 → 0', 'unjustified half-days, 2026-11: 1 → 0'],
      ],
    ]);
  });

  it('10. instants with their offset: the same moment in Paris time and in UTC shows the same view', async () => {
    await spec.given(schoolStreams());
    await rollCall(as.teacher, 'M1', ['b1']);
    clock.advance(MINUTE);
    await rollCall(as.cpe, 'M1', [], { reason: 'b1 était présent' });
    // 30 s after TEST_NOW (08:00 UTC, 09:00 in Paris in December).
    const paris = encodeURIComponent('2026-12-07T09:00:30+01:00');
    const inParis = await ok(
      get(as.auditor, `/as-of/students/b1/attendance/counts?month=2026-11&at=${paris}`),
    );
    const inUtc = await ok(
      get(as.auditor, `/as-of/students/b1/attendance/counts?month=2026-11&at=${between}`),
    );
    expect(inParis.body.asOf).toEqual(inUtc.body.asOf);
    expect(inParis.body.asOf.at).toBe('2026-12-07T08:00:30.000Z');
    expect(inParis.body.total.unjustifiedHalfDays).toBe(1);
    // Business dates stay Paris wall-clock dates: the roll call of 16 November counts in November.
    expect(await november('b1')).toEqual({ absent: 0, unjustified: 0, alerts: [] });
  });

  it('11. a bad import that put students in the wrong class: reversed as one correction campaign', async () => {
    // The import put b5 and b6 in 5A; they are in 5B from 1 September.
    const wrongly = schoolStreams().map((g) =>
      g.stream.endsWith('-b5') || g.stream.endsWith('-b6')
        ? {
            ...g,
            events: g.events.map((e) =>
              e.type === 'StudentEnrolled' ? { ...e, data: { ...e.data, classId: '5A' } } : e,
            ),
          }
        : g,
    );
    await spec.given(wrongly, maths);
    clock.advance(MINUTE);
    const campaign = await ok(
      post(as.principal, '/campaigns', {
        reason: 'import SIECLE : b5 et b6 sont en 5B',
        correlationId: 'fix-import-5B',
        operations: ['b5', 'b6'].map((id) => ({
          method: 'POST',
          path: `${school}/students/${id}/moves`,
          body: { toClassId: '5B', on: '2026-09-01' },
        })),
      }),
    );
    expect(campaign.body.refused).toEqual([]);
    const members = (view: { students: { studentId: string }[] }) => view.students.map((s) => s.studentId);
    const then5B = await ok(get(as.auditor, `/as-of/councils/5B/T1?at=${between}`));
    expect(members(then5B.body)).toEqual(['b1', 'b2', 'b3', 'b4']);
    const now5B = await ok(get(as.auditor, `/councils/5B/T1?minPosition=${campaign.body.position}`));
    expect(members(now5B.body)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'b6']);
    const trail = await ok(
      get(as.auditor, `/audit?correlationId=fix-import-5B&minPosition=${campaign.body.position}`),
    );
    expect(
      trail.body.entries.map((e: { streamId: string; reason: string }) => [e.streamId, e.reason]),
    ).toEqual([
      [`student-${SCHOOL}-b5`, 'import SIECLE : b5 et b6 sont en 5B'],
      [`student-${SCHOOL}-b6`, 'import SIECLE : b5 et b6 sont en 5B'],
    ]);
    // b6's maths average appears once in 5B: (14 + 14 × 2) / 3 = 14.
    expect(trail.body.entries[1].effects.map((e: { text: string }) => e.text)).toContain(
      'MATHS average T1: — → 14',
    );
  });
});
