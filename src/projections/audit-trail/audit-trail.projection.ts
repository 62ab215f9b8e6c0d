import type { Database } from 'better-sqlite3';
import { EventMetadata } from '../../domain/shared/event';
import { prepared } from '../prepared';
import { ALL_EVENT_TYPES, Projection, TableNames } from '../projection';

type AuditTrailTable = 'entries';

/** Who did what, when and why: one row per event of the log. */
export interface AuditTrailEntry {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly actorId: string | null;
  readonly actorRole: string | null;
  readonly schoolId: string | null;
  readonly recordedAt: string | null;
  readonly commandId: string | null;
  readonly correlationId: string | null;
  readonly reason: string | null;
}

export interface AuditTrailQuery {
  readonly schoolId: string;
  /** Entries strictly after this position (paging). */
  readonly after?: bigint;
  /** The whole of a correction campaign, or of one command's consequences. */
  readonly correlationId?: string;
  readonly limit?: number;
}

type Row = [bigint, string, number, string, ...(string | null)[]];

export const auditTrailProjection: Projection<AuditTrailTable> = {
  name: 'audit-trail',
  version: 1,
  tables: ['entries'],
  handles: [ALL_EVENT_TYPES],
  setup(db, tables) {
    const entries = tables.entries;
    db.exec(`
      CREATE TABLE "${entries}" (
        position INTEGER PRIMARY KEY,
        stream_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        type TEXT NOT NULL,
        actor_id TEXT,
        actor_role TEXT,
        school_id TEXT,
        recorded_at TEXT,
        command_id TEXT,
        correlation_id TEXT,
        reason TEXT
      ) STRICT;
      CREATE INDEX "${entries}_school" ON "${entries}" (school_id, position);
      CREATE INDEX "${entries}_correlation" ON "${entries}" (correlation_id);`);
  },
  apply(db, tables, events) {
    const insert = prepared<Row>(
      db,
      `INSERT INTO "${tables.entries}" (position, stream_id, revision, type, actor_id, actor_role, school_id,
         recorded_at, command_id, correlation_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const event of events) {
      // An old or malformed event still gets its row: an audit trail that stops at a bad event would hide what follows.
      const metadata: Partial<EventMetadata> = event.metadata ?? {};
      insert.run(
        event.position,
        event.streamId,
        event.revision,
        event.type,
        metadata.actor?.id ?? null,
        metadata.actor?.role ?? null,
        metadata.schoolId ?? null,
        metadata.recordedAt ?? null,
        metadata.commandId ?? null,
        metadata.correlationId ?? null,
        metadata.reason ?? null,
      );
    }
  },
};

const COLUMNS = `position, stream_id AS streamId, revision, type, actor_id AS actorId, actor_role AS actorRole,
  school_id AS schoolId, recorded_at AS recordedAt, command_id AS commandId, correlation_id AS correlationId, reason`;

type StoredEntry = Omit<AuditTrailEntry, 'revision'> & { revision: bigint };

export const readAuditTrail = (
  db: Database,
  tables: TableNames<AuditTrailTable>,
  query: AuditTrailQuery,
): AuditTrailEntry[] => {
  const limit = query.limit ?? 100;
  const rows =
    query.correlationId === undefined
      ? prepared<[string, bigint, number], StoredEntry>(
          db,
          `SELECT ${COLUMNS} FROM "${tables.entries}" WHERE school_id = ? AND position > ? ORDER BY position LIMIT ?`,
        )
          .safeIntegers(true)
          .all(query.schoolId, query.after ?? 0n, limit)
      : prepared<[string, string, bigint, number], StoredEntry>(
          db,
          `SELECT ${COLUMNS} FROM "${tables.entries}"
            WHERE correlation_id = ? AND school_id = ? AND position > ? ORDER BY position LIMIT ?`,
        )
          .safeIntegers(true)
          .all(query.correlationId, query.schoolId, query.after ?? 0n, limit);
  return rows.map((row) => ({ ...row, revision: Number(row.revision) }));
};
