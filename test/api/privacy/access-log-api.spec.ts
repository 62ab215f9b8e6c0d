import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_LOGGED_ROUTES, NOT_STUDENT_DATA } from '../../../src/api/privacy/access-logged-routes';
import { ManualClock, TEST_NOW } from '../../support/clock';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../../support/http';
import { setUpSchool, Tokens, tokensFor } from '../attendance/attendance-school';

const school = `/schools/${SCHOOL}`;
const LEDGER = '/schools/:schoolId/students/:studentId/attendance';
const CLASS_DAY = '/schools/:schoolId/classes/:classId/attendance';
const AT = new Date(TEST_NOW).toISOString();

describe('the access log: who read which student, for the data-protection officer', () => {
  let as: Tokens;
  const opened: TestApp[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    as = await tokensFor();
  });
  afterEach(async () => {
    for (const app of opened.splice(0)) await app.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (options: Parameters<typeof startTestApp>[0] = {}) => {
    const app = await startTestApp(options);
    opened.push(app);
    return app;
  };
  const get = (app: TestApp, token: string, path: string) =>
    app.http().get(`${school}${path}`).set('Authorization', token);

  it('records a ledger read with its actor, student, route and status, and keeps it across a restart', async () => {
    const first = await startTestApp();
    dirs.push(first.dir);
    await setUpSchool(first);
    await get(first, as.cpe, '/students/b1/attendance').expect(200);
    await get(first, as.teacher, '/classes/5B/attendance?date=2026-12-07').expect(200);
    await get(first, as.cpe, '/students/nobody/attendance/counts');
    await first.app.close();

    const again = await start({ env: { REGISTRE_DB_PATH: join(first.dir, 'registre.db') } });
    const answer = await get(again, as.auditor, '/access-log').expect(200);
    expect(answer.body).toEqual({
      entries: [
        {
          at: AT,
          actorId: 'cpe-01',
          actorRole: 'cpe',
          schoolId: SCHOOL,
          studentId: 'b1',
          scope: null,
          route: LEDGER,
          status: 200,
        },
        {
          at: AT,
          actorId: 'teacher-01',
          actorRole: 'teacher',
          schoolId: SCHOOL,
          studentId: null,
          scope: 'class day 5B',
          route: CLASS_DAY,
          status: 200,
        },
        {
          at: AT,
          actorId: 'cpe-01',
          actorRole: 'cpe',
          schoolId: SCHOOL,
          studentId: 'nobody',
          scope: null,
          route: '/schools/:schoolId/students/:studentId/attendance/counts',
          status: 404,
        },
      ],
      next: null,
    });
  });

  it('filters by student, actor and time, and pages with limit and next', async () => {
    const clock = new ManualClock();
    const app = await start({ clock });
    await setUpSchool(app);
    await get(app, as.cpe, '/students/b1/attendance').expect(200);
    clock.advance(60_000);
    await get(app, as.principal, '/students/b2/attendance').expect(200);
    clock.advance(60_000);
    await get(app, as.cpe, '/students/b2/enrolments').expect(200);
    const read = async (query: string) =>
      (await get(app, as.admin, `/access-log?${query}`).expect(200)).body as {
        entries: { actorId: string; studentId: string; at: string }[];
        next: string | null;
      };
    const who = (page: { entries: { actorId: string; studentId: string }[] }) =>
      page.entries.map((entry) => `${entry.actorId}:${entry.studentId}`);

    expect(who(await read('studentId=b2'))).toEqual(['principal-01:b2', 'cpe-01:b2']);
    expect(who(await read('actor=cpe-01'))).toEqual(['cpe-01:b1', 'cpe-01:b2']);
    expect(who(await read('from=2026-12-07T08:01:00Z'))).toEqual(['principal-01:b2', 'cpe-01:b2']);
    expect(who(await read('from=2026-12-07T09:00:00%2B01:00&to=2026-12-07T08:02:00Z'))).toEqual([
      'cpe-01:b1',
      'principal-01:b2',
    ]);
    expect(who(await read('actor=cpe-01&studentId=b2'))).toEqual(['cpe-01:b2']);

    const first = await read('limit=2');
    expect(who(first)).toEqual(['cpe-01:b1', 'principal-01:b2']);
    expect(first.next).not.toBeNull();
    const second = await read(`limit=2&after=${first.next}`);
    expect(who(second)).toEqual(['cpe-01:b2']);
    expect(second.next).toBeNull();
  });

  it('answers the auditor and the admin only, and names the wrong parameter', async () => {
    const app = await start();
    for (const token of [as.cpe, as.principal, as.teacher]) await get(app, token, '/access-log').expect(403);
    await get(app, await tokenFor('auditor', '0670002B'), '/access-log').expect(403);
    const refused = async (query: string) =>
      (await get(app, as.auditor, `/access-log?${query}`).expect(400)).body.details.map(
        (problem: { field: string }) => problem.field,
      );
    expect(await refused('from=yesterday')).toEqual(['from']);
    expect(await refused('to=2026-02-30T00:00:00Z')).toEqual(['to']);
    expect(await refused('from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z')).toEqual(['to']);
    expect(await refused('after=WyJ4Il0')).toEqual(['after']);
    expect(await refused('limit=0')).toEqual(['limit']);
    expect(await refused('studentId=a%20b')).toEqual(['studentId']);
    expect(await refused('actor=a%00b')).toEqual(['actor']);
  });

  it('classifies every GET operation of the OpenAPI document: logged, or said to hold no student data', async () => {
    const app = await start();
    const document = (await app.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const reads = Object.entries(document.paths)
      .filter(([, operations]) => 'get' in operations)
      .map(([path]) => path.replace(/\{([^}]+)\}/g, ':$1'));
    const unclassified = reads.filter(
      (route) => !Object.hasOwn(ACCESS_LOGGED_ROUTES, route) && !Object.hasOwn(NOT_STUDENT_DATA, route),
    );
    expect(unclassified).toEqual([]);
    const stale = [...Object.keys(ACCESS_LOGGED_ROUTES), ...Object.keys(NOT_STUDENT_DATA)].filter(
      (route) => !reads.includes(route),
    );
    expect(stale).toEqual([]);
  });
});
