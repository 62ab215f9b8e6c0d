import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Figure, Scenario, median, withTempDir } from './harness';
import { scenarios } from './scenarios';

/**
 * `npm run bench`: every scenario measures its raw baseline and Registre in the same run, several
 * runs, medians reported. REGISTRE_BENCH_RUNS (default 3) and REGISTRE_BENCH_ONLY=name,name.
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

async function main(): Promise<void> {
  const runs = Number(process.env.REGISTRE_BENCH_RUNS ?? 3);
  const only = process.env.REGISTRE_BENCH_ONLY?.split(',');
  const selected = scenarios().filter((s: Scenario) => !only || only.includes(s.name));
  const previous = existsSync(join(RESULTS, 'latest.json'))
    ? (JSON.parse(readFileSync(join(RESULTS, 'latest.json'), 'utf8')) as {
        figures: Record<string, { value: number }>;
      })
    : undefined;

  const figures: Record<string, Figure & { runs: number[] }> = {};
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
