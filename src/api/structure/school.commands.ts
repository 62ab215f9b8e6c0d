import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  schoolDecider,
  SchoolCommand,
  schoolStreamId,
  SingleSchoolCommand,
} from '../../domain/structure/school';
import { CommandContext } from '../../event-store/handle-command';
import { CommandAnswer } from '../core/command-answer';
import { RegistreCommand } from '../core/command-context';
import { CommandExecutor } from '../core/command-executor';

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
