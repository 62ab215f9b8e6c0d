import type { TableNames } from '../projection';
import type { SerializedError } from '../worker/protocol';

/** What a read thread opens: the read models' file, read only, and the module of its reads. */
export interface ReadThreadSettings {
  readonly file: string;
  /** A module exporting `reads` (a ReadRegistry). */
  readonly registryModule: string;
  readonly busyTimeoutMs: number;
  /** The thread's niceness (0–19; 0 leaves it as it is): where the system lets a thread have its own. */
  readonly niceness: number;
}

/** Request thread → read thread: one read at a time. */
export interface ReadRequest {
  readonly id: number;
  readonly name: string;
  readonly tables: TableNames;
  readonly args: readonly unknown[];
}

/** Read thread → request thread. */
export type ReadReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly id: number; readonly result: unknown }
  | { readonly kind: 'failed'; readonly id: number; readonly error: SerializedError };
