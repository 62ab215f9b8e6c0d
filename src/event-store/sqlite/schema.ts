import type { Database } from 'better-sqlite3';
import { backfillChain } from './chain-store';

export type SynchronousMode = 'full' | 'normal';

/**
 * Each entry moves the schema from version i to i + 1. Append new entries;
 * never edit a shipped one.
 *
 * Streams get an integer key so that the UNIQUE (stream, revision) index stays two integers wide:
 * that index is what limits batched appends once the log is large. AUTOINCREMENT keeps positions
 * from ever being handed out twice, even if the last event row were removed by some means.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE streams (
    stream_num INTEGER PRIMARY KEY,
    stream_id TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_num INTEGER NOT NULL REFERENCES streams (stream_num),
    revision INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    UNIQUE (stream_num, revision)
  ) STRICT;

  CREATE TABLE commands (
    command_id TEXT PRIMARY KEY,
    stream_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    next_revision INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
  CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
  CREATE TRIGGER commands_are_never_updated BEFORE UPDATE ON commands
  BEGIN SELECT RAISE(ABORT, 'commands are append-only: UPDATE refused'); END;
  CREATE TRIGGER commands_are_never_deleted BEFORE DELETE ON commands
  BEGIN SELECT RAISE(ABORT, 'commands are append-only: DELETE refused'); END;
  CREATE TRIGGER streams_keep_their_identity BEFORE UPDATE OF stream_num, stream_id ON streams
  BEGIN SELECT RAISE(ABORT, 'a stream keeps its id and number'); END;
  CREATE TRIGGER streams_are_never_deleted BEFORE DELETE ON streams
  BEGIN SELECT RAISE(ABORT, 'streams are never deleted'); END;
  `,
  // What each command's request was, so that its id sent again with another request is refused.
  // NULL for the commands appended before: they keep being answered as before.
  `
  ALTER TABLE commands ADD COLUMN request_fingerprint TEXT;
  `,
  // Tamper evidence: each event's link in a hash chain (see ../chain.ts), written in the same
  // transaction as the event; the links of the events already there are computed once, right after
  // this step (backfillChain). The verifications are a record of `registre verify` runs, not part of
  // the log.
  `
  CREATE TABLE event_chain (
    position INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
  ) STRICT;

  CREATE TRIGGER event_chain_is_never_updated BEFORE UPDATE ON event_chain
  BEGIN SELECT RAISE(ABORT, 'the event chain is append-only: UPDATE refused'); END;
  CREATE TRIGGER event_chain_is_never_deleted BEFORE DELETE ON event_chain
  BEGIN SELECT RAISE(ABORT, 'the event chain is append-only: DELETE refused'); END;

  CREATE TABLE chain_verifications (
    id INTEGER PRIMARY KEY,
    verified_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    events INTEGER NOT NULL,
    head_position INTEGER NOT NULL,
    head_hash BLOB NOT NULL,
    problem TEXT
  ) STRICT;
  `,
];

/** Work in JavaScript that a migration step needs after its SQL, in the same transaction. */
const AFTER_MIGRATION: Readonly<Record<number, (db: Database) => void>> = { 3: backfillChain };

export const SCHEMA_VERSION = MIGRATIONS.length;

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export function applyPragmas(db: Database, synchronous: SynchronousMode, busyTimeoutMs: number): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
}

export interface ConnectionSettings {
  readonly journalMode: string;
  readonly synchronous: 'off' | 'normal' | 'full' | 'extra';
  readonly foreignKeys: boolean;
  readonly busyTimeoutMs: number;
}

const SYNCHRONOUS_LEVELS = ['off', 'normal', 'full', 'extra'] as const;

/** The settings as SQLite reports them for this connection, not as they were asked for. */
export function readSettings(db: Database): ConnectionSettings {
  return {
    journalMode: db.pragma('journal_mode', { simple: true }) as string,
    synchronous: SYNCHRONOUS_LEVELS[db.pragma('synchronous', { simple: true }) as number],
    foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
    busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
  };
}

/**
 * Brings the file to the current schema; safe to run on every open and from several processes.
 * The version lives in a table of its own rather than PRAGMA user_version because read models may
 * share this file.
 */
export function migrate(db: Database): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE IF NOT EXISTS event_store_schema (version INTEGER PRIMARY KEY) STRICT');
    const current = db
      .prepare('SELECT coalesce(max(version), 0) FROM event_store_schema')
      .pluck()
      .get() as number;
    if (current > SCHEMA_VERSION) {
      throw new Error(`event store schema version ${current} is newer than this program (${SCHEMA_VERSION})`);
    }
    const record = db.prepare('INSERT INTO event_store_schema (version) VALUES (?)');
    for (let version = current; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]);
      AFTER_MIGRATION[version + 1]?.(db);
      record.run(version + 1);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
