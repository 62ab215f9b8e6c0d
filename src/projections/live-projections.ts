import type { Patience } from './position-waiters';
import { TableNames } from './projection';
import type { ProjectionStatus } from './projection-runner';

/**
 * What the service needs of its projections, wherever they run: the physical tables answering
 * queries, a counter that moves when those may have changed, read-your-writes, status and rebuild.
 * `ProjectionRunner` runs them on the calling thread; `ProjectionWorker` in a worker thread.
 */
export interface LiveProjections {
  /** Physical tables of the version answering queries. */
  tables<T extends string = string>(name: string): TableNames<T>;
  /** Moves whenever the tables answering queries for `name` may have changed. */
  changesOf(name: string): number;
  /**
   * True as soon as the live tables of `name` include `position`; false once `patience` runs out
   * (a number of ms, or as long as the projection keeps moving, up to a ceiling).
   */
  waitFor(name: string, position: bigint, patience: Patience): Promise<boolean>;
  status(): Promise<ProjectionStatus[]>;
  /** Builds the current version again from position 0; resolves once it answers queries. */
  rebuild(name: string): Promise<void>;
  /** Resolves once every projection has reached the head as it stood when called. */
  catchUp(): Promise<void>;
  /** Follows the log until `stop()`. */
  start(): void;
  stop(): Promise<void>;
  /** Stops and lets go of what it holds (the worker thread). */
  close(): Promise<void>;
}

/** The projections cannot answer for a moment (their worker is being replaced): a 503, not a fault. */
export class ProjectionsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectionsUnavailableError';
  }
}
