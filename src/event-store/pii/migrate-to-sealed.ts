import { isDeepStrictEqual } from 'node:util';
import { EventStore, EventToAppend, RecordedEvent } from '../event-store';
import { eventIdsFor } from '../sqlite/event-id';
import { PiiProtectingStore } from './pii-protecting-store';

const BATCH = 5_000;

export interface SealedCopyReport {
  readonly events: number;
  /** Appends made: one per command of the old log. */
  readonly commands: number;
  /** Events written without a command id had random ids; their copies have new random ids. */
  readonly idsRenewed: number;
}

/** Consecutive events of one stream and one command: what one append wrote, and writes again. */
const commandGroups = (events: readonly RecordedEvent[]): RecordedEvent[][] => {
  const groups: RecordedEvent[][] = [];
  for (const event of events) {
    const last = groups.at(-1)?.at(-1);
    if (
      last !== undefined &&
      last.streamId === event.streamId &&
      last.metadata?.commandId === event.metadata?.commandId &&
      last.revision + 1 === event.revision
    )
      groups[groups.length - 1].push(event);
    else groups.push([event]);
  }
  return groups;
};

/** The command id that gives these events their ids again, if they were derived from it. */
const commandIdOf = (group: readonly RecordedEvent[]): string | undefined => {
  const commandId = group[0].metadata?.commandId;
  if (typeof commandId !== 'string') return undefined;
  const ids = eventIdsFor(commandId, group.length);
  return group.every((event, i) => event.id === ids[i]) ? commandId : undefined;
};

const describe = (event: RecordedEvent) => `${event.streamId}@${event.revision} (position ${event.position})`;

/**
 * The one-off migration of a log written before personal data was sealed: an append-only log cannot
 * be encrypted in place, so it is copied — event by event, in global order, one append per original
 * command — into a new, empty log behind the seal. Positions, revisions, types and (for events written
 * under a command id, as every command is) ids come out the same, so the read models' checkpoints stay
 * valid; the copy is then read back through the seal and compared with the original, and any
 * difference fails the migration. Request fingerprints of the old commands are not carried over: a
 * resend of an old command with another body is answered as a duplicate rather than refused.
 */
export async function copyLogSealed(
  from: EventStore,
  to: PiiProtectingStore,
  onProgress: (copied: number) => void = () => undefined,
): Promise<SealedCopyReport> {
  if ((await to.headPosition()) !== 0n) throw new Error('the target log is not empty');
  let events = 0;
  let commands = 0;
  let idsRenewed = 0;
  for (let after = 0n; ;) {
    const batch = await from.readAll({ after, limit: BATCH });
    if (batch.length === 0) break;
    for (const group of commandGroups(batch)) {
      const commandId = commandIdOf(group);
      if (commandId === undefined) idsRenewed += group.length;
      const appended: EventToAppend[] = group.map((e) => ({
        type: e.type,
        data: e.data,
        metadata: e.metadata,
      }));
      const first = group[0];
      const result = await to.appendToStream(first.streamId, appended, {
        expectedRevision: first.revision === 0 ? 'no_stream' : first.revision - 1,
        ...(commandId !== undefined && { commandId }),
      });
      if (result.deduplicated || result.position !== group[group.length - 1].position)
        throw new Error(
          `${describe(first)} was copied at position ${result.position}: the copy is not faithful`,
        );
      commands++;
    }
    events += batch.length;
    after = batch[batch.length - 1].position;
    onProgress(events);
  }
  await compareLogs(from, to);
  return { events, commands, idsRenewed };
}

const compareLogs = async (original: EventStore, copy: EventStore): Promise<void> => {
  for (let after = 0n; ;) {
    const [left, right] = await Promise.all([
      original.readAll({ after, limit: BATCH }),
      copy.readAll({ after, limit: BATCH }),
    ]);
    if (left.length !== right.length)
      throw new Error('the copy does not hold as many events as the original');
    if (left.length === 0) return;
    left.forEach((event, i) => {
      const copied = right[i];
      const same =
        copied.position === event.position &&
        copied.streamId === event.streamId &&
        copied.revision === event.revision &&
        copied.type === event.type &&
        isDeepStrictEqual({ ...copied.data }, { ...event.data }) &&
        isDeepStrictEqual({ ...copied.metadata }, { ...event.metadata });
      if (!same) throw new Error(`${describe(event)} reads differently in the copy`);
    });
    after = left[left.length - 1].position;
  }
};
