import fc from 'fast-check';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  IdempotencyKeyReusedError,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../../src/event-store/event-store';
import { anEvent, eventsOf, metadataFor, uniqueName } from './events';

export interface ContractSubject {
  readonly store: EventStore;
  /** Closes the store and opens it again on the same storage; the old instance is not used again. */
  readonly reopen?: () => Promise<EventStore>;
  /** A second store on the same storage, as another process would open it; cleanup closes it. */
  readonly openAnother?: () => Promise<EventStore>;
  /** Closes whichever instance is current and removes what the test created. */
  readonly cleanup: () => Promise<void>;
}

/** The error an attempt was refused with, checked to be of the class given. */
const refusedWith = async <E extends Error>(
  attempt: Promise<unknown>,
  kind: abstract new (...args: never[]) => E,
): Promise<E> => {
  const error = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(kind);
  return error as E;
};

const wrongRevision = (attempt: Promise<unknown>) => refusedWith(attempt, WrongExpectedRevisionError);
const keyReused = (attempt: Promise<unknown>) => refusedWith(attempt, IdempotencyKeyReusedError);

const waitUntil = async (condition: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const expectStrictlyIncreasing = (positions: readonly bigint[]): void => {
  for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
};

/**
 * What every EventStore adapter must do. Stream names and command ids are unique per test, and log
 * reads start after the head seen at the beginning of the test, so that a shared server works too.
 */
export function eventStoreContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(name, () => {
    let subject: ContractSubject;
    let store: EventStore;
    let start: bigint;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      start = await store.headPosition();
    });

    afterEach(() => subject.cleanup());

    const readMine = async (streams: readonly string[], from = start): Promise<RecordedEvent[]> =>
      (await store.readAll({ after: from })).filter((event) => streams.includes(event.streamId));

    describe('appending and reading', () => {
      it('reads a stream back in revision order with its data and metadata unchanged', async () => {
        const stream = uniqueName('contract-roundtrip');
        const data = {
          studentId: 'élève-42',
          nested: { list: [1, 2.5, -3], flag: true, nothing: null },
          text: 'Absence justifiée — « rendez-vous médical » 🩺',
        };
        const metadata = { ...metadataFor(), reason: 'saisie tardive' };
        await store.appendToStream(stream, [{ type: 'AbsenceRecorded', data, metadata }], {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(stream, [anEvent('AbsenceJustified'), anEvent('AbsenceVoided')]);

        const events = await store.readStream(stream);

        expect(events.map((e) => [e.streamId, e.revision, e.type])).toEqual([
          [stream, 0, 'AbsenceRecorded'],
          [stream, 1, 'AbsenceJustified'],
          [stream, 2, 'AbsenceVoided'],
        ]);
        expect(events[0].data).toEqual(data);
        expect(events[0].metadata).toEqual(metadata);
        expect(new Set(events.map((e) => e.id)).size).toBe(3);
        expectStrictlyIncreasing(events.map((e) => e.position));
      });

      it('reads every stream in the global order of the appends', async () => {
        const [a, b] = [uniqueName('contract-a'), uniqueName('contract-b')];
        await store.appendToStream(a, [anEvent('A0'), anEvent('A1')]);
        await store.appendToStream(b, [anEvent('B0')]);
        await store.appendToStream(a, [anEvent('A2')]);

        const events = await readMine([a, b]);

        expect(events.map((e) => e.type)).toEqual(['A0', 'A1', 'B0', 'A2']);
        expect(events.map((e) => e.revision)).toEqual([0, 1, 0, 2]);
        expectStrictlyIncreasing(events.map((e) => e.position));
      });

      it('reads [] for a stream that has no events', async () => {
        expect(await store.readStream(uniqueName('contract-nothing'))).toEqual([]);
      });

      it('reads part of a stream from a revision, up to a count', async () => {
        const stream = uniqueName('contract-part');
        await store.appendToStream(stream, eventsOf(uniqueName('cmd'), 5));

        const part = await store.readStream(stream, { fromRevision: 1, maxCount: 3 });

        expect(part.map((e) => e.revision)).toEqual([1, 2, 3]);
        expect(await store.readStream(stream, { fromRevision: 5 })).toEqual([]);
      });

      it('answers the position of the last event written and the next expected revision', async () => {
        const stream = uniqueName('contract-answer');
        const result = await store.appendToStream(stream, [anEvent(), anEvent()]);

        const events = await store.readStream(stream);

        expect(result).toEqual({
          streamId: stream,
          nextExpectedRevision: 1,
          position: events[1].position,
          deduplicated: false,
        });
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
      });

      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('expected revision', () => {
      const existingStream = async (events: number): Promise<string> => {
        const stream = uniqueName('contract-expected');
        if (events > 0) await store.appendToStream(stream, eventsOf(uniqueName('cmd'), events));
        return stream;
      };

      it.each<[string, number, ExpectedRevision]>([
        ['no_stream on a new stream', 0, 'no_stream'],
        ['stream_exists on a stream with events', 2, 'stream_exists'],
        ['any on a new stream', 0, 'any'],
        ['any on a stream with events', 2, 'any'],
        ['the exact last revision', 3, 2],
      ])('accepts %s', async (_case, existing, expectedRevision) => {
        const stream = await existingStream(existing);

        const result = await store.appendToStream(stream, [anEvent()], { expectedRevision });

        expect(result.nextExpectedRevision).toBe(existing);
        expect(await store.readStream(stream)).toHaveLength(existing + 1);
      });

      it.each<[string, number, ExpectedRevision, number | 'no_stream']>([
        ['no_stream on a stream with events', 2, 'no_stream', 1],
        ['stream_exists on a new stream', 0, 'stream_exists', 'no_stream'],
        ['a revision behind the stream', 3, 1, 2],
        ['a revision ahead of the stream', 1, 4, 0],
        ['a revision on a new stream', 0, 0, 'no_stream'],
      ])(
        'refuses %s, naming the actual revision, and writes nothing',
        async (_case, existing, expected, actual) => {
          const stream = await existingStream(existing);

          const error = await wrongRevision(
            store.appendToStream(stream, [anEvent()], { expectedRevision: expected }),
          );

          expect(error.code).toBe('STORE.WRONG_EXPECTED_REVISION');
          expect(error.streamId).toBe(stream);
          expect(error.expected).toBe(expected);
          expect(error.actual).toBe(actual);
          expect(await store.readStream(stream)).toHaveLength(existing);
        },
      );

      it('checks the revision of an empty append and writes nothing', async () => {
        const stream = uniqueName('contract-empty');

        const result = await store.appendToStream(stream, [], { expectedRevision: 'no_stream' });

        expect(result).toEqual({
          streamId: stream,
          nextExpectedRevision: -1,
          position: 0n,
          deduplicated: false,
        });
        await wrongRevision(store.appendToStream(stream, [], { expectedRevision: 'stream_exists' }));
        expect(await store.readStream(stream)).toEqual([]);
      });

      it("answers an empty append on a stream with events with the position of the stream's last event", async () => {
        const stream = uniqueName('contract-empty-existing');
        const written = await store.appendToStream(stream, [anEvent(), anEvent()]);
        await store.appendToStream(uniqueName('contract-elsewhere'), [anEvent()]);

        const result = await store.appendToStream(stream, [], { expectedRevision: 1 });

        expect(result).toEqual({
          streamId: stream,
          nextExpectedRevision: 1,
          position: written.position,
          deduplicated: false,
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('lets exactly one of 20 concurrent appends win each revision', async () => {
        const stream = uniqueName('contract-race');
        const rounds: ExpectedRevision[] = ['no_stream', 0, 1, 2];
        for (const [round, expectedRevision] of rounds.entries()) {
          const outcomes = await Promise.allSettled(
            Array.from({ length: 20 }, (_, racer) =>
              store.appendToStream(stream, [anEvent('Raced', { round, racer })], { expectedRevision }),
            ),
          );

          const winners = outcomes.filter((o) => o.status === 'fulfilled');
          const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
          expect(winners).toHaveLength(1);
          for (const loser of losers) {
            expect(loser.reason).toBeInstanceOf(WrongExpectedRevisionError);
            expect((loser.reason as WrongExpectedRevisionError).actual).toBe(round);
          }
        }
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      });
    });

    describe('command ids', () => {
      it('answers a resent command with its first result and appends nothing', async () => {
        const stream = uniqueName('contract-resend');
        const commandId = uniqueName('cmd');
        const first = await store.appendToStream(stream, eventsOf(commandId, 2), {
          expectedRevision: 'no_stream',
          commandId,
        });
        const head = await store.headPosition();

        // The resend carries a now stale expected revision: it is answered, not refused.
        const again = await store.appendToStream(stream, eventsOf(commandId, 2), {
          expectedRevision: 'no_stream',
          commandId,
        });

        expect(first.deduplicated).toBe(false);
        expect(again).toEqual({ ...first, deduplicated: true });
        expect(await store.readStream(stream)).toHaveLength(2);
        expect(await store.headPosition()).toBe(head);
      });

      it('refuses a command id sent again with another request, writes nothing, and still answers the first', async () => {
        const stream = uniqueName('contract-reused');
        const commandId = uniqueName('cmd');
        const first = await store.appendToStream(stream, eventsOf(commandId, 2), {
          expectedRevision: 'no_stream',
          commandId,
          requestFingerprint: 'roll-call-5A',
        });
        const head = await store.headPosition();

        const error = await keyReused(
          store.appendToStream(uniqueName('contract-reused-other'), eventsOf(commandId, 1), {
            expectedRevision: 'no_stream',
            commandId,
            requestFingerprint: 'roll-call-5B',
          }),
        );
        await keyReused(store.findCommand(commandId, 'roll-call-5B'));
        const again = await store.appendToStream(stream, eventsOf(commandId, 2), {
          expectedRevision: 'no_stream',
          commandId,
          requestFingerprint: 'roll-call-5A',
        });

        expect(error.code).toBe('IDEMPOTENCY.KEY_REUSED');
        expect(error.kind).toBe('unprocessable');
        expect(error.commandId).toBe(commandId);
        expect(again).toEqual({ ...first, deduplicated: true });
        expect(await store.findCommand(commandId, 'roll-call-5A')).toEqual({ ...first, deduplicated: true });
        expect(await store.findCommand(commandId)).toEqual({ ...first, deduplicated: true });
        expect(await store.headPosition()).toBe(head);
      });

      it('lets one of 10 concurrent sends of one command id with different requests write, and refuses the rest', async () => {
        const stream = uniqueName('contract-concurrent-reuse');
        const commandId = uniqueName('cmd');

        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, sender) =>
            store.appendToStream(stream, eventsOf(commandId, 3), {
              expectedRevision: 'no_stream',
              commandId,
              requestFingerprint: `request-${sender}`,
            }),
          ),
        );

        const written = outcomes.filter((o) => o.status === 'fulfilled');
        const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(written).toHaveLength(1);
        expect(refused).toHaveLength(9);
        for (const one of refused) expect(one.reason).toBeInstanceOf(IdempotencyKeyReusedError);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('finds a command that was appended, and only such a command', async () => {
        const stream = uniqueName('contract-find');
        const commandId = uniqueName('cmd');
        const first = await store.appendToStream(stream, eventsOf(commandId, 3), { commandId });

        expect(await store.findCommand(commandId)).toEqual({ ...first, deduplicated: true });
        expect(await store.findCommand(uniqueName('cmd-never-sent'))).toBeUndefined();
      });

      it('appends a command resent concurrently only once', async () => {
        const stream = uniqueName('contract-concurrent-resend');
        const commandId = uniqueName('cmd');

        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () =>
            store.appendToStream(stream, eventsOf(commandId, 3), {
              expectedRevision: 'no_stream',
              commandId,
            }),
          ),
        );

        const answers = outcomes.map((o) => {
          expect(o.status).toBe('fulfilled');
          return (o as PromiseFulfilledResult<AppendResult>).value;
        });
        expect(answers.filter((a) => !a.deduplicated).length).toBeLessThanOrEqual(1);
        expect(new Set(answers.map((a) => a.position)).size).toBe(1);
        expect(new Set(answers.map((a) => a.nextExpectedRevision))).toEqual(new Set([2]));
        expect(await store.readStream(stream)).toHaveLength(3);
      });
    });

    describe('global positions', () => {
      it('are strictly increasing and never reused, also after reopening', async () => {
        const stream = uniqueName('contract-positions');
        const before = await store.appendToStream(stream, [anEvent(), anEvent()]);

        if (subject.reopen) store = await subject.reopen();
        const after = await store.appendToStream(stream, [anEvent()], { expectedRevision: 1 });

        expect(after.position).toBeGreaterThan(before.position);
        const positions = (await readMine([stream])).map((e) => e.position);
        expect(positions).toHaveLength(3);
        expectStrictlyIncreasing(positions);
        expect(positions[2]).toBe(after.position);
      });

      it('pages through the log with after and limit', async () => {
        const streams = [uniqueName('contract-page-a'), uniqueName('contract-page-b')];
        for (let i = 0; i < 7; i++) await store.appendToStream(streams[i % 2], [anEvent('Paged', { i })]);
        const everything = await store.readAll({ after: start });

        const pages: RecordedEvent[][] = [];
        for (let after = start; ;) {
          const page = await store.readAll({ after, limit: 3 });
          pages.push(page);
          if (page.length < 3) break;
          after = page[page.length - 1].position;
        }

        expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
        expect(pages.flat()).toEqual(everything);
        expect(
          pages
            .flat()
            .filter((e) => streams.includes(e.streamId))
            .map((e) => e.data),
        ).toEqual(Array.from({ length: 7 }, (_, i) => ({ i })));
        expect(await store.readAll({ after: everything[everything.length - 1].position })).toEqual([]);
      });

      it('wakes subscribers after an append, and no longer those who unsubscribed', async () => {
        const seenByStaying: bigint[] = [];
        const seenByLeaving: bigint[] = [];
        store.onAppended((head) => seenByStaying.push(head));
        const unsubscribe = store.onAppended((head) => seenByLeaving.push(head));
        unsubscribe();

        const result = await store.appendToStream(uniqueName('contract-wake'), [anEvent()]);

        await waitUntil(() => seenByStaying.some((head) => head >= result.position));
        expect(seenByLeaving.filter((head) => head >= result.position)).toEqual([]);
      });

      it('wakes subscribers after an append through another store on the same storage (another process)', async () => {
        if (!subject.openAnother) return;
        const another = await subject.openAnother();
        const seen: bigint[] = [];
        store.onAppended((head) => seen.push(head));

        const result = await another.appendToStream(uniqueName('contract-other-writer'), [anEvent()]);

        await waitUntil(() => seen.some((head) => head >= result.position), 3000);
      });
    });

    it('behaves like a model of streams and commands over any sequence of appends', async () => {
      const operation = fc.record({
        stream: fc.integer({ min: 0, max: 2 }),
        expectedRevision: fc.oneof(
          fc.constantFrom<ExpectedRevision>('any', 'no_stream', 'stream_exists'),
          fc.integer({ min: 0, max: 3 }),
        ),
        count: fc.integer({ min: 0, max: 3 }),
        command: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      });

      await fc.assert(
        fc.asyncProperty(fc.array(operation, { maxLength: 12 }), async (operations) => {
          const run = uniqueName('model');
          const streamName = (n: number) => `${run}-stream-${n}`;
          const commandName = (n: number) => `${run}-command-${n}`;
          const revisions = new Map<number, number>();
          const lastPositions = new Map<number, bigint>();
          const answers = new Map<number, AppendResult>();
          let lastPosition = 0n;

          for (const op of operations) {
            const commandId = op.command === undefined ? undefined : commandName(op.command);
            const attempt = store.appendToStream(
              streamName(op.stream),
              eventsOf(commandId ?? run, op.count),
              {
                expectedRevision: op.expectedRevision,
                commandId,
              },
            );
            const firstAnswer = op.command === undefined ? undefined : answers.get(op.command);
            const current = revisions.get(op.stream);
            const actual = current === undefined ? 'no_stream' : current;
            const matches =
              op.expectedRevision === 'any' ||
              (op.expectedRevision === 'no_stream' && actual === 'no_stream') ||
              (op.expectedRevision === 'stream_exists' && actual !== 'no_stream') ||
              op.expectedRevision === actual;

            if (firstAnswer) {
              expect(await attempt).toEqual({ ...firstAnswer, deduplicated: true });
            } else if (!matches) {
              expect((await wrongRevision(attempt)).actual).toBe(actual);
            } else {
              const result = await attempt;
              const next = (current ?? -1) + op.count;
              expect(result.nextExpectedRevision).toBe(next);
              expect(result.deduplicated).toBe(false);
              if (op.count > 0) {
                expect(result.position).toBeGreaterThan(lastPosition);
                lastPosition = result.position;
                lastPositions.set(op.stream, result.position);
                revisions.set(op.stream, next);
                if (op.command !== undefined) answers.set(op.command, result);
              } else {
                expect(result.position).toBe(lastPositions.get(op.stream) ?? 0n);
              }
            }
          }
          for (const n of [0, 1, 2]) {
            expect(await store.readStream(streamName(n))).toHaveLength((revisions.get(n) ?? -1) + 1);
          }
        }),
        { numRuns: 25 },
      );
    });
  });
}
