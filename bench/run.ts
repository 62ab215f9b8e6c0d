import BetterSqlite3 from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Figure, Scenario, median, withTempDir } from './harness';
import { scenarios } from './scenarios';

/**
 * `npm run bench`: every scenario measures its raw baseline and Registre in the same run, several
 * runs, medians reported. REGISTRE_BENCH_RUNS (default 3) and REGISTRE_BENCH_ONLY=name,name.
 *
 * Each scenario runs in a process of its own (this script again, with the node flags it was given),
 * as a service starts in one: run one after another in one process, a scenario's measurements took
 * in the collections of the heaps every scenario before it had left (a council view's p99 went from
 * 60 ms alone to 203 ms at the end of a session). The databases built once and copied by several
 * scenarios are kept for the whole session in one directory (REGISTRE_BENCH_TEMPLATES).
 */
const RESULTS = join(__dirname, '..', '..', 'bench', 'results');

const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;

const format = (figure: Figure): string => {
  const value =
    figure.unit === 'x'
      ? figure.value.toFixed(2)
      : figure.value >= 100
        ? Math.round(figure.value).toLocaleString('en')
        : figure.value.toFixed(2);
  const target = figure.target
    ? `  (target ${figure.target.op} ${figure.target.value}: ${meets(figure) ? 'met' : 'NOT met'})`
    : '';
  return `${value} ${figure.unit}${target}`;
};

const meets = (figure: Figure): boolean =>
  !figure.target ||
  (figure.target.op === '>=' ? figure.value >= figure.target.value : figure.value <= figure.target.value);

type Measured = Record<string, Figure & { runs: number[] }>;

/** Where a scenario's own process writes what it measured, for the session's process to gather. */
const CHILD_OUTPUT = 'REGISTRE_BENCH_CHILD_OUTPUT';

/** Each selected scenario in a process of its own; their figures gathered in the order they ran. */
const runEachAlone = (
  selected: readonly Scenario[],
): { figures: Measured; settings: Record<string, unknown> } => {
  const figures: Measured = {};
  const settings: Record<string, unknown> = {};
  const session = mkdtempSync(join(process.env.REGISTRE_BENCH_DIR ?? tmpdir(), 'registre-bench-session-'));
  const templates = join(session, 'templates');
  mkdirSync(templates);
  try {
    for (const scenario of selected) {
      const output = join(session, `${scenario.name}.json`);
      const child = spawnSync(process.execPath, [...process.execArgv, __filename], {
        stdio: 'inherit',
        env: {
          ...process.env,
          REGISTRE_BENCH_ONLY: scenario.name,
          [CHILD_OUTPUT]: output,
          REGISTRE_BENCH_TEMPLATES: process.env.REGISTRE_BENCH_TEMPLATES ?? templates,
        },
      });
      if (child.status !== 0 || !existsSync(output))
        throw new Error(`bench scenario ${scenario.name} failed (exit ${child.status ?? child.signal})`);
      const measured = JSON.parse(readFileSync(output, 'utf8')) as {
        figures: Measured;
        settings: Record<string, unknown>;
      };
      Object.assign(figures, measured.figures);
      Object.assign(settings, measured.settings);
    }
  } finally {
    rmSync(session, { recursive: true, force: true });
  }
  return { figures, settings };
};

async function main(): Promise<void> {
  const runs = Number(process.env.REGISTRE_BENCH_RUNS ?? 3);
  const only = process.env.REGISTRE_BENCH_ONLY?.split(',');
  const selected = scenarios().filter((s: Scenario) => !only || only.includes(s.name));
  const childOutput = process.env[CHILD_OUTPUT];
  if (childOutput === undefined && selected.length > 1 && process.env.REGISTRE_BENCH_ONE_PROCESS !== '1') {
    const { figures, settings } = runEachAlone(selected);
    return writeResults(runs, figures, settings);
  }
  const previous = existsSync(join(RESULTS, 'latest.json'))
    ? (JSON.parse(readFileSync(join(RESULTS, 'latest.json'), 'utf8')) as {
        figures: Record<string, { value: number }>;
      })
    : undefined;

  const figures: Measured = {};
  const settings: Record<string, unknown> = {};
  for (const scenario of selected) {
    settings[scenario.name] = scenario.settings;
    process.stdout.write(`\n${scenario.name} (${runs} runs)\n`);
    const perRun: Figure[][] = [];
    for (let r = 0; r < runs; r++) {
      perRun.push(await withTempDir(scenario.name, (dir) => scenario.run(dir)));
      process.stdout.write(
        `  run ${r + 1}: ${perRun[r].map((f) => `${f.key}=${f.value.toFixed(2)}`).join(' ')}\n`,
      );
    }
    for (const figure of perRun[0]) {
      const values = perRun.map((run) => run.find((f) => f.key === figure.key)?.value ?? NaN);
      figures[figure.key] = { ...figure, value: median(values), runs: values };
      const before = previous?.figures[figure.key]?.value;
      const change = before ? `  [last: ${before.toFixed(2)}]` : '';
      process.stdout.write(`  ${figure.label}: ${format(figures[figure.key])}${change}\n`);
    }
  }

  if (childOutput !== undefined) {
    writeFileSync(childOutput, JSON.stringify({ figures, settings }));
    return;
  }
  writeResults(runs, figures, settings);
}

function writeResults(runs: number, figures: Measured, settings: Record<string, unknown>): void {
  mkdirSync(RESULTS, { recursive: true });
  const sqlite = new BetterSqlite3(':memory:');
  const result = {
    measuredAt: new Date().toISOString(),
    runs,
    statistic: 'median',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
    versions: {
      'better-sqlite3': versionOf('better-sqlite3'),
      sqlite: (sqlite.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
      '@nestjs/core': versionOf('@nestjs/core'),
      fastify: versionOf('fastify'),
    },
    settings,
    figures,
  };
  sqlite.close();
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  const missed = Object.values(figures).filter((f) => !meets(f));
  process.stdout.write(
    `\nwrote bench/results/latest.json; targets ${missed.length === 0 ? 'all met' : `NOT met: ${missed.map((f) => f.key).join(', ')}`}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
