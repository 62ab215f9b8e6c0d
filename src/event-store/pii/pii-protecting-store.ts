import { EventMetadata } from '../../domain/shared/event';
import { isSealable, PiiPath, piiFieldsOf, pseudonymFor } from '../../domain/privacy/pii-fields';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ReadAllOptions,
  readSelected,
  ReadStreamOptions,
  RecordedEvent,
  StreamSelection,
} from '../event-store';
import type { VerificationRecord } from '../verify';
import { ENVELOPE_FIELD, isEnvelope, openValues, sealValues } from './envelope';
import { KeyStore } from './key-store';

type Body = Record<string, unknown>;

const valueAt = (event: { data: object; metadata: EventMetadata }, path: PiiPath): unknown =>
  path === 'metadata.reason' ? event.metadata.reason : (event.data as Body)[path.slice(5)];

/**
 * The paths worth sealing: a non-empty value that is not already the pseudonym (an erased student's
 * events, copied by a migration, read as pseudonyms and need no key).
 */
const sealablePaths = (event: EventToAppend): PiiPath[] => {
  const fields = piiFieldsOf(event.type);
  if (fields === undefined) return [];
  const studentId = (event.data as Body).studentId;
  const schoolId = event.metadata?.schoolId;
  return (Object.keys(fields) as PiiPath[]).filter((path) => {
    const value = valueAt(event, path);
    return (
      isSealable(value) &&
      (typeof studentId !== 'string' ||
        value !== pseudonymFor(fields[path] ?? 'text', schoolId ?? '', studentId))
    );
  });
};

const ownerOf = (event: { type: string; data: object; metadata: EventMetadata }): [string, string] => {
  const studentId = (event.data as Body).studentId;
  const schoolId = event.metadata?.schoolId;
  if (typeof studentId !== 'string' || typeof schoolId !== 'string')
    throw new Error(`${event.type} names no student or school: its personal data cannot be sealed`);
  return [schoolId, studentId];
};

/** The event with `values` put back at `paths` (and the envelope gone). */
const withValues = <E extends { data: object; metadata: EventMetadata }>(
  event: E,
  paths: readonly PiiPath[],
  values: readonly (string | null)[],
): E => {
  const data: Body = { ...(event.data as Body) };
  delete data[ENVELOPE_FIELD];
  let metadata = event.metadata;
  paths.forEach((path, i) => {
    if (path === 'metadata.reason') metadata = { ...metadata, reason: values[i] as string };
    else data[path.slice(5)] = values[i];
  });
  return { ...event, data, metadata };
};

/**
 * A sealed event whose student has neither a key nor an erasure in the keys file: the file is not the
 * one this log was written with (REGISTRE_KEYS_PATH) or was restored from a backup older than the
 * event. Refused loudly rather than shown as an erasure that never happened.
 */
export class MissingStudentKeyError extends Error {
  constructor(
    readonly schoolId: string,
    readonly studentId: string,
    readonly position: bigint,
  ) {
    super(
      `the keys file has no key for student ${studentId} of ${schoolId} (event at position ${position}): check REGISTRE_KEYS_PATH, or restore a keys backup at least as recent as the log`,
    );
    this.name = 'MissingStudentKeyError';
  }
}

const sealEvent = (
  event: EventToAppend,
  paths: readonly PiiPath[],
  key: Buffer,
  [schoolId, studentId]: readonly [string, string],
): EventToAppend => {
  const values = paths.map((path) => valueAt(event, path) as string);
  const envelope = sealValues(key, event.type, schoolId, studentId, paths, values);
  const data: Body = { ...(event.data as Body) };
  let metadata = event.metadata;
  for (const path of paths) {
    if (path === 'metadata.reason') {
      const { reason: _sealed, ...rest } = metadata;
      metadata = rest;
    } else data[path.slice(5)] = null;
  }
  data[ENVELOPE_FIELD] = envelope;
  return { type: event.type, data, metadata };
};

/**
 * Wraps any event store so that a student's personal data (src/domain/privacy/pii-fields.ts) is
 * written sealed with that student's key and read back as written — or, once the key is erased, as
 * a pseudonym of the same shape, so that every projection still applies every event and every count
 * stays what it was. Ids, positions, revisions, command ids and request fingerprints pass untouched;
 * events with nothing personal pass as they are.
 *
 * Events written before this store existed carry their data in clear: they are read as they are
 * until the student is erased, and pseudonymised from then on (their bytes stay in the file until
 * the log is migrated: see README, "Personal data").
 */
export class PiiProtectingStore implements EventStore {
  constructor(
    readonly inner: EventStore,
    readonly keys: KeyStore,
  ) {}

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    // Without a key to create, the append goes on in this same step, as it would without the seal.
    let sealed: readonly EventToAppend[] | Promise<readonly EventToAppend[]>;
    try {
      sealed = this.seal(events);
    } catch (error) {
      return Promise.reject(error);
    }
    return sealed instanceof Promise
      ? sealed.then((ready) => this.inner.appendToStream(streamId, ready, options))
      : this.inner.appendToStream(streamId, sealed, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readStream(streamId, options));
  }

  /**
   * Read with their metadata whatever the reader asked: opening a sealed event takes its school from
   * its metadata, and sealed events (appreciations, reasons) can be half of a batch.
   */
  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readAll(options && { after: options.after, limit: options.limit }));
  }

  /** The hash chain covers the sealed bytes: its last verification is the inner store's. */
  async lastVerification(): Promise<VerificationRecord | undefined> {
    return this.inner.lastVerification?.();
  }

  async readSelected(selection: StreamSelection, upTo: bigint): Promise<RecordedEvent[]> {
    return this.openAll(await readSelected(this.inner, selection, upTo));
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  findCommand(commandId: string, requestFingerprint?: string): Promise<AppendResult | undefined> {
    return this.inner.findCommand(commandId, requestFingerprint);
  }

  onAppended(listener: (head: bigint) => void): () => void {
    return this.inner.onAppended(listener);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  async close(): Promise<void> {
    try {
      await this.inner.close();
    } finally {
      this.keys.close();
    }
  }

  /** The events as stored: personal data sealed, with the owners' keys (created on first need). */
  private seal(
    events: readonly EventToAppend[],
  ): readonly EventToAppend[] | Promise<readonly EventToAppend[]> {
    const plans = events.map((event) => ({ event, paths: sealablePaths(event) }));
    const toSeal = plans.filter((plan) => plan.paths.length > 0);
    if (toSeal.length === 0) return events;
    const owners = toSeal.map(({ event }) => ownerOf(event));
    const known = owners.every(([school, student]) => this.keys.lookup(school, student) !== undefined);
    const sealWith = (keys: readonly Buffer[]): EventToAppend[] => {
      let next = 0;
      return plans.map(({ event, paths }) => {
        if (paths.length === 0) return event;
        const index = next++;
        return sealEvent(event, paths, keys[index], owners[index]);
      });
    };
    return known ? sealWith(this.keys.keysFor(owners)) : this.keys.keysForSoon(owners).then(sealWith);
  }

  private openAll(events: readonly RecordedEvent[]): RecordedEvent[] {
    return events.map((event) => (piiFieldsOf(event.type) === undefined ? event : this.open(event)));
  }

  private open(event: RecordedEvent): RecordedEvent {
    const envelope = event.data[ENVELOPE_FIELD];
    if (!isEnvelope(envelope)) return this.openLegacy(event);
    const schoolId = event.metadata.schoolId;
    const key = this.keys.lookup(schoolId, envelope.k);
    if (key instanceof Buffer)
      return withValues(event, envelope.f, openValues(key, event.type, schoolId, envelope));
    if (key === undefined) throw new MissingStudentKeyError(schoolId, envelope.k, event.position);
    const fields = piiFieldsOf(event.type) ?? {};
    return withValues(
      event,
      envelope.f,
      envelope.f.map((path) => pseudonymFor(fields[path] ?? 'text', schoolId, envelope.k)),
    );
  }

  /** An event written in clear before sealing existed: as it is, unless its student was erased since. */
  private openLegacy(event: RecordedEvent): RecordedEvent {
    const studentId = event.data.studentId;
    const schoolId = event.metadata?.schoolId;
    if (typeof studentId !== 'string' || typeof schoolId !== 'string') return event;
    if (this.keys.lookup(schoolId, studentId) !== 'erased') return event;
    const fields = piiFieldsOf(event.type) ?? {};
    const paths = (Object.keys(fields) as PiiPath[]).filter((path) => isSealable(valueAt(event, path)));
    return withValues(
      event,
      paths,
      paths.map((path) => pseudonymFor(fields[path] ?? 'text', schoolId, studentId)),
    );
  }
}
