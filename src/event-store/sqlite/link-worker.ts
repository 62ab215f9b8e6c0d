import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MessageChannel, MessagePort, Worker } from 'node:worker_threads';
import { ChainHash, LinkHasher } from '../chain';
import { SerializedEvent } from './codec';

/**
 * The links of a large append, hashed on a worker thread while this thread inserts its events:
 * hashing was a fifth of a 10,000-event append's time. A link needs nothing from SQLite but its position,
 * and an append's positions follow the first one within its transaction (the caller checks that they
 * did, and hashes on its own thread otherwise). Whoever comes first takes the work: a worker that has
 * not started when the inserts are done leaves it to this thread, which never waits for one that is
 * busy elsewhere or gone.
 */
export interface LinkRequest {
  readonly prev: ChainHash;
  /** The first event's position, in decimal. */
  readonly first: string;
  readonly firstRevision: number;
  readonly streamId: string;
  /** Event id, type, data and metadata of each event, one after another. */
  readonly fields: readonly string[];
  /** Int32 cell 0: the state (WAITING and after, below); from byte 8, the 32-byte links. */
  readonly shared: SharedArrayBuffer;
}

const STATE = 0;
const WAITING = 0;
const STARTED = 1;
const DONE = 2;
const FAILED = 3;
const TAKEN_BACK = 4;
const LINKS_AT = 8;

/** Where the worker's script is and from how many events to use it: the defaults, but for tests. */
export interface ParallelLinksOptions {
  readonly script?: { readonly filename: string; readonly execArgv?: readonly string[] };
  readonly from?: number;
  /** For tests: true leaves every request to the worker, even one it has not started. */
  readonly leaveToWorker?: boolean;
}

const PARALLEL_FROM = 1_000;

// Compiled, the worker is this file's sibling; from the TypeScript sources (tests), every link is
// hashed on the calling thread unless a test names the script.
const WORKER_SCRIPT = join(__dirname, 'link-worker.thread.js');

/** The links of `events`, each after the one before, into `into` (32 bytes each); the last one. */
export const hashLinks = (
  hasher: LinkHasher,
  prev: ChainHash,
  positionAt: (index: number) => bigint | number,
  firstRevision: number,
  streamId: string,
  events: readonly SerializedEvent[],
  into: Buffer,
): ChainHash => {
  let link = prev;
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    link = hasher.link(
      link,
      positionAt(i),
      firstRevision + i,
      streamId,
      event.id,
      event.type,
      event.data,
      event.metadata,
    );
    into.write(link, 32 * i, 'hex');
  }
  return link;
};

/** A request handed to the worker, until its links are collected or taken back. */
export interface PendingLinks {
  /** The links (32 bytes each) once the worker computed them; undefined: compute them here. */
  collect(): Buffer | undefined;
}

interface Running {
  readonly worker: Worker;
  readonly port: MessagePort;
}

/** One worker per script for the process, started on the first large append and kept (unreferenced). */
const workers = new Map<string, Running>();

export class LinkWorkers {
  private readonly script: NonNullable<ParallelLinksOptions['script']> | undefined;
  readonly from: number;
  private readonly leaveToWorker: boolean;
  /** Requests whose links the worker computed. */
  collected = 0;

  constructor(options: ParallelLinksOptions = {}) {
    const script = options.script ?? { filename: WORKER_SCRIPT };
    const usable =
      existsSync(script.filename) && (options.script !== undefined || __filename.endsWith('.js'));
    this.script = usable ? script : undefined;
    this.from = options.from ?? PARALLEL_FROM;
    this.leaveToWorker = options.leaveToWorker ?? false;
  }

  /** Hands the links of `events` to the worker, the first at position `first`; undefined if none. */
  request(
    prev: ChainHash,
    first: bigint,
    firstRevision: number,
    streamId: string,
    events: readonly SerializedEvent[],
  ): PendingLinks | undefined {
    if (this.script === undefined || events.length < this.from) return undefined;
    const fields = new Array<string>(4 * events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      fields[4 * i] = event.id;
      fields[4 * i + 1] = event.type;
      fields[4 * i + 2] = event.data;
      fields[4 * i + 3] = event.metadata;
    }
    const shared = new SharedArrayBuffer(LINKS_AT + 32 * events.length);
    const request: LinkRequest = { prev, first: String(first), firstRevision, streamId, fields, shared };
    running(this.script).port.postMessage(request);
    const cells = new Int32Array(shared, 0, 1);
    return {
      collect: () => {
        if (!this.leaveToWorker && Atomics.compareExchange(cells, STATE, WAITING, TAKEN_BACK) === WAITING)
          return undefined;
        // Started: it finishes within about as long as this thread took to insert the events.
        const deadline = performance.now() + 30_000;
        for (
          let state = Atomics.load(cells, STATE);
          (state === STARTED || state === WAITING) && performance.now() < deadline;
          state = Atomics.load(cells, STATE)
        )
          Atomics.wait(cells, STATE, state, 1_000);
        if (Atomics.load(cells, STATE) !== DONE) return undefined;
        this.collected++;
        return Buffer.from(shared, LINKS_AT, 32 * events.length);
      },
    };
  }
}

const running = (script: NonNullable<ParallelLinksOptions['script']>): Running => {
  const known = workers.get(script.filename);
  if (known) return known;
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(script.filename, {
    workerData: { port: port2 },
    transferList: [port2],
    ...(script.execArgv !== undefined && { execArgv: [...script.execArgv] }),
  });
  worker.unref();
  port1.unref();
  const started: Running = { worker, port: port1 };
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    if (workers.get(script.filename) === started) workers.delete(script.filename);
    port1.close();
  });
  workers.set(script.filename, started);
  return started;
};

/** Ends the workers started so far (they are unreferenced: a process exits without this). */
export async function stopLinkWorkers(): Promise<void> {
  const all = [...workers.values()];
  workers.clear();
  await Promise.all(all.map((each) => each.worker.terminate()));
}

/** The worker's side: unless the caller took the request back, hashes its links and says so. */
export function runLinkRequest(request: LinkRequest, hasher: LinkHasher): void {
  const cells = new Int32Array(request.shared, 0, 1);
  if (Atomics.compareExchange(cells, STATE, WAITING, STARTED) !== WAITING) return;
  let state = FAILED;
  try {
    const events: SerializedEvent[] = [];
    const fields = request.fields;
    for (let i = 0; i < fields.length; i += 4)
      events.push({ id: fields[i], type: fields[i + 1], data: fields[i + 2], metadata: fields[i + 3] });
    // Positions as numbers while they are exact: a bigint's text costs more than a number's.
    const first = BigInt(request.first);
    const from = Number(first);
    const exact = Number.isSafeInteger(from + events.length);
    hashLinks(
      hasher,
      request.prev,
      exact ? (i) => from + i : (i) => first + BigInt(i),
      request.firstRevision,
      request.streamId,
      events,
      Buffer.from(request.shared, LINKS_AT, 32 * events.length),
    );
    state = DONE;
  } finally {
    Atomics.store(cells, STATE, state);
    Atomics.notify(cells, STATE);
  }
}
