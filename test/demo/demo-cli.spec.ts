import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTokenVerifier } from '../../src/api/auth/token-verifier';
import { runCli } from '../../src/cli';
import { loadConfig } from '../../src/config';
import { demoGuide } from '../../src/demo';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { serve } from '../../src/main';
import { TS_PROJECTION_WORKER } from '../support/projection-worker-script';
import { TS_READ_THREAD } from '../support/read-pool-script';
import { createLogger } from '../../src/logger';
import { CapturedLog, TEST_SECRET, testClock } from '../support/http';
import { TempDir, tempDir } from '../support/temp-db';
import { recordRealSchoolYear } from './demo-fixtures';

/** TEST_NOW: a week after the demo's month, when it may be built. */
const demoClock = testClock;

const run = async (args: string[], env: Record<string, string>) => {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'registre', ...args], {
    env,
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    clock: demoClock,
  });
  return { code, out, err };
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** `export NAME=token` lines of the guide, by name. */
const tokensIn = (text: string): Record<string, string> =>
  Object.fromEntries([...text.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));

/** Each curl line of the guide as the variable it uses and the URL it asks for. */
const requestsIn = (text: string) =>
  [...text.matchAll(/curl -s -H "Authorization: Bearer \$(\w+)" "([^"]+)"/g)].map((m) => ({
    variable: m[1],
    url: m[2],
  }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

describe('registre demo and REGISTRE_DEMO=1', () => {
  let dir: TempDir;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = tempDir('registre-demo-cli-');
    env = {
      REGISTRE_DB_PATH: dir.file('registre.db'),
      REGISTRE_JWT_SECRET: TEST_SECRET,
      REGISTRE_SYNCHRONOUS: 'normal',
    };
  });
  afterEach(() => dir.remove());

  it('builds the demo once, then says it is already there, and prints a token per role and curl lines', async () => {
    const first = await run(['demo'], env);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Demo school 0670001A, .*: built \(\d+ events\)/);
    const tokens = tokensIn(first.out);
    expect(Object.keys(tokens).sort()).toEqual([
      'AUDITOR_TOKEN',
      'CPE_TOKEN',
      'PRINCIPAL_TOKEN',
      'TEACHER_TOKEN',
    ]);
    const verifier = createTokenVerifier({ kind: 'secret', secret: TEST_SECRET, source: 'env' }, demoClock);
    expect(await verifier.verify(tokens.TEACHER_TOKEN)).toEqual({
      sub: 'prof-lefevre',
      role: 'teacher',
      schoolId: '0670001A',
      classes: ['5A', '6A', '6B'],
      subjects: ['MATHS'],
    });
    expect(await verifier.verify(tokens.AUDITOR_TOKEN)).toMatchObject({
      role: 'auditor',
      schoolId: '0670001A',
    });
    expect(requestsIn(first.out).length).toBeGreaterThanOrEqual(4);

    const second = await run(['demo'], env);
    expect(second.code).toBe(0);
    expect(second.out).toContain('already there, nothing written');
  });

  it('refuses politely when the school holds data the demo did not write', async () => {
    const store = SqliteEventStore.open({ path: env.REGISTRE_DB_PATH, synchronous: 'normal' });
    await recordRealSchoolYear(store);
    await store.close();
    const refused = await run(['demo'], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('already holds data the demo did not write');
    expect(refused.out).toBe('');
  });

  it('serves the demo built on an empty store, and every printed request answers', async () => {
    const config = {
      ...loadConfig({ ...env, REGISTRE_DEMO: '1' }),
      port: await freePort(),
      host: '127.0.0.1',
    };
    const quiet = {
      logger: createLogger({ level: 'warn', destination: new CapturedLog().destination }),
      workerScript: TS_PROJECTION_WORKER,
      readThread: TS_READ_THREAD,
      clock: demoClock,
    };
    const { app, url, demo } = await serve(config, quiet);
    try {
      expect(demo?.outcome).toBe('built');
      const guide = (await demoGuide(config, demo!, url, demoClock)).join('\n');
      const tokens = tokensIn(guide);
      const answers = await Promise.all(
        requestsIn(guide).map(async ({ variable, url: target }) => {
          const res = await fetch(target, { headers: { authorization: `Bearer ${tokens[variable]}` } });
          return { target, status: res.status, body: (await res.json()) as unknown };
        }),
      );
      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      expect(JSON.stringify(answers[0].body)).toContain(demo!.roster.story.overThreshold.studentId);
      const answerTo = (route: string) => answers.find((a) => a.target.includes(route))?.body;
      expect(answerTo('/timetable?')).toMatchObject({ timetable: { effectiveFrom: '2026-09-01' } });
      // Declared timetables: the two roll calls never taken and the museum outing's afternoon, nothing else.
      expect(answerTo('/attendance/completeness?')).toMatchObject({
        basis: {
          declared: ['3A', '4A', '5A', '5B', '6A', '6B', 'EURO-ANG', 'LATIN-5'],
          inferred: { classes: [] },
        },
        missing: { length: 4 },
        unexpected: [],
      });
      // The teacher's grade book of 5A in maths, and the grades of the student who changed class.
      expect(answerTo('/grade-books/')).toMatchObject({
        classOrGroupId: '5A',
        subjectId: 'MATHS',
        period: { id: 'T1' },
        students: { length: 28 },
      });
      const moved = demo!.roster.story.changesClass;
      expect(answerTo(`/students/${moved.studentId}/grades?`)).toMatchObject({
        studentId: moved.studentId,
        period: { id: 'T1' },
        moved: { length: 2 },
      });
      // 5A's council, held on 27 November; the minimal snapshot of the demo's hold keeps no figures.
      const council = answerTo('/councils/5A/T1') as Data;
      expect(council).toMatchObject({
        classId: '5A',
        council: {
          status: 'held',
          scheduledOn: '2026-11-27',
          heldOn: '2026-11-27',
          heldBy: 'principal-01',
          snapshot: { period: { id: 'T1', start: '2026-09-01', end: '2026-11-30' } },
        },
        students: { length: 27 },
      });
      expect(council.students.filter((s: Data) => s.council.synthesis !== null)).toHaveLength(27);
      expect(council.students.filter((s: Data) => s.council.mention !== null)).toHaveLength(6);
      expect(council.students.filter((s: Data) => s.sinceHold !== null)).toEqual([]);
      // 5B's, still to come: its readiness lists what is still missing.
      expect(answerTo('/councils/5B/T1/readiness')).toMatchObject({
        classId: '5B',
        period: { id: 'T1' },
        ready: false,
      });
    } finally {
      await app.close();
    }
    const log = new CapturedLog();
    const again = await serve(config, {
      logger: createLogger({ level: 'info', destination: log.destination }),
      workerScript: TS_PROJECTION_WORKER,
      readThread: TS_READ_THREAD,
      clock: demoClock,
    });
    try {
      expect(again.demo).toBeUndefined();
      expect(log.withMessage('registre listening')).toEqual([
        expect.objectContaining({ demo: 'skipped: the store was not empty' }),
      ]);
    } finally {
      await again.app.close();
    }
  });
});
