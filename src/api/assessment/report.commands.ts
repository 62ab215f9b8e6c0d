import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  AssessmentPeriod,
  Level,
  ReportCommand,
  reportDecider,
  reportStreamId,
} from '../../domain/assessment';
import { CommandContext } from '../../event-store/handle-command';
import { LiveProjections } from '../../projections/live-projections';
import { AuthenticatedUser } from '../auth/user';
import { RegistreCommand } from '../core/command-context';
import { CommandExecutor } from '../core/command-executor';
import { Reads } from '../core/reads';
import { PROJECTION_RUNNER } from '../core/tokens';
import { AssessmentInputs, scopeOf } from './assessment-inputs';
import { assessmentAnswer } from './assessment.commands';
import { periodRowsTables, resultsOf } from './assessment-views';
import { AssessmentAnswer } from './assessment.dto';

export type ReportTarget = {
  readonly classId: string;
  readonly subjectId: string;
  readonly periodId: string;
  readonly studentId: string;
};

export type ReportChange =
  | { readonly type: 'SetPositioning'; readonly positioning: Level | null; readonly reason?: string }
  | { readonly type: 'WriteAppreciation'; readonly text: string; readonly reason?: string };

/** The teacher's final positioning of a student in a subject and period, or their appreciation. */
export class ChangeReportCommand extends RegistreCommand<AssessmentAnswer> {
  constructor(
    ctx: CommandContext,
    readonly user: AuthenticatedUser,
    readonly target: ReportTarget,
    readonly change: ReportChange,
  ) {
    super(ctx);
  }
}

@CommandHandler(ChangeReportCommand)
export class ChangeReportHandler implements ICommandHandler<ChangeReportCommand, AssessmentAnswer> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(AssessmentInputs) private readonly inputs: AssessmentInputs,
    @Inject(Reads) private readonly reads: Reads,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
  ) {}

  async execute({ ctx, user, target, change }: ChangeReportCommand): Promise<AssessmentAnswer> {
    const { classId, subjectId, periodId, studentId } = target;
    const streamId = reportStreamId(ctx.schoolId, classId, subjectId, periodId);
    const place = this.inputs.place(ctx.schoolId, classId, 'class');
    const period = this.inputs.period(place, periodId);
    const suggested =
      change.type === 'SetPositioning' ? await this.suggestion(ctx.schoolId, target, period) : null;
    const attempt = () => {
      const sender = {
        classId,
        subjectId,
        periodId,
        studentId,
        actor: ctx.actor,
        ...scopeOf(user),
        ...(change.reason !== undefined ? { reason: change.reason } : {}),
        context: {
          students: this.inputs.studentsDuring(ctx.schoolId, classId, period),
          periodClosed: this.inputs.closedPeriods(ctx.schoolId, place).has(periodId),
        },
      };
      const command: ReportCommand =
        change.type === 'SetPositioning'
          ? { type: 'SetPositioning', ...sender, positioning: change.positioning, suggested }
          : { type: 'WriteAppreciation', ...sender, text: change.text };
      return this.executor.execute(streamId, reportDecider, command, ctx, command.type);
    };
    return assessmentAnswer(streamId, await this.inputs.school.withFreshInputs(attempt));
  }

  /** The suggestion the teacher had before them, kept beside the final positioning. */
  private async suggestion(
    schoolId: string,
    target: ReportTarget,
    period: AssessmentPeriod,
  ): Promise<Level | null> {
    const rows = await this.reads.run(
      'readPeriodRows',
      () => periodRowsTables(this.runner),
      schoolId,
      { kind: 'student', studentId: target.studentId },
      period,
      target.subjectId,
    );
    const result = resultsOf(rows, period, this.inputs.periodSettings(schoolId, target.classId, period));
    return (
      result.get(target.studentId)?.subjects.find((s) => s.subjectId === target.subjectId)?.positioning
        .suggested.level ?? null
    );
  }
}
