import { Command, InvalidArgumentError, Option } from 'commander';
import { userInfo } from 'node:os';
import { loadConfig } from '../../config';
import type { Clock } from '../../domain/shared/clock';
import { isUai } from '../../domain/shared/uai';
import { serviceUrl } from '../../demo/cli';
import { signToken, TokenSigningError } from '../auth/sign-token';

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

const uai = (value: string): string => {
  if (!isUai(value)) throw new InvalidArgumentError('a UAI is 7 digits and a letter, e.g. 0670001A.');
  return value;
};

const refusal = (status: number, body: string): string => {
  try {
    const error = JSON.parse(body) as { code?: string; message?: string };
    return `${error.code ?? status}: ${error.message ?? ''}`;
  } catch {
    return `the service answered ${status}`;
  }
};

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
    .requiredOption('--school <uai>', "the school's UAI, e.g. 0670001A", uai)
    .requiredOption('--student <id>', 'the student id, e.g. 4521')
    .addOption(new Option('--format <format>', 'json or csv').choices(['json', 'csv']).default('json'))
    .option('--url <url>', 'the running service (default: REGISTRE_URL, or the configured host and port)')
    .action(async (options: PersonalDataOptions) => {
      const config = loadConfig(io.env);
      const token = await signToken(
        config,
        {
          sub: `cli:${userInfo().username}`,
          role: 'admin',
          schoolId: options.school,
          classes: [],
          subjects: [],
          ttl: '10m',
        },
        io.clock,
      ).catch((error: unknown) => {
        if (error instanceof TokenSigningError) command.error(`registre: ${error.message}`, { exitCode: 1 });
        throw error;
      });
      const base = (options.url ?? io.env.REGISTRE_URL ?? serviceUrl(config)).replace(/\/$/, '');
      const url = `${base}/schools/${options.school}/students/${encodeURIComponent(options.student)}/personal-data?format=${options.format}`;
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } }).catch(
        (error: unknown) =>
          command.error(
            `registre: cannot reach the service at ${base} (${String((error as Error).cause ?? (error as Error).message)}); start it with registre serve, or set REGISTRE_URL`,
            { exitCode: 1 },
          ),
      );
      const body = await response.text();
      if (!response.ok) command.error(`registre: ${refusal(response.status, body)}`, { exitCode: 1 });
      io.out(options.format === 'json' ? `${JSON.stringify(JSON.parse(body), null, 2)}\n` : body);
    });
}
