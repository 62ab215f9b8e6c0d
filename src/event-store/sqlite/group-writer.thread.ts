import BetterSqlite3 from 'better-sqlite3';
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { GroupWriter, toWire, WriterReply, WriterRequest, WriterSettings } from './group-writer';
import { applyPragmas } from './schema';

/**
 * The store's writing thread: its own connection to the events' file, the group commits on it. The
 * fsync of each commit waits here, not on the thread taking requests, which goes on deciding the
 * next commands meanwhile; they form the next group.
 */
const run = (port: MessagePort, settings: WriterSettings): void => {
  const db = new BetterSqlite3(settings.path, { fileMustExist: true });
  applyPragmas(db, settings.synchronous, settings.busyTimeoutMs);
  const writer = new GroupWriter(db);
  const post = (reply: WriterReply) => port.postMessage(reply);
  port.on('message', (request: WriterRequest) => {
    if (request.kind === 'close') {
      db.close();
      post({ kind: 'closed' });
      port.close();
      return;
    }
    try {
      const outcomes = writer
        .write(request.group)
        .map((outcome) => (outcome.ok ? outcome : { ok: false as const, error: toWire(outcome.error) }));
      post({ kind: 'written', id: request.id, outcomes });
    } catch (error) {
      post({ kind: 'failed', id: request.id, error: toWire(error) });
    }
  });
  post({ kind: 'ready' });
};

if (parentPort) run(parentPort, workerData as WriterSettings);
