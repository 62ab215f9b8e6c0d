import { existsSync, readFileSync } from 'node:fs';
import { runCli } from '../../src/cli';
import { EventMetadata } from '../../src/domain/shared/event';
import { KeyStore, PiiProtectingStore } from '../../src/event-store/pii';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { TEST_SECRET, testClock } from '../support/http';
import { tempDir, TempDir } from '../support/temp-db';

const SCHOOL = '0670001A';
const metadata = (commandId: string): EventMetadata => ({
  commandId,
  correlationId: commandId,
  causationId: commandId,
  actor: { id: 'cpe-1', role: 'cpe' },
  schoolId: SCHOOL,
  recordedAt: '2026-10-01T08:00:00.000Z',
  schemaVersion: 1,
});
const registered = {
  schoolId: SCHOOL,
  studentId: 'z1',
  ine: '070999888ZX',
  lastName: 'Lefèvre-Dupontel',
  firstName: 'Zoéline',
  birthDate: '2013-04-17',
};

const bytesOf = (path: string): string =>
  [path, `${path}-wal`]
    .map((file) => (existsSync(file) ? readFileSync(file).toString('latin1') : ''))
    .join('');
const utf8AsLatin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('registre migrate-pii', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = tempDir('registre-migrate-');
  });
  afterEach(() => dir.remove());

  it('copies a log written in clear into a sealed one with the same positions, revisions and ids', async () => {
    const legacy = SqliteEventStore.open({ path: dir.file('registre.db'), synchronous: 'normal' });
    await legacy.appendToStream(
      `school-${SCHOOL}`,
      [{ type: 'SchoolYearDefined', data: { schoolId: SCHOOL }, metadata: metadata('year') }],
      { commandId: 'year' },
    );
    await legacy.appendToStream(
      `student-${SCHOOL}-z1`,
      [
        { type: 'StudentRegistered', data: registered, metadata: metadata('register-z1') },
        {
          type: 'StudentEnrolled',
          data: { schoolId: SCHOOL, studentId: 'z1', classId: '5B', from: '2026-09-01' },
          metadata: metadata('register-z1'),
        },
      ],
      { commandId: 'register-z1' },
    );
    await legacy.appendToStream(`attendance-${SCHOOL}-z1`, [
      {
        type: 'JustificationReceived',
        data: { studentId: 'z1', note: 'Zoéline chez le dentiste' },
        metadata: metadata('no-id'),
      },
    ]);
    const before = (await legacy.readAll()).map((e) => ({
      ...e,
      data: { ...e.data },
      metadata: { ...e.metadata },
    }));
    await legacy.close();
    expect(bytesOf(dir.file('registre.db'))).toContain(utf8AsLatin1('Lefèvre-Dupontel'));

    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['node', 'registre', 'migrate-pii', '--to', dir.file('sealed.db')], {
      env: { REGISTRE_DB_PATH: dir.file('registre.db'), REGISTRE_JWT_SECRET: TEST_SECRET },
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      clock: testClock,
    });
    expect({ code, err: err.join('') }).toEqual({ code: 0, err: '' });
    expect(out.join('')).toContain(
      `copied 4 events (3 commands) into ${dir.file('sealed.db')}, personal data sealed; 1 events written without a command id got new ids`,
    );

    const sealed = bytesOf(dir.file('sealed.db'));
    for (const text of ['Lefèvre-Dupontel', 'Zoéline', '070999888ZX', '2013-04-17'])
      expect(sealed).not.toContain(utf8AsLatin1(text));
    const copy = new PiiProtectingStore(
      SqliteEventStore.open({ path: dir.file('sealed.db'), synchronous: 'normal' }),
      KeyStore.open(dir.file('registre.keys.db')),
    );
    try {
      const after = await copy.readAll();
      expect(after.map((e) => [e.position, e.streamId, e.revision, e.type, e.data, e.metadata])).toEqual(
        before.map((e) => [e.position, e.streamId, e.revision, e.type, e.data, e.metadata]),
      );
      expect(after.slice(0, 3).map((e) => e.id)).toEqual(before.slice(0, 3).map((e) => e.id));
      expect(await copy.findCommand('register-z1')).toMatchObject({ deduplicated: true, position: 3n });
    } finally {
      await copy.close();
    }
  });

  it('refuses to write over an existing file', async () => {
    await SqliteEventStore.open({ path: dir.file('registre.db'), synchronous: 'normal' }).close();
    const err: string[] = [];
    const code = await runCli(['node', 'registre', 'migrate-pii', '--to', dir.file('registre.db')], {
      env: { REGISTRE_DB_PATH: dir.file('registre.db'), REGISTRE_JWT_SECRET: TEST_SECRET },
      out: () => undefined,
      err: (text) => err.push(text),
      clock: testClock,
    });
    expect({ code, err: err.join('') }).toEqual({
      code: 1,
      err: `registre: ${dir.file('registre.db')} exists: name a new file\n`,
    });
  });
});
