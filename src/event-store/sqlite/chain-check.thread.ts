import { MessagePort, workerData } from 'node:worker_threads';
import type { ReleaseRequest, WorkerRequest } from './chain-check';

const { port } = workerData as { port: MessagePort };
port.on('message', (message: WorkerRequest | ReleaseRequest) => {
  if ('release' in message) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runWorkerRelease } = require('./chain-check') as typeof import('./chain-check');
      runWorkerRelease(message);
    } catch {
      const cells = new Int32Array(message.shared);
      Atomics.store(cells, 0, 1);
      Atomics.notify(cells, 0);
    }
    return;
  }
  const request = message;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runWorkerRequest } = require('./chain-check') as typeof import('./chain-check');
    runWorkerRequest(request, (answer) => port.postMessage(answer));
  } catch {
    // The caller may be waiting for this worker: answer "not checked" rather than leave it waiting.
    port.postMessage({ id: request.id, results: [[-1, { ok: false, events: 0, lastHash: '' }]] });
    const cells = new Int32Array(request.shared);
    Atomics.store(cells, 1, 3);
    Atomics.notify(cells, 1);
  }
});
