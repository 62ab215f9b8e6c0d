import type { Database, Statement } from 'better-sqlite3';
import { TableNames } from './projection';
import { systemClock } from '../system-clock';

export type TableGenerationStatus = 'building' | 'live';

/** One physical copy of a projection: its version, its rebuild generation and how far it has read the log. */
export interface TableGeneration {
  readonly name: string;
  readonly version: number;
  readonly generation: number;
  readonly status: TableGenerationStatus;
  readonly checkpoint: bigint;
  /** Physical tables, recorded so that a version whose code is gone can still be queried and dropped. */
  readonly tables: TableNames;
}

export type TableGenerationKey = Pick<TableGeneration, 'name' | 'version' | 'generation'>;

interface TableGenerationRow {
  name: string;
  version: bigint;
  generation: bigint;
  status: TableGenerationStatus;
  checkpoint: bigint;
  tables: string;
}

const toTableGeneration = (row: TableGenerationRow): TableGeneration => ({
  name: row.name,
  version: Number(row.version),
  generation: Number(row.generation),
  status: row.status,
  checkpoint: row.checkpoint,
  tables: JSON.parse(row.tables) as TableNames,
});

/**
 * The `projections` table, kept in the read-model database so that a checkpoint moves in the same
 * transaction as the rows it accounts for. At most one live and one building generation per name, which
 * the partial unique indexes enforce.
 */
export class ProjectionRegistry {
  private readonly selectByName: Statement<[string], TableGenerationRow>;
  private readonly selectCheckpoint: Statement<[string, number, number], { checkpoint: bigint }>;
  private readonly insertGeneration: Statement<[string, number, number, string, bigint, string, string]>;
  private readonly updateCheckpoint: Statement<[bigint, string, string, number, number]>;
  private readonly updateStatus: Statement<[string, string, string, number, number]>;
  private readonly deleteGeneration: Statement<[string, number, number]>;

  constructor(
    db: Database,
    private readonly clock: () => Date = () => systemClock.now(),
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS projections (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        generation INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('building', 'live')),
        checkpoint INTEGER NOT NULL CHECK (checkpoint >= 0),
        tables TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (name, version, generation)
      ) STRICT;
      CREATE UNIQUE INDEX IF NOT EXISTS projections_one_live ON projections (name) WHERE status = 'live';
      CREATE UNIQUE INDEX IF NOT EXISTS projections_one_building ON projections (name) WHERE status = 'building';
    `);
    this.selectByName = db
      .prepare<[string], TableGenerationRow>(
        'SELECT name, version, generation, status, checkpoint, tables FROM projections WHERE name = ? ORDER BY version, generation',
      )
      .safeIntegers(true);
    this.selectCheckpoint = db
      .prepare<[string, number, number], { checkpoint: bigint }>(
        'SELECT checkpoint FROM projections WHERE name = ? AND version = ? AND generation = ?',
      )
      .safeIntegers(true);
    this.insertGeneration = db.prepare(
      'INSERT INTO projections (name, version, generation, status, checkpoint, tables, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.updateCheckpoint = db.prepare(
      'UPDATE projections SET checkpoint = ?, updated_at = ? WHERE name = ? AND version = ? AND generation = ?',
    );
    this.updateStatus = db.prepare(
      'UPDATE projections SET status = ?, updated_at = ? WHERE name = ? AND version = ? AND generation = ?',
    );
    this.deleteGeneration = db.prepare(
      'DELETE FROM projections WHERE name = ? AND version = ? AND generation = ?',
    );
  }

  generationsOf(name: string): TableGeneration[] {
    return this.selectByName.all(name).map(toTableGeneration);
  }

  /** The stored checkpoint, read inside the applying transaction: the one guard against applying an event twice. */
  checkpointOf(key: TableGenerationKey): bigint | undefined {
    return this.selectCheckpoint.get(key.name, key.version, key.generation)?.checkpoint;
  }

  add(added: TableGeneration): void {
    const { name, version, generation, status, checkpoint, tables } = added;
    this.insertGeneration.run(
      name,
      version,
      generation,
      status,
      checkpoint,
      JSON.stringify(tables),
      this.now(),
    );
  }

  moveCheckpoint(key: TableGenerationKey, position: bigint): void {
    this.updateCheckpoint.run(position, this.now(), key.name, key.version, key.generation);
  }

  markLive(key: TableGenerationKey): void {
    this.updateStatus.run('live', this.now(), key.name, key.version, key.generation);
  }

  remove(key: TableGenerationKey): void {
    this.deleteGeneration.run(key.name, key.version, key.generation);
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

export const dropTables = (db: Database, tables: TableNames): void => {
  for (const table of Object.values(tables)) db.exec(`DROP TABLE IF EXISTS "${table}"`);
};
