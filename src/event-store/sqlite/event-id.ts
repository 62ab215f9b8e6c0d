import { randomUUID } from 'node:crypto';
import { parse, v5 } from 'uuid';

/** Fixed namespace so that every adapter derives the same event ids from the same command. */
export const EVENT_ID_NAMESPACE = '6f1d4c1e-3b8a-5e52-9a57-2f0e8c4b7d31';
// Parsed once: v5 re-parses a string namespace on every call, which doubles its cost.
const namespaceBytes = parse(EVENT_ID_NAMESPACE);

/** Deterministic for a command's i-th event, so that a resend cannot produce new ids; random otherwise. */
export const eventIdFor = (commandId: string | undefined, index: number): string =>
  commandId === undefined ? randomUUID() : v5(`${commandId}:${index}`, namespaceBytes);
