import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Database } from 'better-sqlite3';
import { Projection, TableNames } from '../../projections/projection';
import { LiveProjections } from '../../projections/live-projections';
import { PROJECTION_RUNNER, READ_DB } from '../core/tokens';

/** A read of one structure read model: the handler hands it the live tables of that projection. */
export class ReadStructure<T> extends Query<T> {
  constructor(
    readonly projection: string,
    readonly read: (db: Database, tables: TableNames) => T,
  ) {
    super();
  }

  static of<N extends string, T>(
    projection: Projection<N>,
    read: (db: Database, tables: TableNames<N>) => T,
  ): ReadStructure<T> {
    return new ReadStructure(projection.name, read as (db: Database, tables: TableNames) => T);
  }
}

@QueryHandler(ReadStructure)
export class ReadStructureHandler implements IQueryHandler<ReadStructure<unknown>, unknown> {
  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(READ_DB) private readonly db: Database,
  ) {}

  async execute({ projection, read }: ReadStructure<unknown>): Promise<unknown> {
    return read(this.db, this.runner.tables(projection));
  }
}
