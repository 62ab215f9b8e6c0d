import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import {
  AttendanceContext,
  ClosedSpan,
  ExemptionOutcome,
  GroupKind,
  JustificationContext,
  ReasonDefinition,
  RecordCollectiveExemption,
  SlotBound,
  StudentAttendance,
  StudentAttendanceCommand,
  StudentAttendanceEvent,
  attendanceStreamId,
  collectiveExemptionOutcome,
  studentAttendanceDecider,
} from '../../domain/attendance';
import { fold } from '../../domain/shared/decider';
import { Actor } from '../../domain/shared/event';
import { EventStore } from '../../event-store/event-store';
import { CommandContext } from '../../event-store/handle-command';
import { EnrolmentHistory } from '../../projections/structure';
import { CommandAnswer } from '../core/command-answer';
import { RegistreCommand } from '../core/command-context';
import { CommandExecutor } from '../core/command-executor';
import { EVENT_STORE } from '../core/tokens';
import { ApiError } from '../errors/api-error';
import { todayInParis } from '../../domain/shared/clock';
import { AttendanceInputs, classOn, reasonsOf } from './attendance-inputs';
import {
  AcceptJustificationDto,
  CollectiveExemptionAnswer,
  FactAnswer,
  InfirmaryVisitDto,
  JustificationAnswer,
  LeftOutOfExemptionAnswer,
  ReceiveJustificationDto,
  RecordDepartureDto,
  RejectJustificationDto,
  ReportAbsenceDto,
  SlotBoundDto,
  StudentExemptionAnswer,
  VoidFactDto,
} from './student-attendance.dto';
import { IsoDate } from '../../domain/shared/calendar';

/**
 * The id of a new fact: the client's, or one derived from the command id, so that a resend under the
 * same Idempotency-Key answers with the same id.
 */
export const idFor = (prefix: string, ctx: CommandContext, given?: string): string =>
  given ?? `${prefix}-${createHash('sha256').update(ctx.commandId).digest('hex').slice(0, 16)}`;

/** What a decision about one student may need, read when the command is handled. */
export type StudentInputs = {
  readonly studentId: string;
  readonly actor: Actor;
  readonly today: IsoDate;
  /** The student's class on a date, from the enrolments. */
  classOn(date: IsoDate): string | undefined;
  attendance(date: IsoDate): AttendanceContext;
  justification(date: IsoDate): JustificationContext;
  reasons(): ReasonDefinition[];
  /** The days of the closed periods of the student's classes (see `closedSpansOfStudent`). */
  closedPeriods(): readonly ClosedSpan[];
};

/** A command on one `attendance-{uai}-{studentId}` stream, carrying the route's request as it came. */
abstract class StudentAttendanceChange<A extends CommandAnswer, R = undefined> extends RegistreCommand<A> {
  constructor(
    ctx: CommandContext,
    readonly studentId: string,
    readonly request: R,
  ) {
    super(ctx);
  }
}

/** A fact already recorded (`factId`) or a justification already received (`justificationId`). */
abstract class OnRecorded<A extends CommandAnswer, R = undefined> extends StudentAttendanceChange<A, R> {
  constructor(
    ctx: CommandContext,
    studentId: string,
    readonly id: string,
    request: R,
  ) {
    super(ctx, studentId, request);
  }
}

export class ReportAbsence extends StudentAttendanceChange<FactAnswer, ReportAbsenceDto> {}
export class RecordEarlyDeparture extends StudentAttendanceChange<FactAnswer, RecordDepartureDto> {}
export class RecordInfirmaryVisit extends StudentAttendanceChange<FactAnswer, InfirmaryVisitDto> {}
export class VoidAttendanceFact extends OnRecorded<FactAnswer, VoidFactDto> {}
export class ReceiveJustification extends StudentAttendanceChange<
  JustificationAnswer,
  ReceiveJustificationDto
> {}
export class AcceptJustification extends OnRecorded<JustificationAnswer, AcceptJustificationDto> {}
export class RejectJustification extends OnRecorded<JustificationAnswer, RejectJustificationDto> {}
export class RegulariseJustification extends OnRecorded<JustificationAnswer> {
  constructor(ctx: CommandContext, studentId: string, justificationId: string) {
    super(ctx, studentId, justificationId, undefined);
  }
}

export const boundOf = (bound: SlotBoundDto): SlotBound =>
  bound.slot === undefined ? { date: bound.date } : { date: bound.date, slotCode: bound.slot };

const knownReason = (inputs: StudentInputs, code: string | undefined): string | undefined => {
  if (code !== undefined && !inputs.reasons().some((r) => r.code === code))
    throw new ApiError(400, 'ATTENDANCE.REASON_UNKNOWN', `reason ${code} is not in the school's list`, {
      field: 'reasonCode',
      reasonCode: code,
      knownReasons: inputs.reasons().map((r) => r.code),
    });
  return code;
};

/** The id that joins the answer: the new fact's or justification's, or the one acted on. */
type IdsOf<A extends CommandAnswer> = Omit<A, keyof CommandAnswer>;
type FactIds = IdsOf<FactAnswer>;
type JustificationIds = IdsOf<JustificationAnswer>;

/**
 * What every student attendance handler does: the student must be known; the decider's inputs are read
 * fresh, the command is run on the student's stream under the message's class name, and the id joins
 * the answer. Each handler says which id, and which command the decider gets.
 */
abstract class StudentAttendanceHandler<
  M extends StudentAttendanceChange<A, unknown>,
  A extends CommandAnswer,
> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AttendanceInputs) private readonly inputs: AttendanceInputs,
  ) {}

  protected abstract ids(message: M): IdsOf<A>;
  protected abstract decision(message: M, ids: IdsOf<A>, inputs: StudentInputs): StudentAttendanceCommand;

  async execute(message: M): Promise<A> {
    const { ctx, studentId } = message;
    const ids = this.ids(message);
    const answer = await this.inputs.withFreshInputs(async () => {
      const history = this.inputs.requireStudent(ctx.schoolId, studentId);
      const command = this.decision(message, ids, this.studentInputs(ctx, history));
      const streamId = attendanceStreamId(ctx.schoolId, studentId);
      return this.executor.execute(
        streamId,
        studentAttendanceDecider,
        command,
        ctx,
        message.constructor.name,
      );
    });
    return { ...answer, ...ids } as A;
  }

  private studentInputs(ctx: CommandContext, history: EnrolmentHistory): StudentInputs {
    const { schoolId, now } = ctx;
    return {
      studentId: history.studentId,
      actor: ctx.actor,
      today: todayInParis(now),
      classOn: (date) => classOn(history, date),
      attendance: (date) => this.inputs.attendanceContext(schoolId, date, now),
      justification: (date) => this.inputs.justificationContext(schoolId, date, now),
      reasons: () => reasonsOf(this.inputs.settingsOn(schoolId, todayInParis(now))),
      closedPeriods: () => this.inputs.closedSpansOfStudent(schoolId, history),
    };
  }
}

@CommandHandler(ReportAbsence)
export class ReportAbsenceHandler extends StudentAttendanceHandler<ReportAbsence, FactAnswer> {
  protected ids({ ctx, request }: ReportAbsence): FactIds {
    return { factId: idFor('abs', ctx, request.factId) };
  }

  protected decision(
    { studentId, request: body }: ReportAbsence,
    { factId }: FactIds,
    inputs: StudentInputs,
  ): StudentAttendanceCommand {
    return {
      type: 'ReportAbsence',
      studentId,
      actor: inputs.actor,
      factId,
      from: boundOf(body.from),
      to: boundOf(body.to),
      classId: body.classId ?? inputs.classOn(body.from.date),
      reasonCode: knownReason(inputs, body.reasonCode),
      note: body.note,
      reason: body.reason,
      context: { ...inputs.attendance(body.from.date), closedPeriods: inputs.closedPeriods() },
    };
  }
}

@CommandHandler(RecordEarlyDeparture)
export class RecordEarlyDepartureHandler extends StudentAttendanceHandler<RecordEarlyDeparture, FactAnswer> {
  protected ids({ ctx, request }: RecordEarlyDeparture): FactIds {
    return { factId: idFor('dep', ctx, request.factId) };
  }

  protected decision(
    { studentId, request: body }: RecordEarlyDeparture,
    { factId }: FactIds,
    inputs: StudentInputs,
  ): StudentAttendanceCommand {
    return {
      type: 'RecordEarlyDeparture',
      studentId,
      actor: inputs.actor,
      factId,
      date: body.date,
      at: body.at,
      classId: body.classId ?? inputs.classOn(body.date),
      authorisedBy: body.authorisedBy,
      note: body.note,
      reason: body.reason,
      context: { ...inputs.attendance(body.date), closedPeriods: inputs.closedPeriods() },
    };
  }
}

@CommandHandler(RecordInfirmaryVisit)
export class RecordInfirmaryVisitHandler extends StudentAttendanceHandler<RecordInfirmaryVisit, FactAnswer> {
  protected ids({ ctx, request }: RecordInfirmaryVisit): FactIds {
    return { factId: idFor('inf', ctx, request.factId) };
  }

  protected decision(
    { studentId, request: body }: RecordInfirmaryVisit,
    { factId }: FactIds,
    inputs: StudentInputs,
  ): StudentAttendanceCommand {
    return {
      type: 'RecordInfirmaryVisit',
      studentId,
      actor: inputs.actor,
      factId,
      date: body.date,
      from: body.from,
      to: body.to,
      classId: body.classId ?? inputs.classOn(body.date),
      note: body.note,
      context: inputs.attendance(body.date),
    };
  }
}

@CommandHandler(VoidAttendanceFact)
export class VoidAttendanceFactHandler extends StudentAttendanceHandler<VoidAttendanceFact, FactAnswer> {
  protected ids({ id }: VoidAttendanceFact): FactIds {
    return { factId: id };
  }

  protected decision(
    { studentId, request }: VoidAttendanceFact,
    { factId }: FactIds,
    inputs: StudentInputs,
  ): StudentAttendanceCommand {
    return {
      type: 'VoidAttendanceFact',
      studentId,
      actor: inputs.actor,
      factId,
      reason: request.reason,
      context: { closedPeriods: inputs.closedPeriods() },
    };
  }
}

@CommandHandler(ReceiveJustification)
export class ReceiveJustificationHandler extends StudentAttendanceHandler<
  ReceiveJustification,
  JustificationAnswer
> {
  protected ids({ ctx, request }: ReceiveJustification): JustificationIds {
    return { justificationId: idFor('just', ctx, request.justificationId) };
  }

  protected decision(
    { studentId, request: body }: ReceiveJustification,
    { justificationId }: JustificationIds,
    inputs: StudentInputs,
  ): StudentAttendanceCommand {
    return {
      type: 'ReceiveJustification',
      studentId,
      actor: inputs.actor,
      justificationId,
      from: { date: body.from.date, halfDay: body.from.halfDay },
      to: { date: body.to.date, halfDay: body.to.halfDay },
      reasonCode: body.reasonCode,
      source: body.source,
      receivedOn: body.receivedOn ?? inputs.today,
      note: body.note,
      context: inputs.justification(body.from.date),
    };
  }
}

@CommandHandler(AcceptJustification)
export class AcceptJustificationHandler extends StudentAttendanceHandler<
  AcceptJustification,
  JustificationAnswer
> {
  protected ids({ id }: AcceptJustification): JustificationIds {
    return { justificationId: id };
  }

  protected decision(
    { studentId, request: body }: AcceptJustification,
    { justificationId }: JustificationIds,
    inputs: StudentInputs,
  ): StudentAttendanceCommand {
    return {
      type: 'AcceptJustification',
      studentId,
      actor: inputs.actor,
      justificationId,
      reasonCode: body.reasonCode,
      reason: body.reason,
      context: { reasons: inputs.reasons(), closedPeriods: inputs.closedPeriods() },
    };
  }
}

@CommandHandler(RejectJustification)
export class RejectJustificationHandler extends StudentAttendanceHandler<
  RejectJustification,
  JustificationAnswer
> {
  protected ids({ id }: RejectJustification): JustificationIds {
    return { justificationId: id };
  }

  protected decision(
    { studentId, request: body }: RejectJustification,
    { justificationId }: JustificationIds,
    inputs: StudentInputs,
  ): StudentAttendanceCommand {
    return {
      type: 'RejectJustification',
      studentId,
      actor: inputs.actor,
      justificationId,
      note: body.note,
      reason: body.reason,
      context: { closedPeriods: inputs.closedPeriods() },
    };
  }
}

@CommandHandler(RegulariseJustification)
export class RegulariseJustificationHandler extends StudentAttendanceHandler<
  RegulariseJustification,
  JustificationAnswer
> {
  protected ids({ id }: RegulariseJustification): JustificationIds {
    return { justificationId: id };
  }

  protected decision(
    { studentId }: RegulariseJustification,
    { justificationId }: JustificationIds,
    inputs: StudentInputs,
  ): StudentAttendanceCommand {
    return { type: 'RegulariseJustification', studentId, actor: inputs.actor, justificationId };
  }
}

export const studentAttendanceHandlers = [
  ReportAbsenceHandler,
  RecordEarlyDepartureHandler,
  RecordInfirmaryVisitHandler,
  VoidAttendanceFactHandler,
  ReceiveJustificationHandler,
  AcceptJustificationHandler,
  RejectJustificationHandler,
  RegulariseJustificationHandler,
];

export type CollectiveExemptionRequest = {
  readonly kind: GroupKind;
  readonly classOrGroupId: string;
  readonly exemptionId: string;
  readonly label: string;
  readonly from: SlotBound;
  readonly to: SlotBound;
  /** Students of the class or group who did not go. */
  readonly notParticipating: readonly string[];
  readonly note?: string;
};

/**
 * A school outing: one exemption per student of the class or group on its first day who went on it,
 * each on the student's own stream (one command writes one stream), all under one correlation id.
 * Individual facts stay as they are; the outing only adds "under the school's responsibility". The
 * students who did not go, and those already reported absent for the whole outing, are left out and
 * the answer says so.
 */
export class RecordCollectiveExemptionCommand extends RegistreCommand<CollectiveExemptionAnswer> {
  constructor(
    ctx: CommandContext,
    readonly request: CollectiveExemptionRequest,
  ) {
    super(ctx);
  }
}

type OutingParts = Pick<CollectiveExemptionAnswer, 'students' | 'leftOut'>;

@CommandHandler(RecordCollectiveExemptionCommand)
export class RecordCollectiveExemptionHandler implements ICommandHandler<
  RecordCollectiveExemptionCommand,
  CollectiveExemptionAnswer
> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AttendanceInputs) private readonly inputs: AttendanceInputs,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ ctx, request }: RecordCollectiveExemptionCommand): Promise<CollectiveExemptionAnswer> {
    const correlationId = ctx.correlationId ?? request.exemptionId;
    const { students, leftOut } = await this.inputs.withFreshInputs(async () =>
      this.recordAll(ctx, request, correlationId),
    );
    const position = students.reduce((max, s) => (BigInt(s.position) > max ? BigInt(s.position) : max), 0n);
    return {
      exemptionId: request.exemptionId,
      correlationId,
      position: position.toString(),
      students,
      leftOut,
    };
  }

  private async recordAll(
    ctx: CommandContext,
    request: CollectiveExemptionRequest,
    correlationId: string,
  ): Promise<OutingParts> {
    const { schoolId } = ctx;
    const { kind, classOrGroupId, from } = request;
    this.inputs.requireClassOrGroup(schoolId, classOrGroupId, kind);
    const studentIds = this.inputs.studentsOn(schoolId, kind, classOrGroupId, from.date);
    if (studentIds.length === 0)
      throw new ApiError(
        409,
        'ATTENDANCE.NOBODY_ENROLLED',
        `nobody is enrolled in ${classOrGroupId} on ${from.date}`,
        { field: 'from.date', classOrGroupId, date: from.date },
      );
    checkNotParticipating(request, studentIds);
    const context = this.inputs.attendanceContext(schoolId, from.date, ctx.now);
    const notGoing = new Set(request.notParticipating);
    const commands = studentIds.map((studentId): RecordCollectiveExemption => ({
      type: 'RecordCollectiveExemption',
      studentId,
      actor: ctx.actor,
      factId: `${request.exemptionId}-${studentId}`,
      exemptionId: request.exemptionId,
      classOrGroupId,
      label: request.label,
      from: request.from,
      to: request.to,
      participating: !notGoing.has(studentId),
      context,
      ...(request.note !== undefined ? { note: request.note } : {}),
    }));
    // Every student's part is settled before anything is written, so that a refusal (a student
    // listed as not going whom an earlier send covers) writes nothing.
    const outcomes: ExemptionOutcome[] = [];
    for (const command of commands)
      outcomes.push(
        collectiveExemptionOutcome(command, await this.attendanceOf(schoolId, command.studentId)),
      );
    const parts: { students: StudentExemptionAnswer[]; leftOut: LeftOutOfExemptionAnswer[] } = {
      students: [],
      leftOut: [],
    };
    // One after the other: a resend under the same Idempotency-Key skips the students already
    // written (their command ids derive from it).
    for (const [i, command] of commands.entries()) {
      const outcome = outcomes[i];
      const { studentId, factId } = command;
      if (outcome.status !== 'covered') {
        const absencesReported = outcome.status === 'absence_reported' ? outcome.absencesReported : [];
        parts.leftOut.push({ studentId, reason: outcome.status, absencesReported });
        continue;
      }
      const studentCtx: CommandContext = {
        commandId: `${ctx.commandId}:${studentId}`,
        ...(ctx.idempotency !== undefined ? { idempotency: ctx.idempotency } : {}),
        correlationId,
        causationId: ctx.commandId,
        actor: ctx.actor,
        schoolId,
        now: ctx.now,
        ...(ctx.reason !== undefined ? { reason: ctx.reason } : {}),
      };
      const answer = await this.executor.execute(
        attendanceStreamId(schoolId, studentId),
        studentAttendanceDecider,
        command,
        studentCtx,
        command.type,
      );
      parts.students.push({ ...answer, studentId, factId, absencesReported: outcome.absencesReported });
    }
    return parts;
  }

  private async attendanceOf(schoolId: string, studentId: string): Promise<StudentAttendance> {
    const recorded = await this.store.readStream(attendanceStreamId(schoolId, studentId));
    return fold(studentAttendanceDecider, recorded as unknown as StudentAttendanceEvent[]);
  }
}

/** Each student listed as not going must be one of the class or group on the outing's first day. */
const checkNotParticipating = (request: CollectiveExemptionRequest, enrolled: readonly string[]) => {
  const members = new Set(enrolled);
  const strangers = request.notParticipating.filter((id) => !members.has(id));
  if (strangers.length > 0)
    throw new ApiError(
      409,
      'ATTENDANCE.STUDENT_NOT_ENROLLED',
      `not enrolled in ${request.classOrGroupId} on ${request.from.date}: ${strangers.join(', ')}`,
      {
        field: `notParticipating[${request.notParticipating.indexOf(strangers[0])}]`,
        studentIds: strangers,
        classOrGroupId: request.classOrGroupId,
        date: request.from.date,
      },
    );
};
