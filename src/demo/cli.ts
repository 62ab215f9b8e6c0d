import { Command } from 'commander';
import { REGISTRE_PROJECTIONS } from '../projections/registre-projections';
import { loadConfig } from '../config';
import type { Clock } from '../domain/shared/clock';
import { withCliResources } from '../cli-resources';
import { buildDemoSchool, DemoRefusedError } from './build-demo-school';
import { demoGuide } from './demo-guide';

export interface DemoCliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly clock: Clock;
}

/** The address `registre serve` will answer on with this configuration. */
export const serviceUrl = (config: { host: string; port: number }): string =>
  `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;

/**
 * `registre demo`: builds the demo collège on the configured store (nothing is written when it is
 * already there; a school holding other data is refused), brings the read models up to date and
 * prints a token per role with requests to try.
 */
export function registerDemoCommand(program: Command, io: DemoCliIo): Command {
  const command = program
    .command('demo')
    .description(
      'build the demo collège 0670001A (a month of roll calls and a trimester of grades, with the usual mistakes) and print tokens to try it',
    )
    .action(async () => {
      const config = loadConfig(io.env);
      await withCliResources(config, io.err, REGISTRE_PROJECTIONS, async ({ store, runner }) => {
        try {
          const demo = await buildDemoSchool(store, { now: io.clock.now() });
          await runner.catchUp();
          for (const line of await demoGuide(config, demo, serviceUrl(config), io.clock)) io.out(`${line}\n`);
        } catch (error) {
          if (error instanceof DemoRefusedError)
            command.error(`registre demo: ${error.message}`, { exitCode: 1, code: 'DEMO.REFUSED' });
          throw error;
        }
      });
    });
  return command;
}
