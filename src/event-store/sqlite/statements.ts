import type { Database } from 'better-sqlite3';

/** position, stream_id, revision, event_id, type, data, metadata — raw rows, integers as bigint. */
export type EventRow = [bigint, string, bigint, string, string, string, string];
/** The same without the metadata. */
export type EventRowWithoutMetadata = [bigint, string, bigint, string, string, string];
type StreamRow = [bigint, bigint];
type CommandRow = [string, bigint, bigint, string | null];

export const NO_LIMIT = -1;

export const LINKS_PER_INSERT = 256;

export const prepareStatements = (db: Database) => ({
  begin: db.prepare('BEGIN IMMEDIATE'),
  commit: db.prepare('COMMIT'),
  savepoint: db.prepare('SAVEPOINT append'),
  release: db.prepare('RELEASE append'),
  rollbackTo: db.prepare('ROLLBACK TO append'),
  findStream: db
    .prepare<[string], StreamRow>('SELECT stream_num, revision FROM streams WHERE stream_id = ?')
    .raw()
    .safeIntegers(),
  insertStream: db
    .prepare<[string, number]>('INSERT INTO streams (stream_id, revision) VALUES (?, ?)')
    .safeIntegers(),
  updateStream: db.prepare<[number, bigint]>('UPDATE streams SET revision = ? WHERE stream_num = ?'),
  insertEvent: db
    .prepare<[bigint, number, string, string, string, string]>(
      'INSERT INTO events (stream_num, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .safeIntegers(),
  findCommand: db
    .prepare<[string], CommandRow>(
      'SELECT stream_id, position, next_revision, request_fingerprint FROM commands WHERE command_id = ?',
    )
    .raw()
    .safeIntegers(),
  insertCommand: db.prepare<[string, string, bigint, number, string | null]>(
    `INSERT INTO commands (command_id, stream_id, position, next_revision, request_fingerprint)
     VALUES (?, ?, ?, ?, ?)`,
  ),
  positionOfRevision: db
    .prepare<[bigint, bigint], bigint>('SELECT position FROM events WHERE stream_num = ? AND revision = ?')
    .pluck()
    .safeIntegers(),
  readStream: db
    .prepare<[string, number, number], EventRow>(
      `SELECT e.position, s.stream_id, e.revision, e.event_id, e.type, e.data, e.metadata
         FROM streams s JOIN events e ON e.stream_num = s.stream_num
        WHERE s.stream_id = ? AND e.revision >= ?
        ORDER BY e.revision LIMIT ?`,
    )
    .raw()
    .safeIntegers(),
  // A separate statement without LIMIT: a bound `LIMIT -1` made SQLite take five times longer to
  // answer for a stream that does not exist yet, which is what most commands read.
  readWholeStream: db
    .prepare<[string, number], EventRow>(
      `SELECT e.position, s.stream_id, e.revision, e.event_id, e.type, e.data, e.metadata
         FROM streams s JOIN events e ON e.stream_num = s.stream_num
        WHERE s.stream_id = ? AND e.revision >= ?
        ORDER BY e.revision`,
    )
    .raw()
    .safeIntegers(),
  readAll: db
    .prepare<[bigint, number], EventRow>(
      `SELECT e.position, s.stream_id, e.revision, e.event_id, e.type, e.data, e.metadata
         FROM events e JOIN streams s ON s.stream_num = e.stream_num
        WHERE e.position > ?
        ORDER BY e.position LIMIT ?`,
    )
    .raw()
    .safeIntegers(),
  // The same without each event's metadata (about 210 bytes an event), read by position on first use:
  // for readers that look at the metadata of few events.
  readAllWithoutMetadata: db
    .prepare<[bigint, number], EventRowWithoutMetadata>(
      `SELECT e.position, s.stream_id, e.revision, e.event_id, e.type, e.data
         FROM events e JOIN streams s ON s.stream_num = e.stream_num
        WHERE e.position > ?
        ORDER BY e.position LIMIT ?`,
    )
    .raw()
    .safeIntegers(),
  metadataAt: db.prepare<[bigint], string>('SELECT metadata FROM events WHERE position = ?').pluck(),
  metadataBetween: db
    .prepare<[bigint, bigint], [bigint, string]>(
      'SELECT position, metadata FROM events WHERE position BETWEEN ? AND ?',
    )
    .raw()
    .safeIntegers(),
  // The streams of one id range (a category of one school and class), then each one's events up to a position.
  streamsInRange: db
    .prepare<[string, string], [bigint, string]>(
      'SELECT stream_num, stream_id FROM streams WHERE stream_id >= ? AND stream_id < ?',
    )
    .raw()
    .safeIntegers(),
  // The streams named in a JSON array, in one statement: an as-of view names a few hundred.
  streamNumbers: db
    .prepare<[string], bigint>(
      'SELECT stream_num FROM streams WHERE stream_id IN (SELECT value FROM json_each(?))',
    )
    .pluck()
    .safeIntegers(),
  streamUpTo: db
    .prepare<[bigint, bigint], EventRow>(
      `SELECT e.position, s.stream_id, e.revision, e.event_id, e.type, e.data, e.metadata
         FROM events e JOIN streams s ON s.stream_num = e.stream_num
        WHERE e.stream_num = ? AND e.position <= ?
        ORDER BY e.revision`,
    )
    .raw()
    .safeIntegers(),
  chainTail: db
    .prepare<[], [bigint, Buffer]>('SELECT position, hash FROM event_chain ORDER BY position DESC LIMIT 1')
    .raw()
    .safeIntegers(),
  insertLink: db.prepare<[bigint, Buffer]>('INSERT INTO event_chain (position, hash) VALUES (?, ?)'),
  // One statement for the links of consecutive positions: their 32-byte hashes run together in one
  // BLOB, cut by a counter (a fifth cheaper than a JSON array of hex parsed and unhexed by SQLite).
  insertLinks: db.prepare<[{ first: bigint; hashes: Buffer; count: number }]>(
    `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < @count)
     INSERT INTO event_chain (position, hash) SELECT @first + i, substr(@hashes, i * 32 + 1, 32) FROM k`,
  ),
  // The links of LINKS_PER_INSERT consecutive positions, rows written out: a third cheaper per link
  // than the counter above, which writes the rest.
  insertManyLinks: db.prepare<[{ first: bigint; hashes: Buffer }]>(
    `INSERT INTO event_chain (position, hash) VALUES ${Array.from(
      { length: LINKS_PER_INSERT },
      (_, i) => `(@first + ${i}, substr(@hashes, ${32 * i + 1}, 32))`,
    ).join(', ')}`,
  ),
  headPosition: db.prepare<[], bigint | null>('SELECT max(position) FROM events').pluck().safeIntegers(),
  ping: db.prepare('SELECT 1').pluck(),
  // Moves when another connection (another process, another handle) commits to the file.
  dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
});

export type Statements = ReturnType<typeof prepareStatements>;
