import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { RegistreConfig } from '../../config';
import { EventStore } from '../../event-store/event-store';
import type { Clock } from '../../domain/shared/clock';
import type { Logger } from '../../logger';
import { LiveProjections } from '../../projections/live-projections';
import { ReadPool } from '../../projections/read-pool';
import { CommandExecutor } from './command-executor';
import { Reads } from './reads';
import { CLOCK, CONFIG, EVENT_STORE, LOGGER, PROJECTION_RUNNER, READ_DB, READ_POOL } from './tokens';

/** What the composition root opened before Nest starts; the core module owns them from then on. */
export interface CoreResources {
  readonly config: RegistreConfig;
  readonly logger: Logger;
  readonly store: EventStore;
  readonly readDb: Database;
  /** The threads the views read on, each with its own connection to the read models. */
  readonly reads: ReadPool;
  readonly runner: LiveProjections;
  readonly clock: Clock;
}

/** Projections follow the log while the service runs; the store and files close after the last request. */
@Injectable()
class CoreLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly readDb: Database,
    @Inject(READ_POOL) private readonly reads: ReadPool,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.reads.close();
    await this.runner.close();
    await this.store.close();
    if (this.readDb.open) this.readDb.close();
    this.logger.info({ signal }, 'registre stopped');
  }
}

@Module({})
export class CoreModule {
  static forRoot(resources: CoreResources): DynamicModule {
    const tokens = [CONFIG, LOGGER, EVENT_STORE, READ_DB, READ_POOL, PROJECTION_RUNNER, CLOCK];
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: CONFIG, useValue: resources.config },
        { provide: LOGGER, useValue: resources.logger },
        { provide: EVENT_STORE, useValue: resources.store },
        { provide: READ_DB, useValue: resources.readDb },
        { provide: READ_POOL, useValue: resources.reads },
        { provide: PROJECTION_RUNNER, useValue: resources.runner },
        { provide: CLOCK, useValue: resources.clock },
        CommandExecutor,
        Reads,
        CoreLifecycle,
      ],
      exports: [...tokens, CommandExecutor, Reads],
    };
  }
}
