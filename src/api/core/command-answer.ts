import { ApiProperty } from '@nestjs/swagger';
import { CommandResult } from '../../event-store/handle-command';

/** What every command route answers: where the write landed, for read-your-writes (`?minPosition=`). */
export class CommandAnswer {
  @ApiProperty({
    description: 'Global position of the write; pass it as ?minPosition= to read it back',
    example: '42',
  })
  readonly position!: string;

  @ApiProperty({ description: 'Revision of the stream after the command (-1: still empty)', example: 3 })
  readonly revision!: number;

  @ApiProperty({
    description: 'True when this command id was seen before: the first answer, nothing appended',
  })
  readonly deduplicated!: boolean;

  @ApiProperty({ description: 'Types of the events appended', type: [String], example: ['RollCallTaken'] })
  readonly events!: readonly string[];
}

export const toCommandAnswer = (result: CommandResult): CommandAnswer => ({
  position: result.position.toString(),
  revision: result.revision,
  deduplicated: result.deduplicated,
  events: result.events.map((event) => event.type),
});
