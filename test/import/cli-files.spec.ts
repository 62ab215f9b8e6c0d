import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schoolDecider, schoolStreamId } from '../../src/domain/structure/school';
import { handleCommand } from '../../src/event-store/handle-command';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { tempDir, TempDir } from '../support/temp-db';
import { NOMENCLATURE_ZIP, REAL_EXPORTS } from './real-exports';
import { FIXTURES, NOVEMBER_EXPORT } from './fixtures';
import { contextFor, runImportCli, SCHOOL } from './import-harness';

describe('registre import: the files it reads', () => {
  let dir: TempDir;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = tempDir('registre-import-files-');
    env = {
      REGISTRE_DB_PATH: dir.file('registre.db'),
      REGISTRE_JWT_SECRET: 'registre-test-secret-at-least-32-characters',
      REGISTRE_SYNCHRONOUS: 'normal',
    };
  });
  afterEach(() => dir.remove());

  const run = (...args: string[]) => runImportCli(env, ...args);

  it('reads the ZIP SIECLE delivers (dry run)', async () => {
    const store = SqliteEventStore.open({ path: env.REGISTRE_DB_PATH, synchronous: 'normal' });
    await handleCommand(
      store,
      schoolStreamId('0750680G'),
      schoolDecider,
      {
        type: 'DefineSchoolYear',
        data: { schoolId: '0750680G', schoolYear: '2018-2019', start: '2018-09-03', end: '2019-07-06' },
      },
      contextFor({ schoolId: '0750680G' }),
    );
    await store.close();
    const zip = join(REAL_EXPORTS, NOMENCLATURE_ZIP);
    const { code, out, err } = await run('siecle', zip, '--school', '0750680G', '--dry-run');
    expect([code, err]).toEqual([0, '']);
    expect(out).toContain('100 subjects');
    expect(out).toContain('dry run: nothing written');
  });

  it('prints a billion-laughs refusal and exits 1', async () => {
    const file = dir.file('lol.xml');
    writeFileSync(
      file,
      '<?xml version="1.0"?>\n<!DOCTYPE BEE_ELEVES [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;">]>\n<BEE_ELEVES/>\n',
    );
    const { code, err } = await run('siecle', file, '--school', SCHOOL, '--dry-run');
    expect(code).toBe(1);
    expect(err).toContain(
      'registre import: the file declares a DOCTYPE at line 2: national exports have none, and a declaration can expand or fetch entities (IMPORT.DOCTYPE_REFUSED)',
    );
  });

  it('prints a refusal for 500,000 nested elements and exits 1', async () => {
    const file = dir.file('deep.xml');
    writeFileSync(file, `<BEE_ELEVES>${'<A>'.repeat(500_000)}${'</A>'.repeat(500_000)}</BEE_ELEVES>`);
    const { code, err } = await run('siecle', file, '--school', SCHOOL, '--dry-run');
    expect(code).toBe(1);
    expect(err).toContain('(IMPORT.XML_TOO_DEEP)');
  });

  it('says a missing file cannot be read and exits 1', async () => {
    const { code, err } = await run('siecle', dir.file('absent.xml'), '--school', SCHOOL, '--dry-run');
    expect(code).toBe(1);
    expect(err).toContain(`registre import: cannot read ${dir.file('absent.xml')}: ENOENT`);
  });

  it('refuses a file over REGISTRE_IMPORT_MAX_BYTES before reading it', async () => {
    env.REGISTRE_IMPORT_MAX_BYTES = '2048';
    const { code, err } = await run(
      'siecle',
      join(FIXTURES, NOVEMBER_EXPORT),
      '--school',
      SCHOOL,
      '--dry-run',
    );
    expect(code).toBe(1);
    expect(err).toMatch(/over the 2048 an import reads \(REGISTRE_IMPORT_MAX_BYTES\) \(IMPORT\.TOO_LARGE\)/);
  });
});
