import { Inject, Module, OnModuleDestroy, OnModuleInit, Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { RegistreConfig } from '../../config';
import { ImportReader, ImportReaderScript } from '../../import/reader/import-reader';
import { CONFIG } from '../core/tokens';
import { registerImportBodyParsers } from './import-body';
import { ClassTimetablesController } from './class-timetables.controller';
import { ClassesController } from './classes.controller';
import { ImportsController } from './imports.controller';
import { SchoolController } from './school.controller';
import { RunStructureImportHandler } from './import.commands';
import { ChangeSchoolHandler } from './school.commands';
import { structureQueryHandlers } from './structure.queries';
import { studentCommandHandlers } from './student.commands';
import { StudentsController } from './students.controller';

export const IMPORT_READER_SCRIPT = Symbol('IMPORT_READER_SCRIPT');

/** Import files are read in worker threads, a few at a time (REGISTRE_IMPORT_* settings). */
const importReaderProvider: Provider = {
  provide: ImportReader,
  inject: [CONFIG, { token: IMPORT_READER_SCRIPT, optional: true }],
  useFactory: (config: RegistreConfig, script?: ImportReaderScript) =>
    new ImportReader({
      limits: { maxBytes: config.imports.maxBytes, maxStudents: config.imports.maxStudents },
      concurrency: config.imports.concurrency,
      queue: config.imports.queue,
      memoryMb: config.imports.workerMemoryMb,
      ...(script !== undefined && { script }),
    }),
};

/** School year, periods, settings, classes, groups, students and their enrolments, and the imports that fill them. */
@Module({
  controllers: [
    SchoolController,
    ClassesController,
    ClassTimetablesController,
    StudentsController,
    ImportsController,
  ],
  providers: [
    ChangeSchoolHandler,
    ...studentCommandHandlers,
    RunStructureImportHandler,
    ...structureQueryHandlers,
    importReaderProvider,
  ],
})
export class StructureModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONFIG) private readonly config: RegistreConfig,
    private readonly reader: ImportReader,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) registerImportBodyParsers(fastify, this.config.imports.maxBytes);
  }

  onModuleDestroy(): Promise<void> {
    return this.reader.close();
  }
}
