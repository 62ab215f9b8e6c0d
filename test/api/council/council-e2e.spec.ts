import type { Response } from 'supertest';
import { validateLsu } from '../../domain/lsu/fixtures';
import { readPdf, squeezed } from '../../report-cards/pdf-text';
import { apiSpec } from '../../support/api-spec';
import { SCHOOL, tokenFor } from '../../support/http';
import {
  ASSESSMENTS,
  COUNCIL_STUDENTS,
  gradeOf,
  itemOf,
  levelOf,
  MATHS,
  MOVER,
  schoolOfCouncil,
  studentsOfCouncil,
  STUDENTS_5B,
  SUBJECTS,
  teacherOf,
} from './council-e2e-school';

/**
 * Issue 12: a whole council end to end on a realistic class. The structure is given (as imports
 * write it); everything else goes through the API with real tokens: a fortnight of roll calls,
 * justifications, three graded assessments and one competency assessment per subject, a student
 * who moves from 5A to 5B, the teachers' positionings and appreciations, the readiness list, the
 * principal's syntheses and hold, a late justification and a grade correction after the hold, the
 * LSU file and the report cards.
 */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Every weekday of T1, 1 September to 30 November 2026 (the year given has no holidays). */
const T1_WEEKDAYS: readonly string[] = (() => {
  const days: string[] = [];
  for (let day = Date.UTC(2026, 8, 1); day <= Date.UTC(2026, 10, 30); day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
})();

describe('a whole class council, end to end (issue 12)', () => {
  const spec = apiSpec();
  let principal: string;
  let cpe: string;
  let admin: string;
  let teachers: string[];
  beforeAll(async () => {
    principal = await tokenFor('principal');
    cpe = await tokenFor('cpe');
    admin = await tokenFor('admin');
    teachers = await Promise.all(
      SUBJECTS.map((s, j) =>
        tokenFor('teacher', SCHOOL, { sub: teacherOf(j), classes: ['5A', '5B'], subjects: [s.subjectId] }),
      ),
    );
  });

  const school = `/schools/${SCHOOL}`;
  /** The position of the last write: each read waits for the views to include it. */
  let last = '0';
  const ok = async (request: PromiseLike<Response>, status = 200): Promise<Response> => {
    const response = await request;
    if (response.status !== status) {
      const { method, url } = response.request as unknown as { method: string; url: string };
      throw new Error(`${method} ${url} answered ${response.status} ${JSON.stringify(response.body)}`);
    }
    const position: unknown = response.body?.position;
    if (typeof position === 'string' || typeof position === 'number') last = String(position);
    return response;
  };
  const post = (token: string, path: string, body: object = {}) =>
    spec.http().post(`${school}${path}`).set('Authorization', token).send(body);
  const put = (token: string, path: string, body: object) =>
    spec.http().put(`${school}${path}`).set('Authorization', token).send(body);
  const get = (token: string, path: string) =>
    spec.http().get(`${school}${path}`).set('Authorization', token);

  /** The 5B students enrolled on `date` (the mover from 15 October). */
  const enrolledOn = (date: string) => (date >= '2026-10-15' ? COUNCIL_STUDENTS : STUDENTS_5B);

  it('takes 5B from roll calls and grades to a held council, its late changes, the LSU file and the report cards', async () => {
    await spec.given(schoolOfCouncil(), studentsOfCouncil());

    // The mover's maths grade in 5A, before the move: 13 on a coefficient-1 test of 6 October.
    await ok(
      post(teachers[1], '/assessments', {
        assessmentId: 'maths-5a-1',
        classId: '5A',
        subjectId: MATHS.subjectId,
        date: '2026-10-06',
        title: 'Contrôle 5A',
      }),
    );
    await ok(
      post(teachers[1], '/assessments/maths-5a-1/grades', {
        grades: [{ studentId: MOVER.studentId, value: 13 }],
      }),
    );
    // The move, through the API.
    await ok(post(admin, `/students/${MOVER.studentId}/moves`, { toClassId: '5B', on: '2026-10-15' }), 201);

    // Three graded assessments per subject; s29 is missing from maths' third one at first.
    for (const [j, s] of SUBJECTS.entries())
      for (const { k, date, coefficient } of ASSESSMENTS) {
        const assessmentId = `${s.code}-${k}`;
        await ok(
          post(teachers[j], '/assessments', {
            assessmentId,
            classId: '5B',
            subjectId: s.subjectId,
            date,
            title: `Devoir ${k + 1}`,
            coefficient,
          }),
        );
        const grades = enrolledOn(date)
          .filter(({ studentId }) => !(j === 1 && k === 2 && studentId === 's29'))
          .map(({ studentId, index }) => ({ studentId, value: gradeOf(index, j, k) }));
        await ok(post(teachers[j], `/assessments/${assessmentId}/grades`, { grades }));
      }
    // One competency assessment per subject, levels only.
    for (const [j, s] of SUBJECTS.entries()) {
      const assessmentId = `${s.code}-comp`;
      await ok(
        post(teachers[j], '/assessments', {
          assessmentId,
          classId: '5B',
          subjectId: s.subjectId,
          date: '2026-11-20',
          title: 'Évaluation de compétences',
          competencyItemIds: [itemOf(j)],
        }),
      );
      await ok(
        post(teachers[j], `/assessments/${assessmentId}/levels`, {
          levels: COUNCIL_STUDENTS.map(({ studentId, index }) => ({
            studentId,
            itemId: itemOf(j),
            value: levelOf(index, j),
          })),
        }),
      );
    }

    // A roll call each weekday morning (M1) and afternoon (S1) of T1, the subject's teacher of that
    // weekday taking it: s01 absent on 16 November (AM and PM) and the 17th (AM), s02 on the 18th
    // (AM); s03 late twice. Monday 30 November's M1 is not taken at first.
    const absent: Record<string, string[]> = {
      '2026-11-16/M1': ['s01'],
      '2026-11-16/S1': ['s01'],
      '2026-11-17/M1': ['s01'],
      '2026-11-18/M1': ['s02'],
    };
    const late: Record<string, { studentId: string; minutes: number }[]> = {
      '2026-11-19/M1': [{ studentId: 's03', minutes: 10 }],
      '2026-11-20/S1': [{ studentId: 's03', minutes: 5 }],
    };
    /** M1 is taken by the teacher of subject (weekday − 1), S1 by that of subject (weekday + 4). */
    const takerOf = (date: string, slot: string) =>
      new Date(`${date}T12:00:00Z`).getUTCDay() - 1 + (slot === 'S1' ? 5 : 0);
    const takeRollCall = (date: string, slot: string) =>
      ok(
        post(teachers[takerOf(date, slot)], '/roll-calls', {
          classId: '5B',
          date,
          slot,
          absent: absent[`${date}/${slot}`] ?? [],
          late: late[`${date}/${slot}`] ?? [],
        }),
      );
    for (const date of T1_WEEKDAYS)
      for (const slot of ['M1', 'S1'])
        if (`${date}/${slot}` !== '2026-11-30/M1') await takeRollCall(date, slot);
    // Two justifications, accepted by the CPE before the council: s01's 17th, s02's 18th.
    for (const [studentId, date] of [
      ['s01', '2026-11-17'],
      ['s02', '2026-11-18'],
    ]) {
      const received = await ok(
        post(cpe, `/students/${studentId}/justifications`, {
          from: { date, halfDay: 'AM' },
          to: { date, halfDay: 'AM' },
          reasonCode: 'MALADIE',
          source: 'family',
        }),
      );
      await ok(post(cpe, `/students/${studentId}/justifications/${received.body.justificationId}/accept`));
    }

    // Positionings and appreciations by each subject's teacher, all but the last subject's.
    const report = async (j: number) => {
      for (const { studentId, index, firstName } of COUNCIL_STUDENTS) {
        const path = `/reports/5B/${SUBJECTS[j].subjectId}/T1/students/${studentId}`;
        await ok(put(teachers[j], `${path}/positioning`, { positioning: levelOf(index, j) }));
        await ok(
          put(teachers[j], `${path}/appreciation`, {
            text: `${firstName} : trimestre correct en ${SUBJECTS[j].label}.`,
          }),
        );
      }
    };
    for (let j = 0; j < 9; j++) await report(j);

    // Readiness names what is missing and who must act.
    const readiness = (await ok(get(principal, `/councils/5B/T1/readiness?minPosition=${last}`))).body;
    expect(readiness.ready).toBe(false);
    expect(readiness.grades.assessments).toEqual([
      expect.objectContaining({ assessmentId: 'MATHS-2', teacherId: '14502', studentIds: ['s29'] }),
    ]);
    // Compared as sets: the lists come in name order (see the report on accented names).
    const everyone = COUNCIL_STUDENTS.map((s) => s.studentId).sort();
    expect(
      readiness.reports.subjects.map(
        (r: { withoutAppreciation: string[]; withoutPositioning: string[] }) => ({
          ...r,
          withoutAppreciation: [...r.withoutAppreciation].sort(),
          withoutPositioning: [...r.withoutPositioning].sort(),
        }),
      ),
    ).toEqual([
      {
        teacherId: '14510',
        subjectId: '100100',
        classOrGroupId: '5B',
        withoutAppreciation: everyone,
        withoutPositioning: everyone,
      },
    ]);
    expect(readiness.unjustifiedAbsences.students).toEqual([
      expect.objectContaining({ studentId: 's01', unjustifiedHalfDays: 2 }),
    ]);
    expect(readiness.siecle.students).toEqual([]);
    expect(readiness.rollCalls.missing).toEqual([
      { date: '2026-11-30', slotCode: 'M1', teacherId: '14501', voided: false },
    ]);
    expect(readiness.byTeacher).toEqual(
      expect.arrayContaining([
        { teacherId: '14501', missing: { rollCalls: 1, grades: 0, appreciations: 0, positionings: 0 } },
        { teacherId: '14502', missing: { rollCalls: 0, grades: 1, appreciations: 0, positionings: 0 } },
        { teacherId: '14510', missing: { rollCalls: 0, grades: 0, appreciations: 30, positionings: 30 } },
      ]),
    );

    // Filled: the roll call, s29's grade (12), the last subject's reports.
    await takeRollCall('2026-11-30', 'M1');
    await ok(post(teachers[1], '/assessments/MATHS-2/grades', { grades: [{ studentId: 's29', value: 12 }] }));
    await report(9);
    const filled = (await ok(get(principal, `/councils/5B/T1/readiness?minPosition=${last}`))).body;
    expect(filled.grades.assessments).toEqual([]);
    expect(filled.reports.subjects).toEqual([]);
    expect(filled.rollCalls.missing).toEqual([]);
    // s01's absence of the 16th is still unjustified: the council is held all the same.
    expect(filled.unjustifiedAbsences.students.map((s: { studentId: string }) => s.studentId)).toEqual([
      's01',
    ]);

    // The principal's council: date, syntheses, a few mentions, the class appreciation, the hold.
    await ok(put(principal, '/councils/5B/T1/schedule', { date: '2026-12-03' }));
    for (const { studentId, firstName } of COUNCIL_STUDENTS)
      await ok(
        put(principal, `/councils/5B/T1/students/${studentId}/synthesis`, {
          text: `${firstName} : trimestre satisfaisant, à poursuivre.`,
        }),
      );
    for (const [studentId, mention] of [
      ['s05', 'Félicitations'],
      ['s12', 'Compliments'],
      [MOVER.studentId, 'Encouragements'],
    ])
      await ok(put(principal, `/councils/5B/T1/students/${studentId}/mention`, { mention }));
    await ok(put(principal, '/councils/5B/T1/appreciation', { text: 'Classe sérieuse et agréable.' }));
    const held = await ok(post(principal, '/councils/5B/T1/hold', { heldOn: '2026-12-03' }));
    expect(held.body.events).toEqual(['CouncilHeld']);

    const atHold = (await ok(get(principal, `/councils/5B/T1?minPosition=${held.body.position}`))).body;
    const student = (view: typeof atHold, id: string) =>
      view.students.find((s: { studentId: string }) => s.studentId === id);
    expect(atHold.students).toHaveLength(30);
    expect(atHold.council).toMatchObject({ status: 'held', heldOn: '2026-12-03' });
    // Oracle: s01 in maths, 14 (coef 1), 7 (coef 2), 14 (coef 1) → 42 / 4 = 10.5.
    const s01Maths = student(atHold, 's01').subjects.find(
      (x: { subjectId: string }) => x.subjectId === MATHS.subjectId,
    );
    expect(s01Maths.average.value).toBe(10.5);
    // s01: one half-day justified (the 17th), two unjustified (the 16th), no lateness.
    expect(student(atHold, 's01').schoolLife).toMatchObject({
      justifiedHalfDays: 1,
      unjustifiedHalfDays: 2,
      latenesses: 0,
    });
    expect(student(atHold, 's03').schoolLife).toMatchObject({ unjustifiedHalfDays: 0, latenesses: 2 });
    // The mover in maths: 13 in 5A (coef 1), then 10 (coef 2) and 17 (coef 1) in 5B → 50 / 4 = 12.5
    // (5B's test of 22 September was before the move).
    const moverMaths = student(atHold, MOVER.studentId).subjects.find(
      (x: { subjectId: string }) => x.subjectId === MATHS.subjectId,
    );
    expect(moverMaths.average.value).toBe(12.5);
    expect(student(atHold, MOVER.studentId).classes).toEqual([
      { classId: '5A', from: '2026-09-01', until: '2026-10-15' },
      { classId: '5B', from: '2026-10-15' },
    ]);
    // Class average of maths: the mean of the 30 students' unrounded averages, from the grade table
    // worked out by hand: 376 / 30 = 12.5333…; min 9.5 (s17: 6, 13, 6 → 38 / 4); max 15.666…
    // (s14: 11 and 18, ABS on the third test left out → 47 / 3).
    expect(s01Maths.class).toMatchObject({
      average: expect.closeTo(12.533333333, 6),
      count: 30,
      min: 9.5,
      max: expect.closeTo(15.666666667, 6),
    });
    // s01's general average: the mean of the ten subject averages, 126 / 10 = 12.6.
    expect(student(atHold, 's01').general.value).toBeCloseTo(12.6, 9);

    // After the hold: the late justification of s01's 16th, refused to the CPE, taken from the
    // principal with a reason.
    const late16 = await ok(
      post(cpe, '/students/s01/justifications', {
        from: { date: '2026-11-16', halfDay: 'AM' },
        to: { date: '2026-11-16', halfDay: 'PM' },
        reasonCode: 'MALADIE',
        source: 'family',
        receivedOn: '2026-12-04',
      }),
    );
    const accept = `/students/s01/justifications/${late16.body.justificationId}/accept`;
    const refused = await ok(post(cpe, accept), 403);
    expect(refused.body.code).toBe('ATTENDANCE.PERIOD_CLOSED');
    await ok(post(principal, accept, { reason: 'certificat médical reçu après le conseil' }));
    // And a grade corrected: s01's first maths test, 14 → 17 (10.5 → 11.25 in maths, 12.6 → 12.675).
    const teacherRefused = await ok(
      post(teachers[1], '/assessments/MATHS-0/grades/s01/correction', { value: 17, reason: 'erreur' }),
      403,
    );
    expect(teacherRefused.body.code).toBe('ASSESSMENT.PERIOD_CLOSED');
    const corrected = await ok(
      post(principal, '/assessments/MATHS-0/grades/s01/correction', {
        value: 17,
        reason: 'copie recorrigée après le conseil',
      }),
    );

    const after = (await ok(get(principal, `/councils/5B/T1?minPosition=${corrected.body.position}`))).body;
    expect(student(after, 's01').sinceHold).toEqual({
      heldOn: '2026-12-03',
      heldPosition: Number(held.body.position),
      changes: [
        { figure: 'general', seen: expect.closeTo(12.6, 9), now: expect.closeTo(12.675, 9) },
        { figure: `subjects.${MATHS.subjectId}`, seen: 10.5, now: 11.25 },
        { figure: 'justifiedHalfDays', seen: 1, now: 3 },
        { figure: 'unjustifiedHalfDays', seen: 2, now: 0 },
      ],
    });
    expect(student(after, 's02').sinceHold).toMatchObject({ changes: [] });
    // …and lists the changes behind them, who made them and why.
    expect(student(after, 's01').postCouncilCorrections).toEqual([
      expect.objectContaining({
        streamId: 'attendance-0670001A-s01',
        actorRole: 'principal',
        reason: 'certificat médical reçu après le conseil',
      }),
      expect.objectContaining({
        streamId: `assessment-0670001A-${MATHS.code}-0`,
        type: 'GradeCorrected',
        actorRole: 'principal',
        reason: 'copie recorrigée après le conseil',
      }),
    ]);
    expect(student(after, 's02').postCouncilCorrections).toEqual([]);

    // The LSU file of the held council validates against the national schema.
    const lsuCheck = (
      await ok(get(principal, `/councils/5B/T1/lsu/check?minPosition=${corrected.body.position}`))
    ).body;
    expect(lsuCheck).toEqual({ problems: [] });
    const lsu = await ok(get(principal, `/councils/5B/T1/lsu?minPosition=${corrected.body.position}`));
    expect(validateLsu(lsu.text)).toEqual({ valid: true, output: '- validates\n' });
    expect(lsu.text).toContain('id-sts="14502"');
    expect(lsu.text).toContain('123456730AB');
    // s01 (EL_1) as the LSU has it now: maths 11.25 against the class's 12.5583… (376.75 / 30), the
    // late justification counted; socle levels from the items' levels (CPD_SCI: maths 3 and
    // physics 4, 40 and 50 points, 45 is not above 45: 3; CPD_ETR: 4 and 1, 30 points: 2).
    const s01Lsu = lsu.text.slice(
      lsu.text.indexOf('<bilan-periodique eleve-ref="EL_1"'),
      lsu.text.indexOf('</bilan-periodique>', lsu.text.indexOf('<bilan-periodique eleve-ref="EL_1"')),
    );
    expect(s01Lsu).toContain('date-conseil-classe="2026-12-03"');
    expect(s01Lsu).toContain('moyenne-eleve="11.25" moyenne-structure="12.56" positionnement="3"');
    expect(s01Lsu).toContain('<vie-scolaire nb-retards="0" nb-abs-justifiees="3" nb-abs-injustifiees="0"/>');
    expect(s01Lsu).toContain('<domaine code="CPD_SCI" positionnement="3"/>');
    expect(s01Lsu).toContain('<domaine code="CPD_ETR" positionnement="2"/>');
    expect(lsu.text).toContain(
      '<eleve id="EL_1" id-be="123456701AB" nom="ARNAUD" prenom="Léa" code-division="5B"/>',
    );

    // The report cards: 30 pages, the mover's with their name and averages with a decimal comma.
    const pdf = await get(
      principal,
      `/councils/5B/T1/report-cards.pdf?minPosition=${corrected.body.position}`,
    )
      .buffer(true)
      .parse(binary);
    expect(pdf.status).toBe(200);
    const cards = readPdf(pdf.body as Buffer);
    expect(cards.pages).toBe(30);
    const moverPage = cards.pageTexts.map(squeezed).find((text) => text.includes("N'DIAYE Anaïs"));
    expect(moverPage).toBeDefined();
    expect(moverPage).toContain('Arrivé(e) de 5A le 15/10/2026');
    expect(moverPage).toContain('12,50');
    // General average 13.2833… (the ten subject averages, 132.8333… / 10).
    expect(moverPage).toContain('13,28');
    const arnaud = cards.pageTexts.map(squeezed).find((text) => text.includes('ARNAUD Léa'));
    expect(arnaud).toContain('Moyenne générale 12,68');
    expect(arnaud).toContain('non justifiées : 0');

    // The council table, as it stands now: subjects in code order, then the general average,
    // justified and unjustified half-days, latenesses and mention. Oracle (subject averages from the
    // grade table, 12.675 rounded half up to 12,68):
    const csv = (
      await ok(get(principal, `/councils/5B/T1/council.csv?minPosition=${corrected.body.position}`))
    ).text.split('\r\n');
    expect(csv[0]).toBe(
      '\ufeffNom;Prénom;Français;Anglais LV1;Espagnol LV2;Histoire-géographie;Mathématiques;Technologie;' +
        'Sciences de la vie et de la Terre;Physique-chimie;Arts plastiques;Éducation physique et sportive;' +
        'Moyenne générale;Demi-journées justifiées;Demi-journées non justifiées;Retards;Mention',
    );
    expect(csv).toHaveLength(32);
    expect(csv).toContain(
      'ARNAUD;Léa;12,50;15,50;13,50;11,50;11,25;12,50;9,50;14,50;10,50;15,50;12,68;3;0;0;',
    );
    expect(csv).toContain(
      "N'DIAYE;Anaïs;16,67;15,00;13,00;13,33;12,50;14,33;13,67;9,33;14,67;10,33;13,28;0;0;0;Encouragements",
    );
    expect(csv.find((line) => line.startsWith('CARON;'))).toMatch(/;0;0;2;$/);
    expect(csv.find((line) => line.startsWith('BLANC;'))).toMatch(/;1;0;0;$/);

    // A competency level corrected after the council (s01's maths item, 3 → 1) shows too: the socle
    // component it is linked to was 3 when the council sat (40 and 50 points, 45 is not above 45)
    // and is 2 now (10 and 50, 30 points); s01's maths positioning stays the teacher's final one.
    const level = await ok(
      post(principal, `/assessments/${MATHS.code}-comp/levels/s01/${itemOf(1)}/correction`, {
        value: 1,
        reason: 'niveau saisi sur le mauvais élève',
      }),
    );
    const afterLevel = (await ok(get(principal, `/councils/5B/T1?minPosition=${level.body.position}`))).body;
    expect(student(afterLevel, 's01').sinceHold.changes).toEqual([
      { figure: 'general', seen: expect.closeTo(12.6, 9), now: expect.closeTo(12.675, 9) },
      { figure: `subjects.${MATHS.subjectId}`, seen: 10.5, now: 11.25 },
      { figure: 'justifiedHalfDays', seen: 1, now: 3 },
      { figure: 'unjustifiedHalfDays', seen: 2, now: 0 },
      { figure: 'socle.CPD_SCI', seen: 3, now: 2 },
    ]);
  }, 120_000);
});
