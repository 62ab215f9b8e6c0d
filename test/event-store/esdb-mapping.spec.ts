import { ANY, NO_STREAM, STREAM_EXISTS, WrongExpectedVersionError } from '@eventstore/db-client';
import fc from 'fast-check';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { EventMetadata } from '../../src/domain/shared/event';
import {
  EventToAppend,
  IdempotencyKeyReusedError,
  WrongExpectedRevisionError,
} from '../../src/event-store/event-store';
import { EsdbEventStore } from '../../src/event-store/esdb';
import {
  COMMAND_INDEX_PREFIX,
  ClientResolvedEvent,
  commandAnswerEventId,
  commandIndexStream,
  eventIdFor,
  fromClientCurrentRevision,
  fromCommandAnswer,
  isRegistreEvent,
  REQUEST_FINGERPRINT_KEY,
  registreStreamId,
  requireSameRequest,
  serverStreamName,
  toClientExpectedRevision,
  toCommandAnswer,
  toEventData,
  toRecordedEvent,
  toStoreError,
} from '../../src/event-store/esdb/mapping';

const metadata: EventMetadata = {
  commandId: 'cmd-1',
  correlationId: 'cmd-1',
  causationId: 'cmd-1',
  actor: { id: 'cpe-1', role: 'cpe' },
  schoolId: '0750001A',
  recordedAt: '2025-09-01T07:55:00.000Z',
  schemaVersion: 1,
};

/** What the client hands back for an event it read; overrides shape the odd cases. */
const resolvedEvent = (
  overrides: Partial<NonNullable<ClientResolvedEvent['event']>> = {},
  commitPosition?: bigint,
): ClientResolvedEvent => ({
  event: {
    streamId: 'rollcall-0750001A-5B-2025-09-01-M1',
    id: '5f0c3d0e-8a4e-4b7e-9d55-2a1f8f6d1c01',
    revision: 3n,
    type: 'RollCallTaken',
    isJson: true,
    data: { absent: ['s1'] },
    metadata,
    position: { commit: 4242n, prepare: 4242n },
    ...overrides,
  },
  ...(commitPosition !== undefined ? { commitPosition } : {}),
});

describe('expected revisions sent to EventStoreDB', () => {
  it('maps the named expectations to the client constants', () => {
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision('any')).toBe(ANY);
  });

  it('sends a revision as the same bigint', () =>
    fc.assert(
      fc.property(fc.nat(), (revision) => {
        expect(toClientExpectedRevision(revision)).toBe(BigInt(revision));
      }),
    ));

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2])(
    'refuses %p, which is no revision',
    (revision) => {
      expect(() => toClientExpectedRevision(revision)).toThrow(RangeError);
    },
  );

  it('reads the current revision back as a number, or no_stream', () => {
    expect(fromClientCurrentRevision(NO_STREAM)).toBe('no_stream');
    expect(fromClientCurrentRevision(7n)).toBe(7);
  });
});

describe('errors from EventStoreDB', () => {
  it('turns a wrong expected version into our conflict, with the revision the server reported', () => {
    const clientError = new WrongExpectedVersionError(undefined, {
      streamName: 'ns:student-0750001A-s1',
      expected: 2n,
      current: 5n,
    });
    const error = toStoreError(clientError, 'student-0750001A-s1', 2);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({
      code: 'STORE.WRONG_EXPECTED_REVISION',
      kind: 'conflict',
      streamId: 'student-0750001A-s1',
      expected: 2,
      actual: 5,
    });
  });

  it('reports no_stream when the server says the stream does not exist', () => {
    const clientError = new WrongExpectedVersionError(undefined, {
      streamName: 'school-0750001A',
      expected: 'stream_exists',
      current: 'no_stream',
    });
    expect(toStoreError(clientError, 'school-0750001A', 'stream_exists')).toMatchObject({
      expected: 'stream_exists',
      actual: 'no_stream',
    });
  });

  it('leaves any other error as it is', () => {
    const other = new Error('UNAVAILABLE');
    expect(toStoreError(other, 'school-0750001A', 'any')).toBe(other);
  });
});

describe('event ids derived from the command id', () => {
  it('are the same uuid v5 each time a command is sent', () =>
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat({ max: 1000 }), (commandId, index) => {
        const id = eventIdFor(commandId, index);
        expect(eventIdFor(commandId, index)).toBe(id);
        expect(isUuid(id)).toBe(true);
        expect(uuidVersion(id)).toBe(5);
      }),
    ));

  it('differ for each event of one command', () =>
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 2, max: 50 }), (commandId, count) => {
        const ids = Array.from({ length: count }, (_, index) => eventIdFor(commandId, index));
        expect(new Set(ids).size).toBe(count);
      }),
    ));

  it('differ between two commands', () =>
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (first, second) => {
        fc.pre(first !== second);
        expect(eventIdFor(first, 0)).not.toBe(eventIdFor(second, 0));
      }),
    ));

  it('are random when no command id is given', () => {
    expect(eventIdFor(undefined, 0)).not.toBe(eventIdFor(undefined, 0));
  });

  it('are what the event sent to the server carries, with its JSON content', () => {
    const event: EventToAppend = { type: 'RollCallTaken', data: { absent: ['s1'] }, metadata };
    expect(toEventData(event, eventIdFor('cmd-1', 0))).toEqual({
      id: eventIdFor('cmd-1', 0),
      contentType: 'application/json',
      type: 'RollCallTaken',
      data: { absent: ['s1'] },
      metadata,
    });
  });
});

describe('the command index', () => {
  it('gives each command one stream of its own inside the namespace', () =>
    fc.assert(
      fc.property(fc.string(), fc.uuid(), fc.uuid(), (namespace, first, second) => {
        fc.pre(first !== second);
        const stream = commandIndexStream(namespace, first);
        expect(stream).toBe(commandIndexStream(namespace, first));
        expect(stream.startsWith(`${namespace}${COMMAND_INDEX_PREFIX}`)).toBe(true);
        expect(stream).not.toBe(commandIndexStream(namespace, second));
      }),
    ));

  it("keeps the answer's id apart from the command's event ids", () => {
    expect(commandAnswerEventId('cmd-1')).toBe(commandAnswerEventId('cmd-1'));
    expect(commandAnswerEventId('cmd-1')).not.toBe(eventIdFor('cmd-1', 0));
  });

  it('stores an answer that reads back as the first result, deduplicated', () =>
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 1 }),
        fc.integer({ min: -1, max: 1_000_000 }),
        fc.bigInt({ min: 0n, max: 2n ** 63n }),
        (commandId, streamId, nextExpectedRevision, position) => {
          const stored = JSON.parse(
            JSON.stringify(
              toCommandAnswer(commandId, { streamId, nextExpectedRevision, position, deduplicated: false }),
            ),
          ) as unknown;
          expect(fromCommandAnswer(stored)).toEqual({
            streamId,
            nextExpectedRevision,
            position,
            deduplicated: true,
          });
        },
      ),
    ));

  it.each([
    null,
    'x',
    { streamId: 's', nextExpectedRevision: 0, position: '-1' },
    { streamId: 's', position: '1' },
  ])('refuses a malformed answer %p', (data) => {
    expect(() => fromCommandAnswer(data)).toThrow(/malformed command answer/);
  });
});

describe('request fingerprints', () => {
  const event: EventToAppend = { type: 'RollCallTaken', data: { absent: ['s1'] }, metadata };

  it('ride in the metadata sent to the server, and are taken off the events read back', () => {
    const sent = toEventData(event, eventIdFor('cmd-1', 0), 'fingerprint-5A');
    expect(sent.metadata).toEqual({ ...metadata, [REQUEST_FINGERPRINT_KEY]: 'fingerprint-5A' });
    expect(toRecordedEvent(resolvedEvent({ metadata: sent.metadata }), '')?.metadata).toEqual(metadata);
  });

  it("are stored with the command's answer", () => {
    const answer = toCommandAnswer(
      'cmd-1',
      { streamId: 's', nextExpectedRevision: 0, position: 7n, deduplicated: false },
      'fingerprint-5A',
    );
    expect(answer).toEqual({
      commandId: 'cmd-1',
      streamId: 's',
      nextExpectedRevision: 0,
      position: '7',
      [REQUEST_FINGERPRINT_KEY]: 'fingerprint-5A',
    });
    expect(() => requireSameRequest('cmd-1', answer, 'fingerprint-5A')).not.toThrow();
    expect(() => requireSameRequest('cmd-1', answer, undefined)).not.toThrow();
    expect(() => requireSameRequest('cmd-1', answer, 'fingerprint-5B')).toThrow(IdempotencyKeyReusedError);
  });

  it('match anything when the first send stored none (answers written before fingerprints)', () => {
    const before = toCommandAnswer('cmd-1', {
      streamId: 's',
      nextExpectedRevision: 0,
      position: 7n,
      deduplicated: false,
    });
    expect(() => requireSameRequest('cmd-1', before, 'fingerprint-5B')).not.toThrow();
    expect(() => requireSameRequest('cmd-1', metadata, 'fingerprint-5B')).not.toThrow();
  });
});

describe('stream names and namespaces', () => {
  it('round-trips a stream id through its server name', () =>
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (namespace, streamId) => {
        fc.pre(!namespace.startsWith('$') && !streamId.startsWith(COMMAND_INDEX_PREFIX));
        fc.pre(!(namespace === '' && streamId.startsWith('$')));
        expect(registreStreamId(namespace, serverStreamName(namespace, streamId))).toBe(streamId);
      }),
    ));

  it('does not claim system streams, other namespaces or the command index', () => {
    expect(registreStreamId('', '$stats-127.0.0.1:2113')).toBeUndefined();
    expect(registreStreamId('lyon:', 'paris:school-0750001A')).toBeUndefined();
    expect(registreStreamId('lyon:', commandIndexStream('lyon:', 'cmd-1'))).toBeUndefined();
    expect(registreStreamId('', commandIndexStream('', 'cmd-1'))).toBeUndefined();
  });

  it('refuses a namespace that would make system streams', () => {
    expect(() =>
      EsdbEventStore.connect({ url: 'esdb://127.0.0.1:2113?tls=false', namespace: '$ce-' }),
    ).toThrow(RangeError);
  });
});

describe('events read from EventStoreDB', () => {
  it('become our recorded events, with the $all commit position and a number revision', () => {
    expect(toRecordedEvent(resolvedEvent(), '')).toEqual({
      id: '5f0c3d0e-8a4e-4b7e-9d55-2a1f8f6d1c01',
      streamId: 'rollcall-0750001A-5B-2025-09-01-M1',
      revision: 3,
      position: 4242n,
      type: 'RollCallTaken',
      data: { absent: ['s1'] },
      metadata,
    });
  });

  it('lose the namespace from their stream id', () => {
    const event = toRecordedEvent(resolvedEvent({ streamId: 'lyon:school-0690001A' }), 'lyon:');
    expect(event?.streamId).toBe('school-0690001A');
  });

  it("take the resolved event's commit position when the record has none", () => {
    expect(toRecordedEvent(resolvedEvent({ position: undefined }, 99n), '')?.position).toBe(99n);
  });

  it.each([
    ['a system event', resolvedEvent({ type: '$metadata' })],
    ['a link', resolvedEvent({ type: '$>' })],
    ['a system stream', resolvedEvent({ streamId: '$stats-127.0.0.1:2113' })],
    [
      'a command answer',
      resolvedEvent({ streamId: commandIndexStream('', 'cmd-1'), type: 'CommandAnswered' }),
    ],
    ['a resolved link whose target is gone', { commitPosition: 12n }],
  ])('skip %s', (_, resolved: ClientResolvedEvent) => {
    expect(isRegistreEvent(resolved, '')).toBe(false);
    expect(toRecordedEvent(resolved, '')).toBeUndefined();
  });

  it('skip events of another namespace', () => {
    expect(toRecordedEvent(resolvedEvent({ streamId: 'paris:school-0750001A' }), 'lyon:')).toBeUndefined();
  });

  it('fail loudly without a position rather than invent one', () => {
    expect(() => toRecordedEvent(resolvedEvent({ position: undefined }), '')).toThrow(/without its position/);
  });

  it.each([
    ['binary data', resolvedEvent({ isJson: false, data: new Uint8Array([1, 2]) })],
    ['no metadata', resolvedEvent({ metadata: undefined })],
    ['an array as data', resolvedEvent({ data: [1, 2] })],
  ])('fail loudly on an event with %s in our streams', (_, resolved: ClientResolvedEvent) => {
    expect(() => toRecordedEvent(resolved, '')).toThrow(/is not a Registre event/);
  });
});

describe('EsdbEventStore with no server listening', () => {
  const unreachable = 'esdb://127.0.0.1:1?tls=false';

  it('fails ping, reads and appends instead of answering', async () => {
    const store = EsdbEventStore.connect({ url: unreachable });
    await expect(store.ping()).rejects.toThrow();
    await expect(store.readStream('school-0750001A')).rejects.toThrow();
    await expect(store.findCommand('cmd-1')).rejects.toThrow();
    const event: EventToAppend = { type: 'SchoolOpened', data: {}, metadata };
    await expect(store.appendToStream('school-0750001A', [event])).rejects.toThrow();
    await store.close();
  });

  it('closes twice, with a listener still subscribed, without throwing', async () => {
    const store = EsdbEventStore.connect({ url: unreachable });
    const heads: bigint[] = [];
    store.onAppended((head) => heads.push(head));
    await store.close();
    await store.close();
    expect(heads).toEqual([]);
  });
});
