import type { Database, Statement } from 'better-sqlite3';
import { GENESIS_HASH, hashFromBytes, hashToBytes, linkHash } from '../chain';
import { ChainProblem, ChainReader, KnownHead, LinkCheck, StoredEvent, VerificationRecord } from '../verify';
import { checkLinks } from './chain-check';

/** position, stream id, revision, event id, type, data, metadata, chain hash in hex (null: none). */
type ChainEventRow = [bigint, string, bigint, string, string, string, string, string | null];

// LEFT JOINs: an event whose stream row was removed is still walked (and found altered), and one
// without a chain entry is found inserted, not skipped. The hash comes as hex: compared as text.
const EVENT_COLUMNS = `e.position, coalesce(s.stream_id, ''), e.revision, e.event_id, e.type, e.data, e.metadata,
  CASE WHEN c.hash IS NULL THEN NULL ELSE lower(hex(c.hash)) END
  FROM events e LEFT JOIN streams s ON s.stream_num = e.stream_num LEFT JOIN event_chain c ON c.position = e.position`;

const toStoredEvent = (row: ChainEventRow): StoredEvent => ({
  position: row[0],
  streamId: row[1],
  revision: Number(row[2]),
  eventId: row[3],
  type: row[4],
  data: row[5],
  metadata: row[6],
  link: row[7] ?? undefined,
});

const BACKFILL_BATCH = 10_000;

/**
 * Computes the links of the events written before the chain existed (schema step 3), once, inside
 * the migration's transaction: about a second per few hundred thousand events.
 */
export function backfillChain(db: Database): void {
  const read = db
    .prepare<[bigint, number], ChainEventRow>(
      `SELECT ${EVENT_COLUMNS} WHERE e.position > ? ORDER BY e.position LIMIT ?`,
    )
    .raw()
    .safeIntegers();
  const insert = db.prepare<[bigint, Buffer]>('INSERT INTO event_chain (position, hash) VALUES (?, ?)');
  let prev = GENESIS_HASH;
  let after = 0n;
  for (;;) {
    const rows = read.all(after, BACKFILL_BATCH);
    for (const row of rows) {
      const event = toStoredEvent(row);
      prev = linkHash(prev, event);
      insert.run(event.position, hashToBytes(prev));
      after = event.position;
    }
    if (rows.length < BACKFILL_BATCH) return;
  }
}

/** The chain as the SQLite file holds it, for verifyChain. */
export class SqliteChainReader implements ChainReader {
  private readonly statements: ReturnType<typeof prepareReader>;

  /** `path` lets a worker thread open the file too, to check part of a large log's links. */
  constructor(
    private readonly db: Database,
    private readonly path = '',
  ) {
    this.statements = prepareReader(db);
  }

  checkLinks(upTo?: bigint): LinkCheck {
    return checkLinks(this.db, this.path, this.statements.lastEvent.get() ?? 0n, upTo);
  }

  events(after: bigint, limit: number): readonly StoredEvent[] {
    return this.statements.events.all(after, limit).map(toStoredEvent);
  }

  eventAt(position: bigint): StoredEvent | undefined {
    const row = this.statements.eventAt.get(position);
    return row && toStoredEvent(row);
  }

  outOfOrderWith(streamId: string, revision: number, position: bigint) {
    const row = this.statements.outOfOrder.get(streamId, revision, position, revision, position);
    return row && { position: row[0], revision: Number(row[1]) };
  }

  highestPositionIssued(): bigint {
    return this.statements.sequence.get() ?? 0n;
  }
}

const prepareReader = (db: Database) => ({
  lastEvent: db
    .prepare<[], bigint | null>('SELECT max(position) FROM events')
    .pluck()
    .safeIntegers() as Statement<[], bigint | undefined>,
  events: db
    .prepare<[bigint, number], ChainEventRow>(
      `SELECT ${EVENT_COLUMNS} WHERE e.position > ? ORDER BY e.position LIMIT ?`,
    )
    .raw()
    .safeIntegers(),
  eventAt: db
    .prepare<[bigint], ChainEventRow>(`SELECT ${EVENT_COLUMNS} WHERE e.position = ?`)
    .raw()
    .safeIntegers(),
  outOfOrder: db
    .prepare<[string, number, bigint, number, bigint], [bigint, bigint]>(
      `SELECT e.position, e.revision FROM events e JOIN streams s ON s.stream_num = e.stream_num
        WHERE s.stream_id = ? AND ((e.revision < ? AND e.position > ?) OR (e.revision > ? AND e.position < ?))
        ORDER BY e.position LIMIT 1`,
    )
    .raw()
    .safeIntegers(),
  sequence: db
    .prepare<[], bigint | null>(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0), coalesce((SELECT max(position) FROM event_chain), 0))",
    )
    .pluck()
    .safeIntegers() as Statement<[], bigint | undefined>,
});

type VerificationRow = [string, string, bigint, bigint, Buffer, string | null];

const VERIFICATION_COLUMNS = 'verified_at, outcome, events, head_position, head_hash, problem';

const parseProblem = (text: string): ChainProblem => {
  const stored = JSON.parse(text) as Omit<ChainProblem, 'position'> & { position: string };
  return { ...stored, position: BigInt(stored.position) };
};

const fromRow = (row: VerificationRow): VerificationRecord => {
  const problem = row[5] === null ? undefined : parseProblem(row[5]);
  return {
    verifiedAt: row[0],
    outcome: row[1] === 'intact' ? 'intact' : 'tampered',
    events: Number(row[2]),
    headPosition: row[3],
    headHash: hashFromBytes(row[4]),
    ...(problem ? { problem } : {}),
  };
};

export const recordVerification = (db: Database, record: VerificationRecord): void => {
  db.prepare(`INSERT INTO chain_verifications (${VERIFICATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`).run(
    record.verifiedAt,
    record.outcome,
    record.events,
    record.headPosition,
    hashToBytes(record.headHash),
    record.problem
      ? JSON.stringify({ ...record.problem, position: record.problem.position.toString() })
      : null,
  );
};

export const lastVerification = (db: Database, outcome?: 'intact'): VerificationRecord | undefined => {
  const row = db
    .prepare<unknown[], VerificationRow>(
      `SELECT ${VERIFICATION_COLUMNS} FROM chain_verifications
        ${outcome ? 'WHERE outcome = ?' : ''} ORDER BY id DESC LIMIT 1`,
    )
    .raw()
    .safeIntegers()
    .get(...(outcome ? [outcome] : []));
  return row && fromRow(row);
};

/** The head the last intact verification saw: a rewrite of the log up to there is caught against it. */
export const knownHead = (db: Database): KnownHead | undefined => {
  const last = lastVerification(db, 'intact');
  return last && { position: last.headPosition, hash: last.headHash, recordedAt: last.verifiedAt };
};
