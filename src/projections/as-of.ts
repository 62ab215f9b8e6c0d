import BetterSqlite3, { Database } from 'better-sqlite3';
import { DomainEvent } from '../domain/shared/event';
import { EventStore } from '../event-store/event-store';
import { eventsToApplyFor } from './events-to-apply';
import { Projection, TableNames, tableNamesFor } from './projection';

export interface AsOfView<T extends string = string> {
  /** An in-memory database holding only this view; close it when done. */
  readonly db: Database;
  readonly tables: TableNames<T>;
}

const AS_OF_BATCH_SIZE = 5_000;

/**
 * The view as it stood once the log reached `upTo` (that event included), built by the same
 * projection code as the live view, so the same queries answer the auditor's question.
 */
export async function buildAsOf<T extends string, E extends DomainEvent>(
  projection: Projection<T, E>,
  store: EventStore,
  upTo: bigint,
  options: { batchSize?: number } = {},
): Promise<AsOfView<T>> {
  const batchSize = options.batchSize ?? AS_OF_BATCH_SIZE;
  const db = new BetterSqlite3(':memory:');
  try {
    const tables = tableNamesFor(projection);
    db.transaction(() => projection.setup(db, tables))();
    const eventsToApply = eventsToApplyFor(projection);
    let checkpoint = 0n;
    while (checkpoint < upTo) {
      const limit = Math.min(batchSize, Number(upTo - checkpoint));
      const batch = (await store.readAll({ after: checkpoint, limit })).filter(
        (event) => event.position <= upTo,
      );
      if (batch.length === 0) break;
      const events = eventsToApply(batch, checkpoint);
      if (events.length > 0) db.transaction(() => projection.apply(db, tables, events))();
      checkpoint = batch[batch.length - 1].position;
    }
    return { db, tables };
  } catch (error) {
    db.close();
    throw error;
  }
}
