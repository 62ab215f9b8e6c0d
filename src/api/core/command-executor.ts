import { Inject, Injectable } from '@nestjs/common';
import { Decider } from '../../domain/shared/decider';
import { DomainEvent } from '../../domain/shared/event';
import { EventStore } from '../../event-store/event-store';
import { CommandContext, handleCommand } from '../../event-store/handle-command';
import type { Logger } from '../../logger';
import { CommandAnswer, toCommandAnswer } from './command-answer';
import { EVENT_STORE, LOGGER } from './tokens';

/** The one way a command handler writes: handleCommand on one stream, one log line, the HTTP answer. */
@Injectable()
export class CommandExecutor {
  private readonly log: Logger;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'commands' });
  }

  async execute<Command, State, E extends DomainEvent>(
    streamId: string,
    decider: Decider<Command, State, E>,
    command: Command,
    ctx: CommandContext,
    commandName: string,
  ): Promise<CommandAnswer> {
    const result = await handleCommand(this.store, streamId, decider, command, ctx, {
      logger: this.log,
      commandName,
    });
    return toCommandAnswer(result);
  }
}
