import type { Database } from 'better-sqlite3';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ProjectionsUnavailableError } from '../live-projections';
import { TableNames } from '../projection';
import type { ProjectionLogger } from '../projection-runner';
import type { WorkerScript } from '../worker/projection-worker';
import type { SerializedError } from '../worker/protocol';
import { ReadReply, ReadRequest, ReadThreadSettings } from './protocol';
import { ReadArgs, ReadFunction, ReadRegistry, ReadTables, RegistreReads, reads } from './read-registry';

/** The reads a pool runs: the object (for the calling thread) and the module exporting it as `reads` (for its threads). */
export interface ReadRegistrySource<R extends ReadRegistry> {
  readonly reads: R;
  readonly module: string;
}

export interface ReadPoolOptions {
  /** Read threads; 0 runs every read on the calling thread (tests, debugging). */
  readonly threads: number;
  /** Reads waiting for a thread; one more is refused at once. */
  readonly queue: number;
  /**
   * Reads sent to a thread ahead of its answers (default 4): the thread starts the next as soon as
   * it posts one, without waiting for the calling thread — busy with commands — to take the answer.
   */
  readonly inFlight?: number;
  /** The read threads' niceness (default 10; 0 leaves them at the process's): commands go first. */
  readonly niceness?: number;
  /** The read models. A file is opened again, read only, by each thread; an in-memory database is read inline. */
  readonly db: Database;
  /** The threads' entry point (tests running TypeScript give the .ts file and a loader). */
  readonly script?: WorkerScript;
  /** Longest a read may wait and run; past it the caller gets 503 and a running read's thread is replaced. */
  readonly timeoutMs?: number;
  /** Wait before starting a thread again after one failed to start (default 1 s). */
  readonly restartDelayMs?: number;
  readonly logger?: ProjectionLogger;
}

/** The live tables of a read, or how to find them: asked when the read starts, and again if they were swapped meanwhile. */
export type TablesArg<T extends TableNames> = T | (() => T);

export type ReadsUnavailableCode = 'READS.BUSY' | 'READS.UNAVAILABLE' | 'READS.TIMEOUT';

/** A read the pool could not run now (queue full, thread lost, too slow): the caller may retry shortly. */
export class ReadsUnavailableError extends ProjectionsUnavailableError {
  constructor(
    readonly code: ReadsUnavailableCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReadsUnavailableError';
  }
}

interface Job {
  readonly id: number;
  readonly name: string;
  readonly tables: TablesArg<TableNames>;
  readonly args: readonly unknown[];
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
  /** Its tables were dropped under it once (a rebuild swapped them): it ran again on the new ones. */
  retried?: boolean;
}

interface Reader {
  readonly worker: Worker;
  ready: boolean;
  /** Sent and not yet answered, in the order the thread runs them: the first is running. */
  readonly jobs: Job[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_IN_FLIGHT = 4;
const DEFAULT_NICENESS = 10;
const BUSY_TIMEOUT_MS = 5_000;

const sibling = (name: string) => join(__dirname, `${name}${extname(__filename)}`);

export const REGISTRE_READS: ReadRegistrySource<RegistreReads> = { reads, module: sibling('read-registry') };

const errorFrom = (error: SerializedError): Error =>
  Object.assign(new Error(error.message), { name: error.name, ...(error.stack && { stack: error.stack }) });

const tablesOf = (tables: TablesArg<TableNames>): TableNames =>
  typeof tables === 'function' ? tables() : tables;

/**
 * Runs the views' reads off the thread that takes commands: a few worker threads, each with its own
 * read-only connection to the read models' file, so that a slow view delays its caller only. Reads
 * wait in a bounded queue; a full queue, a lost thread or a read past its time answers at once with
 * a ReadsUnavailableError (503), and a lost thread is replaced. Results cross by structured clone.
 */
export class ReadPool<R extends ReadRegistry = RegistreReads> {
  private readonly readers = new Set<Reader>();
  private readonly waiting: Job[] = [];
  private readonly file?: string;
  private readonly restarts = new Set<NodeJS.Timeout>();
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly registry: ReadRegistrySource<R>,
    private readonly options: ReadPoolOptions,
  ) {
    if (options.threads > 0 && !options.db.memory) this.file = options.db.name;
  }

  /** The service's reads; the threads start now and open their connections in the background (reads wait for them). */
  static open(options: ReadPoolOptions): ReadPool<RegistreReads> {
    return ReadPool.over(REGISTRE_READS, options);
  }

  /** A pool over other reads (tests add slow or failing ones). */
  static over<R extends ReadRegistry>(
    registry: ReadRegistrySource<R>,
    options: ReadPoolOptions,
  ): ReadPool<R> {
    const pool = new ReadPool(registry, options);
    for (let i = 0; i < pool.threads; i++) pool.spawn();
    return pool;
  }

  /** Threads reading; 0 when reads run on the calling thread. */
  get threads(): number {
    return this.file === undefined ? 0 : this.options.threads;
  }

  run<K extends keyof R & string>(
    name: K,
    tables: TablesArg<ReadTables<R[K]>>,
    ...args: ReadArgs<R[K]>
  ): Promise<ReturnType<R[K]>> {
    return new Promise<ReturnType<R[K]>>((resolve, reject) => {
      if (this.closed) throw new ReadsUnavailableError('READS.UNAVAILABLE', 'the read threads are closed');
      if (this.threads === 0) {
        const read: ReadFunction = this.registry.reads[name];
        resolve(read(this.options.db, tablesOf(tables) as never, ...(args as never[])) as ReturnType<R[K]>);
        return;
      }
      // While no thread has opened its connection yet (the service starting, a thread replaced),
      // reads wait for one: the queue's bound is for threads that are busy, not for ones starting.
      if (
        this.waiting.length >= this.options.queue &&
        this.freeReader() === undefined &&
        [...this.readers].some((reader) => reader.ready)
      )
        throw new ReadsUnavailableError(
          'READS.BUSY',
          `every read thread is busy and ${this.waiting.length} reads wait already; retry shortly`,
        );
      const job: Job = {
        id: this.nextId++,
        name,
        tables,
        args,
        resolve: (result) => resolve(result as ReturnType<R[K]>),
        reject,
      };
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      job.timer = setTimeout(() => this.timeOut(job, timeoutMs), timeoutMs);
      this.waiting.push(job);
      this.pump();
    });
  }

  /** What the threads are doing now: for /health and the logs of a busy morning. */
  stats(): {
    readonly threads: number;
    readonly ready: number;
    readonly running: number;
    readonly waiting: number;
  } {
    const readers = [...this.readers];
    return {
      threads: this.threads,
      ready: readers.filter((r) => r.ready).length,
      running: readers.reduce((sum, r) => sum + r.jobs.length, 0),
      waiting: this.waiting.length,
    };
  }

  /** Refuses new reads, answers those waiting or running with 503, and ends the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.restarts) clearTimeout(timer);
    const closed = new ReadsUnavailableError('READS.UNAVAILABLE', 'the service is stopping');
    for (const job of this.waiting.splice(0)) this.settle(job, closed);
    const readers = [...this.readers];
    this.readers.clear();
    for (const reader of readers) for (const job of reader.jobs.splice(0)) this.settle(job, closed);
    await Promise.all(readers.map((reader) => reader.worker.terminate()));
  }

  /** The ready thread with the fewest reads sent to it, if it can take one more. */
  private freeReader(): Reader | undefined {
    let free: Reader | undefined;
    for (const reader of this.readers)
      if (reader.ready && (free === undefined || reader.jobs.length < free.jobs.length)) free = reader;
    return free && free.jobs.length < Math.max(1, this.options.inFlight ?? DEFAULT_IN_FLIGHT)
      ? free
      : undefined;
  }

  private pump(): void {
    for (let reader = this.freeReader(); reader && this.waiting.length > 0; reader = this.freeReader()) {
      const job = this.waiting.shift() as Job;
      try {
        const request: ReadRequest = {
          id: job.id,
          name: job.name,
          tables: tablesOf(job.tables),
          args: job.args,
        };
        reader.worker.postMessage(request);
        reader.jobs.push(job);
      } catch (error) {
        this.settle(job, error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  private settle(job: Job, outcome: Error | { readonly result: unknown }): void {
    clearTimeout(job.timer);
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome.result);
  }

  private timeOut(job: Job, timeoutMs: number): void {
    const timedOut = new ReadsUnavailableError(
      'READS.TIMEOUT',
      `the read ${job.name} took more than ${timeoutMs} ms; retry shortly or ask for less`,
    );
    const queued = this.waiting.indexOf(job);
    if (queued >= 0) {
      this.waiting.splice(queued, 1);
      this.settle(job, timedOut);
      return;
    }
    const reader = [...this.readers].find((r) => r.jobs.includes(job));
    if (!reader) return;
    this.settle(job, timedOut);
    if (reader.jobs[0] !== job) {
      // Not started yet: the thread will run it and its answer is dropped.
      reader.jobs.splice(reader.jobs.indexOf(job), 1);
      return;
    }
    // The reads sent behind it wait again for a thread.
    reader.jobs.shift();
    this.waiting.unshift(...reader.jobs.splice(0));
    this.options.logger?.warn({ read: job.name, timeoutMs }, 'read thread stopped: a read ran past its time');
    // Its connection is busy until the statement ends: a fresh thread takes its place at once.
    this.readers.delete(reader);
    void reader.worker.terminate();
    if (this.closed) return;
    this.spawn();
    this.pump();
  }

  private spawn(): void {
    const script = this.options.script ?? { filename: sibling('read-pool.thread') };
    const settings: ReadThreadSettings = {
      file: this.file as string,
      registryModule: this.registry.module,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      niceness: this.options.niceness ?? DEFAULT_NICENESS,
    };
    const worker = new Worker(script.filename, {
      workerData: settings,
      ...(script.execArgv !== undefined && { execArgv: [...script.execArgv] }),
    });
    const reader: Reader = { worker, ready: false, jobs: [] };
    this.readers.add(reader);
    worker.on('message', (reply: ReadReply) => this.receive(reader, reply));
    worker.on('error', (error) => this.options.logger?.error({ err: error }, 'read thread failed'));
    worker.on('exit', (code) => this.exited(reader, code));
  }

  private receive(reader: Reader, reply: ReadReply): void {
    if (reply.kind === 'ready') {
      reader.ready = true;
      this.pump();
      return;
    }
    if (reply.kind === 'failed' && reply.id === 0) {
      this.options.logger?.error({ err: reply.error }, 'read thread could not open the read models');
      return;
    }
    const index = reader.jobs.findIndex((sent) => sent.id === reply.id);
    if (index < 0) return;
    const [job] = reader.jobs.splice(index, 1);
    if (reply.kind === 'done') this.settle(job, { result: reply.result });
    else if (/no such table/i.test(reply.error.message) && typeof job.tables === 'function' && !job.retried) {
      // A rebuild swapped and dropped the tables after the read was sent: the live ones answer it.
      job.retried = true;
      this.waiting.unshift(job);
    } else this.settle(job, errorFrom(reply.error));
    this.pump();
  }

  private exited(reader: Reader, code: number): void {
    if (!this.readers.delete(reader)) return;
    const stopped = new ReadsUnavailableError(
      'READS.UNAVAILABLE',
      `the read thread stopped (code ${code}); retry shortly`,
    );
    // The read it was running answers 503; the ones sent behind it wait again for a thread.
    const [running, ...behind] = reader.jobs.splice(0);
    if (running) this.settle(running, stopped);
    if (this.closed) for (const job of behind) this.settle(job, stopped);
    else this.waiting.unshift(...behind);
    if (this.closed) return;
    this.pump();
    if (reader.ready) {
      this.options.logger?.error({ code }, 'read thread exited; starting a new one');
      this.spawn();
      return;
    }
    // It could not even start: with no thread left to read, nobody waits for the next attempt.
    if (![...this.readers].some((r) => r.ready)) {
      const unavailable = new ReadsUnavailableError(
        'READS.UNAVAILABLE',
        'no read thread could open the read models; retry shortly',
      );
      for (const job of this.waiting.splice(0)) this.settle(job, unavailable);
    }
    const timer = setTimeout(() => {
      this.restarts.delete(timer);
      if (!this.closed) this.spawn();
    }, this.options.restartDelayMs ?? 1_000);
    this.restarts.add(timer);
  }
}
