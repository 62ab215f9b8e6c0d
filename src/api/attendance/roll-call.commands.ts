import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  GroupKind,
  Lateness,
  RollCallCommand,
  RollCallContext,
  TakeRollCall,
  rollCallDecider,
  rollCallStreamId,
} from '../../domain/attendance';
import { CommandContext } from '../../event-store/handle-command';
import { AuthenticatedUser } from '../auth/user';
import { CommandAnswer } from '../core/command-answer';
import { RegistreCommand } from '../core/command-context';
import { CommandExecutor } from '../core/command-executor';
import { validationError } from '../errors/api-error';
import { todayInParis } from '../../domain/shared/clock';
import { AttendanceInputs, timetableOf } from './attendance-inputs';
import { RollCallAnswer, TakeRollCallDto } from './roll-call.dto';
import { IsoDate } from '../../domain/shared/calendar';

export type Lesson = {
  readonly classOrGroupId: string;
  readonly date: IsoDate;
  readonly slotCode: string;
};

export type RollCallRequest = Lesson & {
  readonly kind: GroupKind;
  readonly absent: readonly string[];
  readonly late: readonly Lateness[];
  readonly reason?: string;
};

/** A class or a group, never both: the roll call's register comes from exactly one of them. */
export const classOrGroupOf = (body: {
  classId?: string;
  groupId?: string;
}): { kind: GroupKind; classOrGroupId: string } => {
  if (body.classId !== undefined && body.groupId === undefined)
    return { kind: 'class', classOrGroupId: body.classId };
  if (body.groupId !== undefined && body.classId === undefined)
    return { kind: 'group', classOrGroupId: body.groupId };
  throw validationError([
    {
      field: body.classId === undefined ? 'classId' : 'groupId',
      rule: 'exactlyOne',
      message: 'give exactly one of classId and groupId',
    },
  ]);
};

export const rollCallRequestOf = (body: TakeRollCallDto): RollCallRequest => ({
  ...classOrGroupOf(body),
  date: body.date,
  slotCode: body.slot,
  absent: body.absent,
  late: (body.late ?? []).map(({ studentId, minutes }) => ({ studentId, minutes })),
  ...(body.reason !== undefined ? { reason: body.reason } : {}),
});

/** The token lists a teacher's classes and groups: the decision checks the sender against them. */
const taughtBy = (user: AuthenticatedUser): { actorTeaches?: readonly string[] } =>
  user.role === 'teacher' ? { actorTeaches: user.classes } : {};

const streamOf = (schoolId: string, lesson: Lesson) =>
  rollCallStreamId(schoolId, lesson.classOrGroupId, lesson.date, lesson.slotCode);

const rollCallAnswer = (rollCallId: string, answer: CommandAnswer): RollCallAnswer => ({
  ...answer,
  rollCallId,
  unchanged: !answer.deduplicated && answer.events.length === 0,
});

/** Take a roll call, or amend it when the lesson was already called: the decision tells which. */
export class TakeRollCallCommand extends RegistreCommand<RollCallAnswer> {
  constructor(
    ctx: CommandContext,
    readonly user: AuthenticatedUser,
    readonly request: RollCallRequest,
  ) {
    super(ctx);
  }
}

@CommandHandler(TakeRollCallCommand)
export class TakeRollCallHandler implements ICommandHandler<TakeRollCallCommand, RollCallAnswer> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AttendanceInputs) private readonly inputs: AttendanceInputs,
  ) {}

  async execute({ ctx, user, request }: TakeRollCallCommand): Promise<RollCallAnswer> {
    const streamId = streamOf(ctx.schoolId, request);
    const attempt = async () => {
      const command: TakeRollCall = {
        type: 'TakeRollCall',
        classOrGroupId: request.classOrGroupId,
        groupKind: request.kind,
        date: request.date,
        slotCode: request.slotCode,
        absent: request.absent,
        late: request.late,
        actor: ctx.actor,
        ...taughtBy(user),
        context: this.contextFor(ctx, request),
        ...(request.reason !== undefined ? { reason: request.reason } : {}),
      };
      return this.executor.execute(streamId, rollCallDecider, command, ctx, command.type);
    };
    const answer = await this.inputs.withFreshInputs(attempt);
    return rollCallAnswer(streamId, answer);
  }

  private contextFor(ctx: CommandContext, request: RollCallRequest): RollCallContext {
    const { schoolId } = ctx;
    this.inputs.requireClassOrGroup(schoolId, request.classOrGroupId, request.kind);
    const settings = this.inputs.settingsOn(schoolId, request.date);
    return {
      ...timetableOf(settings),
      calendar: this.inputs.calendarOf(schoolId),
      enrolled: this.inputs.enrolledOn(schoolId, request.kind, request.classOrGroupId, request.date),
      schoolYear: this.inputs.schoolYearFor(schoolId, request.date),
      today: todayInParis(ctx.now),
      maxDaysAhead: settings.rollCallDaysAhead,
      lateAsAbsenceAfterMinutes: settings.lateArrivalAbsenceMinutes,
      closedPeriods: this.inputs.closedSpansOf(schoolId, request.kind, request.classOrGroupId),
    };
  }
}

export type RollCallCorrection =
  | { readonly type: 'VoidRollCall'; readonly reason: string }
  | { readonly type: 'RevertRollCall'; readonly reason: string; readonly toVersion?: number };

/** Void a roll call taken by mistake, or restore an earlier version of its list. */
export class CorrectRollCallCommand extends RegistreCommand<RollCallAnswer> {
  constructor(
    ctx: CommandContext,
    readonly user: AuthenticatedUser,
    readonly lesson: Lesson,
    readonly correction: RollCallCorrection,
  ) {
    super(ctx);
  }
}

@CommandHandler(CorrectRollCallCommand)
export class CorrectRollCallHandler implements ICommandHandler<CorrectRollCallCommand, RollCallAnswer> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AttendanceInputs) private readonly inputs: AttendanceInputs,
  ) {}

  async execute({ ctx, user, lesson, correction }: CorrectRollCallCommand): Promise<RollCallAnswer> {
    const streamId = streamOf(ctx.schoolId, lesson);
    // The lesson's class or group as the structure knows it: one it no longer has closes nothing.
    const kind = this.inputs.kindOf(ctx.schoolId, lesson.classOrGroupId);
    const closedPeriods =
      kind === undefined ? [] : this.inputs.closedSpansOf(ctx.schoolId, kind, lesson.classOrGroupId);
    const sender = {
      classOrGroupId: lesson.classOrGroupId,
      actor: ctx.actor,
      ...taughtBy(user),
      context: { closedPeriods },
    };
    const command: RollCallCommand =
      correction.type === 'VoidRollCall'
        ? { type: 'VoidRollCall', ...sender, reason: correction.reason }
        : {
            type: 'RevertRollCall',
            ...sender,
            reason: correction.reason,
            ...(correction.toVersion !== undefined ? { toVersion: correction.toVersion } : {}),
          };
    const answer = await this.executor.execute(streamId, rollCallDecider, command, ctx, command.type);
    return rollCallAnswer(streamId, answer);
  }
}
