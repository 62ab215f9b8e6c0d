import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli';
import { startTestApp, SCHOOL, TEST_SECRET, TestApp, testClock } from '../../support/http';
import { setUpSchool, Tokens, tokensFor } from '../attendance/attendance-school';

const school = `/schools/${SCHOOL}`;

type Held = { position: string; streamId: string; type: string; data: Record<string, unknown> };

describe('the right of access: everything held about one student', () => {
  let as: Tokens;
  let app: TestApp;
  let position: string;
  beforeAll(async () => {
    as = await tokensFor();
  });
  beforeEach(async () => {
    app = await startTestApp();
    await setUpSchool(app);
    const send = async (token: string, path: string, body: object) => {
      const answer = await app.http().post(`${school}${path}`).set('Authorization', token).send(body);
      if (answer.status !== 200 && answer.status !== 201)
        throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      position = answer.body.position as string;
    };
    await send(as.principal, '/students', {
      studentId: 'p1',
      lastName: 'PERSONNE',
      firstName: 'Paule',
      classId: '5B',
      from: '2026-09-01',
    });
    await send(as.teacher, '/roll-calls', {
      classId: '5B',
      date: '2026-11-16',
      slot: 'M1',
      absent: ['p1', 'b2'],
      late: [{ studentId: 'b3', minutes: 5 }],
    });
    await send(as.teacher, '/roll-calls', { classId: '5B', date: '2026-11-16', slot: 'M2', absent: ['b4'] });
    await send(as.teacher, '/assessments', {
      assessmentId: 'c1',
      classId: '5B',
      subjectId: 'MATHS',
      date: '2026-10-02',
      title: 'contrôle 1',
    });
    await send(as.teacher, '/assessments/c1/grades', {
      grades: [
        { studentId: 'b2', value: 9 },
        { studentId: 'p1', value: 14.5 },
      ],
    });
    await send(as.cpe, '/students/p1/absences', {
      from: { date: '2026-11-24' },
      to: { date: '2026-11-24', slot: 'M4' },
      reasonCode: 'MALADIE',
      note: 'mother called at 7:50',
    });
  });
  afterEach(async () => {
    await app.close();
  });

  const get = (token: string, path: string) => app.http().get(`${school}${path}`).set('Authorization', token);

  it('hands over their own streams and the roll call that named them, without the other students, and logs the read', async () => {
    const answer = await get(as.auditor, `/students/p1/personal-data?minPosition=${position}`).expect(200);
    expect(answer.body).toMatchObject({
      schoolId: SCHOOL,
      studentId: 'p1',
      generatedAt: '2026-12-07T08:00:00.000Z',
      ownStreams: [`student-${SCHOOL}-p1`, `attendance-${SCHOOL}-p1`],
    });
    const events = answer.body.events as Held[];
    expect(events.map((event) => `${event.type} ${event.streamId}`)).toEqual([
      `StudentRegistered student-${SCHOOL}-p1`,
      `StudentEnrolled student-${SCHOOL}-p1`,
      `RollCallTaken rollcall-${SCHOOL}-5B-2026-11-16-M1`,
      `GradesRecorded assessment-${SCHOOL}-c1`,
      `AbsenceReported attendance-${SCHOOL}-p1`,
    ]);
    expect(events[0].data).toMatchObject({ studentId: 'p1', lastName: 'PERSONNE', firstName: 'Paule' });
    expect(events[2].data).toMatchObject({
      classOrGroupId: '5B',
      date: '2026-11-16',
      slot: { code: 'M1' },
      register: ['p1'],
      absent: ['p1'],
      late: [],
    });
    expect(events[3].data).toMatchObject({
      assessmentId: 'c1',
      subjectId: 'MATHS',
      grades: [{ studentId: 'p1', value: 14.5 }],
    });
    expect(events[4].data).toMatchObject({
      studentId: 'p1',
      reasonCode: 'MALADIE',
      note: 'mother called at 7:50',
    });
    expect(answer.body.figures.attendanceThisYear).toMatchObject({
      studentId: 'p1',
      from: '2026-09-01',
      total: { halfDaysAbsent: 2, justifiedHalfDays: 0, unjustifiedHalfDays: 2, latenesses: 0 },
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/"b[1-6]"/);

    const log = await get(as.auditor, '/access-log?studentId=p1').expect(200);
    expect(log.body.entries).toEqual([
      {
        at: '2026-12-07T08:00:00.000Z',
        actorId: 'auditor-01',
        actorRole: 'auditor',
        schoolId: SCHOOL,
        studentId: 'p1',
        scope: null,
        route: '/schools/:schoolId/students/:studentId/personal-data',
        status: 200,
      },
    ]);
  });

  it('gives the same as CSV, one row per event', async () => {
    const answer = await get(
      as.principal,
      `/students/p1/personal-data?format=csv&minPosition=${position}`,
    ).expect(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = answer.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('position;streamId;revision;type;recordedAt;actorId;actorRole;reason;data');
    expect(lines.slice(1).map((line) => line.split(';').slice(1, 7).join(';'))).toEqual([
      `student-${SCHOOL}-p1;0;StudentRegistered;2026-12-07T08:00:00.000Z;principal-01;principal`,
      `student-${SCHOOL}-p1;1;StudentEnrolled;2026-12-07T08:00:00.000Z;principal-01;principal`,
      `rollcall-${SCHOOL}-5B-2026-11-16-M1;0;RollCallTaken;2026-12-07T08:00:00.000Z;teacher-01;teacher`,
      `assessment-${SCHOOL}-c1;1;GradesRecorded;2026-12-07T08:00:00.000Z;teacher-01;teacher`,
      `attendance-${SCHOOL}-p1;0;AbsenceReported;2026-12-07T08:00:00.000Z;cpe-01;cpe`,
    ]);
  });

  it('answers 404 for a student nobody recorded, and refuses the CPE and the teacher', async () => {
    const unknown = await get(as.admin, `/students/zz/personal-data?minPosition=${position}`).expect(404);
    expect(unknown.body.code).toBe('STRUCTURE.STUDENT_UNKNOWN');
    await get(as.cpe, '/students/p1/personal-data').expect(403);
    await get(as.teacher, '/students/p1/personal-data').expect(403);
    const bad = await get(as.auditor, '/students/p1/personal-data?format=xml').expect(400);
    expect(bad.body.details[0].field).toBe('format');
  });

  it('registre personal-data asks the running service and prints the document, the read logged under the CLI user', async () => {
    await get(as.auditor, `/students/p1/personal-data?minPosition=${position}`).expect(200);
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    let out = '';
    let err = '';
    const code = await runCli(['node', 'registre', 'personal-data', '--school', SCHOOL, '--student', 'p1'], {
      env: {
        REGISTRE_DB_PATH: join(app.dir, 'unused', 'registre.db'),
        REGISTRE_JWT_SECRET: TEST_SECRET,
        REGISTRE_URL: `http://127.0.0.1:${port}`,
      },
      out: (text) => void (out += text),
      err: (text) => void (err += text),
      clock: testClock,
    });
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const document = JSON.parse(out) as { studentId: string; events: Held[] };
    expect(document.studentId).toBe('p1');
    expect(document.events.map((event) => event.type)).toEqual([
      'StudentRegistered',
      'StudentEnrolled',
      'RollCallTaken',
      'GradesRecorded',
      'AbsenceReported',
    ]);
    const log = await get(as.auditor, '/access-log?studentId=p1').expect(200);
    expect(log.body.entries).toMatchObject([
      { actorId: 'auditor-01', actorRole: 'auditor' },
      { actorId: `cli:${userInfo().username}`, actorRole: 'admin', status: 200 },
    ]);
  });
});
