import BetterSqlite3, { Database } from 'better-sqlite3';
import { Command, CommanderError } from 'commander';
import { fold } from '../../src/domain/shared/decider';
import { Role } from '../../src/domain/shared/event';
import { schoolDecider, SchoolCommand, schoolStreamId } from '../../src/domain/structure/school';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { CommandContext, handleCommand } from '../../src/event-store/handle-command';
import { registerImportCommands } from '../../src/import/cli';
import { ImportKind } from '../../src/import/read-export';
import { ImportReport, runImport } from '../../src/import/run-import';
import { enrolmentsProjection, readStudentIds, structureProjections } from '../../src/projections/structure';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { tempDir, TempDir } from '../support/temp-db';
import { fixedClock } from '../../src/domain/shared/clock';
import { TEST_NOW } from '../support/clock';

export const SCHOOL = '0670001A';

/** The school year 2026-2027 with its trimesters, as a principal defines it. */
export const SCHOOL_YEAR_2026 = {
  schoolYear: '2026-2027',
  start: '2026-09-01',
  end: '2027-07-03',
  periods: {
    trimester: [
      { start: '2026-09-01', end: '2026-11-30' },
      { start: '2026-12-01', end: '2027-03-07' },
      { start: '2027-03-08', end: '2027-07-03' },
    ],
  },
};

let commands = 0;

export const contextFor = (
  overrides: Partial<CommandContext> = {},
  role: Role = 'admin',
): CommandContext => ({
  commandId: `test-command-${++commands}`,
  actor: { id: `${role}-01`, role },
  schoolId: SCHOOL,
  now: new Date('2026-11-16T09:30:00Z'),
  ...overrides,
});

/** A real SQLite store and the structure read models on a temp file, as the service runs them. */
export class StructureHarness {
  readonly store: SqliteEventStore;
  readonly readDb: Database;
  readonly runner: ProjectionRunner;

  private constructor(
    private readonly dir: TempDir,
    batchSize?: number,
  ) {
    this.store = SqliteEventStore.open({ path: dir.file('registre.db'), synchronous: 'normal' });
    this.readDb = new BetterSqlite3(dir.file('registre.db'));
    this.readDb.pragma('journal_mode = WAL');
    this.runner = new ProjectionRunner({
      store: this.store,
      db: this.readDb,
      projections: structureProjections,
      ...(batchSize ? { batchSize } : {}),
    });
  }

  static open(batchSize?: number): StructureHarness {
    return new StructureHarness(tempDir('registre-structure-'), batchSize);
  }

  /** A second set of read models over the same log (another batch size): for rebuild comparisons. */
  secondReader(batchSize: number): { db: Database; runner: ProjectionRunner; close: () => void } {
    const db = new BetterSqlite3(this.dir.file(`reader-${batchSize}.db`));
    const runner = new ProjectionRunner({
      store: this.store,
      db,
      projections: structureProjections,
      batchSize,
    });
    return { db, runner, close: () => db.close() };
  }

  async school(command: SchoolCommand, ctx: CommandContext = contextFor()) {
    return handleCommand(this.store, schoolStreamId(command.data.schoolId), schoolDecider, command, ctx);
  }

  async defineYear(
    year: { schoolYear: string; start: string; end: string } = SCHOOL_YEAR_2026,
    schoolId = SCHOOL,
  ): Promise<void> {
    await this.school({ type: 'DefineSchoolYear', data: { schoolId, ...year } }, contextFor({ schoolId }));
  }

  async schoolState(schoolId = SCHOOL) {
    return fold(schoolDecider, (await this.store.readStream(schoolStreamId(schoolId))) as never);
  }

  async import(
    kind: ImportKind,
    bytes: Uint8Array,
    options: {
      dryRun?: boolean;
      effectiveDate?: string;
      ctx?: CommandContext;
      schoolId?: string;
      allowMassDeparture?: boolean;
    } = {},
  ): Promise<ImportReport> {
    const schoolId = options.schoolId ?? SCHOOL;
    await this.runner.catchUp();
    const report = await runImport(
      {
        store: this.store,
        knownStudentIds: (schoolId) =>
          readStudentIds(this.readDb, this.runner.tables(enrolmentsProjection.name), schoolId),
      },
      {
        kind,
        bytes,
        schoolId,
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.effectiveDate ? { effectiveDate: options.effectiveDate } : {}),
        ...(options.allowMassDeparture ? { allowMassDeparture: true } : {}),
      },
      options.ctx ?? contextFor({ schoolId }),
    );
    await this.runner.catchUp();
    return report;
  }

  tables(name: string) {
    return this.runner.tables(name);
  }

  async close(): Promise<void> {
    await this.runner.stop();
    await this.store.close();
    this.readDb.close();
    this.dir.remove();
  }
}

/** `registre import …` run in-process on `env`, at TEST_NOW: its exit code and what it wrote. */
export const runImportCli = async (env: Record<string, string>, ...args: string[]) => {
  let out = '';
  let err = '';
  const program = new Command('registre')
    .exitOverride()
    .configureOutput({ writeOut: (t) => void (out += t), writeErr: (t) => void (err += t) });
  registerImportCommands(program, {
    env,
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    progress: undefined,
    clock: fixedClock(TEST_NOW),
  });
  let code = 0;
  try {
    await program.parseAsync(['node', 'registre', 'import', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code, out, err };
};
