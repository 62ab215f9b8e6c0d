import { Presets, SingleBar } from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import { systemClock } from '../system-clock';
import { loadConfig } from '../config';
import type { Clock } from '../domain/shared/clock';
import { DomainError } from '../domain/shared/domain-error';
import { withCliResources } from '../cli-resources';
import { enrolmentsProjection, readStudentIds } from '../projections/structure';
import { describePlan } from './describe-plan';
import { IMPORT_KINDS, ImportKind, readExportFile } from './read-export';
import { ImportReport, runImport } from './run-import';
import { isIsoDate } from '../domain/shared/calendar';

export interface ImportCliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Where the progress bar draws (a TTY); none in tests. */
  readonly progress?: NodeJS.WritableStream;
  readonly clock: Clock;
}

interface ImportCliOptions {
  readonly school: string;
  readonly dryRun?: boolean;
  readonly date?: string;
  readonly keepMissing?: boolean;
  readonly actor: string;
  readonly correlationId?: string;
  readonly all?: boolean;
  readonly allowMassDeparture?: boolean;
}

const PROGRESS_FROM = 100;

/** The file's bytes, refused before reading when larger than an import reads. */
const readImportFile = (file: string, maxBytes: number, fail: (message: string) => never): Buffer => {
  try {
    const size = statSync(file).size;
    if (size > maxBytes)
      fail(
        `${file} has ${size} bytes, over the ${maxBytes} an import reads (REGISTRE_IMPORT_MAX_BYTES) (IMPORT.TOO_LARGE)`,
      );
    return readFileSync(file);
  } catch (error) {
    if (error instanceof CommanderError) throw error;
    return fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
};

const kind = (value: string): ImportKind => {
  if (!(IMPORT_KINDS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`choose one of ${IMPORT_KINDS.join(', ')}.`);
  return value as ImportKind;
};

const date = (value: string): string => {
  if (!isIsoDate(value)) throw new InvalidArgumentError('a date is written YYYY-MM-DD.');
  return value;
};

const uai = (value: string): string => {
  if (!/^\d{7}[A-Z]$/.test(value))
    throw new InvalidArgumentError('a UAI is 7 digits and a letter, e.g. 0670001A.');
  return value;
};

/**
 * `registre import siecle|sts|csv FILE [--dry-run]`: the same import as the API, on the configured
 * store, acting as an admin named by `--actor`. A dry run prints what would change and writes nothing.
 */
export function registerImportCommands(program: Command, partialIo: Partial<ImportCliIo> = {}): Command {
  const io: ImportCliIo = {
    env: partialIo.env ?? process.env,
    out: partialIo.out ?? ((text) => process.stdout.write(text)),
    err: partialIo.err ?? ((text) => process.stderr.write(text)),
    progress: 'progress' in partialIo ? partialIo.progress : process.stderr,
    clock: partialIo.clock ?? systemClock,
  };
  const print = (text: string) => io.out(`${text}\n`);
  const command = program
    .command('import')
    .description(
      'import a SIECLE (ElevesSansAdresses.xml, Nomenclature.xml), STS-web (sts_emp_*.xml) or CSV file',
    )
    .argument('<kind>', `one of ${IMPORT_KINDS.join(', ')}`, kind)
    .argument('<file>', 'the file as exported')
    .requiredOption('--school <uai>', 'the school the file must be for, e.g. 0670001A', uai)
    .option('--dry-run', 'print what would change; write nothing')
    .addOption(
      new Option(
        '--date <yyyy-mm-dd>',
        "date of the moves and departures (default: the file's export date)",
      ).argParser(date),
    )
    .option('--keep-missing', 'do not record as left the students missing from a students file')
    .option('--actor <id>', 'who runs the import, kept in every event', `cli:${userInfo().username}`)
    .option('--correlation-id <id>', 'id of this import as one correction unit (default: generated)')
    .option(
      '--allow-mass-departure',
      'write a students file even if it records more than 10 % of the enrolled students as left',
    )
    .option('--all', 'kept for older scripts: every change is always printed')
    .action(async (importKind: ImportKind, file: string, options: ImportCliOptions) => {
      const config = loadConfig(io.env);
      const bytes = readImportFile(file, config.imports.maxBytes, (message) =>
        command.error(`registre import: ${message}`, { exitCode: 1, code: 'IMPORT.FILE_UNREADABLE' }),
      );
      let bar: SingleBar | undefined;
      await withCliResources(
        config,
        io.err,
        [enrolmentsProjection],
        async ({ store, db, runner, logger }) => {
          try {
            // The plan compares the file with every student the school has had: the view must be complete.
            await runner.catchUp();
            const importId = options.correlationId ?? `import-${basename(file)}-${randomUUID()}`;
            const report: ImportReport = await runImport(
              {
                store,
                knownStudentIds: (schoolId) =>
                  readStudentIds(db, runner.tables(enrolmentsProjection.name), schoolId),
                logger,
                readFile: (fileKind, fileBytes) =>
                  readExportFile(fileKind, fileBytes, {
                    maxBytes: config.imports.maxBytes,
                    maxStudents: config.imports.maxStudents,
                  }),
                onProgress: (done, total) => {
                  if (io.progress === undefined || total < PROGRESS_FROM) return;
                  if (!bar) {
                    bar = new SingleBar(
                      { stream: io.progress, format: 'import [{bar}] {value}/{total} streams | {eta}s left' },
                      Presets.shades_classic,
                    );
                    bar.start(total, done);
                  } else bar.update(done);
                },
              },
              {
                kind: importKind,
                bytes,
                schoolId: options.school,
                dryRun: options.dryRun === true,
                ...(options.date !== undefined ? { effectiveDate: options.date } : {}),
                ...(options.keepMissing ? { departMissing: false } : {}),
                ...(options.allowMassDeparture ? { allowMassDeparture: true } : {}),
              },
              {
                commandId: importId,
                correlationId: importId,
                actor: { id: options.actor, role: 'admin' },
                schoolId: options.school,
                now: io.clock.now(),
              },
            );
            bar?.stop();
            describePlan(report.plan).forEach(print);
            if (report.dryRun) print('dry run: nothing written');
            else {
              print(
                `written: ${report.eventsWritten} events in ${report.commands} commands, correlation id ${report.importId}`,
              );
            }
          } catch (error) {
            bar?.stop();
            if (error instanceof DomainError)
              command.error(`registre import: ${error.message} (${error.code})`, {
                exitCode: 1,
                code: error.code,
              });
            throw error;
          }
        },
      );
    });
  return command;
}
