import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { runCli } from '../../../src/cli';
import { reportStreamId } from '../../../src/domain/assessment';
import { schoolStreamId } from '../../../src/domain/structure/school';
import { studentStreamId } from '../../../src/domain/structure/student';
import { validateLsu } from '../../domain/lsu/fixtures';
import {
  classOpened,
  enrolled,
  schoolYearDefined,
  teacherRecorded,
  trimestersSet,
} from '../../domain/structure/structure-fixtures';
import { readPdf, squeezed } from '../../report-cards/pdf-text';
import { apiSpec, GivenStream, SpecEvent } from '../../support/api-spec';
import { SCHOOL, TEST_SECRET, testClock, tokenFor } from '../../support/http';
import {
  assessmentCreated,
  assessmentStream,
  gradesRecorded,
  TEACHER_01,
} from '../assessment/assessment-school';
import { rollCallStream, rollCallTakenOf } from '../attendance/attendance-school';

/** Mathematics under its national (BCN) code, taught by an STS-web teacher. */
const MATHS = '061300';
const STS_TEACHER = '14502';
const WHERE = { subjectId: MATHS };

/** 5B and 5A, mathematics, its teacher (STS id) and the principal (DIR) as STS-web lists them. */
const schoolWith = (label: string, shortLabel: string): GivenStream => ({
  stream: schoolStreamId(SCHOOL),
  events: [
    schoolYearDefined(),
    trimestersSet(),
    classOpened('5A'),
    classOpened('5B'),
    {
      type: 'SubjectDefined',
      data: {
        schoolId: SCHOOL,
        subjectId: MATHS,
        code: 'MATHS',
        label,
        shortLabel,
      },
    },
    teacherRecorded(STS_TEACHER, 'MARTIN', 'Paul'),
    {
      type: 'StaffMemberRecorded',
      data: { schoolId: SCHOOL, staffId: '9001', lastName: 'MOREL', firstName: 'Claire', function: 'DIR' },
    },
    {
      type: 'TeachingAssigned',
      data: {
        schoolId: SCHOOL,
        teacherId: STS_TEACHER,
        subjectId: MATHS,
        target: { kind: 'class', id: '5B' },
      },
    },
  ],
});
const school = schoolWith('Mathématiques', 'MATHS');

const student = (
  studentId: string,
  ine: string | null,
  lastName: string,
  firstName: string,
): GivenStream => ({
  stream: studentStreamId(SCHOOL, studentId),
  events: [
    {
      type: 'StudentRegistered',
      data: { schoolId: SCHOOL, studentId, ine, lastName, firstName, birthDate: null },
    },
    enrolled('5B', '2026-09-01', studentId),
  ],
});

const students = [
  student('b1', '123456789AB', 'DUPRÉ', 'Éloïse'),
  student('b2', '123456789AC', 'LEFÈVRE', 'Noé'),
];

const byTeacher = (event: SpecEvent): SpecEvent => ({
  ...event,
  data: { ...event.data, teacherId: STS_TEACHER },
});

/** c1 (coefficient 1) and c2 (coefficient 2): b1 15.5 and 14 → 14.5; b2 12.25 and 9 → 10.083… */
const grades: GivenStream[] = [
  assessmentStream(
    'c1',
    byTeacher(assessmentCreated('c1', WHERE)),
    gradesRecorded('c1', { b1: 15.5, b2: 12.25 }, undefined, WHERE),
  ),
  assessmentStream(
    'c2',
    byTeacher(assessmentCreated('c2', { date: '2026-11-05', coefficient: 2, ...WHERE })),
    gradesRecorded('c2', { b1: 14, b2: 9 }, '2026-11-05', WHERE),
  ),
];

const reportKeys = (studentId: string) => ({ classId: '5B', subjectId: MATHS, periodId: 'T1', studentId });

/** Appreciations and final positionings of the students given. */
const reports = (studentIds: readonly string[]): GivenStream => ({
  stream: reportStreamId(SCHOOL, '5B', MATHS, 'T1'),
  events: studentIds.flatMap((studentId) => [
    {
      type: 'AppreciationWritten',
      data: {
        ...reportKeys(studentId),
        text: `Travail régulier, ${studentId}.`,
        previous: null,
        reason: null,
        writtenBy: TEACHER_01,
      },
    },
    {
      type: 'PositioningSet',
      data: {
        ...reportKeys(studentId),
        positioning: 3,
        previous: null,
        suggested: null,
        reason: null,
        setBy: TEACHER_01,
      },
    },
  ]),
});

/** b1 absent on the Monday morning, b2 late 10 minutes. */
const absences = rollCallStream(
  { date: '2026-10-05', slot: 'M2' },
  rollCallTakenOf(
    { date: '2026-10-05', slot: 'M2' },
    { absent: ['b1'], late: [{ studentId: 'b2', minutes: 10 }] },
  ),
);

const BASE = `/schools/${SCHOOL}/councils/5B/T1`;

/** Reads a binary answer (a PDF) into a Buffer: supertest's parser gets the Node response stream. */
const binary = (res: Response, done: (error: Error | null, body: Buffer) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('the council exports API', () => {
  const spec = apiSpec();
  let principal: string;
  let teacher: string;
  let otherTeacher: string;
  beforeAll(async () => {
    principal = await tokenFor('principal');
    teacher = await tokenFor('teacher', SCHOOL, { sub: 'teacher-01', classes: ['5B'], subjects: [MATHS] });
    otherTeacher = await tokenFor('teacher', SCHOOL, {
      sub: 'teacher-03',
      classes: ['5A'],
      subjects: [MATHS],
    });
  });

  const get = (token: string, path: string) => spec.http().get(`${BASE}${path}`).set('Authorization', token);

  /** The synthesis of each student, then the council held on 3 December. */
  const holdCouncil = async () => {
    for (const id of ['b1', 'b2'])
      await spec
        .http()
        .put(`${BASE}/students/${id}/synthesis`)
        .set('Authorization', principal)
        .send({ text: `Bon trimestre pour ${id}.` })
        .expect(200);
    const held = await spec
      .http()
      .post(`${BASE}/hold`)
      .set('Authorization', principal)
      .send({ heldOn: '2026-12-03' })
      .expect(200);
    return String(held.body.position);
  };

  it('exports the held council as an LSU file the national schema accepts, named after the school, class and period', async () => {
    await spec.given(school, students, grades, reports(['b1', 'b2']), absences);
    const position = await holdCouncil();

    const check = await get(principal, `/lsu/check?minPosition=${position}`).expect(200);
    expect(check.body).toEqual({ problems: [] });

    const lsu = await get(teacher, `/lsu?minPosition=${position}`).expect(200);
    expect(lsu.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(lsu.headers['content-disposition']).toBe('attachment; filename="lsu-0670001A-5B-T1.xml"');
    expect(lsu.headers['cache-control']).toBe('no-store');
    expect(validateLsu(lsu.text)).toEqual({ valid: true, output: '- validates\n' });
    expect(lsu.text).toContain('id-sts="14502"');
    expect(lsu.text).toContain('Claire MOREL, chef d&apos;établissement');
    expect(lsu.text).toContain('123456789AB');
  });

  it("writes a subject's short label where its label is longer than the LSU's 40 characters", async () => {
    await spec.given(
      schoolWith('Mathématiques, statistiques et algorithmique (cycle 4)', 'Mathématiques'),
      students,
      grades,
      reports(['b1', 'b2']),
      absences,
    );
    const position = await holdCouncil();

    const lsu = await get(principal, `/lsu?minPosition=${position}`).expect(200);
    expect(validateLsu(lsu.text)).toEqual({ valid: true, output: '- validates\n' });
    expect(lsu.text).toContain('libelle="Mathématiques"');
  });

  it('refuses the export with 409 naming a missing appreciation, which the check lists too', async () => {
    await spec.given(school, students, grades, reports(['b1']), absences);
    const position = await holdCouncil();

    const refused = await get(principal, `/lsu?minPosition=${position}`).expect(409);
    expect(refused.body.code).toBe('LSU.NOT_EXPORTABLE');
    expect(refused.body.details.problems).toEqual([
      expect.objectContaining({ code: 'LSU.APPRECIATION_MISSING', studentId: 'b2', subjectId: MATHS }),
    ]);
    const check = await get(principal, `/lsu/check?minPosition=${position}`).expect(200);
    expect(check.body.problems).toEqual([
      expect.objectContaining({
        code: 'LSU.APPRECIATION_MISSING',
        studentId: 'b2',
        subjectId: MATHS,
        field: expect.stringContaining('appreciation'),
      }),
    ]);
  });

  it("prints the class's report cards, one page per student, with averages in French and names with accents", async () => {
    await spec.given(school, students, grades, reports(['b1', 'b2']), absences);
    const position = await holdCouncil();

    const response = await get(principal, `/report-cards.pdf?minPosition=${position}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="bulletins-0670001A-5B-T1.pdf"',
    );
    const pdf = readPdf(response.body as Buffer);
    expect(pdf.pages).toBe(2);
    const [first, second] = pdf.pageTexts.map(squeezed);
    expect(first).toContain('DUPRÉ Éloïse');
    expect(first).toContain('14,50');
    expect(second).toContain('LEFÈVRE Noé');
    expect(second).toContain('10,08');

    const one = await get(teacher, `/students/b2/report-card.pdf?minPosition=${position}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(one.headers['content-disposition']).toBe('attachment; filename="bulletin-0670001A-5B-T1-b2.pdf"');
    const alone = readPdf(one.body as Buffer);
    expect(alone.pages).toBe(1);
    expect(squeezed(alone.pageTexts[0])).toContain('LEFÈVRE Noé');
  });

  it("prints the school's name once the school gives it (setting schoolName), its UAI before", async () => {
    await spec.given(school, students, grades, reports(['b1', 'b2']), absences);
    const position = await holdCouncil();
    const pageOf = async (minPosition: string) =>
      squeezed(
        readPdf(
          (
            await get(principal, `/students/b1/report-card.pdf?minPosition=${minPosition}`)
              .buffer(true)
              .parse(binary)
              .expect(200)
          ).body as Buffer,
        ).pageTexts[0],
      );
    expect(await pageOf(position)).toContain('Établissement 0670001A');

    const settings = (value: unknown) =>
      spec
        .http()
        .post(`/schools/${SCHOOL}/settings`)
        .set('Authorization', principal)
        .send({ key: 'schoolName', value, effectiveFrom: '2026-09-01' });
    const blank = await settings('   ').expect(400);
    expect(blank.body).toMatchObject({ code: 'SETTINGS.VALUE_INVALID' });
    const named = await settings('  Collège Jean Moulin ').expect(201);

    const page = await pageOf(String(named.body.position));
    expect(page).toContain('Collège Jean Moulin');
    expect(page).not.toContain('Établissement 0670001A');
  });

  it('writes the council table as CSV for a spreadsheet', async () => {
    await spec.given(school, students, grades, reports(['b1', 'b2']), absences);
    const position = await holdCouncil();

    const csv = await get(principal, `/council.csv?minPosition=${position}`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="conseil-0670001A-5B-T1.csv"');
    expect(csv.text.split('\r\n')).toEqual([
      '\ufeffNom;Prénom;Mathématiques;Moyenne générale;Demi-journées justifiées;Demi-journées non justifiées;Retards;Mention',
      'DUPRÉ;Éloïse;14,50;14,50;0;1;0;',
      'LEFÈVRE;Noé;10,08;10,08;0;0;1;',
      '',
    ]);
  });

  it('refuses a teacher of another class (403) and answers 404 for what the school does not have', async () => {
    await spec.given(school, students, grades, reports(['b1', 'b2']));
    for (const path of [
      '/lsu',
      '/lsu/check',
      '/report-cards.pdf',
      '/students/b1/report-card.pdf',
      '/council.csv',
    ])
      expect((await get(otherTeacher, `${path}?minPosition=0`)).status).toBe(403);
    const statuses = await Promise.all(
      [
        `/schools/${SCHOOL}/councils/5Z/T1/lsu`,
        `/schools/${SCHOOL}/councils/5B/T9/lsu/check`,
        `/schools/${SCHOOL}/councils/5B/T1/students/nobody/report-card.pdf`,
        `/schools/${SCHOOL}/councils/5Z/T1/council.csv`,
        `/schools/${SCHOOL}/councils/5B/T9/report-cards.pdf`,
      ].map(async (path) => (await spec.http().get(path).set('Authorization', principal)).status),
    );
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
  });

  describe('from the command line', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'registre-council-cli-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs `registre …` in-process against the test app, listening on a free port. */
    const registre = async (args: string[]) => {
      if (!spec.app.app.getHttpServer().listening) await spec.app.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = spec.app.app.getHttpServer().address() as AddressInfo;
      let out = '';
      let err = '';
      const code = await runCli(['node', 'registre', ...args], {
        env: {
          REGISTRE_DB_PATH: join(dir, 'unused.db'),
          REGISTRE_JWT_SECRET: TEST_SECRET,
          REGISTRE_URL: `http://127.0.0.1:${port}`,
        },
        out: (text) => void (out += text),
        err: (text) => void (err += text),
        clock: testClock,
      });
      return { code, out, err };
    };

    it('registre export lsu writes the LSU file on stdout, and lists the problems instead when there are some', async () => {
      await spec.given(school, students, grades, reports(['b1', 'b2']), absences);
      // The CLI reads what the views hold: let them reach the hold first.
      await get(principal, `?minPosition=${await holdCouncil()}`).expect(200);

      const exported = await registre([
        'export',
        'lsu',
        '--class',
        '5B',
        '--period',
        'T1',
        '--school',
        SCHOOL,
      ]);
      expect(exported.code).toBe(0);
      expect(validateLsu(exported.out)).toEqual({ valid: true, output: '- validates\n' });

      const refused = await registre([
        'export',
        'lsu',
        '--class',
        '5A',
        '--period',
        'T1',
        '--school',
        SCHOOL,
      ]);
      expect(refused).toEqual({
        code: 1,
        out: '',
        err:
          'registre: LSU.NOT_EXPORTABLE: the LSU export of 5A, T1 has 1 problem(s) to fix first: the class has no student to export\n' +
          '  - LSU.NO_STUDENT students: the class has no student to export\n',
      });
    });

    it('registre report-cards writes a PDF per student, the class PDF and the council CSV', async () => {
      await spec.given(school, students, grades, reports(['b1', 'b2']), absences);
      // The CLI reads what the views hold: let them reach the hold first.
      await get(principal, `?minPosition=${await holdCouncil()}`).expect(200);
      const out = join(dir, 'bulletins');

      const { code } = await registre([
        'report-cards',
        '--class',
        '5B',
        '--period',
        'T1',
        '--school',
        SCHOOL,
        '--out',
        out,
      ]);
      expect(code).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['b1.pdf', 'b2.pdf', 'class.pdf', 'council.csv']);
      expect(readPdf(readFileSync(join(out, 'class.pdf'))).pages).toBe(2);
      expect(squeezed(readPdf(readFileSync(join(out, 'b1.pdf'))).pageTexts[0])).toContain('DUPRÉ Éloïse');
      expect(readFileSync(join(out, 'council.csv'), 'utf8').split('\r\n')[1]).toBe(
        'DUPRÉ;Éloïse;14,50;14,50;0;1;0;',
      );
    });

    it('names the school it needs and a service it cannot reach', async () => {
      const noSchool = await registre(['export', 'lsu', '--class', '5B', '--period', 'T1']);
      expect(noSchool).toEqual({
        code: 1,
        out: '',
        err: 'registre lsu: give the school with --school <uai> (or REGISTRE_SCHOOL)\n',
      });
      const unreachable = await registre([
        'export',
        'lsu',
        '--class',
        '5B',
        '--period',
        'T1',
        '--school',
        SCHOOL,
        '--url',
        'http://127.0.0.1:1',
      ]);
      expect(unreachable).toEqual({
        code: 1,
        out: '',
        err: expect.stringContaining('registre: cannot reach the service at http://127.0.0.1:1'),
      });
    });
  });
});
