import type { Database } from 'better-sqlite3';
import {
  AppendResult,
  ExpectedRevision,
  IdempotencyKeyReusedError,
  revisionMatches,
  sameRequest,
  WrongExpectedRevisionError,
} from '../event-store';
import { ChainHash, GENESIS_HASH, hashFromBytes, LinkHasher } from '../chain';
import type { SerializedEvent } from './codec';
import { LINKS_PER_INSERT, prepareStatements, Statements } from './statements';

/** One append of a group commit, as plain data: it may cross to the writing thread. */
export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly SerializedEvent[];
  readonly expectedRevision: ExpectedRevision;
  readonly commandId: string | undefined;
  readonly requestFingerprint: string | undefined;
}

export type AppendOutcome =
  { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

/** The first answer to a command seen before, or undefined; a different request under its id is refused. */
export const commandSeen = (
  statements: Pick<Statements, 'findCommand'>,
  commandId: string,
  requestFingerprint: string | undefined,
): AppendResult | undefined => {
  const row = statements.findCommand.get(commandId);
  if (!row) return undefined;
  if (!sameRequest(row[3], requestFingerprint)) throw new IdempotencyKeyReusedError(commandId);
  return { streamId: row[0], position: row[1], nextExpectedRevision: Number(row[2]), deduplicated: true };
};

/**
 * The writing half of the SQLite store, on whichever thread holds the writing connection: a group of
 * appends in one transaction (one fsync), each inside its own savepoint so that a conflict answers
 * that append alone, the hash chain carried from the log's last link.
 */
export class GroupWriter {
  private readonly statements: Statements;
  /** The chain's last link, read at the start of each group (other processes may append too). */
  private chainHead: ChainHash = GENESIS_HASH;
  private readonly links = new LinkHasher();

  constructor(private readonly db: Database) {
    this.statements = prepareStatements(db);
  }

  /** Each append's outcome, in order; throws (nothing written) when the transaction itself fails. */
  write(group: readonly AppendRequest[]): AppendOutcome[] {
    const outcomes: AppendOutcome[] = [];
    try {
      this.statements.begin.run();
      const tail = this.statements.chainTail.get();
      this.chainHead = tail ? hashFromBytes(tail[1]) : GENESIS_HASH;
      for (const append of group) outcomes.push(this.appendInSavepoint(append));
      this.statements.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
    return outcomes;
  }

  private appendInSavepoint(append: AppendRequest): AppendOutcome {
    this.statements.savepoint.run();
    const chainHead = this.chainHead;
    try {
      const result = this.appendNow(append);
      this.statements.release.run();
      return { ok: true, result };
    } catch (error) {
      // SQLite may have rolled back the whole transaction (disk full, I/O error): then the group fails.
      if (!this.db.inTransaction) throw error;
      this.chainHead = chainHead;
      this.statements.rollbackTo.run();
      this.statements.release.run();
      return { ok: false, error };
    }
  }

  private appendNow({
    streamId,
    events,
    expectedRevision,
    commandId,
    requestFingerprint,
  }: AppendRequest): AppendResult {
    if (commandId !== undefined) {
      const seen = commandSeen(this.statements, commandId, requestFingerprint);
      if (seen) return seen;
    }
    const stream = this.statements.findStream.get(streamId);
    const actual = stream ? Number(stream[1]) : 'no_stream';
    if (!revisionMatches(expectedRevision, actual)) {
      throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
    }
    const firstRevision = actual === 'no_stream' ? 0 : actual + 1;
    if (events.length === 0) {
      const position = stream ? (this.statements.positionOfRevision.get(stream[0], stream[1]) ?? 0n) : 0n;
      return { streamId, nextExpectedRevision: firstRevision - 1, position, deduplicated: false };
    }
    const lastRevision = firstRevision + events.length - 1;
    let streamNum: bigint;
    if (stream) {
      streamNum = stream[0];
      this.statements.updateStream.run(lastRevision, streamNum);
    } else {
      streamNum = this.statements.insertStream.run(streamId, lastRevision).lastInsertRowid as bigint;
    }
    const positions = new Array<bigint>(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      positions[i] = this.statements.insertEvent.run(
        streamNum,
        firstRevision + i,
        event.id,
        event.type,
        event.data,
        event.metadata,
      ).lastInsertRowid as bigint;
    }
    const position = positions[events.length - 1];
    // Hashed after the inserts rather than between them: each loop keeps its own data in the caches.
    const hashes = Buffer.allocUnsafe(32 * events.length);
    let chainHead = this.chainHead;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      chainHead = this.links.link(
        chainHead,
        positions[i],
        firstRevision + i,
        streamId,
        event.id,
        event.type,
        event.data,
        event.metadata,
      );
      hashes.write(chainHead, 32 * i, 'hex');
    }
    this.insertLinks(positions, hashes);
    this.chainHead = chainHead;
    if (commandId !== undefined)
      this.statements.insertCommand.run(
        commandId,
        streamId,
        position,
        lastRevision,
        requestFingerprint ?? null,
      );
    return { streamId, nextExpectedRevision: lastRevision, position, deduplicated: false };
  }

  /** The links of one append's events, a few statements for all when their positions follow each other. */
  private insertLinks(positions: readonly bigint[], hashes: Buffer): void {
    const count = positions.length;
    const first = positions[0];
    if (count > 1 && positions[count - 1] - first === BigInt(count - 1)) {
      let done = 0;
      for (; done + LINKS_PER_INSERT <= count; done += LINKS_PER_INSERT)
        this.statements.insertManyLinks.run({
          first: first + BigInt(done),
          hashes: hashes.subarray(32 * done, 32 * (done + LINKS_PER_INSERT)),
        });
      if (done < count)
        this.statements.insertLinks.run({
          first: first + BigInt(done),
          hashes: hashes.subarray(32 * done),
          count: count - done,
        });
      return;
    }
    for (let i = 0; i < count; i++)
      this.statements.insertLink.run(positions[i], hashes.subarray(32 * i, 32 * (i + 1)));
  }
}

/** An append's failure as it crosses threads: the store's own errors keep their class. */
export type WireError =
  | {
      readonly kind: 'wrong-revision';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly actual: number | 'no_stream';
    }
  | { readonly kind: 'key-reused'; readonly commandId: string }
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
      readonly code?: string;
    };

export const toWire = (error: unknown): WireError => {
  if (error instanceof WrongExpectedRevisionError)
    return {
      kind: 'wrong-revision',
      streamId: error.streamId,
      expected: error.expected,
      actual: error.actual,
    };
  if (error instanceof IdempotencyKeyReusedError) return { kind: 'key-reused', commandId: error.commandId };
  const { name, message, stack, code }: Error & { code?: unknown } =
    error instanceof Error ? error : new Error(String(error));
  return {
    kind: 'error',
    name,
    message,
    ...(stack !== undefined && { stack }),
    ...(typeof code === 'string' && { code }),
  };
};

export const fromWire = (error: WireError): Error => {
  if (error.kind === 'wrong-revision')
    return new WrongExpectedRevisionError(error.streamId, error.expected, error.actual);
  if (error.kind === 'key-reused') return new IdempotencyKeyReusedError(error.commandId);
  return Object.assign(new Error(error.message), {
    name: error.name,
    ...(error.stack !== undefined && { stack: error.stack }),
    ...(error.code !== undefined && { code: error.code }),
  });
};

export type WireOutcome =
  { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: WireError };

/** What the store sends its writing thread, and what it answers. */
export type WriterRequest =
  | { readonly kind: 'write'; readonly id: number; readonly group: readonly AppendRequest[] }
  | { readonly kind: 'close' };

export type WriterReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'written'; readonly id: number; readonly outcomes: readonly WireOutcome[] }
  | { readonly kind: 'failed'; readonly id: number; readonly error: WireError }
  | { readonly kind: 'closed' };

/** How the writing thread opens the file. */
export interface WriterSettings {
  readonly path: string;
  readonly synchronous: 'normal' | 'full';
  readonly busyTimeoutMs: number;
}
