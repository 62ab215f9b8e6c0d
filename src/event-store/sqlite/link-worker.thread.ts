import { MessagePort, workerData } from 'node:worker_threads';
import { LinkHasher } from '../chain';
import type { LinkRequest } from './link-worker';

const { port } = workerData as { port: MessagePort };
const hasher = new LinkHasher();
port.on('message', (request: LinkRequest) => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runLinkRequest } = require('./link-worker') as typeof import('./link-worker');
    runLinkRequest(request, hasher);
  } catch {
    // The caller may be waiting for this worker: say "failed" rather than leave it waiting.
    const cells = new Int32Array(request.shared, 0, 1);
    Atomics.store(cells, 0, 3);
    Atomics.notify(cells, 0);
  }
});
