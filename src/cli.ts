import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { signToken, TokenSigningError } from './api/auth/sign-token';
import { REGISTRE_PROJECTIONS } from './projections/registre-projections';
import { registerDemoCommand } from './demo/cli';
import { demoGuide } from './demo/demo-guide';
import { registerImportCommands } from './import/cli';
import { registerCouncilCommands } from './api/council/council-cli';
import { registerPersonalDataCommand } from './api/privacy/personal-data-cli';
import { registerCampaignCommands } from './api/audit/campaign-cli';
import { withCliResources } from './cli-resources';
import { systemClock } from './system-clock';
import { ConfigError, keysPathFor, loadConfig, RegistreConfig } from './config';
import type { Clock } from './domain/shared/clock';
import { Role, ROLES } from './domain/shared/event';
import { ProjectionRunner, ProjectionStatus } from './projections/projection-runner';
import { SqliteEventStore } from './event-store/sqlite';
import { EsdbEventStore } from './event-store/esdb';
import { ChainVerification, describeVerification } from './event-store/verify';
import { DomainError } from './domain/shared/domain-error';
import { eraseStudents } from './event-store/pii/erase-students';
import { PiiProtectingStore } from './event-store/pii/pii-protecting-store';
import { KeyStore } from './event-store/pii/key-store';
import { copyLogSealed } from './event-store/pii/migrate-to-sealed';

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Where the commands read the time (tests fix it); the system clock by default. */
  readonly clock: Clock;
}

/** A refusal the user can act on: printed as is, exit code 1, no stack. */
class CliFailure extends Error {}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

const role = (value: string): Role => {
  if (!(ROLES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`choose one of ${ROLES.join(', ')}.`);
  return value as Role;
};

const statusTable = (statuses: readonly ProjectionStatus[]): string => {
  const header = ['PROJECTION', 'VERSION', 'LIVE', 'STATUS', 'CHECKPOINT', 'HEAD', 'LAG', 'ERROR'];
  const rows = statuses.map((s) => [
    s.name,
    String(s.version),
    s.liveVersion === null ? '-' : String(s.liveVersion),
    s.build ? `building v${s.build.version} (lag ${s.build.lag})` : s.status,
    s.checkpoint,
    s.head,
    String(s.lag),
    s.lastError ?? '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

const withRunner = <T>(config: RegistreConfig, io: CliIo, work: (runner: ProjectionRunner) => Promise<T>) =>
  withCliResources(config, io.err, REGISTRE_PROJECTIONS, ({ runner }) => work(runner));

/** The `registre` command line; `io` lets tests run it in-process and read what it prints. */
export function buildCli(partialIo: Partial<CliIo> = {}): Command {
  const io: CliIo = {
    env: partialIo.env ?? process.env,
    out: partialIo.out ?? ((text) => process.stdout.write(text)),
    err: partialIo.err ?? ((text) => process.stderr.write(text)),
    clock: partialIo.clock ?? systemClock,
  };
  const config = () => loadConfig(io.env);
  const print = (text: string) => io.out(`${text}\n`);
  const program = new Command('registre')
    .description('Registre: an event-sourced vie scolaire engine')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('serve')
    .description('run the HTTP API (configuration from REGISTRE_* variables)')
    .action(async () => {
      const settings = config();
      const { serve } = await import('./main');
      const { url, demo } = await serve(settings, { clock: io.clock });
      // stdout carries the JSON log lines; the human greeting goes to stderr.
      io.err(
        `Registre listening on ${url} (store: ${settings.store}, ${settings.dbPath}); API documentation at ${url}/docs\n`,
      );
      if (demo) for (const line of await demoGuide(settings, demo, url, io.clock)) io.err(`${line}\n`);
    });

  program
    .command('token')
    .description('print a bearer token signed with the configured secret')
    .addOption(
      new Option('--role <role>', `one of ${ROLES.join(', ')}`).argParser(role).makeOptionMandatory(),
    )
    .requiredOption('--school <uai>', "the school's UAI, e.g. 0670001A ('*' for an all-schools admin)")
    .requiredOption('--sub <id>', 'the user id carried as actor in every event')
    .option('--classes <list>', 'teacher: comma-separated classes and groups, e.g. 5B,5C', list, [])
    .option('--subjects <list>', 'teacher: comma-separated subjects, e.g. MATHS', list, [])
    .option('--ttl <span>', 'lifetime: 30m, 8h; at most REGISTRE_JWT_MAX_LIFETIME (12h by default)', '8h')
    .action(
      async (options: {
        role: Role;
        school: string;
        sub: string;
        classes: string[];
        subjects: string[];
        ttl: string;
      }) => {
        const token = await signToken(
          config(),
          {
            sub: options.sub,
            role: options.role,
            schoolId: options.school,
            classes: options.classes,
            subjects: options.subjects,
            ttl: options.ttl,
          },
          io.clock,
        ).catch((error: unknown) => {
          throw error instanceof TokenSigningError ? new CliFailure(error.message) : error;
        });
        print(token);
      },
    );

  program
    .command('projections')
    .description('show each projection: version, checkpoint, head and lag')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const statuses = await withRunner(config(), io, (runner) => runner.status());
      print(options.json ? JSON.stringify(statuses, null, 2) : statusTable(statuses));
    });

  program
    .command('rebuild <projection>')
    .description(
      'rebuild a projection from the whole log into fresh tables, then swap (run it with the service stopped, or use the API)',
    )
    .action(async (name: string) => {
      const statuses = await withRunner(config(), io, async (runner) => {
        const known = (await runner.status()).map((status) => status.name);
        if (!known.includes(name))
          throw new CliFailure(`no projection named ${name} (known: ${known.join(', ')})`);
        await runner.rebuild(name);
        return runner.status();
      });
      print(statusTable(statuses));
    });

  program
    .command('verify')
    .description(
      "walk the events' hash chain and name the first event whose content, order or chain was altered outside the engine; exit 1 if one was",
    )
    .action(async () => {
      const settings = config();
      const verifiedAt = io.clock.now().toISOString();
      let result: ChainVerification;
      if (settings.store === 'esdb' && settings.esdbUrl !== undefined) {
        // Each stream's chain, and the heads against the last checkpoint, which an intact run records.
        const store = EsdbEventStore.connect({ url: settings.esdbUrl });
        try {
          const verified = await store.verifyChains();
          await store.recordChainCheckpoint(verifiedAt, verified);
          result = verified;
        } finally {
          await store.close();
        }
      } else {
        const store = SqliteEventStore.open({ path: settings.dbPath, synchronous: settings.synchronous });
        try {
          result = store.verifyChain();
          store.recordVerification(verifiedAt, result);
        } finally {
          await store.close();
        }
      }
      print(describeVerification(result));
      if (result.outcome === 'tampered') throw new CommanderError(1, 'registre.tampered', '');
    });

  program
    .command('erase-student')
    .description(
      'erase students at the end of their retention period (admin): their key is deleted, so no copy of the log can show their names, birth date, INE or texts again; views show a pseudonym (run it with the service stopped)',
    )
    .requiredOption('--school <uai>', "the school's UAI, e.g. 0670001A")
    .requiredOption('--student <id>', 'the student id (repeat for several)', collect, [])
    .requiredOption(
      '--reason <text>',
      'why, kept in clear in the log: name the rule (retention period), not the student',
    )
    .option('--actor <id>', 'the admin who erases, kept in the event', `cli:${userInfo().username}`)
    .action(async (options: { school: string; student: string[]; reason: string; actor: string }) => {
      const report = await withCliResources(config(), io.err, REGISTRE_PROJECTIONS, async (resources) => {
        if (!(resources.store instanceof PiiProtectingStore))
          throw new CliFailure('this store does not seal personal data: nothing to erase');
        return eraseStudents(
          {
            store: resources.store,
            readModels: resources.db,
            runner: resources.runner,
            projections: REGISTRE_PROJECTIONS,
          },
          {
            schoolId: options.school,
            studentIds: options.student,
            reason: options.reason,
            actor: { id: options.actor, role: 'admin' },
            now: io.clock.now(),
          },
        ).catch((error: unknown) => {
          throw error instanceof DomainError ? new CliFailure(`${error.message} (${error.code})`) : error;
        });
      });
      for (const student of report.students)
        print(
          `${student.studentId}: ${student.alreadyErased ? 'already erased' : 'erased'} at position ${student.position}${student.keyDeleted ? ', key deleted' : ''}`,
        );
      print(`read models rebuilt: ${report.rebuilt.join(', ')}`);
      if (report.keysWalBusy || report.readModelsWalBusy)
        io.err(
          'registre: another process still reads the keys or read models file; stop the service and run erase-student again to empty their WAL\n',
        );
    });

  program
    .command('migrate-pii')
    .description(
      'copy a log written before personal data was sealed into a new file where it is (same positions, revisions and ids); run it with the service stopped, then put the new file in place of the old',
    )
    .requiredOption('--to <file>', 'the new events file (must not exist)')
    .action(async (options: { to: string }) => {
      const settings = config();
      if (settings.store !== 'sqlite')
        throw new CliFailure(
          'migrate-pii copies the SQLite log; on EventStoreDB, copy the streams into a new database',
        );
      const target = resolve(options.to);
      if (!existsSync(settings.dbPath)) throw new CliFailure(`no events file at ${settings.dbPath}`);
      if (existsSync(target) || target === settings.dbPath)
        throw new CliFailure(`${target} exists: name a new file`);
      const keys = KeyStore.open(settings.keysPath ?? keysPathFor(settings.dbPath));
      const from = new PiiProtectingStore(
        SqliteEventStore.open({ path: settings.dbPath, synchronous: settings.synchronous }),
        keys,
      );
      const copy = SqliteEventStore.open({ path: target, synchronous: settings.synchronous });
      try {
        const report = await copyLogSealed(from, new PiiProtectingStore(copy, keys));
        print(
          `copied ${report.events} events (${report.commands} commands) into ${target}, personal data sealed; ${report.idsRenewed} events written without a command id got new ids`,
        );
        print(
          `next, with the service stopped: replace ${settings.dbPath} with ${target}, then destroy the old file and every backup of it — they still hold personal data in clear`,
        );
      } finally {
        await copy.close();
        await from.close();
      }
    });

  registerImportCommands(program, io);
  registerDemoCommand(program, io);
  registerCouncilCommands(program, io);
  registerPersonalDataCommand(program, io);
  registerCampaignCommands(program, io);
  return program;
}

/** Runs the CLI; resolves with the exit code instead of exiting, so that `serve` can keep running. */
export async function runCli(
  argv: readonly string[] = process.argv,
  io: Partial<CliIo> = {},
): Promise<number> {
  const err = io.err ?? ((text: string) => process.stderr.write(text));
  try {
    await buildCli(io).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      err(`registre: ${(error as Error).message}: another process listens there (set REGISTRE_PORT)\n`);
      return 1;
    }
    if (error instanceof ConfigError || error instanceof CliFailure) {
      err(`registre: ${error.message.split('\n').join('\nregistre: ')}\n`);
      return 1;
    }
    err(`registre: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** Entry point of bin/registre and `node dist/src/cli.js`. */
export function main(): void {
  void runCli().then((code) => {
    if (code !== 0) process.exitCode = code;
  });
}

if (require.main === module) main();
