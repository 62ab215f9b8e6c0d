import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenVerifier } from '../../src/api/auth/token-verifier';
import { runCli } from '../../src/cli';
import { CounterTestModule } from '../support/counter-slice';
import { SCHOOL, startTestApp, TEST_SECRET, testClock, tokenFor } from '../support/http';

const run = async (args: string[], env: Record<string, string>) => {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'registre', ...args], {
    env,
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    clock: testClock,
  });
  return { code, out, err };
};

describe('the registre CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'registre-cli-'));
    env = { REGISTRE_DB_PATH: join(dir, 'registre.db'), REGISTRE_JWT_SECRET: TEST_SECRET };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a token that the service verifies, with the claims asked for', async () => {
    const { code, out } = await run(
      [
        'token',
        '--role',
        'teacher',
        '--school',
        SCHOOL,
        '--sub',
        'prof-07',
        '--classes',
        '5B, 5C',
        '--subjects',
        'MATHS',
        '--ttl',
        '2h',
      ],
      env,
    );
    expect(code).toBe(0);
    const user = await createTokenVerifier(
      { kind: 'secret', secret: TEST_SECRET, source: 'env' },
      testClock,
    ).verify(out.trim());
    expect(user).toEqual({
      sub: 'prof-07',
      role: 'teacher',
      schoolId: SCHOOL,
      classes: ['5B', '5C'],
      subjects: ['MATHS'],
    });
  });

  it('signs with the secret generated beside the database when none is configured, as serve does', async () => {
    const generated = { REGISTRE_DB_PATH: join(dir, 'registre.db') };
    const { out } = await run(['token', '--role', 'cpe', '--school', SCHOOL, '--sub', 'cpe-01'], generated);
    const t = await startTestApp({ env: { ...generated, REGISTRE_JWT_SECRET: '' } });
    try {
      const res = await t
        .http()
        .get('/schools/0670001A/projections')
        .set('Authorization', `Bearer ${out.trim()}`);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('AUTH.ROLE_FORBIDDEN');
      expect(t.log.entries().some((entry) => String(entry.msg).includes('set REGISTRE_JWT_SECRET'))).toBe(
        true,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses to sign when tokens come from an identity provider', async () => {
    const { code, out, err } = await run(['token', '--role', 'cpe', '--school', SCHOOL, '--sub', 'x'], {
      REGISTRE_DB_PATH: join(dir, 'registre.db'),
      REGISTRE_JWKS_URL: 'https://idp.example/jwks.json',
    });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('REGISTRE_JWKS_URL');
  });

  it.each([
    [['--role', 'janitor', '--school', SCHOOL, '--sub', 'x'], 'janitor'],
    [['--role', 'cpe', '--school', '67', '--sub', 'x'], 'UAI'],
    [['--role', 'cpe', '--school', SCHOOL, '--sub', 'x', '--ttl', 'forever'], 'ttl'],
    [['--role', 'cpe', '--school', SCHOOL], '--sub'],
    [['--role', 'cpe', '--school', SCHOOL, '--sub', 'x', '--ttl', '100y'], 'REGISTRE_JWT_MAX_LIFETIME'],
    [['--role', 'cpe', '--school', SCHOOL, '--sub', 'x', '--ttl', '13h'], 'longer than the 43200 s'],
  ])('refuses token %j with a message and exit code 1', async (args, mention) => {
    const { code, err } = await run(['token', ...args], env);
    expect(code).toBe(1);
    expect(err).toContain(mention);
  });

  it('stops on a configuration error with the message only, no stack', async () => {
    const { code, err } = await run(['projections'], { ...env, REGISTRE_PORT: 'abc' });
    expect(code).toBe(1);
    expect(err).toBe("registre: REGISTRE_PORT must be an integer 1–65535, got 'abc'\n");
  });

  it('shows projection status and lag, as a table or JSON, and rebuilds', async () => {
    const t = await startTestApp({ env, imports: [CounterTestModule] });
    let position = '0';
    try {
      const cpe = await tokenFor('cpe');
      for (let i = 0; i < 3; i++) {
        position = (
          await t
            .http()
            .post(`/schools/${SCHOOL}/counters/c/increments`)
            .set('Authorization', cpe)
            .send({ by: 1 })
        ).body.position;
      }
      await t
        .http()
        .get(`/schools/${SCHOOL}/audit?minPosition=${position}`)
        .set('Authorization', await tokenFor('admin'));
    } finally {
      await t.app.close();
    }
    const table = await run(['projections'], env);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(
      /^PROJECTION\s+VERSION\s+LIVE\s+STATUS\s+CHECKPOINT\s+HEAD\s+LAG/,
    );
    expect(table.out).toMatch(new RegExp(`audit-trail\\s+3\\s+3\\s+live\\s+${position}\\s+${position}\\s+0`));

    const json = await run(['projections', '--json'], env);
    const statuses = JSON.parse(json.out);
    expect(statuses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'audit-trail', checkpoint: position, lag: 0 }),
      ]),
    );

    const rebuilt = await run(['rebuild', 'stream-stats'], env);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out).toMatch(
      new RegExp(`stream-stats\\s+1\\s+1\\s+live\\s+${position}\\s+${position}\\s+0`),
    );

    const unknown = await run(['rebuild', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no projection named nope');
  });

  it('prints help and exits 0', async () => {
    const { code, out } = await run(['--help'], env);
    expect(code).toBe(0);
    expect(out).toMatch(/serve[\s\S]*token[\s\S]*projections[\s\S]*rebuild/);
  });
});

describe('registre serve', () => {
  it('listens, answers /health, logs JSON on stdout and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registre-serve-'));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', join(__dirname, '../support/register-ts.js'), join(__dirname, '../../src/cli.ts'), 'serve'],
      {
        env: {
          ...process.env,
          REGISTRE_PORT: String(port),
          REGISTRE_HOST: '127.0.0.1',
          REGISTRE_DB_PATH: join(dir, 'r.db'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<string | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    try {
      for (let i = 0; i < 200 && !stderr.includes('listening'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(stderr).toContain(`Registre listening on http://127.0.0.1:${port}`);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      child.kill('SIGTERM');
      // Nest closes the app, then re-raises the signal so that the exit status says SIGTERM.
      expect(await exited).toBe('SIGTERM');
      const lines = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['registre listening', 'registre stopped']),
      );
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
