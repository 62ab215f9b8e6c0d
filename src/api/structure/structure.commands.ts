import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Database } from 'better-sqlite3';
import { RegistreConfig } from '../../config';
import { fold } from '../../domain/shared/decider';
import { IsoDate } from '../../domain/settings/calendar';
import {
  currentSchoolYear,
  schoolDecider,
  SchoolCommand,
  SchoolEvent,
  schoolStreamId,
  SingleSchoolCommand,
} from '../../domain/structure/school';
import {
  KnownStructure,
  StudentCommand,
  studentDecider,
  studentStreamId,
} from '../../domain/structure/student';
import { EventStore } from '../../event-store/event-store';
import { CommandContext } from '../../event-store/handle-command';
import { planLineSteps } from '../../import/describe-plan';
import { ImportKind } from '../../import/read-export';
import { todayInParis } from '../../domain/shared/clock';
import { ImportReader } from '../../import/reader/import-reader';
import { runImport } from '../../import/run-import';
import { runStepsYielding } from '../../import/yielding';
import type { Logger } from '../../logger';
import { LiveProjections } from '../../projections/live-projections';
import { enrolmentsProjection, readStudentIds } from '../../projections/structure';
import { CommandAnswer } from '../core/command-answer';
import { RegistreCommand } from '../core/command-context';
import { CommandExecutor } from '../core/command-executor';
import { CONFIG, EVENT_STORE, LOGGER, PROJECTION_RUNNER, READ_DB } from '../core/tokens';
import { ApiError } from '../errors/api-error';
import { ImportAnswer } from './structure.dto';

type WithoutSchool<C> = C extends { readonly type: infer T; readonly data: infer D }
  ? { readonly type: T; readonly data: Omit<D, 'schoolId'> }
  : never;
export type SchoolChange = WithoutSchool<SingleSchoolCommand>;

/** Any change to the `school-{uai}` stream: year, periods, settings, classes, groups, teaching. */
export class ChangeSchool extends RegistreCommand<CommandAnswer> {
  constructor(
    ctx: CommandContext,
    readonly change: SchoolChange,
  ) {
    super(ctx);
  }
}

@CommandHandler(ChangeSchool)
export class ChangeSchoolHandler implements ICommandHandler<ChangeSchool, CommandAnswer> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ ctx, change }: ChangeSchool): Promise<CommandAnswer> {
    const command = { type: change.type, data: { ...change.data, schoolId: ctx.schoolId } } as SchoolCommand;
    return this.executor.execute(schoolStreamId(ctx.schoolId), schoolDecider, command, ctx, change.type);
  }
}

/**
 * Any change to one `student-{uai}-{id}` stream. Which classes and groups exist is read from the
 * school stream and handed to the pure decision, which refuses an unknown code.
 */
export class ChangeStudent extends RegistreCommand<CommandAnswer> {
  constructor(
    ctx: CommandContext,
    readonly studentId: string,
    readonly name: string,
    readonly build: (
      keys: { schoolId: string; studentId: string },
      structure: KnownStructure,
      /** First day of the current school year (today when none is declared): birth dates must fit it. */
      schoolYearStart: IsoDate,
    ) => StudentCommand,
  ) {
    super(ctx);
  }
}

@CommandHandler(ChangeStudent)
export class ChangeStudentHandler implements ICommandHandler<ChangeStudent, CommandAnswer> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ ctx, studentId, name, build }: ChangeStudent): Promise<CommandAnswer> {
    const school = fold(
      schoolDecider,
      (await this.store.readStream(schoolStreamId(ctx.schoolId))) as unknown as SchoolEvent[],
    );
    const structure: KnownStructure = {
      classIds: new Set(school.classes.keys()),
      groupIds: new Set(school.groups.keys()),
    };
    const schoolYearStart = currentSchoolYear(school)?.start ?? todayInParis(ctx.now);
    const command = build({ schoolId: ctx.schoolId, studentId }, structure, schoolYearStart);
    return this.executor.execute(
      studentStreamId(ctx.schoolId, studentId),
      studentDecider,
      command,
      ctx,
      name,
    );
  }
}

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
