import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerScript } from '../../projections/worker/projection-worker';
import {
  AppendRequest,
  fromWire,
  WireOutcome,
  WriterReply,
  WriterRequest,
  WriterSettings,
} from './group-writer';

/** The writing thread's entry point beside this module, compiled (.js) or not (a loader given by tests). */
export const GROUP_WRITER_THREAD: WorkerScript = {
  filename: join(__dirname, `group-writer.thread${extname(__filename)}`),
};

interface Write {
  readonly id: number;
  readonly resolve: (outcomes: readonly WireOutcome[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The store's side of its writing thread: one group at a time, answered in order. A thread that
 * stops (it could not open the file, it crashed) fails the group it was writing; the next group
 * starts a new one. Referenced only while a group is being written, so an idle store keeps no
 * process alive.
 */
export class WritingThread {
  private worker: Worker | undefined;
  private writing: Write | undefined;
  private failure: Error | undefined;
  private nextId = 1;

  constructor(
    private readonly settings: WriterSettings,
    private readonly script: WorkerScript = GROUP_WRITER_THREAD,
  ) {
    this.worker = this.spawn();
  }

  write(group: readonly AppendRequest[]): Promise<readonly WireOutcome[]> {
    if (this.writing) return Promise.reject(new Error('the writing thread writes one group at a time'));
    const worker = (this.worker ??= this.spawn());
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.writing = { id, resolve, reject };
      worker.ref();
      worker.postMessage({ kind: 'write', id, group } satisfies WriterRequest);
    });
  }

  /** Closes the thread's connection (its writes are answered first: the store waits for them). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    worker.ref();
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ kind: 'close' } satisfies WriterRequest);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(this.script.filename, {
      workerData: this.settings,
      ...(this.script.execArgv !== undefined && { execArgv: [...this.script.execArgv] }),
    });
    worker.unref();
    worker.on('message', (reply: WriterReply) => this.receive(worker, reply));
    worker.on('error', (error) => {
      this.failure = error;
    });
    worker.on('exit', (code) => this.exited(worker, code));
    return worker;
  }

  private receive(worker: Worker, reply: WriterReply): void {
    if (reply.kind === 'ready' || reply.kind === 'closed') return;
    const write = this.writing;
    if (!write || write.id !== reply.id) return;
    this.writing = undefined;
    worker.unref();
    if (reply.kind === 'written') write.resolve(reply.outcomes);
    else write.reject(fromWire(reply.error));
  }

  private exited(worker: Worker, code: number): void {
    if (this.worker === worker) this.worker = undefined;
    const write = this.writing;
    if (!write) return;
    this.writing = undefined;
    const why = this.failure?.message ?? `exit code ${code}`;
    this.failure = undefined;
    write.reject(
      new Error(`the store's writing thread stopped (${why}); whether the group was written is not known`),
    );
  }
}

/** Whether this module runs compiled, so that the thread's entry point beside it can be started as is. */
export const WRITING_THREAD_COMPILED = extname(__filename) === '.js';
