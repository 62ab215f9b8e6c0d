import type { RegistreConfig } from '../../config';
import type { TableNames } from '../projection';
import type { ProjectionStatus } from '../projection-runner';

/** What the worker needs to open the log and the read models on its own: plain data, cloned once. */
export type ProjectionWorkerSettings = Pick<
  RegistreConfig,
  'store' | 'dbPath' | 'readModelsPath' | 'keysPath' | 'synchronous' | 'esdbUrl' | 'projectionDelayMs'
> & {
  /** Most events per read-model transaction (default SERVICE_BATCH.size). */
  readonly batchSize?: number;
  /** Time a batch is sized to take (default SERVICE_BATCH.targetMs). */
  readonly batchTargetMs?: number;
};

/**
 * How the service batches: up to 20,000 events per transaction when far behind, each batch sized to
 * take about 250 ms, so that a waiting query sees the checkpoint move several times a second.
 */
export const SERVICE_BATCH = { size: 20_000, targetMs: 250 } as const;

/** One projection as the request thread must see it to answer queries. */
export interface ProjectionView {
  readonly name: string;
  readonly tables: TableNames;
  readonly changes: number;
  /** Checkpoint of the live tables, as a decimal string; null until a first build is live. */
  readonly liveCheckpoint: string | null;
}

export type CallMethod = 'catchUp' | 'start' | 'stop' | 'status' | 'rebuild';

/** Request thread → worker. */
export type ToWorker =
  /** Something was appended: catch up after the wake delay. */
  | { readonly kind: 'appended' }
  /** A query waits for a position: catch up now. */
  | { readonly kind: 'nudge' }
  /** The request thread has applied state `seq`: tables retired before it can go. */
  | { readonly kind: 'ack'; readonly seq: number }
  | { readonly kind: 'call'; readonly id: number; readonly method: CallMethod; readonly name?: string }
  | { readonly kind: 'close' };

export type SerializedError = { readonly name: string; readonly message: string; readonly stack?: string };

/** Worker → request thread. */
export type FromWorker =
  | { readonly kind: 'state'; readonly seq: number; readonly projections: readonly ProjectionView[] }
  | { readonly kind: 'reply'; readonly id: number; readonly statuses?: ProjectionStatus[] }
  | { readonly kind: 'failed'; readonly id: number; readonly error: SerializedError }
  | {
      readonly kind: 'log';
      readonly level: 'info' | 'warn' | 'error';
      readonly fields: Record<string, unknown>;
      readonly message: string;
    }
  | { readonly kind: 'closed' };

export const serializeError = (error: unknown): SerializedError =>
  error instanceof Error
    ? { name: error.name, message: error.message, ...(error.stack !== undefined && { stack: error.stack }) }
    : { name: 'Error', message: String(error) };
