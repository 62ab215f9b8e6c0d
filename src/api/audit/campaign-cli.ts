import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { askService, ServiceCliIo, uaiArgument } from '../core/service-cli';

export interface CampaignCliIo extends ServiceCliIo {
  readonly out: (text: string) => void;
}

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
    const response = await askService(
      command,
      io,
      {
        school: options.school,
        role: options.as,
        ...(options.url !== undefined ? { url: options.url } : {}),
      },
      path,
      { method: 'POST', body },
    );
    const text = await response.text();
    const answer = JSON.parse(text) as { refused?: number[] };
    io.out(`${JSON.stringify(answer, null, 2)}\n`);
    if ((answer.refused ?? []).length > 0)
      command.error(`registre: operations refused: ${(answer.refused ?? []).join(', ')}`, { exitCode: 1 });
  };

  const common = (command: Command) =>
    command
      .requiredOption('--school <uai>', "the school's UAI, e.g. 0670001A", uaiArgument)
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
