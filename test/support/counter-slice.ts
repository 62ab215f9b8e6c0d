import { Body, Controller, Inject, Module, Param, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { Roles } from '../../src/api/auth/decorators';
import { CommandAnswer } from '../../src/api/core/command-answer';
import { ApiCommandHeaders, CommandCtx, RegistreCommand } from '../../src/api/core/command-context';
import { CommandExecutor } from '../../src/api/core/command-executor';
import { Decider } from '../../src/domain/shared/decider';
import { conflict } from '../../src/domain/shared/domain-error';
import { DomainEvent } from '../../src/domain/shared/event';
import { CommandContext } from '../../src/event-store/handle-command';

/**
 * A test-only slice with the shape every real slice copies — DTO, command, handler over the shared
 * executor, one-line controller — so that the command path can be exercised end to end.
 */
export const COUNTER_LIMIT = 1000;

type CounterIncremented = DomainEvent<'CounterIncremented', { counterId: string; by: number; total: number }>;
interface Increment {
  readonly counterId: string;
  readonly by: number;
}

export const counterDecider: Decider<Increment, { total: number }, CounterIncremented> = {
  initialState: () => ({ total: 0 }),
  evolve: (_state, event) => ({ total: event.data.total }),
  decide: (command, state) => {
    const total = state.total + command.by;
    if (total > COUNTER_LIMIT) {
      throw conflict('COUNTER.OVER_LIMIT', `counter would reach ${total}, over ${COUNTER_LIMIT}`, {
        total,
      });
    }
    return [{ type: 'CounterIncremented', data: { counterId: command.counterId, by: command.by, total } }];
  },
};

class OriginDto {
  @IsString()
  @Length(1, 20)
  readonly device!: string;
}

export class IncrementDto {
  @IsInt()
  @Min(1)
  @Max(100)
  readonly by!: number;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  readonly reason?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => OriginDto)
  readonly origin?: OriginDto;
}

export class IncrementCounter extends RegistreCommand<CommandAnswer> {
  constructor(
    ctx: CommandContext,
    readonly counterId: string,
    readonly by: number,
  ) {
    super(ctx);
  }
}

export const counterStream = (schoolId: string, counterId: string) => `counter-${schoolId}-${counterId}`;

@CommandHandler(IncrementCounter)
class IncrementCounterHandler implements ICommandHandler<IncrementCounter, CommandAnswer> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ ctx, counterId, by }: IncrementCounter): Promise<CommandAnswer> {
    return this.executor.execute(
      counterStream(ctx.schoolId, counterId),
      counterDecider,
      { counterId, by },
      ctx,
      'IncrementCounter',
    );
  }
}

export const INTERNAL_DETAIL = 'sqlite file /var/lib/secret.db is corrupt';

@Controller('schools/:schoolId/counters')
class CounterController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':counterId/increments')
  @Roles('cpe', 'principal', 'teacher', 'admin')
  @ApiCommandHeaders()
  increment(
    @Param('counterId') counterId: string,
    @Body() body: IncrementDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new IncrementCounter(ctx, counterId, body.by));
  }

  @Post(':counterId/explode')
  explode(): never {
    throw new Error(INTERNAL_DETAIL);
  }
}

@Module({ controllers: [CounterController], providers: [IncrementCounterHandler] })
export class CounterTestModule {}
