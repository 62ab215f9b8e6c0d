import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { IdempotencyKeyReusedError, WrongExpectedRevisionError } from '../../src/event-store/event-store';
import { eventIdFor, SqliteEventStore } from '../../src/event-store/sqlite';
import { tempDir, TempDir } from '../support/temp-db';
import { anEvent, eventsOf } from './events';

describe('SqliteEventStore on its file', () => {
  let dir: TempDir;
  let path: string;
  const opened: SqliteEventStore[] = [];
  const open = (options: Omit<Parameters<typeof SqliteEventStore.open>[0], 'path'> = {}) => {
    const store = SqliteEventStore.open({ path, ...options });
    opened.push(store);
    return store;
  };
  const rawConnection = () => new BetterSqlite3(path);

  beforeEach(() => {
    dir = tempDir('registre-es-sqlite-');
    path = dir.file('nested/deeper/events.db');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    dir.remove();
  });

  describe('opening', () => {
    it('creates the parent directories and the schema, and opens again without migrating twice', async () => {
      await open().close();
      await open().appendToStream('s', [anEvent()]);
      await open().close();

      expect(existsSync(path)).toBe(true);
      const raw = rawConnection();
      try {
        expect(raw.prepare('SELECT version FROM event_store_schema').pluck().all()).toEqual([1, 2, 3]);
        const strict = raw
          .prepare("SELECT name FROM pragma_table_list WHERE strict = 1 AND schema = 'main' ORDER BY name")
          .pluck()
          .all();
        expect(strict).toEqual(expect.arrayContaining(['commands', 'events', 'streams']));
      } finally {
        raw.close();
      }
    });

    it('brings a file written before request fingerprints up to date, and keeps answering its commands', async () => {
      const before = open();
      const first = await before.appendToStream('s', [anEvent()], { commandId: 'sent-before' });
      await before.close();
      const raw = rawConnection();
      try {
        raw.exec('ALTER TABLE commands DROP COLUMN request_fingerprint');
        raw.exec('DROP TABLE event_chain; DROP TABLE chain_verifications');
        raw.exec('DELETE FROM event_store_schema WHERE version >= 2');
      } finally {
        raw.close();
      }

      const store = open();
      const again = await store.appendToStream('s', [anEvent()], {
        commandId: 'sent-before',
        requestFingerprint: 'any request',
      });
      await store.appendToStream('t', [anEvent()], { commandId: 'sent-after', requestFingerprint: 'first' });
      const reused = await store
        .appendToStream('t', [anEvent()], { commandId: 'sent-after', requestFingerprint: 'second' })
        .catch((e: unknown) => e);

      expect(again).toEqual({ ...first, deduplicated: true });
      expect(reused).toBeInstanceOf(IdempotencyKeyReusedError);
      expect(await store.readAll()).toHaveLength(2);
    });

    it('uses WAL, synchronous=FULL by default, foreign keys and a busy timeout', () => {
      expect(open().settings()).toEqual({
        journalMode: 'wal',
        synchronous: 'full',
        foreignKeys: true,
        busyTimeoutMs: 5000,
      });
    });

    it('uses synchronous=NORMAL only when asked', () => {
      expect(open({ synchronous: 'normal' }).settings().synchronous).toBe('normal');
      expect(open({ synchronous: 'full' }).settings().synchronous).toBe('full');
    });

    it('exposes the path it was opened on', () => {
      expect(open().path).toBe(path);
    });
  });

  describe('append-only log', () => {
    const refused = (sql: string): string => {
      const raw = rawConnection();
      try {
        raw.exec(sql);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      } finally {
        raw.close();
      }
    };

    beforeEach(async () => {
      const store = open();
      await store.appendToStream('s', eventsOf('cmd-1', 2), { commandId: 'cmd-1' });
      await store.close();
    });

    it.each([
      ["UPDATE events SET data = '{}'", 'events are append-only: UPDATE refused'],
      ['DELETE FROM events', 'events are append-only: DELETE refused'],
      ['UPDATE commands SET position = 99', 'commands are append-only: UPDATE refused'],
      ['DELETE FROM commands', 'commands are append-only: DELETE refused'],
      ["UPDATE streams SET stream_id = 'other'", 'a stream keeps its id and number'],
      ['DELETE FROM streams', 'streams are never deleted'],
    ])('refuses %s', (sql, message) => {
      expect(refused(sql)).toBe(message);
    });

    it('never reuses a position, even after the last event row was forcibly removed', async () => {
      const raw = rawConnection();
      try {
        raw.exec('DROP TRIGGER events_are_never_deleted');
        raw.exec('DELETE FROM events WHERE position = (SELECT max(position) FROM events)');
      } finally {
        raw.close();
      }

      const store = open();
      expect(await store.headPosition()).toBe(1n);
      const result = await store.appendToStream('other', [anEvent()]);

      expect(result.position).toBe(3n);
    });
  });

  describe('group commit', () => {
    it('writes concurrent appends in far fewer transactions than appends', async () => {
      const store = open();
      const before = store.stats.commits;

      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.appendToStream(`stream-${i}`, [anEvent()])),
      );

      expect(store.stats.commits - before).toBe(1);
      expect(new Set(results.map((r) => r.position)).size).toBe(50);
      expect(await store.readAll()).toHaveLength(50);
    });

    it('answers a conflicting append on its own without failing the rest of its group', async () => {
      const store = open();
      const before = store.stats.commits;

      const [first, conflicting, elsewhere] = await Promise.allSettled([
        store.appendToStream('s', [anEvent('First')], { expectedRevision: 'no_stream' }),
        store.appendToStream('s', [anEvent('Conflicting')], { expectedRevision: 'no_stream' }),
        store.appendToStream('t', [anEvent('Elsewhere')], { expectedRevision: 'no_stream' }),
      ]);

      expect(store.stats.commits - before).toBe(1);
      expect(first.status).toBe('fulfilled');
      expect(elsewhere.status).toBe('fulfilled');
      expect(conflicting.status).toBe('rejected');
      expect((conflicting as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.readAll()).map((e) => e.type)).toEqual(['First', 'Elsewhere']);
    });

    it('leaves nothing of an append that fails halfway, and writes the rest of its group', async () => {
      const store = open();
      const raw = rawConnection();
      raw.exec(`CREATE TRIGGER refuse_some BEFORE INSERT ON events WHEN NEW.type = 'Refused'
                BEGIN SELECT RAISE(ABORT, 'refused for the test'); END`);
      raw.close();

      const [halfway, other] = await Promise.allSettled([
        store.appendToStream('s', [anEvent('Accepted'), anEvent('Refused')], { commandId: 'halfway' }),
        store.appendToStream('t', [anEvent('Accepted')], { commandId: 'other' }),
      ]);

      expect(halfway).toMatchObject({ status: 'rejected', reason: { message: 'refused for the test' } });
      expect(other.status).toBe('fulfilled');
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['t']);
      expect(await store.findCommand('halfway')).toBeUndefined();
      expect(await store.appendToStream('s', [anEvent()], { expectedRevision: 'no_stream' })).toMatchObject({
        nextExpectedRevision: 0,
      });
    });

    it('lets appends to one stream inside a group see each other in order', async () => {
      const store = open();

      const results = await Promise.all([
        store.appendToStream('s', [anEvent('E0')], { expectedRevision: 'no_stream' }),
        store.appendToStream('s', [anEvent('E1'), anEvent('E2')], { expectedRevision: 0 }),
        store.appendToStream('s', [anEvent('E3')], { expectedRevision: 2 }),
      ]);

      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 2, 3]);
      expect(store.stats.commits).toBe(1);
      expect((await store.readStream('s')).map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3']);
    });

    it('deduplicates a command sent twice in the same group', async () => {
      const store = open();

      const [first, second] = await Promise.all([
        store.appendToStream('s', eventsOf('cmd', 2), { commandId: 'cmd' }),
        store.appendToStream('s', eventsOf('cmd', 2), { commandId: 'cmd' }),
      ]);

      expect(first.deduplicated).toBe(false);
      expect(second).toEqual({ ...first, deduplicated: true });
      expect(await store.readStream('s')).toHaveLength(2);
    });

    it('fails every append of a group whose transaction cannot begin', async () => {
      const store = open({ busyTimeoutMs: 20 });
      await store.appendToStream('s', [anEvent()]);
      const otherWriter = rawConnection();
      otherWriter.exec('BEGIN IMMEDIATE');
      try {
        const outcomes = await Promise.allSettled([
          store.appendToStream('s', [anEvent()]),
          store.appendToStream('t', [anEvent()]),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
        expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
      } finally {
        otherWriter.exec('ROLLBACK');
        otherWriter.close();
      }

      await store.appendToStream('t', [anEvent()]);
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['s', 't']);
    });

    it('fails every append of a group whose COMMIT fails, and writes none of them', async () => {
      const store = open();
      await store.appendToStream('s', [anEvent()]);
      // A deferred foreign key is checked only at COMMIT: a 'Poison' event makes that COMMIT fail.
      const raw = rawConnection();
      raw.exec(`
        CREATE TABLE nowhere (id INTEGER PRIMARY KEY);
        CREATE TABLE poison (id INTEGER REFERENCES nowhere (id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER poison_commit AFTER INSERT ON events WHEN NEW.type = 'Poison'
        BEGIN INSERT INTO poison VALUES (1); END;
      `);
      raw.close();

      const outcomes = await Promise.allSettled([
        store.appendToStream('s', [anEvent('Fine')], { commandId: 'fine' }),
        store.appendToStream('t', [anEvent('Poison')]),
      ]);

      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({
        code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
      });
      expect(await store.findCommand('fine')).toBeUndefined();
      expect(await store.readAll()).toHaveLength(1);
      await expect(
        store.appendToStream('s', [anEvent('Fine')], { expectedRevision: 0 }),
      ).resolves.toMatchObject({
        position: 2n,
      });
    });

    it('puts later arrivals in the next group', async () => {
      const store = open();
      const firstGroup = store.appendToStream('s', [anEvent()]);
      await new Promise((resolve) => setImmediate(resolve));
      const secondGroup = store.appendToStream('s', [anEvent()]);

      await Promise.all([firstGroup, secondGroup]);

      expect(store.stats.commits).toBe(2);
    });
  });

  describe('two stores on one file', () => {
    it('enforce expected revisions across connections', async () => {
      const [one, two] = [open(), open()];
      await one.appendToStream('s', [anEvent()], { expectedRevision: 'no_stream' });

      const error = await two
        .appendToStream('s', [anEvent()], { expectedRevision: 'no_stream' })
        .catch((e) => e);

      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).actual).toBe(0);
      const again = await two.appendToStream('s', [anEvent()], { expectedRevision: 0 });
      expect(again.position).toBe(2n);
    });

    it("wake each other's subscribers once per commit, without waking anyone twice for its own", async () => {
      const [server, cli] = [open({ watchIntervalMs: 10 }), open()];
      const heads: bigint[] = [];
      server.onAppended((head) => heads.push(head));

      await server.appendToStream('s', [anEvent()]);
      await server.appendToStream('s', [anEvent()]);
      await new Promise((resolve) => setTimeout(resolve, 60));
      await cli.appendToStream('t', [anEvent(), anEvent()]);
      const deadline = Date.now() + 2000;
      while (heads.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((resolve) => setTimeout(resolve, 60));

      expect(heads).toEqual([1n, 2n, 4n]);
    });
  });

  describe('event ids', () => {
    it('derives them from the command id, and draws them at random without one', async () => {
      const store = open();
      await store.appendToStream('s', eventsOf('cmd-7', 2), { commandId: 'cmd-7' });
      await store.appendToStream('s', [anEvent(), anEvent()]);

      const ids = (await store.readStream('s')).map((e) => e.id);

      expect(ids.slice(0, 2)).toEqual([eventIdFor('cmd-7', 0), eventIdFor('cmd-7', 1)]);
      expect(new Set(ids).size).toBe(4);
      for (const id of ids)
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });
  });

  describe('reading', () => {
    it('upcasts old event versions on read, leaving the log as written', async () => {
      const writer = open();
      await writer.appendToStream('s', [anEvent('LatenessRecorded', { minutes: '12' })]);
      await writer.close();

      const reader = open({
        upcast: (event) =>
          event.metadata.schemaVersion === 1 && event.type === 'LatenessRecorded'
            ? { ...event, data: { minutes: Number(event.data.minutes) } }
            : event,
      });

      expect((await reader.readStream('s'))[0].data).toEqual({ minutes: 12 });
      expect((await reader.readAll())[0].data).toEqual({ minutes: 12 });
      const raw = rawConnection();
      try {
        expect(raw.prepare('SELECT data FROM events').pluck().get()).toBe('{"minutes":"12"}');
      } finally {
        raw.close();
      }
    });

    it("reads events without their metadata on request, each event's read from the log when first asked for", async () => {
      const store = open();
      // 40 commands of one event each: 40 metadata texts, more than are read one at a time.
      for (let i = 0; i < 40; i++)
        await store.appendToStream(`s-${i % 3}`, [anEvent('AbsenceRecorded', { i }, `command-${i}`)]);

      const withEvents = await store.readAll({ after: 2n, limit: 36 });
      const fewRead = await store.readAll({ after: 2n, limit: 36, metadata: 'on-first-read' });
      expect(fewRead[5].metadata.commandId).toBe('command-7');
      expect(fewRead[30].metadata.correlationId).toBe('command-32');
      const allRead = await store.readAll({ after: 2n, limit: 36, metadata: 'on-first-read' });

      expect(allRead).toHaveLength(36);
      expect(allRead).toEqual(withEvents);
      expect(fewRead).toEqual(withEvents);
      expect(allRead.map((event) => event.metadata.commandId)).toEqual(
        Array.from({ length: 36 }, (_, i) => `command-${i + 2}`),
      );
      expect(await store.readAll({ after: 40n, metadata: 'on-first-read' })).toEqual([]);
    });

    it('reports the head position, 0 on an empty log', async () => {
      const store = open();
      expect(await store.headPosition()).toBe(0n);
      const { position } = await store.appendToStream('s', [anEvent(), anEvent()]);
      expect(await store.headPosition()).toBe(position);
    });
  });

  describe('waking subscribers', () => {
    it('wakes them once per commit with the new head, and not for a commit that wrote nothing', async () => {
      const store = open();
      const heads: bigint[] = [];
      store.onAppended((head) => heads.push(head));

      const [, last] = await Promise.all([
        store.appendToStream('s', [anEvent()], { commandId: 'c1' }),
        store.appendToStream('t', [anEvent(), anEvent()]),
      ]);
      await store.appendToStream('s', [anEvent()], { commandId: 'c1' });
      await store.appendToStream('u', []);

      expect(heads).toEqual([last.position]);
    });

    it('answers the appends of a commit even when a subscriber throws', async () => {
      const store = open();
      const warning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      store.onAppended(() => {
        throw new Error('broken subscriber');
      });

      await expect(store.appendToStream('s', [anEvent()])).resolves.toMatchObject({ position: 1n });
      expect(warning).toHaveBeenCalledTimes(1);
      warning.mockRestore();
    });
  });

  describe('closing', () => {
    it('writes what is still queued before closing, and refuses appends afterwards', async () => {
      const store = open();
      const pending = store.appendToStream('s', [anEvent()]);

      await store.close();

      await expect(pending).resolves.toMatchObject({ position: 1n });
      await expect(store.appendToStream('s', [anEvent()])).rejects.toThrow(/closed/);
      const reopened = open();
      expect(await reopened.readStream('s')).toHaveLength(1);
    });
  });
});
