import { RecordedEvent } from '../event-store/event-store';
import { ALL_EVENT_TYPES, Projection } from './projection';

/** Picks, from a batch in global order, the events a projection has not seen yet and reads. */
export type EventsToApply = (batch: readonly RecordedEvent[], checkpoint: bigint) => readonly RecordedEvent[];

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

export const eventsToApplyFor = (projection: Pick<Projection, 'handles'>): EventsToApply => {
  if (projection.handles.includes(ALL_EVENT_TYPES)) {
    return (batch, checkpoint) => {
      const start = firstAfter(batch, checkpoint);
      return start === 0 ? batch : batch.slice(start);
    };
  }
  const handled = new Set(projection.handles);
  return (batch, checkpoint) => {
    const selected: RecordedEvent[] = [];
    for (let i = firstAfter(batch, checkpoint); i < batch.length; i++) {
      if (handled.has(batch[i].type)) selected.push(batch[i]);
    }
    return selected;
  };
};
