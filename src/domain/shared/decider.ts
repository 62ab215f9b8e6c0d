import { DomainEvent } from './event';

/**
 * The pure core of one stream: fold its events into a state, decide what a command adds.
 * `decide` returns [] when the command changes nothing (a resend), and throws a DomainError when a
 * rule is broken.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decide: (command: Command, state: State) => readonly Event[];
}

export const fold = <State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState());
