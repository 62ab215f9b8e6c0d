import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  Assessment,
  AssessmentCommand,
  assessmentDecider,
  AssessmentEvent,
  assessmentStreamId,
  CompetencyItem,
  GradeValue,
  LevelValue,
  StudentGrade,
  StudentLevel,
} from '../../domain/assessment';
import { isIsoDate } from '../../domain/shared/calendar';
import { Decider } from '../../domain/shared/decider';
import { CommandContext } from '../../event-store/handle-command';
import { AuthenticatedUser } from '../auth/user';
import { CommandAnswer } from '../core/command-answer';
import { RegistreCommand } from '../core/command-context';
import { CommandExecutor } from '../core/command-executor';
import { classOrGroupOf } from '../attendance/roll-call.commands';
import { AssessmentInputs, scopeOf } from './assessment-inputs';
import { AssessmentAnswer, CreateAssessmentDto } from './assessment.dto';

export const assessmentAnswer = (streamId: string, answer: CommandAnswer): AssessmentAnswer => ({
  ...answer,
  streamId,
  unchanged: !answer.deduplicated && answer.events.length === 0,
});

export type CreateAssessmentRequest = {
  readonly assessmentId: string;
  readonly kind: 'class' | 'group';
  readonly classOrGroupId: string;
  readonly subjectId: string;
  readonly date: string;
  readonly title: string;
  readonly outOf?: number;
  readonly coefficient?: number;
  readonly formative?: boolean;
  readonly teacherId?: string;
  readonly competencyItemIds: readonly string[];
};

export const createAssessmentRequestOf = (body: CreateAssessmentDto): CreateAssessmentRequest => {
  const { kind, classOrGroupId } = classOrGroupOf(body);
  return {
    assessmentId: body.assessmentId,
    kind,
    classOrGroupId,
    subjectId: body.subjectId,
    date: body.date,
    title: body.title,
    ...(body.outOf !== undefined ? { outOf: body.outOf } : {}),
    ...(body.coefficient !== undefined ? { coefficient: body.coefficient } : {}),
    ...(body.formative !== undefined ? { formative: body.formative } : {}),
    ...(body.teacherId !== undefined ? { teacherId: body.teacherId } : {}),
    competencyItemIds: body.competencyItemIds ?? [],
  };
};

/** A teacher creates an assessment for one of their classes or groups and subjects; the principal for any. */
export class CreateAssessmentCommand extends RegistreCommand<AssessmentAnswer> {
  constructor(
    ctx: CommandContext,
    readonly user: AuthenticatedUser,
    readonly request: CreateAssessmentRequest,
  ) {
    super(ctx);
  }
}

@CommandHandler(CreateAssessmentCommand)
export class CreateAssessmentHandler implements ICommandHandler<CreateAssessmentCommand, AssessmentAnswer> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AssessmentInputs) private readonly inputs: AssessmentInputs,
  ) {}

  async execute({ ctx, user, request }: CreateAssessmentCommand): Promise<AssessmentAnswer> {
    const streamId = assessmentStreamId(ctx.schoolId, request.assessmentId);
    const attempt = () => {
      const place = this.inputs.place(ctx.schoolId, request.classOrGroupId, request.kind);
      const command: AssessmentCommand = {
        type: 'CreateAssessment',
        assessmentId: request.assessmentId,
        classOrGroupId: request.classOrGroupId,
        groupKind: request.kind,
        subjectId: request.subjectId,
        date: request.date,
        title: request.title,
        ...(request.outOf !== undefined ? { outOf: request.outOf } : {}),
        ...(request.coefficient !== undefined ? { coefficient: request.coefficient } : {}),
        ...(request.formative !== undefined ? { formative: request.formative } : {}),
        ...(request.teacherId !== undefined ? { teacherId: request.teacherId } : {}),
        competencyItems: this.inputs.competencyItems(
          ctx.schoolId,
          request.subjectId,
          request.competencyItemIds,
        ),
        actor: ctx.actor,
        ...scopeOf(user),
        context: { periods: place.periods, closedPeriods: this.inputs.closedPeriods(ctx.schoolId, place) },
      };
      return this.executor.execute(streamId, assessmentDecider, command, ctx, command.type);
    };
    return assessmentAnswer(streamId, await this.inputs.school.withFreshInputs(attempt));
  }
}

/** What a command on an existing assessment says; the handler adds who sends it and what the school knows. */
export type AssessmentChange =
  | { readonly type: 'RecordGrades'; readonly grades: readonly StudentGrade[] }
  | {
      readonly type: 'CorrectGrade';
      readonly studentId: string;
      readonly value: GradeValue | null;
      readonly reason: string;
    }
  | { readonly type: 'RecordLevels'; readonly levels: readonly StudentLevel[] }
  | {
      readonly type: 'CorrectLevel';
      readonly studentId: string;
      readonly itemId: string;
      readonly value: LevelValue | null;
      readonly reason: string;
    }
  | {
      readonly type: 'ChangeAssessment';
      readonly date?: string;
      readonly title?: string;
      readonly outOf?: number;
      readonly coefficient?: number;
      readonly formative?: boolean;
      readonly reason?: string;
    }
  | { readonly type: 'CancelAssessment'; readonly reason?: string };

/** Grades and levels recorded or corrected, terms changed, the assessment cancelled. */
export class ChangeAssessmentCommand extends RegistreCommand<AssessmentAnswer> {
  constructor(
    ctx: CommandContext,
    readonly user: AuthenticatedUser,
    readonly assessmentId: string,
    readonly change: AssessmentChange,
  ) {
    super(ctx);
  }
}

@CommandHandler(ChangeAssessmentCommand)
export class ChangeAssessmentHandler implements ICommandHandler<ChangeAssessmentCommand, AssessmentAnswer> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AssessmentInputs) private readonly inputs: AssessmentInputs,
  ) {}

  async execute({ ctx, user, assessmentId, change }: ChangeAssessmentCommand): Promise<AssessmentAnswer> {
    const streamId = assessmentStreamId(ctx.schoolId, assessmentId);
    // Who is enrolled, and which periods apply, depend on the assessment's class and date: the
    // decision's inputs are read once its events are folded, then the pure decision runs on them.
    const decider: Decider<AssessmentChange, Assessment, AssessmentEvent> = {
      ...assessmentDecider,
      decide: (sent, state) =>
        assessmentDecider.decide(this.commandFor(ctx, user, assessmentId, sent, state), state),
    };
    const answer = await this.inputs.school.withFreshInputs(() =>
      this.executor.execute(streamId, decider, change, ctx, change.type),
    );
    return assessmentAnswer(streamId, answer);
  }

  private commandFor(
    ctx: CommandContext,
    user: AuthenticatedUser,
    assessmentId: string,
    change: AssessmentChange,
    state: Assessment,
  ): AssessmentCommand {
    const sender = { assessmentId, actor: ctx.actor, ...scopeOf(user) };
    if (state.status === 'none')
      // Refused by the decision as unknown: nothing to read.
      return change.type === 'ChangeAssessment'
        ? { ...change, ...sender, context: { periods: [] } }
        : change.type === 'CancelAssessment'
          ? { ...change, ...sender }
          : { ...change, ...sender, context: { enrolled: new Set<string>() } };
    const { keys, terms } = state;
    const place = this.inputs.place(ctx.schoolId, keys.classOrGroupId, keys.groupKind);
    const closedPeriods = this.inputs.closedPeriods(ctx.schoolId, place);
    const periodClosed = closedPeriods.has(terms.periodId);
    switch (change.type) {
      case 'RecordGrades':
      case 'CorrectGrade':
      case 'RecordLevels':
      case 'CorrectLevel':
        return {
          ...change,
          ...sender,
          context: {
            enrolled: this.inputs.enrolledOn(ctx.schoolId, keys.groupKind, keys.classOrGroupId, terms.date),
            periodClosed,
          },
        };
      case 'ChangeAssessment':
        return {
          ...change,
          ...sender,
          context: {
            periods: place.periods,
            closedPeriods,
            ...(change.date !== undefined && change.date !== terms.date && isIsoDate(change.date)
              ? {
                  enrolledOnNewDate: this.inputs.enrolledOn(
                    ctx.schoolId,
                    keys.groupKind,
                    keys.classOrGroupId,
                    change.date,
                  ),
                }
              : {}),
          },
        };
      case 'CancelAssessment':
        return { ...change, ...sender, context: { periodClosed } };
      default: {
        const unexpected: never = change;
        return unexpected;
      }
    }
  }
}

export const assessmentCommandHandlers = [CreateAssessmentHandler, ChangeAssessmentHandler];
export type { CompetencyItem };
