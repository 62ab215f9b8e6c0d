import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CouncilCommand, councilDecider, CouncilSnapshot, councilStreamId } from '../../domain/council';
import { todayInParis } from '../../domain/shared/clock';
import { CommandContext } from '../../event-store/handle-command';
import { CommandAnswer } from '../core/command-answer';
import { RegistreCommand } from '../core/command-context';
import { CommandExecutor } from '../core/command-executor';
import { AssessmentInputs } from '../assessment/assessment-inputs';
import { CouncilViews } from './council-views';
import { CouncilAnswer } from './council.dto';

export const councilAnswer = (streamId: string, answer: CommandAnswer): CouncilAnswer => ({
  ...answer,
  streamId,
  unchanged: !answer.deduplicated && answer.events.length === 0,
});

export type CouncilTarget = { readonly classId: string; readonly periodId: string };

/** What a council command says; the handler adds who sends it and what the school knows. */
export type CouncilChange =
  | { readonly type: 'ScheduleCouncil'; readonly date: string }
  | { readonly type: 'WriteStudentSynthesis'; readonly studentId: string; readonly text: string }
  | { readonly type: 'AwardMention'; readonly studentId: string; readonly mention: string | null }
  | { readonly type: 'WriteClassAppreciation'; readonly text: string }
  | { readonly type: 'HoldCouncil'; readonly heldOn?: string }
  | { readonly type: 'ReopenCouncil'; readonly reason: string };

/** The principal's decisions on a class council: its date, syntheses, mentions, appreciation, hold, reopening. */
export class ChangeCouncilCommand extends RegistreCommand<CouncilAnswer> {
  constructor(
    ctx: CommandContext,
    readonly target: CouncilTarget,
    readonly change: CouncilChange,
  ) {
    super(ctx);
  }
}

@CommandHandler(ChangeCouncilCommand)
export class ChangeCouncilHandler implements ICommandHandler<ChangeCouncilCommand, CouncilAnswer> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AssessmentInputs) private readonly inputs: AssessmentInputs,
    @Inject(CouncilViews) private readonly views: CouncilViews,
  ) {}

  async execute({ ctx, target, change }: ChangeCouncilCommand): Promise<CouncilAnswer> {
    const { classId, periodId } = target;
    const streamId = councilStreamId(ctx.schoolId, classId, periodId);
    // 404 for an unknown class or period before anything is read.
    this.views.councilPlace(ctx.schoolId, classId, periodId);
    // What the council saw, read off the command thread before deciding: the hold keeps it.
    const snapshot: CouncilSnapshot | null =
      change.type === 'HoldCouncil' && ctx.actor.role === 'principal'
        ? await this.views.snapshot(ctx.schoolId, classId, periodId)
        : null;
    const attempt = () => {
      const { period } = this.views.councilPlace(ctx.schoolId, classId, periodId);
      const students = this.inputs.enrolledOn(ctx.schoolId, 'class', classId, period.end);
      const councilMentions = this.inputs.school.settingsOn(ctx.schoolId, period.end).councilMentions;
      const context = {
        students,
        period: { start: period.start, end: period.end },
        today: todayInParis(ctx.now),
        councilMentions,
      };
      const on = { classId, periodId, actor: ctx.actor };
      const command: CouncilCommand = ((): CouncilCommand => {
        switch (change.type) {
          case 'ScheduleCouncil':
            return { type: change.type, ...on, date: change.date, context };
          case 'WriteStudentSynthesis':
            return { type: change.type, ...on, studentId: change.studentId, text: change.text, context };
          case 'AwardMention':
            return {
              type: change.type,
              ...on,
              studentId: change.studentId,
              mention: change.mention,
              context,
            };
          case 'WriteClassAppreciation':
            return { type: change.type, ...on, text: change.text };
          case 'HoldCouncil':
            return {
              type: change.type,
              ...on,
              ...(change.heldOn !== undefined ? { heldOn: change.heldOn } : {}),
              snapshot: snapshot ?? {},
              context,
            };
          case 'ReopenCouncil':
            return { type: change.type, ...on, reason: change.reason };
        }
      })();
      return this.executor.execute(streamId, councilDecider, command, ctx, command.type);
    };
    return councilAnswer(streamId, await this.inputs.school.withFreshInputs(attempt));
  }
}
