import { Inject, Injectable } from '@nestjs/common';
import {
  ReadArgs,
  ReadPool,
  ReadsUnavailableError,
  ReadTables,
  RegistreReads,
  TablesArg,
} from '../../projections/read-pool';
import { ApiError } from '../errors/api-error';
import { READ_POOL } from './tokens';

/**
 * The views' reads, run off the thread that takes commands (see ReadPool). Pass the live tables as
 * a function (`() => runner.tables(name)`) so that a read queued across a rebuild's swap finds the
 * new ones. A read the pool cannot run now is a 503 with Retry-After, never a 500.
 */
@Injectable()
export class Reads {
  constructor(@Inject(READ_POOL) private readonly pool: ReadPool) {}

  async run<K extends keyof RegistreReads & string>(
    name: K,
    tables: TablesArg<ReadTables<RegistreReads[K]>>,
    ...args: ReadArgs<RegistreReads[K]>
  ): Promise<ReturnType<RegistreReads[K]>> {
    try {
      return await this.pool.run(name, tables, ...args);
    } catch (error) {
      if (error instanceof ReadsUnavailableError)
        throw new ApiError(503, error.code, error.message, { read: name }, { 'Retry-After': '1' });
      throw error;
    }
  }
}
