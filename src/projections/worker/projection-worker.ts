import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EventStore } from '../../event-store/event-store';
import { LiveProjections, ProjectionsUnavailableError } from '../live-projections';
import { Patience, PositionWaiters } from '../position-waiters';
import { TableNames } from '../projection';
import { ProjectionLogger, ProjectionStatus } from '../projection-runner';
import { CallMethod, FromWorker, ProjectionWorkerSettings, SerializedError, ToWorker } from './protocol';

/** The worker's entry point; tests running TypeScript under jest pass the .ts file and a loader. */
export interface WorkerScript {
  readonly filename: string;
  /** Node options of the worker (default: this thread's, so a `--require` hook carries over). */
  readonly execArgv?: readonly string[];
}

export interface ProjectionWorkerOptions {
  readonly settings: ProjectionWorkerSettings;
  /** The request thread's store: its appends wake the worker. */
  readonly store: EventStore;
  readonly logger?: ProjectionLogger;
  readonly script?: WorkerScript;
  /** Wait before starting a new worker after one died (default 1 s). */
  readonly restartDelayMs?: number;
}

interface PendingCall {
  readonly resolve: (message: FromWorker & { kind: 'reply' }) => void;
  readonly reject: (error: Error) => void;
}

/** The entry point beside this file: compiled .js in production, .ts when run through a require hook. */
const SIBLING_SCRIPT: WorkerScript = {
  filename: join(__dirname, `projection-worker.thread${extname(__filename)}`),
};

const errorFrom = (error: SerializedError): Error =>
  Object.assign(new Error(error.message), { name: error.name, ...(error.stack && { stack: error.stack }) });

/**
 * The projections, applied in a worker thread of their own so that the thread serving HTTP only
 * takes commands and answers queries. This side mirrors what queries need (table names, change
 * counters, live checkpoints) from the worker's state messages; the worker drops retired tables
 * only once this side has acknowledged the state that replaced them. A worker that dies is
 * replaced; it resumes from its checkpoints.
 */
export class ProjectionWorker implements LiveProjections {
  private worker!: Worker;
  /** What queries need of each projection, as the worker last said: its tables, changes and live checkpoint. */
  private readonly views = new Map<
    string,
    { readonly tables: TableNames; readonly changes: number; readonly live?: bigint }
  >();
  private readonly waiters = new PositionWaiters();
  private readonly calls = new Map<number, PendingCall>();
  private nextCall = 1;
  private started = false;
  private closing = false;
  private restartTimer?: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  private constructor(private readonly options: ProjectionWorkerOptions) {
    this.unsubscribe = options.store.onAppended(() => this.send({ kind: 'appended' }));
  }

  /** Starts the worker; resolves once it has opened everything and said where each projection lives. */
  static async spawn(options: ProjectionWorkerOptions): Promise<ProjectionWorker> {
    const client = new ProjectionWorker(options);
    try {
      await client.startWorker();
    } catch (error) {
      client.unsubscribe();
      throw error;
    }
    return client;
  }

  tables<T extends string = string>(name: string): TableNames<T> {
    return this.view(name).tables as TableNames<T>;
  }

  changesOf(name: string): number {
    return this.views.get(name)?.changes ?? 0;
  }

  waitFor(name: string, position: bigint, patience: Patience): Promise<boolean> {
    const { live } = this.view(name);
    if (this.isLiveAt(name, position)) return Promise.resolve(true);
    const reached = this.waiters.wait(name, position, patience, live);
    this.send({ kind: 'nudge' });
    return reached;
  }

  async status(): Promise<ProjectionStatus[]> {
    return (await this.call('status')).statuses ?? [];
  }

  async rebuild(name: string): Promise<void> {
    this.view(name);
    await this.call('rebuild', name);
  }

  async catchUp(): Promise<void> {
    await this.call('catchUp');
  }

  start(): void {
    this.started = true;
    this.call('start').catch((error: unknown) =>
      this.options.logger?.error({ err: error }, 'projection worker did not start following the log'),
    );
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.call('stop').catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.started = false;
    this.unsubscribe();
    clearTimeout(this.restartTimer);
    this.waiters.release();
    const exited = new Promise<void>((resolve) => {
      if (this.worker.threadId === -1) return resolve();
      this.worker.once('exit', () => resolve());
    });
    this.send({ kind: 'close' });
    // A worker stuck in a long batch is not waited for: its transaction rolls back, checkpoints hold.
    const timeout = setTimeout(() => void this.worker.terminate(), 10_000);
    await exited;
    clearTimeout(timeout);
  }

  private view(name: string) {
    const view = this.views.get(name);
    if (!view) throw new Error(`unknown projection ${name}`);
    return view;
  }

  private isLiveAt(name: string, position: bigint): boolean {
    const live = this.views.get(name)?.live;
    return live !== undefined && live >= position;
  }

  private send(message: ToWorker): void {
    if (this.worker && this.worker.threadId !== -1) this.worker.postMessage(message);
  }

  private call(method: CallMethod, name?: string): Promise<FromWorker & { kind: 'reply' }> {
    if (this.closing)
      return Promise.reject(new ProjectionsUnavailableError('the projection worker is closed'));
    if (this.worker.threadId === -1)
      return Promise.reject(
        new ProjectionsUnavailableError('the projection worker is restarting; try again shortly'),
      );
    const id = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.send({ kind: 'call', id, method, ...(name !== undefined && { name }) });
    });
  }

  private startWorker(): Promise<void> {
    const script = this.options.script ?? SIBLING_SCRIPT;
    const worker = new Worker(script.filename, {
      workerData: this.options.settings,
      ...(script.execArgv !== undefined && { execArgv: [...script.execArgv] }),
    });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        if (!ready && message.kind === 'failed' && message.id === 0) {
          reject(errorFrom(message.error));
          return;
        }
        if (!ready && message.kind === 'state') {
          ready = true;
          this.receive(message);
          resolve();
          return;
        }
        this.receive(message);
      });
      worker.on('error', (error) => {
        if (!ready) reject(error);
        else this.options.logger?.error({ err: error }, 'projection worker failed');
      });
      worker.on('exit', (code) => {
        this.failPendingCalls(new ProjectionsUnavailableError(`the projection worker exited (code ${code})`));
        if (!ready) reject(new Error(`the projection worker exited before it was ready (code ${code})`));
        else if (!this.closing) this.restartLater(code);
      });
    });
  }

  private restartLater(code: number): void {
    this.options.logger?.error({ code }, 'projection worker exited; starting a new one');
    this.restartTimer = setTimeout(() => {
      this.startWorker().then(
        () => {
          if (this.started) this.start();
        },
        (error: unknown) => {
          this.options.logger?.error({ err: error }, 'projection worker could not restart');
          if (!this.closing) this.restartLater(-1);
        },
      );
    }, this.options.restartDelayMs ?? 1_000);
  }

  private failPendingCalls(error: Error): void {
    for (const [id, call] of this.calls) {
      this.calls.delete(id);
      call.reject(error);
    }
  }

  private receive(message: FromWorker): void {
    switch (message.kind) {
      case 'state':
        for (const view of message.projections) {
          this.views.set(view.name, {
            tables: view.tables,
            changes: view.changes,
            ...(view.liveCheckpoint !== null && { live: BigInt(view.liveCheckpoint) }),
          });
        }
        this.send({ kind: 'ack', seq: message.seq });
        this.waiters.settle((name) => this.views.get(name)?.live);
        return;
      case 'reply': {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        call?.resolve(message);
        return;
      }
      case 'failed': {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        call?.reject(errorFrom(message.error));
        return;
      }
      case 'log':
        this.options.logger?.[message.level](message.fields, message.message);
        return;
      case 'closed':
        return;
    }
  }
}
