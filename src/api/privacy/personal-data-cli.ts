import { Command, Option } from 'commander';
import type { Clock } from '../../domain/shared/clock';
import { askService, uaiArgument } from '../core/service-cli';

export interface PersonalDataCliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  /** Where the token's time is read (tests fix it). */
  readonly clock: Clock;
}

interface PersonalDataOptions {
  readonly school: string;
  readonly student: string;
  readonly format: 'json' | 'csv';
  readonly url?: string;
}

/**
 * `registre personal-data`: the right-of-access document of one student, asked of the running service
 * (REGISTRE_URL, or the configured host and port) with an admin token signed by the configured secret,
 * so that this read too is recorded in the access log, under `cli:<user>`.
 */
export function registerPersonalDataCommand(program: Command, io: PersonalDataCliIo): void {
  const command = program
    .command('personal-data')
    .description(
      'write everything held about one student (right of access) on stdout: JSON, or CSV with --format csv',
    )
    .requiredOption('--school <uai>', "the school's UAI, e.g. 0670001A", uaiArgument)
    .requiredOption('--student <id>', 'the student id, e.g. 4521')
    .addOption(new Option('--format <format>', 'json or csv').choices(['json', 'csv']).default('json'))
    .option('--url <url>', 'the running service (default: REGISTRE_URL, or the configured host and port)')
    .action(async (options: PersonalDataOptions) => {
      const response = await askService(
        command,
        io,
        { school: options.school, role: 'admin', ...(options.url !== undefined ? { url: options.url } : {}) },
        `/students/${encodeURIComponent(options.student)}/personal-data?format=${options.format}`,
      );
      const body = await response.text();
      io.out(options.format === 'json' ? `${JSON.stringify(JSON.parse(body), null, 2)}\n` : body);
    });
}
