import { DomainEvent } from '../domain/shared/event';
import { RecordedEvent } from '../event-store/event-store';
import { ALL_EVENT_TYPES, Projection, Recorded } from './projection';

/** Picks, from a batch in global order, the events a projection has not seen yet and reads. */
export type EventsToApply<E extends DomainEvent = DomainEvent> = (
  batch: readonly RecordedEvent[],
  checkpoint: bigint,
) => readonly Recorded<E>[];

const firstAfter = (batch: readonly RecordedEvent[], checkpoint: bigint): number => {
  let low = 0;
  let high = batch.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (batch[middle].position <= checkpoint) low = middle + 1;
    else high = middle;
  }
  return low;
};

/**
 * The one place where events of the log become the projection's own union: an event whose type is
 * listed in `handles` is taken to carry that type's data (the log holds only what deciders emitted).
 */
export const eventsToApplyFor = <E extends DomainEvent>(
  projection: Pick<Projection<string, E>, 'handles'>,
): EventsToApply<E> => {
  const handled = new Set<string>(projection.handles);
  if (handled.has(ALL_EVENT_TYPES)) {
    // Only a projection over every event (`E` is `DomainEvent`) lists `ALL_EVENT_TYPES`.
    const allHandled = (_events: readonly RecordedEvent[]): _events is readonly Recorded<E>[] => true;
    return (batch, checkpoint) => {
      const start = firstAfter(batch, checkpoint);
      const events = start === 0 ? batch : batch.slice(start);
      return allHandled(events) ? events : [];
    };
  }
  const isHandled = (event: RecordedEvent): event is Recorded<E> => handled.has(event.type);
  return (batch, checkpoint) => {
    const selected: Recorded<E>[] = [];
    for (let i = firstAfter(batch, checkpoint); i < batch.length; i++) {
      const event = batch[i];
      if (isHandled(event)) selected.push(event);
    }
    return selected;
  };
};
