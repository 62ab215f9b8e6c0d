/**
 * While one ~49 MB SIECLE export is imported (dry run) over HTTP, how long GET /health takes (p50,
 * p99, max) and how much the process RSS grows. Run from a worktree's root:
 *   node -r ./test/support/register-ts.js bench/import-stall.ts [students=60000]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../src/api/auth/sign-token';
import { loadConfig } from '../src/config';
import { makeSiecleExport } from '../src/import/fixtures-generator';
import { systemClock } from '../src/system-clock';
import { createLogger } from '../src/logger';
import { createApp } from '../src/main';
import { TS_PROJECTION_WORKER } from '../test/support/projection-worker-script';

const SECRET = 'registre-bench-secret-at-least-32-characters';

const call = (port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer) =>
  new Promise<{ status: number; ms: number }>((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = request({ port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - start) / 1e6 }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

const main = async () => {
  const students = Number(process.argv[2] ?? 60000);
  const dir = mkdtempSync(join(tmpdir(), 'registre-stall-'));
  const config = loadConfig({
    REGISTRE_DB_PATH: join(dir, 'r.db'),
    REGISTRE_JWT_SECRET: SECRET,
    REGISTRE_SYNCHRONOUS: 'normal',
    REGISTRE_LOG_LEVEL: 'silent',
  });
  const readerScript = join(__dirname, '..', 'test', 'support', 'import-reader-script.ts');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const imports = existsSync(readerScript) ? [require(readerScript).TsImportReaderModule] : [];
  const app = await createApp(config, {
    workerScript: TS_PROJECTION_WORKER,
    logger: createLogger({ level: 'silent' }),
    imports,
  });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const token = `Bearer ${await signToken({ auth: { kind: 'secret', secret: SECRET, source: 'env' } }, { sub: 'admin-01', role: 'admin', schoolId: '0670001A' }, systemClock)}`;
  await call(
    port,
    'PUT',
    '/schools/0670001A/year',
    { Authorization: token, 'Content-Type': 'application/json' },
    Buffer.from(JSON.stringify({ schoolYear: '2026-2027', start: '2026-09-01', end: '2027-07-03' })),
  );
  const file = makeSiecleExport({ students, classes: Math.ceil(students / 30), groups: 20 });
  const idle: number[] = [];
  for (let i = 0; i < 200; i++) idle.push((await call(port, 'GET', '/health', {})).ms);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let done = false;
  const started = process.hrtime.bigint();
  const importing = call(
    port,
    'POST',
    '/schools/0670001A/imports/siecle?dryRun=true',
    { Authorization: token, 'Content-Type': 'application/xml' },
    file,
  ).then((r) => {
    done = true;
    return r;
  });
  const busy: number[] = [];
  while (!done) busy.push((await call(port, 'GET', '/health', {})).ms);
  const result = await importing;
  clearInterval(sampler);
  const importMs = Number(process.hrtime.bigint() - started) / 1e6;
  const f = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify({
      students,
      fileMb: f(file.length / 1048576),
      importStatus: result.status,
      importMs: f(importMs),
      idle: { p50: f(percentile(idle, 50)), p99: f(percentile(idle, 99)) },
      duringImport: {
        requests: busy.length,
        p50: f(percentile(busy, 50)),
        p99: f(percentile(busy, 99)),
        max: f(Math.max(...busy)),
      },
      rssGrowthMb: f((peakRss - rssBefore) / 1048576),
    }),
  );
  await app.close();
  rmSync(dir, { recursive: true, force: true });
};

void main();
