import { hash } from 'node:crypto';

/**
 * The hash chain that makes the log tamper-evident: hash_n = sha256(hash_{n-1} ‖ canonical bytes of
 * event n). Pure: both adapters and the verifier compute links with this file alone.
 *
 * Canonical bytes (version 1), as UTF-8: the previous hash in lowercase hex, a newline, the JSON
 * array `[position, streamId, revision, eventId, type, data length, metadata length]`, a newline,
 * then the data text and the metadata text exactly as stored. The lengths (in UTF-16 code units)
 * make the split between data and metadata unambiguous; `position` is null for a per-stream chain
 * (EventStoreDB), whose order is the stream's revisions.
 */
export interface ChainedContent {
  readonly position: bigint | null;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** Hashes are carried as 64 lowercase hex digits. */
export type ChainHash = string;

/** What the first event links to: sha256 of a fixed label, so that a chain cannot start anywhere else. */
export const GENESIS_HASH: ChainHash = hash('sha256', 'registre event chain v1', 'hex');

export const canonicalText = (prev: ChainHash, content: ChainedContent): string =>
  `${prev}\n${JSON.stringify([
    content.position === null ? null : Number(content.position),
    content.streamId,
    content.revision,
    content.eventId,
    content.type,
    content.data.length,
    content.metadata.length,
  ])}\n${content.data}${content.metadata}`;

/** The link of one event after `prev`. */
export const linkHash = (prev: ChainHash, content: ChainedContent): ChainHash =>
  hash('sha256', canonicalText(prev, content), 'hex');

export const hashToBytes = (value: ChainHash): Buffer => Buffer.from(value, 'hex');

export const hashFromBytes = (bytes: Uint8Array): ChainHash =>
  (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)).toString('hex');
