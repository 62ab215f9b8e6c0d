import type { Database } from 'better-sqlite3';
import { RegistreConfig } from './config';
import { EventStore } from './event-store/event-store';
import { createEventStore, openReadModelDb } from './event-store/create-store';
import { createLogger, Logger } from './logger';
import { Projection } from './projections/projection';
import { ProjectionRunner } from './projections/projection-runner';

export interface CliResources {
  readonly store: EventStore;
  readonly db: Database;
  readonly runner: ProjectionRunner;
  readonly logger: Logger;
}

/**
 * Opens what the service opens — the store, the read models, a runner over `projections`, a logger
 * writing to the CLI's error stream (warnings and up unless asked for more) — runs `work`, and
 * closes everything whatever happens.
 */
export const withCliResources = async <T>(
  config: RegistreConfig,
  writeErr: (text: string) => void,
  projections: readonly Projection[],
  work: (resources: CliResources) => Promise<T>,
): Promise<T> => {
  const logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    destination: { write: writeErr },
  });
  const store = await createEventStore(config);
  const db = openReadModelDb(config);
  const runner = new ProjectionRunner({ store, db, projections, logger });
  try {
    return await work({ store, db, runner, logger });
  } finally {
    await runner.stop();
    await store.close();
    db.close();
  }
};
