import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessEntry, AccessLog } from '../../../src/api/privacy/access-log';
import { createLogger } from '../../../src/logger';

const entry = (studentId: string): AccessEntry => ({
  at: '2026-12-07T08:00:00.000Z',
  actorId: 'cpe-01',
  actorRole: 'cpe',
  schoolId: '0670001A',
  studentId,
  scope: null,
  route: '/schools/:schoolId/students/:studentId/attendance',
  status: 200,
});

describe('the access log file: buffered, written in batches', () => {
  let dir: string;
  let log: AccessLog;
  let reader: BetterSqlite3.Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'registre-access-log-'));
    log = AccessLog.open({
      path: join(dir, 'access-log.db'),
      logger: createLogger({ level: 'silent' }),
      flushDelayMs: 50,
      flushSize: 10,
    });
    reader = new BetterSqlite3(join(dir, 'access-log.db'), { readonly: true });
  });
  afterEach(() => {
    reader.close();
    log.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const written = () => (reader.prepare('SELECT count(*) AS n FROM access_log').get() as { n: number }).n;

  it('writes a read once the delay has passed, not on the request itself', async () => {
    log.record(entry('b1'));
    expect(written()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(written()).toBe(1);
  });

  it('writes at once when the batch is full, and what waits when closed', () => {
    for (let i = 0; i < 10; i++) log.record(entry(`s${i}`));
    expect(written()).toBe(10);
    log.record(entry('s10'));
    expect(written()).toBe(10);
    log.close();
    expect(written()).toBe(11);
  });
});
