import BetterSqlite3 from 'better-sqlite3';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../worker/protocol';
import { ReadReply, ReadRequest, ReadThreadSettings } from './protocol';
import { ReadFunction, ReadRegistry } from './read-registry';

/**
 * One read thread of the pool: its own read-only connection to the read models' file (the
 * projections write it in WAL mode, so reading never waits for them), one read at a time.
 */
const run = async (port: MessagePort, settings: ReadThreadSettings): Promise<void> => {
  lowerPriority(settings.niceness);
  const { reads } = (await import(settings.registryModule)) as { reads: ReadRegistry };
  const db = new BetterSqlite3(settings.file, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
  db.pragma('query_only = ON');
  const post = (reply: ReadReply) => port.postMessage(reply);
  port.on('message', ({ id, name, tables, args }: ReadRequest) => {
    try {
      const read: ReadFunction | undefined = reads[name];
      if (read === undefined) throw new Error(`no read named ${name}`);
      post({ kind: 'done', id, result: read(db, tables as never, ...(args as never[])) });
    } catch (error) {
      post({ kind: 'failed', id, error: serializeError(error) });
    }
  });
  post({ kind: 'ready' });
};

/**
 * Reads yield the CPU to commands: on 2 cores the request thread, the projections and the read
 * threads share it, and a busy morning's views would otherwise take it from the roll calls. Linux
 * gives each thread its own niceness, set through its id (/proc/thread-self); elsewhere the threads
 * keep the process's.
 */
export const lowerPriority = (niceness: number): boolean => {
  if (niceness <= 0) return false;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, niceness);
    return true;
  } catch {
    return false;
  }
};

if (parentPort) {
  const port = parentPort;
  run(port, workerData as ReadThreadSettings).catch((error: unknown) => {
    // The pool sees the thread end before it was ready, and says why.
    port.postMessage({ kind: 'failed', id: 0, error: serializeError(error) } satisfies ReadReply);
    process.exit(1);
  });
}
