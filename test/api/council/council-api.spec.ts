import { reportStreamId } from '../../../src/domain/assessment';
import { councilStreamId } from '../../../src/domain/council';
import { schoolStreamId } from '../../../src/domain/structure/school';
import { teacherRecorded } from '../../domain/structure/structure-fixtures';
import { apiSpec, GivenStream } from '../../support/api-spec';
import { SCHOOL } from '../../support/http';
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
} from '../assessment/assessment-school';
import { justificationReceived } from '../../support/attendance/builders';
import { rollCallStream, rollCallTakenOf } from '../attendance/attendance-school';

const COUNCIL = councilStreamId(SCHOOL, '5B', 'T1');
const KEYS = { classId: '5B', periodId: 'T1' };
const LEDGER = (studentId: string) =>
  `/schools/${SCHOOL}/students/${studentId}/attendance?from=2026-09-01&to=2026-11-30`;

/** teacher-01 teaches maths to 5B: the readiness list counts their appreciations and positionings. */
const teaching: GivenStream = {
  stream: schoolStreamId(SCHOOL),
  events: [
    teacherRecorded('teacher-01', 'MARTIN', 'Paul'),
    {
      type: 'TeachingAssigned',
      data: {
        schoolId: SCHOOL,
        teacherId: 'teacher-01',
        subjectId: 'MATHS',
        target: { kind: 'class', id: '5B' },
      },
    },
  ],
};

/**
 * Maths in 5B for T1: c1 (coefficient 1) and c2 (coefficient 2); b3 has no grade in c2, b5 was absent
 * for c1 (a marker, left out of the average).
 */
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

/** Every 5B student has a maths appreciation but b2. */
const appreciations: GivenStream = {
  stream: reportStreamId(SCHOOL, '5B', 'MATHS', 'T1'),
  events: ['b1', 'b3', 'b4', 'b5', 'b6'].map((studentId) => ({
    type: 'AppreciationWritten',
    data: {
      classId: '5B',
      subjectId: 'MATHS',
      periodId: 'T1',
      studentId,
      text: `Appréciation de ${studentId}`,
      previous: null,
      reason: null,
      writtenBy: TEACHER_01,
    },
  })),
};

/** b1 absent on the Monday morning and the Tuesday afternoon, b2 late 10 minutes on the Monday. */
const absences: GivenStream[] = [
  rollCallStream(
    { date: '2026-10-05', slot: 'M2' },
    rollCallTakenOf(
      { date: '2026-10-05', slot: 'M2' },
      { absent: ['b1'], late: [{ studentId: 'b2', minutes: 10 }] },
    ),
  ),
  rollCallStream(
    { date: '2026-10-06', slot: 'S1' },
    rollCallTakenOf({ date: '2026-10-06', slot: 'S1' }, { absent: ['b1'] }),
  ),
];

describe('the class council API', () => {
  const spec = apiSpec();
  let as: Tokens;
  beforeAll(async () => {
    as = await tokensFor();
  });

  const base = `/schools/${SCHOOL}/councils/5B/T1`;
  const put = (token: string, path: string, body: object) => () =>
    spec.http().put(`${base}${path}`).set('Authorization', token).send(body);
  const post = (token: string, path: string, body: object) => () =>
    spec.http().post(`${base}${path}`).set('Authorization', token).send(body);
  const get = (token: string, path = '', minPosition = '0') =>
    spec.http().get(`${base}${path}?minPosition=${minPosition}`).set('Authorization', token);

  it('lets the principal schedule the council, write a synthesis and a mention; a mention outside the list is refused naming it', async () => {
    await spec
      .given(schoolStreams())
      .when(put(as.principal, '/schedule', { date: '2026-12-02' }))
      .then({
        status: 200,
        body: { events: ['CouncilScheduled'], unchanged: false, streamId: COUNCIL },
        newEvents: [
          {
            stream: COUNCIL,
            events: [
              { type: 'CouncilScheduled', data: { ...KEYS, date: '2026-12-02', scheduledBy: PRINCIPAL_01 } },
            ],
          },
        ],
      });
    await spec.when(put(as.principal, '/students/b1/synthesis', { text: 'Très bon trimestre.' })).then({
      status: 200,
      newEvents: [
        {
          stream: COUNCIL,
          events: [
            {
              type: 'StudentSynthesisWritten',
              data: {
                ...KEYS,
                studentId: 'b1',
                text: 'Très bon trimestre.',
                previous: null,
                writtenBy: PRINCIPAL_01,
              },
            },
          ],
        },
      ],
    });
    await spec.when(put(as.principal, '/students/b1/mention', { mention: 'Félicitations' })).then({
      status: 200,
      newEvents: [
        {
          stream: COUNCIL,
          events: [
            {
              type: 'MentionAwarded',
              data: {
                ...KEYS,
                studentId: 'b1',
                mention: 'Félicitations',
                previous: null,
                awardedBy: PRINCIPAL_01,
              },
            },
          ],
        },
      ],
    });
    await spec.when(put(as.principal, '/students/b2/mention', { mention: 'Avertissement' })).then({
      status: 409,
      body: {
        code: 'COUNCIL.MENTION_NOT_IN_LIST',
        message: expect.stringContaining('Félicitations, Compliments, Encouragements'),
        details: { field: 'mention', mentions: ['Félicitations', 'Compliments', 'Encouragements'] },
      },
      newEvents: [],
    });
    const appreciated = await spec
      .when(put(as.principal, '/appreciation', { text: 'Classe agréable et travailleuse.' }))
      .then({
        status: 200,
        newEvents: [
          {
            stream: COUNCIL,
            events: [
              {
                type: 'ClassAppreciationWritten',
                data: {
                  ...KEYS,
                  text: 'Classe agréable et travailleuse.',
                  previous: null,
                  writtenBy: PRINCIPAL_01,
                },
              },
            ],
          },
        ],
      });
    const view = (await get(as.cpe, '', appreciated.response.body.position).expect(200)).body;
    expect(view.council).toMatchObject({
      status: 'scheduled',
      scheduledOn: '2026-12-02',
      classAppreciation: 'Classe agréable et travailleuse.',
    });
    expect(view.students[0].council).toEqual({ synthesis: 'Très bon trimestre.', mention: 'Félicitations' });
    await spec
      .when(put(as.teacher, '/appreciation', { text: 'Pas mon rôle.' }))
      .then({ status: 403, newEvents: [] });
    await spec.when(put(as.principal, '/students/a1/synthesis', { text: 'Pas de cette classe.' })).then({
      status: 409,
      body: { code: 'COUNCIL.STUDENT_NOT_IN_COUNCIL' },
      newEvents: [],
    });
  });

  it('refuses a teacher on the hold (403); holds with the figures the council saw; reopens with a reason', async () => {
    await spec
      .given(schoolStreams(), grades, absences)
      .when(post(as.teacher, '/hold', { heldOn: '2026-12-03' }))
      .then({ status: 403, newEvents: [] });
    const held = await spec.when(post(as.principal, '/hold', { heldOn: '2026-12-03' })).then({
      status: 200,
      body: { events: ['CouncilHeld'] },
    });
    const heldEvent = held.newEvents[0];
    expect(heldEvent.streamId).toBe(COUNCIL);
    expect(heldEvent.data).toEqual({
      ...KEYS,
      heldOn: '2026-12-03',
      heldBy: PRINCIPAL_01,
      students: ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'],
      snapshot: {
        period: { id: 'T1', start: '2026-09-01', end: '2026-11-30' },
        students: {
          b1: {
            general: 16,
            subjects: { MATHS: 16 },
            justifiedHalfDays: 0,
            unjustifiedHalfDays: 2,
            latenesses: 0,
            positionings: { MATHS: null },
            socle: {},
          },
          b2: {
            general: 10,
            subjects: { MATHS: 10 },
            justifiedHalfDays: 0,
            unjustifiedHalfDays: 0,
            latenesses: 1,
            positionings: { MATHS: null },
            socle: {},
          },
          b3: {
            general: 7.25,
            subjects: { MATHS: 7.25 },
            justifiedHalfDays: 0,
            unjustifiedHalfDays: 0,
            latenesses: 0,
            positionings: { MATHS: null },
            socle: {},
          },
          b4: {
            general: 10,
            subjects: { MATHS: 10 },
            justifiedHalfDays: 0,
            unjustifiedHalfDays: 0,
            latenesses: 0,
            positionings: { MATHS: null },
            socle: {},
          },
          b5: {
            general: 11,
            subjects: { MATHS: 11 },
            justifiedHalfDays: 0,
            unjustifiedHalfDays: 0,
            latenesses: 0,
            positionings: { MATHS: null },
            socle: {},
          },
          b6: {
            general: 14,
            subjects: { MATHS: 14 },
            justifiedHalfDays: 0,
            unjustifiedHalfDays: 0,
            latenesses: 0,
            positionings: { MATHS: null },
            socle: {},
          },
        },
        class: { general: 11.375, subjects: { MATHS: 11.375 } },
      },
    });
    // Sent again while nothing changed: the same hold, nothing appended.
    await spec
      .when(post(as.principal, '/hold', { heldOn: '2026-12-03' }))
      .then({ status: 200, body: { unchanged: true, events: [] }, newEvents: [] });
    const view = await get(as.principal, '', held.response.body.position).expect(200);
    expect(view.body.council).toMatchObject({ status: 'held', heldOn: '2026-12-03', heldBy: 'principal-01' });
    expect(view.body.council.snapshot.students.b1.general).toBe(16);

    await spec.when(put(as.principal, '/students/b1/synthesis', { text: 'Trop tard.' })).then({
      status: 409,
      body: { code: 'COUNCIL.HELD' },
      newEvents: [],
    });
    // A grade of c2 corrected after the hold: the view shows what the council saw and what stands now.
    await spec.given(
      assessmentStream('c2', {
        type: 'GradeCorrected',
        data: {
          ...keysOf('c2', '2026-11-05'),
          studentId: 'b1',
          previous: 15,
          value: 19,
          reason: 'typed 15 for 19',
          correctedBy: PRINCIPAL_01,
        },
      }),
    );
    const corrected = (await get(as.principal).expect(200)).body;
    expect(corrected.students[0].sinceHold).toEqual({
      heldOn: '2026-12-03',
      heldPosition: Number(heldEvent.position),
      changes: [
        { figure: 'general', seen: 16, now: 18.666666666666668 },
        { figure: 'subjects.MATHS', seen: 16, now: 18.666666666666668 },
      ],
    });
    expect(corrected.students[1].sinceHold).toEqual({
      heldOn: '2026-12-03',
      heldPosition: Number(heldEvent.position),
      changes: [],
    });

    const reopened = await spec
      .when(post(as.principal, '/reopen', { reason: 'a grade of c2 was typed in the wrong column' }))
      .then({
        status: 200,
        newEvents: [
          {
            stream: COUNCIL,
            events: [
              {
                type: 'CouncilReopened',
                data: {
                  ...KEYS,
                  reason: 'a grade of c2 was typed in the wrong column',
                  reopenedBy: PRINCIPAL_01,
                },
              },
            ],
          },
        ],
      });
    const after = await get(as.cpe, '', reopened.response.body.position).expect(200);
    expect(after.body.council).toMatchObject({
      status: 'reopened',
      reopenedReason: 'a grade of c2 was typed in the wrong column',
    });
  });

  it("shows each student's figures, with the grades and the ledger behind them, and the class statistics", async () => {
    await spec
      .given(schoolStreams(), grades, absences, appreciations)
      .when((http) => http.get(`${base}`).set('Authorization', as.teacher))
      .then({ status: 200 });
    const view = (await get(as.teacher).expect(200)).body;
    expect(view.students.map((s: { studentId: string }) => s.studentId)).toEqual([
      'b1',
      'b2',
      'b3',
      'b4',
      'b5',
      'b6',
    ]);
    const [b1, , , , b5] = view.students;
    expect(b1.subjects).toEqual([
      {
        subjectId: 'MATHS',
        average: expect.objectContaining({
          value: 16,
          display: 16,
          gradeIds: ['c1/b1', 'c2/b1'],
          assessmentIds: ['c1', 'c2'],
        }),
        class: {
          average: 11.375,
          min: 7.25,
          max: 16,
          count: 6,
          display: { average: 11.38, min: 7.25, max: 16 },
        },
        positioning: expect.objectContaining({ final: null, shown: null }),
        appreciation: 'Appréciation de b1',
        teacherIds: ['teacher-01'],
        assessmentIds: ['c1', 'c2'],
      },
    ]);
    expect(b1.general).toMatchObject({ value: 16, display: 16 });
    expect(b1.schoolLife).toEqual({
      justifiedHalfDays: 0,
      unjustifiedHalfDays: 2,
      halfDaysAbsent: 2,
      latenesses: 0,
      ledger: LEDGER('b1'),
      openAlerts: [],
      withdrawnAlerts: [],
    });
    expect(view.students[1].schoolLife).toMatchObject({
      unjustifiedHalfDays: 0,
      latenesses: 1,
      ledger: LEDGER('b2'),
    });
    expect(b5.subjects[0].average).toMatchObject({
      value: 11,
      excluded: [{ gradeId: 'c1/b5', assessmentId: 'c1', reason: 'marker' }],
    });
    expect(b1.previousPeriods).toEqual([]);
    expect(b1.classes).toEqual([{ classId: '5B', from: '2026-09-01' }]);
    expect(b1.groups).toEqual([]);
    expect(view.students[5].groups).toEqual([{ groupId: '5LATIN', from: '2026-09-01' }]);
    expect(b1.council).toEqual({ synthesis: null, mention: null });
    expect(b1.sinceHold).toBeNull();
    expect(view.statistics.general).toMatchObject({ average: 11.375, min: 7.25, max: 16, count: 6 });
    expect(view.council).toMatchObject({ status: 'open', scheduledOn: null, classAppreciation: null });
    await get(as.otherTeacher).expect(403);
  });

  it("shows the levels per socle component across items, and the previous periods' general averages", async () => {
    // c3 evaluates b1 on two items of CPD_SCI (levels 3 and 4: 40 and 50 points) and one of MET_APP (level 2).
    const items = [
      { itemId: 'S1', label: 'Calculer', socleComponent: 'CPD_SCI' },
      { itemId: 'S2', label: 'Raisonner', socleComponent: 'CPD_SCI' },
      { itemId: 'R1', label: 'Organiser son travail', socleComponent: 'MET_APP' },
    ];
    const created = assessmentCreated('c3', { date: '2026-11-10' });
    const c3 = assessmentStream(
      'c3',
      { ...created, data: { ...created.data, competencyItems: items } },
      {
        type: 'LevelsRecorded',
        data: {
          ...keysOf('c3', '2026-11-10'),
          levels: [
            { studentId: 'b1', itemId: 'R1', value: 2 },
            { studentId: 'b1', itemId: 'S1', value: 3 },
            { studentId: 'b1', itemId: 'S2', value: 4 },
          ],
          recordedBy: TEACHER_01,
        },
      },
    );
    await spec
      .given(schoolStreams(), grades, c3)
      .when((http) => http.get(base).set('Authorization', as.auditor))
      .then({ status: 200 });
    const [b1] = (await get(as.auditor).expect(200)).body.students;
    // The mean of 40 and 50 is 45: level 4 needs strictly more than 45.
    expect(b1.socle).toEqual([
      {
        component: 'CPD_SCI',
        level: 3,
        points: 45,
        mode: 'all',
        levelIds: ['c3/S1/b1', 'c3/S2/b1'],
        assessmentIds: ['c3'],
      },
      {
        component: 'MET_APP',
        level: 2,
        points: 25,
        mode: 'all',
        levelIds: ['c3/R1/b1'],
        assessmentIds: ['c3'],
      },
    ]);
    // In maths the three levels (25, 40, 50 points) suggest 3; the average stays that of the grades.
    expect(b1.subjects[0].positioning.suggested).toMatchObject({ level: 3 });
    expect(b1.subjects[0].average).toMatchObject({ value: 16, assessmentIds: ['c1', 'c2'] });

    const t2 = (
      await spec
        .http()
        .get(`/schools/${SCHOOL}/councils/5B/T2`)
        .set('Authorization', as.principal)
        .expect(200)
    ).body;
    expect(t2.students[0].previousPeriods).toEqual([
      { periodId: 'T1', general: expect.objectContaining({ value: 16, display: 16 }) },
    ]);
  });

  it('lists what is missing before the council, with who must act, counted per teacher', async () => {
    await spec
      .given(schoolStreams(), teaching, grades, absences, appreciations, {
        stream: `attendance-${SCHOOL}-b3`,
        events: [
          justificationReceived({
            justificationId: 'just-b3',
            studentId: 'b3',
            from: { date: '2026-10-07', halfDay: 'AM' },
            to: { date: '2026-10-07', halfDay: 'PM' },
            receivedOn: '2026-10-08',
          }),
        ],
      })
      .when((http) => http.get(`${base}/readiness`).set('Authorization', as.principal))
      .then({ status: 200 });
    // 5B has maths with teacher-01 on Monday M1 from 2026-11-23: called on the 23rd, not on the 30th.
    await spec
      .when((http) =>
        http
          .put(`/schools/${SCHOOL}/classes/5B/timetable`)
          .set('Authorization', as.principal)
          .send({
            effectiveFrom: '2026-11-23',
            lessons: [{ weekday: 'monday', slotCode: 'M1', teacherId: 'teacher-01' }],
          }),
      )
      .then({ status: 200 });
    await spec.given(
      rollCallStream({ date: '2026-11-23', slot: 'M1' }, rollCallTakenOf({ date: '2026-11-23', slot: 'M1' })),
    );
    const readiness = (await get(as.principal, '/readiness').expect(200)).body;
    expect(readiness.ready).toBe(false);
    expect(readiness.grades.assessments).toEqual([
      {
        assessmentId: 'c2',
        classOrGroupId: '5B',
        subjectId: 'MATHS',
        date: '2026-11-05',
        title: 'Contrôle c2',
        teacherId: 'teacher-01',
        studentIds: ['b3'],
      },
    ]);
    expect(readiness.reports.subjects).toEqual([
      {
        teacherId: 'teacher-01',
        subjectId: 'MATHS',
        classOrGroupId: '5B',
        withoutAppreciation: ['b2'],
        withoutPositioning: ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'],
      },
    ]);
    expect(readiness.unjustifiedAbsences.students).toEqual([
      { studentId: 'b1', unjustifiedHalfDays: 2, ledger: LEDGER('b1') },
    ]);
    expect(readiness.pendingJustifications.students).toEqual([
      {
        studentId: 'b3',
        justifications: [{ justificationId: 'just-b3', from: '2026-10-07', to: '2026-10-07' }],
        ledger: LEDGER('b3'),
      },
    ]);
    expect(readiness.siecle.students.map((s: { studentId: string }) => s.studentId)).toEqual([
      'b1',
      'b2',
      'b3',
      'b4',
      'b5',
      'b6',
    ]);
    expect(readiness.rollCalls.missing).toEqual([
      { date: '2026-11-30', slotCode: 'M1', teacherId: 'teacher-01', voided: false },
    ]);
    expect(readiness.byTeacher).toEqual([
      { teacherId: 'teacher-01', missing: { rollCalls: 1, grades: 1, appreciations: 1, positionings: 6 } },
    ]);
  });
});
