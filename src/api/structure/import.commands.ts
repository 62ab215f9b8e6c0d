import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Database } from 'better-sqlite3';
import { RegistreConfig } from '../../config';
import { EventStore } from '../../event-store/event-store';
import { CommandContext } from '../../event-store/handle-command';
import { planLineSteps } from '../../import/describe-plan';
import { ImportKind } from '../../import/read-export';
import { ImportReader } from '../../import/reader/import-reader';
import { runImport } from '../../import/run-import';
import { runStepsYielding } from '../../import/yielding';
import type { Logger } from '../../logger';
import { LiveProjections } from '../../projections/live-projections';
import { enrolmentsProjection, readStudentIds } from '../../projections/structure';
import { RegistreCommand } from '../core/command-context';
import { CONFIG, EVENT_STORE, LOGGER, PROJECTION_RUNNER, READ_DB } from '../core/tokens';
import { ApiError } from '../errors/api-error';
import { ImportAnswer } from './import.dto';

export interface ImportOptions {
  readonly dryRun: boolean;
  readonly effectiveDate?: string;
  readonly departMissing?: boolean;
  readonly allowMassDeparture?: boolean;
}

/** A SIECLE, STS-web or CSV file applied as one correction unit (one correlation id). */
export class RunStructureImport extends RegistreCommand<ImportAnswer> {
  constructor(
    ctx: CommandContext,
    readonly kind: ImportKind,
    readonly bytes: Uint8Array,
    readonly options: ImportOptions,
  ) {
    super(ctx);
  }
}

@CommandHandler(RunStructureImport)
export class RunStructureImportHandler implements ICommandHandler<RunStructureImport, ImportAnswer> {
  private readonly log: Logger;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: Database,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
    @Inject(CONFIG) private readonly config: RegistreConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(ImportReader) private readonly reader: ImportReader,
  ) {
    this.log = logger.child({ component: 'commands' });
  }

  async execute({ ctx, kind, bytes, options }: RunStructureImport): Promise<ImportAnswer> {
    // The plan compares the file with every student the school has had: the read model must be complete.
    const head = await this.store.headPosition();
    if (!(await this.runner.waitFor(enrolmentsProjection.name, head, this.config.waitMs)))
      throw new ApiError(
        503,
        'PROJECTION.NOT_CAUGHT_UP',
        `the enrolments view has not reached position ${head}; retry shortly`,
        {},
        { 'Retry-After': '1' },
      );
    const report = await runImport(
      {
        store: this.store,
        knownStudentIds: (schoolId) =>
          readStudentIds(this.db, this.runner.tables(enrolmentsProjection.name), schoolId),
        logger: this.log,
        readFile: this.reader.read,
      },
      {
        kind,
        bytes,
        schoolId: ctx.schoolId,
        dryRun: options.dryRun,
        ...(options.effectiveDate !== undefined ? { effectiveDate: options.effectiveDate } : {}),
        ...(options.departMissing !== undefined ? { departMissing: options.departMissing } : {}),
        ...(options.allowMassDeparture ? { allowMassDeparture: true } : {}),
      },
      ctx,
    );
    const lines = await runStepsYielding(planLineSteps(report.plan));
    return {
      importId: report.importId,
      dryRun: report.dryRun,
      schoolYear: report.plan.schoolYear,
      effectiveDate: report.plan.effectiveDate,
      summary: { ...report.plan.summary },
      changes: lines.changes,
      warnings: [...report.plan.warnings],
      notImported: report.plan.notImported.map(({ element, reason }) => ({ element, reason })),
      ...(report.plan.departureGuard ? { departures: { ...report.plan.departureGuard } } : {}),
      plannedEvents: report.plan.eventCount,
      eventsWritten: report.eventsWritten,
      position: report.position.toString(),
    };
  }
}
