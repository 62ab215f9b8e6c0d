import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { createEventStore, openReadModelDb } from '../../event-store/create-store';
import { ProjectionLogger, ProjectionRunner } from '../projection-runner';
import { REGISTRE_PROJECTIONS } from '../registre-projections';
import {
  FromWorker,
  ProjectionView,
  ProjectionWorkerSettings,
  SERVICE_BATCH,
  ToWorker,
  serializeError,
} from './protocol';

/**
 * The projection runner's own thread: it opens the log (read only in practice) and the read-model
 * file, applies events there, and tells the request thread what it needs to answer queries — table
 * names, change counters, live checkpoints — after every step.
 */
const run = async (port: MessagePort, settings: ProjectionWorkerSettings): Promise<void> => {
  const post = (message: FromWorker) => port.postMessage(message);
  const serializableFields = (fields: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(fields).map(([key, value]) => [
        key,
        value instanceof Error ? serializeError(value) : value,
      ]),
    );
  const logAt = (level: 'info' | 'warn' | 'error') => (fields: Record<string, unknown>, message: string) =>
    post({ kind: 'log', level, fields: serializableFields(fields), message });
  const logger: ProjectionLogger = { info: logAt('info'), warn: logAt('warn'), error: logAt('error') };

  const store = await createEventStore(settings);
  const db = openReadModelDb(settings);
  const appended = new Set<() => void>();
  /** Drops waiting for the request thread to stop using the tables: [first state without them, drop]. */
  const retired: [number, () => void][] = [];
  let seq = 0;
  /** Set once constructed: the constructor already reports progress (tables created for a new version). */
  const built: { runner?: ProjectionRunner } = {};
  let posted: string | undefined;

  const postState = () => {
    const current = built.runner;
    if (!current) return;
    const projections: ProjectionView[] = current.names().map((name) => ({
      name,
      tables: current.tables(name),
      changes: current.changesOf(name),
      liveCheckpoint: current.liveCheckpointOf(name)?.toString() ?? null,
    }));
    const fingerprint = JSON.stringify(projections);
    if (fingerprint === posted) return;
    posted = fingerprint;
    post({ kind: 'state', seq: ++seq, projections });
  };

  const runner = new ProjectionRunner({
    store,
    db,
    projections: REGISTRE_PROJECTIONS,
    logger,
    wakeDelayMs: settings.projectionDelayMs,
    batchSize: settings.batchSize ?? SERVICE_BATCH.size,
    batchTargetMs: settings.batchTargetMs ?? SERVICE_BATCH.targetMs,
    wakeOn: (wake) => {
      appended.add(wake);
      return () => appended.delete(wake);
    },
    onProgress: postState,
    // The request thread may still hold these names until it has read the state that replaced them.
    retire: (drop) => retired.push([seq + 1, drop]),
  });
  built.runner = runner;
  postState();

  const call = async (id: number, method: ToWorker & { kind: 'call' }): Promise<void> => {
    const active = runner;
    try {
      if (method.method === 'status') {
        post({ kind: 'reply', id, statuses: await active.status() });
        return;
      }
      if (method.method === 'catchUp') await active.catchUp();
      else if (method.method === 'start') active.start();
      else if (method.method === 'stop') await active.stop();
      else await active.rebuild(method.name as string);
      postState();
      post({ kind: 'reply', id });
    } catch (error) {
      postState();
      post({ kind: 'failed', id, error: serializeError(error) });
    }
  };

  port.on('message', (message: ToWorker) => {
    switch (message.kind) {
      case 'appended':
        appended.forEach((wake) => wake());
        return;
      case 'nudge':
        runner.nudge();
        return;
      case 'ack': {
        const due = retired.filter(([after]) => after <= message.seq);
        for (const entry of due) retired.splice(retired.indexOf(entry), 1);
        for (const [, drop] of due) {
          try {
            drop();
          } catch (error) {
            logger.warn({ err: error }, 'retired projection tables could not be dropped; they stay unused');
          }
        }
        return;
      }
      case 'call':
        void call(message.id, message);
        return;
      case 'close':
        void runner
          .stop()
          .then(() => store.close())
          .finally(() => {
            if (db.open) db.close();
            post({ kind: 'closed' });
            port.close();
          });
        return;
    }
  });
};

if (parentPort) {
  const port = parentPort;
  run(port, workerData as ProjectionWorkerSettings).catch((error: unknown) => {
    // Startup failed (unreadable file, bad schema): the request thread reports it and stops.
    port.postMessage({ kind: 'failed', id: 0, error: serializeError(error) } satisfies FromWorker);
    port.close();
  });
}
