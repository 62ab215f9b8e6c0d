import { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../domain/shared/clock';
import { askService, uaiArgument } from '../core/service-cli';

export interface CouncilCliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Where the token's time is read (tests fix it). */
  readonly clock: Clock;
}

interface CouncilOptions {
  readonly class: string;
  readonly period: string;
  readonly school?: string;
  readonly url?: string;
}

/**
 * `registre export lsu` and `registre report-cards`: they ask the running service (REGISTRE_URL, or
 * the configured host and port), like any client, with a principal token signed by the configured
 * secret as `registre token` signs it — so the files are the API's own, with its checks, and the
 * store is left to the service.
 */
export function registerCouncilCommands(program: Command, io: CouncilCliIo): void {
  const call = async (command: Command, options: CouncilOptions, path: string) => {
    const school = options.school ?? io.env.REGISTRE_SCHOOL;
    if (school === undefined || school === '')
      command.error(`registre ${command.name()}: give the school with --school <uai> (or REGISTRE_SCHOOL)`, {
        exitCode: 1,
      });
    return askService(
      command,
      io,
      { school, role: 'principal', ...(options.url !== undefined ? { url: options.url } : {}) },
      `/councils/${encodeURIComponent(options.class)}/${encodeURIComponent(options.period)}${path}`,
    );
  };

  const withCouncil = (command: Command) =>
    command
      .requiredOption('--class <id>', 'the class, e.g. 5B')
      .requiredOption('--period <id>', 'the period, e.g. T1')
      .option('--school <uai>', "the school's UAI, e.g. 0670001A (default: REGISTRE_SCHOOL)", uaiArgument)
      .option('--url <url>', 'the running service (default: REGISTRE_URL, or the configured host and port)');

  const exportCommand = program.command('export').description('export what the national platforms import');
  const lsu = withCouncil(
    exportCommand
      .command('lsu')
      .description(
        "write the class's periodic reports as the national LSU import file (XML) on stdout; when the pre-export check finds problems, list them and write nothing",
      ),
  ).action(async (options: CouncilOptions) => {
    const response = await call(lsu, options, '/lsu');
    io.out(await response.text());
  });

  const reportCards = withCouncil(
    program
      .command('report-cards')
      .description(
        "write the class's report cards into a directory: one PDF per student ({studentId}.pdf), class.pdf (one page each) and council.csv",
      )
      .requiredOption('--out <dir>', 'the directory to write into (made if missing)'),
  ).action(async (options: CouncilOptions & { out: string }) => {
    const view = (await (await call(reportCards, options, '')).json()) as {
      students: { studentId: string }[];
    };
    mkdirSync(options.out, { recursive: true });
    const write = (name: string, bytes: Buffer | string) => {
      writeFileSync(join(options.out, name), bytes);
      io.err(`${join(options.out, name)}\n`);
    };
    for (const { studentId } of view.students) {
      const response = await call(
        reportCards,
        options,
        `/students/${encodeURIComponent(studentId)}/report-card.pdf`,
      );
      write(`${studentId.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`, Buffer.from(await response.arrayBuffer()));
    }
    write(
      'class.pdf',
      Buffer.from(await (await call(reportCards, options, '/report-cards.pdf')).arrayBuffer()),
    );
    write('council.csv', await (await call(reportCards, options, '/council.csv')).text());
  });
}
