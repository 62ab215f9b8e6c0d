import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { Database } from 'better-sqlite3';
import { ClosedSpan } from '../../domain/shared/closed-periods';
import { closedPeriodsProjection, readClosedPeriodsOfSchool } from '../../projections/closed-periods';
import { LiveProjections } from '../../projections/live-projections';
import { fold } from '../../domain/shared/decider';
import { IsoDate } from '../../domain/shared/calendar';
import {
  currentSchoolYear,
  periodsOf,
  schoolDecider,
  SchoolEvent,
  SchoolState,
  schoolStreamId,
} from '../../domain/structure/school';
import {
  KnownStructure,
  PostCouncilInputs,
  SingleStudentCommand,
  StudentCommand,
  studentDecider,
  studentStreamId,
} from '../../domain/structure/student';
import { EventStore } from '../../event-store/event-store';
import { CommandContext } from '../../event-store/handle-command';
import { todayInParis } from '../../domain/shared/clock';
import { CommandAnswer } from '../core/command-answer';
import { RegistreCommand } from '../core/command-context';
import { CommandExecutor } from '../core/command-executor';
import { EVENT_STORE, PROJECTION_RUNNER, READ_DB } from '../core/tokens';

/** A change to one `student-{uai}-{id}` stream; the class names the use case in the log. */
abstract class StudentChange extends RegistreCommand<CommandAnswer> {
  constructor(
    ctx: CommandContext,
    readonly studentId: string,
  ) {
    super(ctx);
  }
}

/** A new student, and with `classId` and `from` their first class (both or neither). */
export class RegisterStudent extends StudentChange {
  constructor(
    ctx: CommandContext,
    studentId: string,
    readonly details: {
      readonly ine?: string;
      readonly lastName: string;
      readonly firstName: string;
      readonly birthDate?: string;
      readonly classId?: string;
      readonly from?: string;
    },
  ) {
    super(ctx, studentId);
  }
}

export class EnrolStudent extends StudentChange {
  constructor(
    ctx: CommandContext,
    studentId: string,
    readonly classId: string,
    readonly from: IsoDate,
  ) {
    super(ctx, studentId);
  }
}

export class MoveStudent extends StudentChange {
  constructor(
    ctx: CommandContext,
    studentId: string,
    readonly toClassId: string,
    readonly on: IsoDate,
  ) {
    super(ctx, studentId);
  }
}

export class JoinGroup extends StudentChange {
  constructor(
    ctx: CommandContext,
    studentId: string,
    readonly groupId: string,
    readonly from: IsoDate,
  ) {
    super(ctx, studentId);
  }
}

export class LeaveGroup extends StudentChange {
  constructor(
    ctx: CommandContext,
    studentId: string,
    readonly groupId: string,
    readonly on: IsoDate,
  ) {
    super(ctx, studentId);
  }
}

export class RecordSchoolDeparture extends StudentChange {
  constructor(
    ctx: CommandContext,
    studentId: string,
    readonly on: IsoDate,
  ) {
    super(ctx, studentId);
  }
}

/** What the student decider needs from the school stream: which classes and groups exist, and the year. */
interface SchoolFacts {
  readonly structure: KnownStructure;
  /** First day of the current school year (today when none is declared): birth dates must fit it. */
  readonly schoolYearStart: IsoDate;
  /** What a change of class is checked against: the councils held, and who sends it with which reason. */
  readonly postCouncil: PostCouncilInputs;
}

/**
 * What every student handler shares: the facts read from the school stream (an unknown class or group
 * code is refused by the pure decision), then the command run on the student's stream under the
 * message's class name.
 */
abstract class StudentChangeHandler {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: Database,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
  ) {}

  protected async schoolFacts(ctx: CommandContext): Promise<SchoolFacts> {
    const school = fold(
      schoolDecider,
      (await this.store.readStream(schoolStreamId(ctx.schoolId))) as unknown as SchoolEvent[],
    );
    return {
      structure: { classIds: new Set(school.classes.keys()), groupIds: new Set(school.groups.keys()) },
      schoolYearStart: currentSchoolYear(school)?.start ?? todayInParis(ctx.now),
      postCouncil: {
        closedPeriods: this.closedPeriods(ctx.schoolId, school),
        actor: ctx.actor,
        ...(ctx.reason !== undefined ? { reason: ctx.reason } : {}),
      },
    };
  }

  /** The days of each class's closed periods, from the closed-periods view and the school's periods. */
  private closedPeriods(schoolId: string, school: SchoolState): ReadonlyMap<string, readonly ClosedSpan[]> {
    const closed = readClosedPeriodsOfSchool(
      this.db,
      this.runner.tables(closedPeriodsProjection.name),
      schoolId,
    );
    const spans = new Map<string, ClosedSpan[]>();
    for (const { classId, periodId } of closed) {
      const info = school.classes.get(classId);
      const period =
        info && periodsOf(school, info.schoolYear, info.periodScheme).find((p) => p.id === periodId);
      if (!period) continue;
      spans.set(classId, [...(spans.get(classId) ?? []), { periodId, from: period.start, to: period.end }]);
    }
    return spans;
  }

  protected run(message: StudentChange, command: StudentCommand): Promise<CommandAnswer> {
    const { ctx, studentId } = message;
    return this.executor.execute(
      studentStreamId(ctx.schoolId, studentId),
      studentDecider,
      command,
      ctx,
      message.constructor.name,
    );
  }
}

@CommandHandler(RegisterStudent)
export class RegisterStudentHandler extends StudentChangeHandler implements ICommandHandler<RegisterStudent> {
  async execute(message: RegisterStudent): Promise<CommandAnswer> {
    const { ctx, studentId, details } = message;
    const { ine, lastName, firstName, birthDate, classId, from } = details;
    const { structure, schoolYearStart, postCouncil } = await this.schoolFacts(ctx);
    const keys = { schoolId: ctx.schoolId, studentId };
    const changes: SingleStudentCommand[] = [
      {
        type: 'RegisterStudent',
        data: {
          ...keys,
          ine: ine ?? null,
          lastName,
          firstName,
          birthDate: birthDate ?? null,
          schoolYearStart,
        },
      },
    ];
    if (classId !== undefined && from !== undefined)
      changes.push({ type: 'EnrolStudent', data: { ...keys, classId, from, structure, ...postCouncil } });
    return this.run(
      message,
      changes.length === 1 ? changes[0] : { type: 'ApplyStudentChanges', data: { ...keys, changes } },
    );
  }
}

@CommandHandler(EnrolStudent)
export class EnrolStudentHandler extends StudentChangeHandler implements ICommandHandler<EnrolStudent> {
  async execute(message: EnrolStudent): Promise<CommandAnswer> {
    const { ctx, studentId, classId, from } = message;
    const { structure, postCouncil } = await this.schoolFacts(ctx);
    return this.run(message, {
      type: 'EnrolStudent',
      data: { schoolId: ctx.schoolId, studentId, classId, from, structure, ...postCouncil },
    });
  }
}

@CommandHandler(MoveStudent)
export class MoveStudentHandler extends StudentChangeHandler implements ICommandHandler<MoveStudent> {
  async execute(message: MoveStudent): Promise<CommandAnswer> {
    const { ctx, studentId, toClassId, on } = message;
    const { structure, postCouncil } = await this.schoolFacts(ctx);
    return this.run(message, {
      type: 'MoveStudent',
      data: { schoolId: ctx.schoolId, studentId, toClassId, on, structure, ...postCouncil },
    });
  }
}

@CommandHandler(JoinGroup)
export class JoinGroupHandler extends StudentChangeHandler implements ICommandHandler<JoinGroup> {
  async execute(message: JoinGroup): Promise<CommandAnswer> {
    const { ctx, studentId, groupId, from } = message;
    const { structure, postCouncil } = await this.schoolFacts(ctx);
    return this.run(message, {
      type: 'JoinGroup',
      data: { schoolId: ctx.schoolId, studentId, groupId, from, structure, ...postCouncil },
    });
  }
}

@CommandHandler(LeaveGroup)
export class LeaveGroupHandler extends StudentChangeHandler implements ICommandHandler<LeaveGroup> {
  async execute(message: LeaveGroup): Promise<CommandAnswer> {
    const { ctx, studentId, groupId, on } = message;
    const { postCouncil } = await this.schoolFacts(ctx);
    return this.run(message, {
      type: 'LeaveGroup',
      data: { schoolId: ctx.schoolId, studentId, groupId, on, ...postCouncil },
    });
  }
}

@CommandHandler(RecordSchoolDeparture)
export class RecordSchoolDepartureHandler
  extends StudentChangeHandler
  implements ICommandHandler<RecordSchoolDeparture>
{
  async execute(message: RecordSchoolDeparture): Promise<CommandAnswer> {
    const { ctx, studentId, on } = message;
    const { postCouncil } = await this.schoolFacts(ctx);
    return this.run(message, {
      type: 'RecordSchoolDeparture',
      data: { schoolId: ctx.schoolId, studentId, on, ...postCouncil },
    });
  }
}

export const studentCommandHandlers = [
  RegisterStudentHandler,
  EnrolStudentHandler,
  MoveStudentHandler,
  JoinGroupHandler,
  LeaveGroupHandler,
  RecordSchoolDepartureHandler,
];
