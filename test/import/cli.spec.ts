import { join } from 'node:path';
import { schoolDecider, schoolStreamId } from '../../src/domain/structure/school';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { handleCommand } from '../../src/event-store/handle-command';
import { tempDir, TempDir } from '../support/temp-db';
import { AUGUST_EXPORT, editedFixture, FIXTURES, NOVEMBER_EXPORT, onlyStudents } from './fixtures';
import { contextFor, runImportCli, SCHOOL } from './import-harness';
import { writeFileSync } from 'node:fs';

const SECRET = 'registre-test-secret-at-least-32-characters';

describe('registre import', () => {
  let dir: TempDir;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = tempDir('registre-import-cli-');
    env = {
      REGISTRE_DB_PATH: dir.file('registre.db'),
      REGISTRE_JWT_SECRET: SECRET,
      REGISTRE_SYNCHRONOUS: 'normal',
    };
    const store = SqliteEventStore.open({ path: env.REGISTRE_DB_PATH, synchronous: 'normal' });
    await handleCommand(
      store,
      schoolStreamId(SCHOOL),
      schoolDecider,
      {
        type: 'DefineSchoolYear',
        data: { schoolId: SCHOOL, schoolYear: '2026-2027', start: '2026-09-01', end: '2027-07-03' },
      },
      contextFor(),
    );
    await store.close();
  });
  afterEach(() => dir.remove());

  const run = (...args: string[]) => runImportCli(env, ...args);

  const head = async () => {
    const store = SqliteEventStore.open({ path: env.REGISTRE_DB_PATH, synchronous: 'normal' });
    try {
      return await store.headPosition();
    } finally {
      await store.close();
    }
  };

  it('prints the plan of a dry run and writes nothing', async () => {
    const before = await head();
    const { code, out } = await run('siecle', join(FIXTURES, AUGUST_EXPORT), '--school', SCHOOL, '--dry-run');
    expect(code).toBe(0);
    expect(out).toContain('siecle import for 0670001A, school year 2026-2027, changes dated 2026-09-01');
    expect(out).toContain(
      '4 classes opened, 3 groups opened, 8 new students, 8 enrolments, 6 groups joined (29 events)',
    );
    expect(out).toContain('4521 DUPONT-MOREAU Léa enrolled in 5B from 2026-09-01');
    expect(out).toContain('dry run: nothing written');
    expect(await head()).toBe(before);
  });

  it('imports, then imports a later export with only its differences', async () => {
    const first = await run(
      'siecle',
      join(FIXTURES, AUGUST_EXPORT),
      '--school',
      SCHOOL,
      '--correlation-id',
      'rentree-2026',
    );
    expect(first.code).toBe(0);
    expect(first.out).toContain('written: 29 events in 9 commands, correlation id rentree-2026');
    const later = await run('siecle', join(FIXTURES, NOVEMBER_EXPORT), '--school', SCHOOL, '--dry-run');
    expect(later.out).toContain('2 moves');
    expect(later.out).toContain('4521 DUPONT-MOREAU Léa moved from 5B to 5A on 2026-11-16');
    const again = await run('siecle', join(FIXTURES, AUGUST_EXPORT), '--school', SCHOOL);
    expect(again.out).toContain('nothing to change');
  });

  it('refuses a file for another school with a message and exit code 1, writing nothing', async () => {
    const other = dir.file('autre.xml');
    writeFileSync(
      other,
      editedFixture(AUGUST_EXPORT, (t) => t.replace('<UAJ>0670001A</UAJ>', '<UAJ>0670002B</UAJ>')),
    );
    const before = await head();
    const { code, err } = await run('siecle', other, '--school', SCHOOL);
    expect(code).toBe(1);
    expect(err).toContain(
      'registre import: this file is for school 0670002B, not for 0670001A (IMPORT.WRONG_SCHOOL)',
    );
    expect(await head()).toBe(before);
  });

  it('prints every change a real import made, not only their count', async () => {
    const { code, out } = await run('siecle', join(FIXTURES, AUGUST_EXPORT), '--school', SCHOOL);
    expect(code).toBe(0);
    expect(out).toContain('  class 5A opened (5A)\n');
    expect(out).toContain('  4521 DUPONT-MOREAU Léa enrolled in 5B from 2026-09-01\n');
    expect(out).toContain('  4528 SCHNEIDER');
    expect(out).not.toContain('more changes');
    expect(out).toContain('written: 29 events in 9 commands');
  });

  it('refuses a file that records most of the school as left, unless --allow-mass-departure', async () => {
    await run('siecle', join(FIXTURES, AUGUST_EXPORT), '--school', SCHOOL);
    const cut = dir.file('un-eleve.xml');
    writeFileSync(cut, onlyStudents('4521'));
    const before = await head();
    const refused = await run('siecle', cut, '--school', SCHOOL);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('would record 7 of the 8 enrolled students as left');
    expect(refused.err).toContain('(IMPORT.TOO_MANY_DEPARTURES)');
    expect(await head()).toBe(before);
    const dry = await run('siecle', cut, '--school', SCHOOL, '--dry-run');
    expect(dry.out).toContain(
      '7 of 8 enrolled students missing from the file, recorded as left: more than 5 (10 %): the import would be refused unless mass departure is allowed',
    );
    const allowed = await run('siecle', cut, '--school', SCHOOL, '--allow-mass-departure');
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('written: 7 events in 7 commands');
  });

  it('refuses an unknown kind', async () => {
    const { code, err } = await run('excel', join(FIXTURES, AUGUST_EXPORT), '--school', SCHOOL);
    expect(code).toBe(1);
    expect(err).toContain('choose one of siecle, sts, csv');
  });
});
