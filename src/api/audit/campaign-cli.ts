import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { loadConfig } from '../../config';
import type { Clock } from '../../domain/shared/clock';
import { isUai } from '../../domain/shared/uai';
import { serviceUrl } from '../../demo/cli';
import { signToken, TokenSigningError } from '../auth/sign-token';

export interface CampaignCliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly clock: Clock;
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

interface Common {
  readonly school: string;
  readonly as: 'principal' | 'admin';
  readonly dryRun?: boolean;
  readonly url?: string;
}

/**
 * `registre campaign run|revert`: a correction campaign sent to the running service (REGISTRE_URL, or
 * the configured host and port) with a principal's (or admin's) token signed by the configured
 * secret, as `cli:<user>`; the answer (each operation, the figures that change) printed as JSON.
 * Exit 1 when the service refuses the campaign or refuses one of its operations.
 */
export function registerCampaignCommands(program: Command, io: CampaignCliIo): void {
  const campaign = program
    .command('campaign')
    .description(
      'correction campaigns: a batch of corrections under one reason, with a dry run and a revert',
    );

  const send = async (command: Command, options: Common, path: string, body: object): Promise<void> => {
    const config = loadConfig(io.env);
    const token = await signToken(
      config,
      {
        sub: `cli:${userInfo().username}`,
        role: options.as,
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
    const response = await fetch(`${base}/schools/${options.school}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).catch((error: unknown) =>
      command.error(
        `registre: cannot reach the service at ${base} (${String((error as Error).cause ?? (error as Error).message)}); start it with registre serve, or set REGISTRE_URL`,
        { exitCode: 1 },
      ),
    );
    const text = await response.text();
    if (!response.ok) command.error(`registre: ${refusal(response.status, text)}`, { exitCode: 1 });
    const answer = JSON.parse(text) as { refused?: number[] };
    io.out(`${JSON.stringify(answer, null, 2)}\n`);
    if ((answer.refused ?? []).length > 0)
      command.error(`registre: operations refused: ${(answer.refused ?? []).join(', ')}`, { exitCode: 1 });
  };

  const common = (command: Command) =>
    command
      .requiredOption('--school <uai>', "the school's UAI, e.g. 0670001A", uai)
      .addOption(
        new Option('--as <role>', 'whose token sends it')
          .choices(['principal', 'admin'])
          .default('principal'),
      )
      .option('--dry-run', 'decide every correction and append nothing: show the figures that would change')
      .option('--url <url>', 'the running service (default: REGISTRE_URL, or the configured host and port)');

  const run = common(
    campaign
      .command('run')
      .description(
        'send a campaign: a JSON file { reason, correlationId?, operations: [{ method, path, body }] }',
      )
      .requiredOption('--file <path>', 'the campaign, as JSON'),
  );
  run.action(async (options: Common & { file: string }) => {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(readFileSync(options.file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      run.error(`registre: cannot read ${options.file} as JSON (${(error as Error).message})`, {
        exitCode: 1,
      });
    }
    await send(run, options, '/campaigns', { ...body, ...(options.dryRun ? { dryRun: true } : {}) });
  });

  const revert = common(
    campaign
      .command('revert <correlationId>')
      .description('send the campaign that undoes a committed one')
      .requiredOption('--reason <text>', 'why it is undone'),
  );
  revert.action(async (correlationId: string, options: Common & { reason: string }) => {
    await send(revert, options, `/campaigns/${encodeURIComponent(correlationId)}/revert`, {
      reason: options.reason,
      ...(options.dryRun ? { dryRun: true } : {}),
    });
  });
}
