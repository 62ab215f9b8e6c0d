import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { hash } from 'node:crypto';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { canonicalTextOf, GENESIS_HASH } from '../chain';
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

const BATCH = 2_000;

/** The events of a range of positions, the stream id by a join (logs hold about one stream per event). */
export const RANGE_EVENTS = `SELECT e.position, s.stream_id, e.revision, e.event_id, e.type, e.data, e.metadata
  FROM events e LEFT JOIN streams s ON s.stream_num = e.stream_num
  WHERE e.position > ? AND e.position <= ? ORDER BY e.position`;

/** The links of the same range, in hex run together: one value per batch, not one seek and row each. */
export const RANGE_LINKS = `SELECT count(*), coalesce(sum(length(hash)), 0), lower(group_concat(hex(hash), ''))
  FROM event_chain WHERE position > ? AND position <= ?`;

/** position, stream id (null: its stream row is gone), revision, event id, type, data, metadata. */
type EventRow = [number, string | null, number, string, string, string, string];
/** How many links, their bytes in all, their hex run together. */
type LinksRow = [number, number, string | null];
const FAILED: RangeCheck = { ok: false, events: 0, lastHash: GENESIS_HASH };

/** Events in (after, upTo], each against the stored link before it. Positions as numbers: 2^53 is far. */
export function checkLinkRange(
  db: Database,
  after: number,
  upTo: number,
  hashAtPosition?: number,
): RangeCheck {
  const events = db.prepare<[number, number], EventRow>(RANGE_EVENTS).raw();
  const links = db.prepare<[number, number], LinksRow>(RANGE_LINKS).raw();
  const linkAt = db
    .prepare<[number], string>('SELECT lower(hex(hash)) FROM event_chain WHERE position = ?')
    .pluck();
  let prev = after === 0 ? GENESIS_HASH : linkAt.get(after);
  if (prev === undefined) return FAILED;
  let last = after;
  let count = 0;
  let hashAt: string | undefined;
  while (last < upTo) {
    const rows = events.all(last, Math.min(last + BATCH, upTo));
    if (rows.length === 0) return last === upTo ? ok(count, prev, hashAt) : FAILED;
    const first = last;
    const end = first + rows.length;
    const [linkCount, linkBytes, hexes] = links.get(first, end) ?? [0, 0, null];
    if (linkCount !== rows.length || linkBytes !== 32 * rows.length || hexes === null) return FAILED;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const position = row[0];
      if (position !== last + 1) return FAILED;
      const streamId = row[1];
      if (streamId === null) return FAILED;
      const link = hexes.substr(i * 64, 64);
      const text = canonicalTextOf(prev, position, row[2], streamId, row[3], row[4], row[5], row[6]);
      if (hash('sha256', text, 'hex') !== link) return FAILED;
      prev = link;
      last = position;
      count++;
      if (position === hashAtPosition) hashAt = link;
    }
  }
  return ok(count, prev, hashAt);
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
const CHUNK = 8_192;

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
 * than the writer's connection, which keeps its settings.
 */
const withOwnConnection = <T>(path: string, use: (db: Database) => T): T => {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    db.exec('BEGIN');
    const result = use(db);
    db.exec('COMMIT');
    return result;
  } finally {
    db.close();
  }
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

/** Ends the workers started so far (they are unreferenced: a process exits without this). */
export async function stopLinkCheckers(): Promise<void> {
  const running = [...checkers.values()];
  checkers.clear();
  await Promise.all(running.map((running) => running.worker.terminate()));
}
