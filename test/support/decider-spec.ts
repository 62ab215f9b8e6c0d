import { Decider } from '../../src/domain/shared/decider';
import { DomainError, DomainErrorKind } from '../../src/domain/shared/domain-error';
import { DomainEvent } from '../../src/domain/shared/event';

/**
 * given(events).when(command).then(expectedEvents) / .thenThrows(code, kind?) for a pure decider.
 * Given and expected events are stated (builders with literal defaults allowed), never produced by
 * the decider under test; and an expectation states whole events, since every input is given.
 *
 *   const spec = deciderSpec(rollCallDecider);
 *   spec.given(taken({ absent: ['s1'] })).when(take({ absent: ['s1'] })).then([]);
 */
export const deciderSpec = <C, S, E extends DomainEvent>(decider: Decider<C, S, E>) => ({
  given: (...events: (E | readonly E[])[]) => {
    const history = events.flat() as E[];
    return {
      when: (command: C) => {
        const run = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState()));
        return {
          then: (expected: readonly E[]) => expect(run()).toEqual(expected),
          thenThrows: (code: string, kind?: DomainErrorKind) => {
            let caught: unknown;
            try {
              run();
            } catch (error) {
              caught = error;
            }
            expect(caught).toBeInstanceOf(DomainError);
            expect((caught as DomainError).code).toBe(code);
            if (kind !== undefined) expect((caught as DomainError).kind).toBe(kind);
          },
        };
      },
    };
  },
});
