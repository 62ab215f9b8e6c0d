import { DomainError } from '../shared/domain-error';
import { DomainEvent } from '../shared/event';

/**
 * Decides a list of changes to one stream as one command: each on the state the previous ones
 * leave, all of them or none. A refusal names the change it came from.
 */
export const decideSeveral = <C extends { readonly type: string }, S, E extends DomainEvent>(
  changes: readonly C[],
  state: S,
  decideOne: (change: C, state: S) => E[],
  evolve: (state: S, event: E) => S,
): E[] => {
  const events: E[] = [];
  let current = state;
  changes.forEach((change, index) => {
    try {
      const decided = decideOne(change, current);
      events.push(...decided);
      current = decided.reduce(evolve, current);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new DomainError(
        error.code,
        `change ${index + 1} (${change.type}): ${error.message}`,
        { ...error.details, change: index },
        error.kind,
      );
    }
  });
  return events;
};
