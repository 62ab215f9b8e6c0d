import { EVENT_STORE } from '../../../src/api/core/tokens';
import type { EventStore } from '../../../src/event-store/event-store';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../../support/http';
import { setUpSchool } from '../attendance/attendance-school';

type Operations = Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;

/** A value for each path parameter that the seeded school knows, so that only the role can refuse. */
const SAMPLE: Readonly<Record<string, string>> = {
  schoolId: SCHOOL,
  classId: '5B',
  groupId: '5LATIN',
  classOrGroup: '5B',
  studentId: 'b1',
  subjectId: 'MATHS',
  teacherId: 'T9',
  periodId: 'T1',
  date: '2026-11-16',
  slot: 'M1',
};

describe('the auditor writes nothing', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await setUpSchool(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('is refused 403 AUTH.READ_ONLY_ROLE by every operation of the OpenAPI document that is not a GET, and the log does not move', async () => {
    const document = (await app.http().get('/docs-json').expect(200)).body as { paths: Operations };
    const writes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => ({ method, path })),
    );
    expect(writes.length).toBeGreaterThan(30);
    const store = app.app.get<EventStore>(EVENT_STORE);
    const head = await store.headPosition();
    const auditor = await tokenFor('auditor');
    const answers: string[] = [];
    for (const { method, path } of writes) {
      const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => SAMPLE[name] ?? 'x1');
      const answer = await app
        .http()
        [method as 'post' | 'put' | 'patch' | 'delete'](url)
        .set('Authorization', auditor);
      answers.push(`${method.toUpperCase()} ${path} ${answer.status} ${answer.body?.code as string}`);
    }
    expect(answers.filter((answer) => !answer.endsWith(' 403 AUTH.READ_ONLY_ROLE'))).toEqual([]);
    expect(await store.headPosition()).toBe(head);
  });
});
