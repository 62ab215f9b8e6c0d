import { MessagePort, workerData } from 'node:worker_threads';
import type { WorkerRequest } from './chain-check';

const { port } = workerData as { port: MessagePort };
port.on('message', (request: WorkerRequest) => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runWorkerRequest } = require('./chain-check') as typeof import('./chain-check');
    runWorkerRequest(request, (result) => port.postMessage(result));
  } catch {
    // The caller is blocked waiting for the flag: answer "not checked" rather than leave it waiting.
    port.postMessage({ id: request.id, ok: false, events: 0, lastHash: '' });
    const flag = new Int32Array(request.done);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
});
