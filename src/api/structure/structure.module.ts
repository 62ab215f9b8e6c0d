import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ClassTimetablesController } from './class-timetables.controller';
import { ClassesController } from './classes.controller';
import { ImportsController } from './imports.controller';
import { SchoolController } from './school.controller';
import { ChangeSchoolHandler, ChangeStudentHandler, RunStructureImportHandler } from './structure.commands';
import { ReadStructureHandler } from './structure.queries';
import { StudentsController } from './students.controller';

/** Raw bodies for import files; a full lycée export stays well under this. */
const IMPORT_BODY_LIMIT_BYTES = 50 * 1024 * 1024;
const FILE_CONTENT_TYPES = ['application/xml', 'text/xml', 'text/csv', 'application/octet-stream'];

/** School year, periods, settings, classes, groups, students and their enrolments, and the imports that fill them. */
@Module({
  controllers: [
    SchoolController,
    ClassesController,
    ClassTimetablesController,
    StudentsController,
    ImportsController,
  ],
  providers: [ChangeSchoolHandler, ChangeStudentHandler, RunStructureImportHandler, ReadStructureHandler],
})
export class StructureModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    for (const type of FILE_CONTENT_TYPES)
      if (!fastify.hasContentTypeParser(type))
        fastify.addContentTypeParser(
          type,
          { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT_BYTES },
          (_request, body, done) => done(null, body),
        );
  }
}
