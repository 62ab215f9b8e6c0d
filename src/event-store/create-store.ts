import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { Database } from 'better-sqlite3';
import { keysPathFor, RegistreConfig } from '../config';
import { EsdbEventStore } from './esdb';
import { EventStore } from './event-store';
import { KeyStore } from './pii/key-store';
import { PiiProtectingStore } from './pii/pii-protecting-store';
import { SqliteEventStore } from './sqlite';

/**
 * The configured backend — the embedded SQLite file by default, EventStoreDB for a region — behind
 * the seal that keeps students' personal data out of the log in clear (keys in `keysPath`).
 */
export async function createEventStore(
  config: Pick<RegistreConfig, 'store' | 'dbPath' | 'synchronous' | 'esdbUrl' | 'keysPath'>,
): Promise<PiiProtectingStore> {
  const keys = KeyStore.open(config.keysPath ?? keysPathFor(config.dbPath));
  try {
    return new PiiProtectingStore(await createBareEventStore(config), keys);
  } catch (error) {
    keys.close();
    throw error;
  }
}

/** The backend alone, bodies as they are stored: for tools that copy or inspect the log itself. */
export async function createBareEventStore(
  config: Pick<RegistreConfig, 'store' | 'dbPath' | 'synchronous' | 'esdbUrl'>,
): Promise<EventStore> {
  if (config.store === 'esdb') {
    if (config.esdbUrl === undefined)
      throw new Error('REGISTRE_ESDB_URL is required when REGISTRE_STORE=esdb');
    return EsdbEventStore.connect({ url: config.esdbUrl });
  }
  return SqliteEventStore.open({ path: config.dbPath, synchronous: config.synchronous });
}

/**
 * A connection to the read models' own file (never the events'): synchronous=NORMAL is enough there
 * because a lost checkpoint only means replaying events.
 */
export function openReadModelDb(config: Pick<RegistreConfig, 'readModelsPath'>): Database {
  mkdirSync(dirname(config.readModelsPath), { recursive: true });
  const db = new BetterSqlite3(config.readModelsPath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
