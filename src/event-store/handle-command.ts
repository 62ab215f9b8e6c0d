import { Decider } from '../domain/shared/decider';
import { DomainError } from '../domain/shared/domain-error';
import { Actor, DomainEvent, EventMetadata } from '../domain/shared/event';
import {
  EventStore,
  ExpectedRevision,
  IdempotencyKeyReusedError,
  WrongExpectedRevisionError,
} from './event-store';
import { currentDryRun } from './dry-run';

/** Who sends a command, why, and how it is identified — everything but the command's own data. */
export interface CommandContext {
  /** Client-supplied (Idempotency-Key) or generated: a command seen before is answered, not re-run. */
  readonly commandId: string;
  /**
   * The client's Idempotency-Key and a fingerprint of its request: the command id sent again with
   * another request is refused (IDEMPOTENCY.KEY_REUSED) rather than answered with the first answer.
   */
  readonly idempotency?: { readonly key: string; readonly requestFingerprint: string };
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor: Actor;
  readonly schoolId: string;
  /** Server UTC instant of handling. */
  readonly now: Date;
  readonly reason?: string;
  /** Optimistic concurrency from the client (If-Match): no retry when given. */
  readonly expectedRevision?: ExpectedRevision;
}

export interface CommandResult<E extends DomainEvent = DomainEvent> {
  readonly streamId: string;
  /** Events this command appended ([] for a resend or a command that changes nothing). */
  readonly events: readonly E[];
  /**
   * Global position of the last event written, of the first answer for a resend, or of the stream's
   * last event when the decision wrote nothing (0n for a stream still empty).
   */
  readonly position: bigint;
  readonly revision: number;
  readonly deduplicated: boolean;
}

export interface CommandLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface HandleOptions {
  /** Retries after a concurrent writer moved the stream between our read and our append. */
  readonly maxRetries?: number;
  readonly logger?: CommandLogger;
  readonly schemaVersion?: number;
  /** Name of the command, for the log line. */
  readonly commandName?: string;
}

const metadataFor = (ctx: CommandContext, schemaVersion: number): EventMetadata => ({
  commandId: ctx.commandId,
  correlationId: ctx.correlationId ?? ctx.commandId,
  causationId: ctx.causationId ?? ctx.commandId,
  actor: ctx.actor,
  schoolId: ctx.schoolId,
  recordedAt: ctx.now.toISOString(),
  schemaVersion,
  ...(ctx.reason !== undefined ? { reason: ctx.reason } : {}),
});

const refuse = (error: unknown): never => {
  throw error;
};

/**
 * Read one stream, fold it, decide (pure), append with the expected revision; retry a bounded
 * number of times when another writer got there first. A command id seen before returns its
 * first answer and appends nothing.
 */
export async function handleCommand<Command, State, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, State, E>,
  command: Command,
  ctx: CommandContext,
  options: HandleOptions = {},
): Promise<CommandResult<E>> {
  const started = process.hrtime.bigint();
  const log = (outcome: string, extra: Record<string, unknown> = {}) =>
    options.logger?.info(
      {
        command: options.commandName,
        commandId: ctx.commandId,
        correlationId: ctx.correlationId ?? ctx.commandId,
        actor: ctx.actor,
        schoolId: ctx.schoolId,
        stream: streamId,
        outcome,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        ...extra,
      },
      'command',
    );
  const maxRetries = ctx.expectedRevision === undefined ? (options.maxRetries ?? 5) : 0;
  const requestFingerprint = ctx.idempotency?.requestFingerprint;
  // A command seen before gets its first answer. The append finds it in its own transaction, so it
  // is looked up beforehand only when nothing would be appended: a dry run, a decision that writes
  // nothing, or a refusal (the resend of a command whose effects now make it refused).
  const firstAnswer = async (): Promise<CommandResult<E> | undefined> => {
    const seen = await store.findCommand(ctx.commandId, requestFingerprint);
    if (!seen) return undefined;
    log('duplicate', { position: seen.position.toString() });
    return {
      streamId,
      events: [],
      position: seen.position,
      revision: seen.nextExpectedRevision,
      deduplicated: true,
    };
  };
  try {
    const dryRun = currentDryRun();
    if (dryRun !== undefined) {
      const seen = await firstAnswer();
      if (seen) return seen;
    }
    for (let attempt = 0; ; attempt++) {
      const written = await store.readStream(streamId);
      const lastWritten = written.length === 0 ? undefined : written[written.length - 1];
      const recorded =
        dryRun === undefined
          ? written
          : [
              ...written,
              ...dryRun.pendingOn(streamId, lastWritten?.revision ?? -1, lastWritten?.position ?? 0n),
            ];
      const state = recorded.reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState());
      const last = recorded.length === 0 ? undefined : recorded[recorded.length - 1];
      const current = last === undefined ? -1 : last.revision;
      if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== 'any') {
        const actual = current === -1 ? 'no_stream' : current;
        const ok =
          ctx.expectedRevision === 'no_stream'
            ? actual === 'no_stream'
            : ctx.expectedRevision === 'stream_exists'
              ? actual !== 'no_stream'
              : actual === ctx.expectedRevision;
        if (!ok)
          return (
            (await firstAnswer()) ??
            refuse(new WrongExpectedRevisionError(streamId, ctx.expectedRevision, actual))
          );
      }
      let events: readonly E[];
      try {
        events = decider.decide(command, state);
      } catch (error) {
        return (await firstAnswer()) ?? refuse(error);
      }
      if (events.length === 0) {
        const seen = await firstAnswer();
        if (seen) return seen;
        const position = last === undefined ? 0n : last.position;
        log('unchanged', { revision: current, position: position.toString() });
        return { streamId, events: [], position, revision: current, deduplicated: false };
      }
      const metadata = metadataFor(ctx, options.schemaVersion ?? 1);
      if (dryRun !== undefined) {
        // Decided, not written: the dry run keeps the events, the log does not move.
        dryRun.record(
          streamId,
          events.map((e) => ({ type: e.type, data: e.data, metadata })),
        );
        log('dry-run', { events: events.length });
        return {
          streamId,
          events,
          position: last?.position ?? 0n,
          revision: current + events.length,
          deduplicated: false,
        };
      }
      try {
        const result = await store.appendToStream(
          streamId,
          events.map((e) => ({ type: e.type, data: e.data, metadata })),
          {
            expectedRevision: current === -1 ? 'no_stream' : current,
            commandId: ctx.commandId,
            ...(requestFingerprint !== undefined ? { requestFingerprint } : {}),
          },
        );
        log(result.deduplicated ? 'duplicate' : 'appended', {
          events: result.deduplicated ? 0 : events.length,
          position: result.position.toString(),
          attempt,
        });
        return {
          streamId,
          events: result.deduplicated ? [] : events,
          position: result.position,
          revision: result.nextExpectedRevision,
          deduplicated: result.deduplicated,
        };
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < maxRetries) continue;
        throw error;
      }
    }
  } catch (error) {
    const code = error instanceof DomainError ? error.code : 'INTERNAL';
    log('rejected', { code });
    if (error instanceof IdempotencyKeyReusedError && ctx.idempotency !== undefined)
      throw new IdempotencyKeyReusedError(error.commandId, ctx.idempotency.key);
    throw error;
  }
}
