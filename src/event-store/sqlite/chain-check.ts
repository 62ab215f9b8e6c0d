import { existsSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { hash } from 'node:crypto';
import { isAscii, isUtf8 } from 'node:buffer';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { GENESIS_HASH } from '../chain';
import { LinkCheck } from '../verify';

/**
 * The first pass of `registre verify` on SQLite: each event's link checked against the link stored
 * before it. Since every link depends only on its predecessor's stored value, position ranges are
 * independent: a large log is split in two, one half checked by a worker thread. Any doubt (a gap, a
 * missing or odd link, a link that does not follow) answers "not intact" and the diagnosing walk runs.
 */
export interface RangeCheck {
  readonly ok: boolean;
  readonly events: number;
  /** The stored link of the range's last position (the link before it when the range is empty). */
  readonly lastHash: string;
  /** The stored link at the position asked for, when the range holds it. */
  readonly hashAt?: string;
}

const BATCH = 512;

/** Where each event's text starts: the link before it, written in by the check (64 hex digits). */
const PREVIOUS_LINK = '0'.repeat(64);

/**
 * The canonical texts of a range of events, run together in one value as SQLite holds their bytes:
 * one value per batch rather than five strings per event, hashed as they are rather than decoded
 * and encoded again. Lengths are in bytes here, in UTF-16 units in the chain: for an event in ASCII
 * they are the same, and these bytes are its canonical text; an event with other characters (one in
 * sixteen in a school year's log) has its lengths counted again in UTF-16 units from its bytes, which
 * must be UTF-8 field by field. The stream id comes by a join (logs hold about one stream per event):
 * an inner one, its order kept by CROSS JOIN (events first, by position). Gaps and events without a
 * stream are found by the count alone: positions are the rowid, unique integers, so as many rows as
 * positions in the range is every one of them, each with its stream (stream_num is unique too).
 */
export const RANGE_CANONICAL = `SELECT count(*),
  CAST(group_concat(concat('${PREVIOUS_LINK}\n', e.position, '\n', e.revision, '\n',
    octet_length(s.stream_id), '\n', octet_length(e.event_id), '\n', octet_length(e.type), '\n',
    octet_length(e.data), '\n', octet_length(e.metadata), '\n',
    s.stream_id, e.event_id, e.type, e.data, e.metadata), '') AS BLOB)
  FROM events e CROSS JOIN streams s ON s.stream_num = e.stream_num
  WHERE e.position > ? AND e.position <= ?`;

/**
 * The links of the same range, their bytes run together: one value per batch, not one seek and row
 * each, turned into hex by one call in JavaScript rather than by hex() on each. Each must be 32 bytes
 * long (counted here, and the value's length checked against the count).
 */
export const RANGE_LINKS = `SELECT count(*), sum(length(hash) = 32), CAST(group_concat(hash, '') AS BLOB)
  FROM event_chain WHERE position > ? AND position <= ?`;

/** How many events (each with its stream), their canonical bytes. */
type CanonicalRow = [number, Buffer | null];
/** How many links, how many of them 32 bytes long, their bytes run together. */
type LinksRow = [number, number | null, Buffer | null];
const FAILED: RangeCheck = { ok: false, events: 0, lastHash: GENESIS_HASH };
const NEWLINE = 10;
const ZERO = 48;

/** A connection's statements for the check, prepared once for all the chunks it takes. */
interface RangeStatements {
  readonly canonical: Statement<[number, number], CanonicalRow>;
  readonly links: Statement<[number, number], LinksRow>;
  readonly linkAt: Statement<[number], string>;
}

const prepared = new WeakMap<Database, RangeStatements>();

const statementsOf = (db: Database): RangeStatements => {
  let statements = prepared.get(db);
  if (!statements) {
    statements = {
      canonical: db.prepare<[number, number], CanonicalRow>(RANGE_CANONICAL).raw(),
      links: db.prepare<[number, number], LinksRow>(RANGE_LINKS).raw(),
      linkAt: db
        .prepare<[number], string>('SELECT lower(hex(hash)) FROM event_chain WHERE position = ?')
        .pluck(),
    };
    prepared.set(db, statements);
  }
  return statements;
};

/** Events in (after, upTo], each against the stored link before it. Positions as numbers: 2^53 is far. */
export function checkLinkRange(
  db: Database,
  after: number,
  upTo: number,
  hashAtPosition?: number,
): RangeCheck {
  const { canonical, links, linkAt } = statementsOf(db);
  let prev = after === 0 ? GENESIS_HASH : linkAt.get(after);
  if (prev === undefined) return FAILED;
  let last = after;
  let hashAt: string | undefined;
  while (last < upTo) {
    const end = Math.min(last + BATCH, upTo);
    const expected = end - last;
    const [count, bytes] = canonical.get(last, end) ?? [0, null];
    if (count !== expected || bytes === null) return FAILED;
    const [linkCount, wellFormed, linkBytes] = links.get(last, end) ?? [0, null, null];
    if (linkCount !== count || wellFormed !== count || linkBytes === null || linkBytes.length !== 32 * count)
      return FAILED;
    const hexes = linkBytes.toString('hex');
    const size = bytes.length;
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const link = hexes.substr(i * 64, 64);
      offset = checkEvent(bytes, size, offset, prev, link);
      if (offset < 0) return FAILED;
      prev = link;
      if (last + 1 + i === hashAtPosition) hashAt = link;
    }
    if (offset !== size) return FAILED;
    last = end;
  }
  return ok(last - after, prev, hashAt);
}

/**
 * The event whose text starts at `offset` against its stored link: where its text ends, or -1. A
 * function of its own, called for each event: optimised once, its code is kept across collections
 * (a loop optimised on the stack is not, and a full collection before each run made every run start
 * slow).
 */
function checkEvent(bytes: Buffer, size: number, offset: number, prev: string, link: string): number {
  bytes.write(prev, offset, 64, 'latin1');
  // The header after the link: position, revision, then the five lengths whose sum ends the text.
  // Bounded by the value's end: a column gone NULL would take its line away.
  let at = offset + 65;
  while (at < size && bytes[at] !== NEWLINE) at++;
  at++;
  while (at < size && bytes[at] !== NEWLINE) at++;
  const lengths = ++at;
  let textEnd = 0;
  for (let field = 0; field < 5; field++) {
    let length = 0;
    for (let digit = bytes[at++]; digit !== NEWLINE && at <= size; digit = bytes[at++])
      length = length * 10 + digit - ZERO;
    textEnd += length;
  }
  textEnd += at;
  if (!(textEnd <= size)) return -1;
  const text = bytes.subarray(offset, textEnd);
  const linked = isAscii(text)
    ? hash('sha256', text, 'hex') === link
    : linksInUtf16Units(bytes, offset, link, lengths, at, textEnd);
  return linked ? textEnd : -1;
}

/** Where the texts of events with other characters than ASCII are put together again (grown as needed). */
let rewritten = Buffer.alloc(1 << 16);

/**
 * The check of an event whose text is not ASCII: each field must be UTF-8 (as the engine wrote it:
 * then its text decodes and encodes back to the same bytes), its length is counted again in UTF-16
 * units, and the text hashed is these bytes with those lengths, which is the canonical text the
 * verifier's walk builds, as UTF-8. The lengths are written over the bytes' when they take as many
 * digits (nearly always), else the text is put together again aside.
 */
function linksInUtf16Units(
  bytes: Buffer,
  offset: number,
  link: string,
  lengths: number,
  fields: number,
  textEnd: number,
): boolean {
  let header = '';
  let at = lengths;
  let start = fields;
  for (let field = 0; field < 5; field++) {
    let length = 0;
    for (let digit = bytes[at++]; digit !== NEWLINE && at <= textEnd; digit = bytes[at++])
      length = length * 10 + digit - ZERO;
    const end = start + length;
    const value = bytes.subarray(start, end);
    let units = length;
    if (!isAscii(value)) {
      if (!isUtf8(value)) return false;
      units = value.toString('utf8').length;
    }
    header += `${units}\n`;
    start = end;
  }
  if (header.length === fields - lengths) {
    bytes.write(header, lengths, 'latin1');
    return hash('sha256', bytes.subarray(offset, textEnd), 'hex') === link;
  }
  const before = lengths - offset;
  const total = before + header.length + (textEnd - fields);
  if (rewritten.length < total) rewritten = Buffer.alloc(2 * total);
  bytes.copy(rewritten, 0, offset, lengths);
  rewritten.write(header, before, 'latin1');
  bytes.copy(rewritten, before + header.length, fields, textEnd);
  return hash('sha256', rewritten.subarray(0, total), 'hex') === link;
}

const ok = (events: number, lastHash: string, hashAt: string | undefined): RangeCheck => ({
  ok: true,
  events,
  lastHash,
  ...(hashAt !== undefined ? { hashAt } : {}),
});

/**
 * A check shared by this thread and the worker: the range cut in chunks, each thread taking the next
 * chunk from a shared counter until none is left, so that a thread the machine gives less time to
 * takes fewer (a fixed half each would leave the faster one waiting).
 */
export interface WorkerRequest {
  readonly id: number;
  readonly path: string;
  readonly end: number;
  readonly chunk: number;
  readonly hashAtPosition?: number;
  /** Int32 cells: [next chunk, worker state (see WORKER_*)]. */
  readonly shared: SharedArrayBuffer;
}

const NEXT_CHUNK = 0;
const WORKER_STATE = 1;
const WORKER_WAITING = 0;
const WORKER_STARTED = 1;
const WORKER_NOT_NEEDED = 2;
const WORKER_DONE = 3;
/**
 * Small enough that the thread done first waits little for the other's last chunk (with 8,192, 9 ms
 * on average on a school year's log, 3 ms with these), large enough that what a chunk costs of its
 * own (a seek for the link before it, a counter taken) does not show.
 */
const CHUNK = 2_048;

/** Where the worker's script is and when to use it: the defaults, but for tests. */
export interface ParallelOptions {
  readonly script?: { readonly filename: string; readonly execArgv?: readonly string[] };
  /** Below this many events, a thread costs more to start than it saves. */
  readonly from?: number;
  readonly chunk?: number;
  /** For tests: false leaves every chunk to the worker. */
  readonly callerTakesChunks?: boolean;
}

/** This thread's or the worker's share: the chunks it checked, by index. */
type ChunkResults = [number, RangeCheck][];

const takeChunks = (db: Database, request: WorkerRequest): ChunkResults => {
  const cells = new Int32Array(request.shared);
  const chunks = Math.ceil(request.end / request.chunk);
  const results: ChunkResults = [];
  for (
    let chunk = Atomics.add(cells, NEXT_CHUNK, 1);
    chunk < chunks;
    chunk = Atomics.add(cells, NEXT_CHUNK, 1)
  ) {
    const result = checkLinkRange(
      db,
      chunk * request.chunk,
      Math.min(request.end, (chunk + 1) * request.chunk),
      request.hashAtPosition,
    );
    results.push([chunk, result]);
    // The first broken chunk settles it: the walk takes over.
    if (!result.ok) Atomics.store(cells, NEXT_CHUNK, chunks);
  }
  return results;
};

const PARALLEL_FROM = 20_000;

// Compiled, the worker is this file's sibling; from the TypeScript sources (tests), everything runs
// on the calling thread, which gives the same answers.
const WORKER_SCRIPT = join(__dirname, 'chain-check.thread.js');

/**
 * Every link up to `head`, on this thread and a worker at once when the log is large and the file
 * can be opened again. Synchronous like the walk it spares: this thread takes chunks too, then waits
 * for the worker to finish the one it is on.
 */
export function checkLinks(
  db: Database,
  path: string,
  head: bigint,
  hashAtPosition?: bigint,
  options: ParallelOptions = {},
): LinkCheck {
  if (head > BigInt(Number.MAX_SAFE_INTEGER)) return { intact: false };
  const end = Number(head);
  const known = hashAtPosition === undefined ? undefined : Number(hashAtPosition);
  const script = options.script ?? { filename: WORKER_SCRIPT };
  const chunk = options.chunk ?? CHUNK;
  const parallel =
    end >= (options.from ?? PARALLEL_FROM) &&
    !db.memory &&
    path !== '' &&
    existsSync(script.filename) &&
    (options.script !== undefined || __filename.endsWith('.js'));
  if (!parallel) return asLinkCheck([checkLinkRange(db, 0, end, known)], end);

  const shared = new SharedArrayBuffer(8);
  const cells = new Int32Array(shared);
  let helper = checkers.get(script.filename);
  if (!helper) {
    helper = startChecker(script);
    checkers.set(script.filename, helper);
  }
  const id = ++lastRequest;
  const request: WorkerRequest = {
    id,
    path,
    end,
    chunk,
    shared,
    ...(known !== undefined ? { hashAtPosition: known } : {}),
  };
  keptByWorkers.add(path);
  helper.port.postMessage(request);
  const callerTakes = options.callerTakesChunks ?? true;
  const mine = callerTakes ? withOwnConnection(path, (own) => takeChunks(own, request)) : [];
  let theirs: ChunkResults = [];
  // A worker that has not started by now is not needed; one that has finishes its last chunk.
  if (
    !callerTakes ||
    Atomics.compareExchange(cells, WORKER_STATE, WORKER_WAITING, WORKER_NOT_NEEDED) !== WORKER_WAITING
  ) {
    // One that died without answering cannot be heard while this thread blocks: past a generous
    // deadline its chunks count as unchecked, and the walk (on this thread) decides.
    const deadline = performance.now() + 60_000;
    for (
      let state = Atomics.load(cells, WORKER_STATE);
      state !== WORKER_DONE && performance.now() < deadline;
      state = Atomics.load(cells, WORKER_STATE)
    )
      Atomics.wait(cells, WORKER_STATE, state, 1_000);
    for (let reply = receiveMessageOnPort(helper.port); reply; reply = receiveMessageOnPort(helper.port)) {
      const answer = reply.message as { readonly id: number; readonly results: ChunkResults };
      if (answer.id === id) theirs = answer.results;
    }
    if (Atomics.load(cells, WORKER_STATE) !== WORKER_DONE) return { intact: false };
  }
  const byChunk = [...mine, ...theirs].sort((x, y) => x[0] - y[0]);
  if (byChunk.length !== Math.ceil(end / chunk)) return { intact: false };
  return asLinkCheck(
    byChunk.map(([, result]) => result),
    end,
  );
}

interface Checker {
  readonly worker: Worker;
  readonly port: MessagePort;
}

/** One worker for the process, started on the first large verification and kept (unreferenced). */
const checkers = new Map<string, Checker>();
let lastRequest = 0;

const startChecker = (script: NonNullable<ParallelOptions['script']>): Checker => {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(script.filename, {
    workerData: { port: port2 },
    transferList: [port2],
    ...(script.execArgv !== undefined && { execArgv: [...script.execArgv] }),
  });
  worker.unref();
  port1.unref();
  const started: Checker = { worker, port: port1 };
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    if (checkers.get(script.filename) === started) checkers.delete(script.filename);
    port1.close();
  });
  return started;
};

const asLinkCheck = (parts: readonly RangeCheck[], end: number): LinkCheck => {
  if (!parts.every((part) => part.ok)) return { intact: false };
  const hashAt = parts.find((part) => part.hashAt !== undefined)?.hashAt;
  return {
    intact: true,
    events: parts.reduce((sum, part) => sum + part.events, 0),
    headPosition: BigInt(end),
    headHash: parts[parts.length - 1].lastHash,
    ...(hashAt !== undefined ? { hashAt } : {}),
  };
};

/**
 * Reads through a connection of its own, the file mapped in memory: fewer copies and system calls
 * than the writer's connection, which keeps its settings. Each thread keeps its connection to the
 * last file it checked for the next verification (opening one, preparing its statements and mapping
 * the file's pages again cost 10 ms of a log's 180 on one thread), as long as the path still names
 * the same file. Each verification reads in a transaction of its own, begun after the caller's: it
 * sees every event up to the caller's head, and those never change (the log is append-only).
 */
const withOwnConnection = <T>(path: string, use: (db: Database) => T): T => {
  const db = connectionTo(path);
  try {
    db.exec('BEGIN');
    const result = use(db);
    db.exec('COMMIT');
    return result;
  } catch (error) {
    closeKeptConnection();
    throw error;
  }
};

interface KeptConnection {
  readonly path: string;
  readonly file: string;
  readonly db: Database;
}

let kept: KeptConnection | undefined;

const connectionTo = (path: string): Database => {
  const { dev, ino } = statSync(path, { bigint: true });
  const file = `${dev}:${ino}`;
  if (kept?.path === path && kept.file === file && kept.db.open) return kept.db;
  closeKeptConnection();
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
  } catch (error) {
    db.close();
    throw error;
  }
  kept = { path, file, db };
  return db;
};

const closeKeptConnection = (): void => {
  const closing = kept;
  kept = undefined;
  if (closing?.db.open) closing.db.close();
};

const MMAP_BYTES = 1 << 30;

/** The worker's side: unless this thread already took every chunk, takes its share, answers, says so. */
export function runWorkerRequest(
  request: WorkerRequest,
  reply: (answer: { readonly id: number; readonly results: ChunkResults }) => void,
): void {
  const cells = new Int32Array(request.shared);
  if (Atomics.compareExchange(cells, WORKER_STATE, WORKER_WAITING, WORKER_STARTED) !== WORKER_WAITING) return;
  let results: ChunkResults = [];
  try {
    results = withOwnConnection(request.path, (db) => takeChunks(db, request));
  } catch {
    results = [[-1, FAILED]];
  } finally {
    reply({ id: request.id, results });
    Atomics.store(cells, WORKER_STATE, WORKER_DONE);
    Atomics.notify(cells, WORKER_STATE);
  }
}

/** Asks the workers to close their connection to a file (see releaseLinkCheckConnections). */
export interface ReleaseRequest {
  readonly release: string;
  /** Int32 cells: [1 once released]. */
  readonly shared: SharedArrayBuffer;
}

/** The worker's side of a release: closes its connection if it is to that file, then says so. */
export function runWorkerRelease(request: ReleaseRequest): void {
  try {
    if (kept?.path === request.release) closeKeptConnection();
  } finally {
    const cells = new Int32Array(request.shared);
    Atomics.store(cells, 0, 1);
    Atomics.notify(cells, 0);
  }
}

/** Files whose connections the workers may have kept. */
const keptByWorkers = new Set<string>();

/**
 * Closes the connections kept to `path` by this thread and the workers. The store calls this as it
 * closes, so that its own connection is the last one to the file, and folds the WAL into it.
 */
export function releaseLinkCheckConnections(path: string): void {
  if (kept?.path === path) closeKeptConnection();
  if (!keptByWorkers.delete(path)) return;
  for (const { port } of checkers.values()) {
    const shared = new SharedArrayBuffer(8);
    port.postMessage({ release: path, shared } satisfies ReleaseRequest);
    // A worker that died does not answer: not waited for beyond a second.
    Atomics.wait(new Int32Array(shared), 0, 0, 1_000);
  }
}

/** Ends the workers started so far (they are unreferenced: a process exits without this). */
export async function stopLinkCheckers(): Promise<void> {
  closeKeptConnection();
  const running = [...checkers.values()];
  checkers.clear();
  await Promise.all(running.map((running) => running.worker.terminate()));
}
