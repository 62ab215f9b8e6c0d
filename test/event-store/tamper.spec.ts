import BetterSqlite3 from 'better-sqlite3';
import { runCli } from '../../src/cli';
import { SqliteEventStore } from '../../src/event-store/sqlite';
import { backfillChain } from '../../src/event-store/sqlite/chain-store';
import { ChainVerification, describeVerification } from '../../src/event-store/verify';
import { tempDir, TempDir } from '../support/temp-db';
import { ManualClock } from '../support/clock';
import { anEvent } from './events';
import { CounterTestModule } from '../support/counter-slice';
import { SCHOOL, startTestApp, TestApp, tokenFor } from '../support/http';

const STREAMS = [
  'rollcall-0670001A-5B-2026-09-01-M1',
  'attendance-0670001A-s1',
  'assessment-0670001A-a1',
  'school-0670001A',
];
const EVENTS = 36;

/** Event i (0-based) is at position i + 1, in stream STREAMS[i % 4] at revision floor(i / 4). */
const streamOf = (position: number) => STREAMS[(position - 1) % 4];
const revisionOf = (position: number) => Math.floor((position - 1) / 4);

describe('tamper evidence on the SQLite log', () => {
  let dir: TempDir;
  let path: string;

  const fill = async (count = EVENTS) => {
    const store = SqliteEventStore.open({ path });
    for (let i = 0; i < count; i++) {
      const commandId = `cmd-${i}`;
      await store.appendToStream(
        STREAMS[i % 4],
        [anEvent('AbsenceRecorded', { studentId: `s${i}`, minutes: i, note: `entry ${i}` }, commandId)],
        { commandId },
      );
    }
    await store.close();
  };

  /** Behind the engine's back: a raw connection, its guards dropped. */
  const tamper = (sql: string) => {
    const raw = new BetterSqlite3(path);
    try {
      raw.exec(`DROP TRIGGER IF EXISTS events_are_never_updated; DROP TRIGGER IF EXISTS events_are_never_deleted;
        DROP TRIGGER IF EXISTS event_chain_is_never_updated; DROP TRIGGER IF EXISTS event_chain_is_never_deleted;`);
      raw.exec(sql);
    } finally {
      raw.close();
    }
  };

  const verify = (): ChainVerification => {
    const store = SqliteEventStore.open({ path });
    try {
      return store.verifyChain({ batchSize: 7 });
    } finally {
      void store.close();
    }
  };

  const problemOf = (result: ChainVerification) => {
    if (result.outcome !== 'tampered')
      throw new Error(`expected a problem, got ${describeVerification(result)}`);
    const { position, streamId, revision, problem } = result.problem;
    return { position, streamId, revision, problem };
  };

  const cli = async () => {
    let out = '';
    let err = '';
    const code = await runCli(['node', 'registre', 'verify'], {
      env: { REGISTRE_DB_PATH: path },
      out: (text) => void (out += text),
      err: (text) => void (err += text),
      clock: new ManualClock(),
    });
    return { code, out, err };
  };

  beforeEach(async () => {
    dir = tempDir('registre-tamper-');
    path = dir.file('events.db');
    await fill();
  });

  afterEach(() => dir.remove());

  it('finds an untouched log intact', () => {
    expect(describeVerification(verify())).toBe(`intact, 36 events, head hash ${HEAD_HASH}`);
  });

  it('names the event whose data value was edited in the file', () => {
    tamper(`UPDATE events SET data = json_set(data, '$.minutes', 99) WHERE position = 17`);

    expect(problemOf(verify())).toEqual({
      position: 17n,
      streamId: streamOf(17),
      revision: 4,
      problem: 'content-altered',
    });
  });

  it('names the position of a deleted event row', () => {
    tamper('DELETE FROM events WHERE position = 12');

    const result = verify();
    expect(problemOf(result)).toEqual({
      position: 12n,
      streamId: null,
      revision: null,
      problem: 'missing-event',
    });
    expect(result.events).toBe(11);
  });

  it('names the position of a deleted event row whose chain entry was deleted too', () => {
    tamper('DELETE FROM events WHERE position = 12; DELETE FROM event_chain WHERE position = 12');

    expect(problemOf(verify())).toEqual({
      position: 12n,
      streamId: null,
      revision: null,
      problem: 'missing-event',
    });
  });

  it('names the removal of the last events, known from the positions already handed out', () => {
    tamper('DELETE FROM events WHERE position > 34; DELETE FROM event_chain WHERE position > 34');

    expect(problemOf(verify())).toEqual({
      position: 35n,
      streamId: null,
      revision: null,
      problem: 'missing-event',
    });
  });

  it('names two rows whose data were swapped', () => {
    tamper(`CREATE TEMP TABLE saved AS SELECT position, data FROM events WHERE position IN (9, 22);
            UPDATE events SET data = (SELECT data FROM saved WHERE saved.position = 31 - events.position)
             WHERE position IN (9, 22)`);

    const result = verify();
    expect(problemOf(result)).toEqual({
      position: 9n,
      streamId: streamOf(9),
      revision: revisionOf(9),
      problem: 'out-of-order',
    });
    expect(result.outcome === 'tampered' && result.problem.message).toBe(
      'the events at positions 9 and 22 were swapped (data exchanged)',
    );
  });

  it('names two whole rows of one stream swapped, revisions and all', () => {
    // Positions 5 and 21 are revisions 1 and 5 of the same stream.
    tamper(`CREATE TEMP TABLE saved AS SELECT * FROM events WHERE position IN (5, 21);
            DELETE FROM events WHERE position IN (5, 21);
            INSERT INTO events (position, stream_num, revision, event_id, type, data, metadata)
              SELECT CASE position WHEN 5 THEN 21 ELSE 5 END, stream_num, revision, event_id, type, data, metadata
                FROM saved`);

    const result = verify();
    expect(problemOf(result)).toEqual({
      position: 5n,
      streamId: streamOf(5),
      revision: 5,
      problem: 'out-of-order',
    });
    expect(result.outcome === 'tampered' && result.problem.message).toBe(
      'the events at positions 5 and 21 were swapped (revision, event id, data, metadata exchanged)',
    );
  });

  it('names an event row inserted outside the engine', () => {
    tamper(`INSERT INTO events (stream_num, revision, event_id, type, data, metadata)
            SELECT stream_num, 99, 'forged', 'AbsenceRecorded', '{"studentId":"s9"}', metadata FROM events WHERE position = 1`);

    expect(problemOf(verify())).toEqual({
      position: 37n,
      streamId: STREAMS[0],
      revision: 99,
      problem: 'inserted',
    });
  });

  it('names a chain entry edited while its event was left alone', () => {
    tamper(`DELETE FROM event_chain WHERE position = 5; INSERT INTO event_chain VALUES (5, zeroblob(32))`);

    expect(problemOf(verify())).toEqual({
      position: 5n,
      streamId: streamOf(5),
      revision: revisionOf(5),
      problem: 'chain-altered',
    });
  });

  it('catches a log edited and rehashed from start to end against the head the last verification recorded', async () => {
    expect(await cli()).toEqual({ code: 0, out: `intact, 36 events, head hash ${HEAD_HASH}\n`, err: '' });
    tamper(
      `UPDATE events SET data = json_set(data, '$.minutes', 99) WHERE position = 3; DELETE FROM event_chain`,
    );
    const raw = new BetterSqlite3(path);
    backfillChain(raw);
    raw.close();

    expect(problemOf(verify())).toEqual({
      position: 36n,
      streamId: null,
      revision: null,
      problem: 'chain-altered',
    });
  });

  it('registre verify exits 1 naming the first problem, and records each run', async () => {
    tamper(`UPDATE events SET data = json_set(data, '$.minutes', 99) WHERE position = 17`);

    expect(await cli()).toEqual({
      code: 1,
      out:
        'tampered: content-altered at position 17: the content of the event at position 17 ' +
        `(stream ${streamOf(17)}, revision 4) does not match its chain entry: it was altered\n`,
      err: '',
    });
    const store = SqliteEventStore.open({ path });
    try {
      expect(await store.lastVerification()).toEqual({
        verifiedAt: '2026-12-07T08:00:00.000Z',
        outcome: 'tampered',
        events: 16,
        headPosition: 16n,
        headHash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
        problem: expect.objectContaining({ position: 17n, problem: 'content-altered' }) as object,
      });
    } finally {
      await store.close();
    }
  });

  it('keeps one chain when another connection appends to the file, and when an append of a group is refused', async () => {
    const first = SqliteEventStore.open({ path });
    const second = SqliteEventStore.open({ path });
    try {
      await first.appendToStream(STREAMS[0], [anEvent()]);
      await second.appendToStream(STREAMS[1], [anEvent(), anEvent()]);
      const refused = first.appendToStream(STREAMS[2], [anEvent()], { expectedRevision: 0 });
      const kept = first.appendToStream(STREAMS[3], [anEvent(), anEvent(), anEvent()]);
      await expect(refused).rejects.toThrow('stream assessment-0670001A-a1 is at revision 8, expected 0');
      await kept;
      await second.appendToStream(STREAMS[0], [anEvent()]);
    } finally {
      await first.close();
      await second.close();
    }

    expect(verify()).toMatchObject({ outcome: 'intact', events: 43, headPosition: 43n });
  });

  it('chains the events of a file written before the chain existed, once, when it is first opened', async () => {
    tamper(`DROP TABLE event_chain; DROP TABLE chain_verifications;
            DELETE FROM event_store_schema WHERE version = 3`);

    expect(describeVerification(verify())).toBe(`intact, 36 events, head hash ${HEAD_HASH}`);
    const store = SqliteEventStore.open({ path });
    await store.appendToStream(STREAMS[0], [anEvent()]);
    await store.close();
    expect(verify()).toMatchObject({ outcome: 'intact', events: 37 });
  });
});

const HEAD_HASH = 'b746996d83038096129af09f1ce3913e55512117e9113ebd143e1c8bccb4fafa';

describe('the last verification, on /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [CounterTestModule] });
  });
  afterAll(() => t.close());

  it('is shown to a deployment admin once registre verify ran beside the running service', async () => {
    const write = await t
      .http()
      .post(`/schools/${SCHOOL}/counters/c/increments`)
      .set('Authorization', await tokenFor('cpe'))
      .send({ by: 1 });
    let out = '';
    const code = await runCli(['node', 'registre', 'verify'], {
      env: { REGISTRE_DB_PATH: t.config.dbPath },
      out: (text) => void (out += text),
      err: () => undefined,
      clock: new ManualClock(),
    });
    const res = await t
      .http()
      .get('/health')
      .set('Authorization', await tokenFor('admin', '*'));

    expect(code).toBe(0);
    expect(res.body.lastVerification).toEqual({
      verifiedAt: '2026-12-07T08:00:00.000Z',
      outcome: 'intact',
      events: Number(write.body.position),
      headPosition: write.body.position,
      headHash: out.trim().split(' ').pop(),
    });
  });
});
