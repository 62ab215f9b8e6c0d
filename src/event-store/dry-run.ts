import { AsyncLocalStorage } from 'node:async_hooks';
import { EventMetadata } from '../domain/shared/event';
import { RecordedEvent } from './event-store';

/** An event a dry run decided on and did not append. */
export interface UnwrittenEvent {
  readonly streamId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

/**
 * A dry run of commands: `handleCommand` decides as usual but appends nothing; what it would have
 * appended is kept here, in order, and the next command on the same stream decides on it too, so
 * that a campaign's dry run shows what its commit will do.
 */
export class DryRun {
  readonly events: UnwrittenEvent[] = [];

  /** The events this dry run would have appended to a stream, after its `revision` (its last one). */
  pendingOn(streamId: string, revision: number, position: bigint): RecordedEvent[] {
    return this.events
      .filter((e) => e.streamId === streamId)
      .map((e, index) => ({
        id: `dry-run-${streamId}-${revision + 1 + index}`,
        streamId,
        revision: revision + 1 + index,
        position,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
      }));
  }

  record(streamId: string, events: readonly { type: string; data: object; metadata: EventMetadata }[]): void {
    for (const e of events)
      this.events.push({ streamId, type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata });
  }
}

const current = new AsyncLocalStorage<DryRun>();

/** Runs `work` as a dry run: every command it sends decides and appends nothing. */
export const dryRunOf = <T>(dryRun: DryRun, work: () => Promise<T>): Promise<T> => current.run(dryRun, work);

/** The dry run the current command is part of, if any. */
export const currentDryRun = (): DryRun | undefined => current.getStore();
