import type { Response } from 'supertest';
import { EVENT_STORE, PROJECTION_RUNNER } from '../../src/api/core/tokens';
import { Actor } from '../../src/domain/shared/event';
import { EventStore, RecordedEvent } from '../../src/event-store/event-store';
import { LiveProjections } from '../../src/projections/live-projections';
import { REGISTRE_PROJECTIONS } from '../../src/projections/registre-projections';
import { SCHOOL, startTestApp, TEST_NOW, TestApp, TestAppOptions } from './http';

/**
 * API specs written as given → when → then, each test on a store of its own:
 *
 *   const spec = apiSpec();
 *   it('…', () =>
 *     spec
 *       .given(schoolStreams(), [{ stream: rollCallStreamId(…), events: [rollCallTaken(…)] }])
 *       .when((http) => http.post(path).set('Authorization', token).send(body))
 *       .then({ status: 200, body: { events: ['RollCallAmended'] }, newEvents: [{ stream, events }] }));
 *
 * `given` writes the events straight into the app's store (no request, no decider) and waits for the
 * projections to include them; `then` sends the request and compares the answer and the events it
 * appended. Every test starts a fresh app on a fresh SQLite file, so no test sees another's events.
 */

/** An event as a decider writes it: what `given` appends and what `then` compares. */
export interface SpecEvent {
  readonly type: string;
  readonly data: object;
}

/** Events of one stream. The metadata `given` writes them with can be set here. */
export interface GivenStream {
  readonly stream: string;
  readonly events: readonly SpecEvent[];
  /** Who sent them: by default the actor the event names (takenBy, amendedBy, voidedBy), else see STREAM_ACTORS. */
  readonly actor?: Actor;
  /** Written in metadata.reason (corrections carry one). */
  readonly reason?: string;
  /** ISO instant of metadata.recordedAt: TEST_NOW unless given. */
  readonly recordedAt?: string;
  readonly correlationId?: string;
}

/** What `given` takes: streams, lists of streams, or a function building them (nested as deep as you like). */
export type Given = GivenStream | readonly Given[] | (() => Given);

export interface Expected {
  readonly status: number;
  /** Compared with toMatchObject: the properties named must be there, with these values. */
  readonly body?: unknown;
  /**
   * Every event the request appended, grouped by stream in the order the streams were first written,
   * type and data compared with toEqual ([] for a request that must write nothing). A function of the
   * answer's body when the events carry an id the service made (a justificationId, a factId).
   */
  readonly newEvents?: ExpectedStreams | ((answer: Response['body']) => ExpectedStreams);
}

/** Events by stream, as `given` takes them and `then` compares them. */
export type ExpectedStreams = readonly { readonly stream: string; readonly events: readonly SpecEvent[] }[];

/** What a step ends with, for the checks a test adds after `then`. */
export interface Outcome {
  readonly response: Response;
  /** The events the request appended, as stored (with their metadata and positions). */
  readonly newEvents: readonly RecordedEvent[];
}

export type Http = ReturnType<TestApp['http']>;
/** Builds the request with the app's supertest agent (async when it needs a token first). */
export type SpecRequest = (http: Http) => PromiseLike<Response>;

/**
 * A request waiting to be sent: `then(expected)` sends it and checks the answer and the new events;
 * `send()` sends it and checks nothing (for a read whose answer the test looks at itself). Not a
 * promise: `await spec.when(…)` alone does not compile.
 */
export interface Step {
  then(expected: Expected): Promise<Outcome>;
  send(): Promise<Outcome>;
}

/** The given streams being written; `.when` sends its request once they are in the store and the views. */
export interface GivenWritten extends Promise<void> {
  when(request: SpecRequest): Step;
}

export interface ApiSpec {
  /** The app of the running test (a fresh one for every test). */
  readonly app: TestApp;
  readonly store: EventStore;
  http(): Http;
  given(...given: Given[]): GivenWritten;
  when(request: SpecRequest): Step;
}

/** The actor given events are written by when neither the stream entry nor the event names one, by stream prefix. */
export const STREAM_ACTORS: Readonly<Record<string, Actor>> = {
  attendance: { id: 'cpe-01', role: 'cpe' },
  rollcall: { id: 'teacher-01', role: 'teacher' },
  school: { id: 'principal-01', role: 'principal' },
  student: { id: 'principal-01', role: 'principal' },
};
const FALLBACK_ACTOR: Actor = { id: 'principal-01', role: 'principal' };
const ACTOR_FIELDS = [
  'takenBy',
  'amendedBy',
  'voidedBy',
  'createdBy',
  'recordedBy',
  'correctedBy',
  'changedBy',
  'cancelledBy',
  'setBy',
  'writtenBy',
] as const;

const isActor = (value: unknown): value is Actor =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Actor).id === 'string' &&
  typeof (value as Actor).role === 'string';

const actorOf = (stream: string, event: SpecEvent): Actor => {
  const data = event.data as Record<string, unknown>;
  const named = ACTOR_FIELDS.map((field) => data[field]).find(isActor);
  return named ?? STREAM_ACTORS[stream.split('-')[0]] ?? FALLBACK_ACTOR;
};

/** The school a stream belongs to: the UAI after its prefix (`student-0670001A-b1`), else SCHOOL. */
const schoolOf = (stream: string): string => /^[a-z]+-(\d{7}[A-Z])(?:-|$)/.exec(stream)?.[1] ?? SCHOOL;

const flatten = (given: Given): GivenStream[] => {
  if (typeof given === 'function') return flatten(given());
  if (Array.isArray(given)) return given.flatMap(flatten);
  return [given as GivenStream];
};

/** Consecutive events sent by the same actor: one command each, as the service would have written them. */
const commandsOf = (given: GivenStream): { actor: Actor; events: SpecEvent[] }[] => {
  const commands: { actor: Actor; events: SpecEvent[] }[] = [];
  for (const event of given.events) {
    const actor = given.actor ?? actorOf(given.stream, event);
    const last = commands[commands.length - 1];
    if (last !== undefined && last.actor.id === actor.id && last.actor.role === actor.role)
      last.events.push(event);
    else commands.push({ actor, events: [event] });
  }
  return commands;
};

/** Events as `then` compares them: grouped by stream, in the order each stream was first written. */
export const byStream = (
  events: readonly { readonly streamId: string; readonly type: string; readonly data: object }[],
): { stream: string; events: SpecEvent[] }[] => {
  const streams = new Map<string, SpecEvent[]>();
  for (const { streamId, type, data } of events) {
    const list = streams.get(streamId) ?? [];
    list.push({ type, data });
    streams.set(streamId, list);
  }
  return [...streams].map(([stream, list]) => ({ stream, events: list }));
};

const described = (response: Response): string => {
  const { method, url } = response.request as unknown as { method: string; url: string };
  return `${method} ${url} answered ${response.status} ${JSON.stringify(response.body)}`;
};

/**
 * Registers a beforeEach that starts a fresh app (with `options`) and an afterEach that closes it;
 * call it once inside a describe (or at the top of a file).
 */
export function apiSpec(options: TestAppOptions = {}): ApiSpec {
  let current: TestApp | undefined;
  let commands = 0;
  const pending: Promise<void>[] = [];
  const projections = [...REGISTRE_PROJECTIONS, ...(options.projections ?? [])].map((p) => p.name);

  beforeEach(async () => {
    current = await startTestApp(options);
    commands = 0;
  });
  afterEach(async () => {
    // A test that failed before awaiting its given streams: let them land before the app closes.
    await Promise.allSettled(pending.splice(0));
    await current?.close();
    current = undefined;
  });

  const app = (): TestApp => {
    if (current === undefined) throw new Error('apiSpec: the app exists only while a test runs');
    return current;
  };
  const store = (): EventStore => app().app.get<EventStore>(EVENT_STORE);

  /** Reuses read-your-writes: every projection must include `position` before the test goes on. */
  const caughtUp = async (position: bigint): Promise<void> => {
    if (position === 0n) return;
    const runner = app().app.get<LiveProjections>(PROJECTION_RUNNER);
    const reached = await Promise.all(
      projections.map((name) => runner.waitFor(name, position, app().config.waitMs)),
    );
    const behind = projections.filter((_, index) => !reached[index]);
    if (behind.length > 0)
      throw new Error(`apiSpec: ${behind.join(', ')} did not reach position ${position}`);
  };

  const write = async (given: readonly Given[]): Promise<void> => {
    let position = 0n;
    for (const entry of given.flatMap(flatten)) {
      for (const command of commandsOf(entry)) {
        const commandId = `given-${++commands}`;
        const correlationId = entry.correlationId ?? commandId;
        const result = await store().appendToStream(
          entry.stream,
          command.events.map(({ type, data }) => ({
            type,
            data,
            metadata: {
              commandId,
              correlationId,
              causationId: commandId,
              actor: command.actor,
              schoolId: schoolOf(entry.stream),
              recordedAt: new Date(entry.recordedAt ?? TEST_NOW).toISOString(),
              schemaVersion: 1,
              ...(entry.reason !== undefined && { reason: entry.reason }),
            },
          })),
          { expectedRevision: 'any', commandId },
        );
        position = result.position;
      }
    }
    await caughtUp(position);
  };

  const send = async (request: SpecRequest): Promise<Outcome> => {
    const before = await store().headPosition();
    const response = await request(app().http());
    const newEvents = await store().readAll({ after: before });
    await caughtUp(newEvents.length === 0 ? 0n : newEvents[newEvents.length - 1].position);
    return { response, newEvents };
  };

  const check = (outcome: Outcome, expected: Expected): Outcome => {
    const { response } = outcome;
    if (response.status !== expected.status)
      throw new Error(`expected ${expected.status}, but ${described(response)}`);
    if (expected.body !== undefined) expect(response.body).toMatchObject(expected.body as object);
    if (expected.newEvents !== undefined) {
      const streams =
        typeof expected.newEvents === 'function' ? expected.newEvents(response.body) : expected.newEvents;
      expect(byStream(outcome.newEvents)).toEqual(streams);
    }
    return outcome;
  };

  const step = (before: Promise<void>, request: SpecRequest): Step => {
    const run = async () => {
      await before;
      return send(request);
    };
    return {
      then: (expected: Expected) => {
        if (typeof expected !== 'object' || expected === null)
          throw new Error('apiSpec: `then` takes the expected answer; use `.send()` to send without checks');
        return run().then((outcome) => check(outcome, expected));
      },
      send: run,
    };
  };

  return {
    get app() {
      return app();
    },
    get store() {
      return store();
    },
    http: () => app().http(),
    given(...given) {
      const written = write(given);
      pending.push(written.catch(() => undefined));
      return Object.assign(written, { when: (request: SpecRequest) => step(written, request) });
    },
    when: (request) => step(Promise.resolve(), request),
  };
}
