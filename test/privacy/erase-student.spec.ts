import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { runCli } from '../../src/cli';
import { KeyStore, PiiProtectingStore } from '../../src/event-store/pii';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { studentStreamId } from '../../src/domain/structure/student';
import { setUpSchool } from '../api/attendance/attendance-school';
import { SCHOOL, startTestApp, TEST_SECRET, testClock, tokenFor } from '../support/http';
import { tempDir, TempDir } from '../support/temp-db';

const ZOE = {
  studentId: 'z1',
  lastName: 'Lefèvre-Dupontel',
  firstName: 'Zoéline',
  ine: '070999888ZX',
  birthDate: '2013-04-17',
};
const NOTE = 'Zoéline chez le Dr Marchetti';
/** Everything of Zoé's that must not survive her erasure anywhere, as bytes. */
const PERSONAL = [ZOE.lastName, ZOE.firstName, ZOE.ine, ZOE.birthDate, '20130417', NOTE];

const bytesOf = (path: string): Buffer => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0));
const found = (path: string): string[] =>
  PERSONAL.filter((text) => bytesOf(path).indexOf(Buffer.from(text, 'utf8')) !== -1);
const withWal = (path: string) => [path, `${path}-wal`];

describe('registre erase-student', () => {
  let dir: TempDir;
  const env = () => ({
    REGISTRE_DB_PATH: dir.file('registre.db'),
    REGISTRE_JWT_SECRET: TEST_SECRET,
    REGISTRE_SYNCHRONOUS: 'normal',
  });
  const files = () => ({
    events: dir.file('registre.db'),
    readModels: dir.file('registre.read-models.db'),
    keys: dir.file('registre.keys.db'),
  });

  beforeEach(() => {
    dir = tempDir('registre-erase-');
  });

  const erase = async (studentId: string, reason: string, ...more: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      [
        'node',
        'registre',
        'erase-student',
        '--school',
        SCHOOL,
        '--student',
        studentId,
        '--reason',
        reason,
        ...more,
      ],
      { env: env(), out: (text) => out.push(text), err: (text) => err.push(text), clock: testClock },
    );
    return { code, out: out.join(''), err: err.join('') };
  };
  afterEach(() => dir.remove());

  /** The service as a school uses it, then stopped: Zoé registered, absent, justified. */
  const schoolDay = async () => {
    const app = await startTestApp({ env: env() });
    try {
      await setUpSchool(app);
      const as = {
        principal: await tokenFor('principal'),
        teacher: await tokenFor('teacher'),
        cpe: await tokenFor('cpe'),
      };
      const post = async (token: string, path: string, body: object) => {
        const response = await app
          .http()
          .post(`/schools/${SCHOOL}${path}`)
          .set('Authorization', token)
          .send(body);
        if (response.status >= 300)
          throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
        return response.body as { position: string };
      };
      await post(as.principal, '/students', { ...ZOE, classId: '5B', from: '2026-09-01' });
      await post(as.teacher, '/roll-calls', {
        classId: '5B',
        date: '2026-11-16',
        slot: 'M1',
        absent: ['z1', 'b1'],
      });
      await post(as.teacher, '/roll-calls', {
        classId: '5B',
        date: '2026-11-16',
        slot: 'M2',
        absent: ['z1'],
      });
      const last = await post(as.cpe, '/students/z1/justifications', {
        from: { date: '2026-11-16', halfDay: 'AM' },
        to: { date: '2026-11-16', halfDay: 'AM' },
        reasonCode: 'MALADIE',
        source: 'family',
        note: NOTE,
      });
      return await readViews(app, last.position);
    } finally {
      await app.app.close();
    }
  };

  const readViews = async (app: Awaited<ReturnType<typeof startTestApp>>, minPosition: string) => {
    const token = await tokenFor('principal');
    const get = async (path: string) => {
      const response = await app
        .http()
        .get(`/schools/${SCHOOL}${path}${path.includes('?') ? '&' : '?'}minPosition=${minPosition}`)
        .set('Authorization', token);
      if (response.status !== 200)
        throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as unknown;
    };
    return {
      students: await get('/classes/5B/students'),
      totals: await get('/classes/5B/attendance?from=2026-11-16&to=2026-11-16'),
      ledger: await get('/students/z1/attendance?from=2026-11-16&to=2026-11-16'),
    };
  };

  it('leaves no byte of the student in the log, its backup, the read models or the keys, and every count as it was', async () => {
    const before = await schoolDay();
    const { events, readModels, keys } = files();
    expect(JSON.stringify(before.students)).toContain(ZOE.lastName);
    expect(JSON.stringify(before.ledger)).toContain(NOTE);
    // The read models do hold her in clear until then (what the scans below would find)...
    expect(withWal(readModels).flatMap(found)).toContain(ZOE.lastName);
    expect(before.totals).toMatchObject({
      students: { z1: { halfDaysAbsent: 1, missedMinutes: 110 } },
      total: { halfDaysAbsent: 2, unjustifiedHalfDays: 2, missedMinutes: 165 },
    });
    // ...but the log never did, not even before her erasure.
    for (const file of withWal(events)) expect(found(file)).toEqual([]);
    const backup = dir.file('backup-before-erasure.db');
    copyFileSync(events, backup);
    const keyStore = KeyStore.open(keys);
    const key = keyStore.lookup(SCHOOL, 'z1') as Buffer;
    keyStore.close();
    expect(key).toHaveLength(32);

    const { code, out, err } = await erase('z1', 'Fin de la durée de conservation', '--actor', 'admin-1');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^z1: erased at position \d+, key deleted\nread models rebuilt: /);

    for (const file of [...withWal(events), ...withWal(readModels), ...withWal(keys), backup])
      expect({ file, found: found(file) }).toEqual({ file, found: [] });
    for (const file of withWal(keys)) expect(bytesOf(file).indexOf(key)).toBe(-1);

    // The backup taken before the erasure reads as a pseudonym too, with today's keys.
    const restored = new PiiProtectingStore(
      SqliteEventStore.open({ path: backup, synchronous: 'normal' }),
      KeyStore.open(keys),
    );
    const [registered] = await restored.readStream(studentStreamId(SCHOOL, 'z1'));
    await restored.close();
    expect(registered.data).toEqual({
      schoolId: SCHOOL,
      studentId: 'z1',
      ine: null,
      lastName: 'Élève effacé',
      firstName: '#ed6a88',
      birthDate: null,
    });

    // The erasure rewrote nothing: the log's hash chain still verifies, over the sealed bytes.
    const chained = SqliteEventStore.open({ path: events, synchronous: 'normal' });
    expect(chained.verifyChain()).toMatchObject({ outcome: 'intact' });
    await chained.close();

    const app = await startTestApp({ env: env() });
    try {
      const head = String(
        await (async () => {
          const store = SqliteEventStore.open({ path: events, synchronous: 'normal' });
          const position = await store.headPosition();
          await store.close();
          return position;
        })(),
      );
      const after = await readViews(app, head);
      expect(after.totals).toEqual(before.totals);
      const pseudonymised = JSON.parse(
        JSON.stringify(before.students)
          .split(ZOE.lastName)
          .join('Élève effacé')
          .split(ZOE.firstName)
          .join('#ed6a88')
          .split(`"${ZOE.birthDate}"`)
          .join('null')
          .split(`"${ZOE.ine}"`)
          .join('null'),
      ) as unknown;
      expect(after.students).toEqual(pseudonymised);
      expect(after.ledger).toEqual(
        JSON.parse(JSON.stringify(before.ledger).split(NOTE).join('[effacé]')) as unknown,
      );
    } finally {
      await app.app.close();
    }
  }, 60_000);

  it('refuses a student the school never had, and writes nothing', async () => {
    const { code, err } = await erase('nobody', 'Fin de conservation');
    expect({ code, err }).toEqual({
      code: 1,
      err: `registre: no student nobody in school ${SCHOOL} (ERASURE.STUDENT_UNKNOWN)\n`,
    });
  });
});
