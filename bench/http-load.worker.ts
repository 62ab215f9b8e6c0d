import autocannon from 'autocannon';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * autocannon in a worker thread, so that the load generator does not share the server's event loop:
 * each request of the run is a different entry of `requests`, handed out in order across connections.
 */

export type LoadRequest = {
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
};

export type LoadOrder = {
  readonly url: string;
  readonly connections: number;
  readonly requests: readonly LoadRequest[];
  /** Stop after this many requests (default: one per entry of `requests`)… */
  readonly amount?: number;
  /** …or after this many seconds. */
  readonly seconds?: number;
};

export type LoadResult = {
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statusCodes: Record<string, number>;
};

/** Documented in autocannon's README, missing from @types/autocannon. */
const aggregate = (
  autocannon as unknown as {
    aggregateResult(results: autocannon.Result[], options: autocannon.Options): autocannon.Result;
  }
).aggregateResult;

const load = async (order: LoadOrder): Promise<LoadResult> => {
  // autocannon's own start and finish are rounded to its one-second samples: too coarse for a short burst.
  let next = 0;
  let firstSent = 0n;
  let lastAnswered = 0n;
  const options: autocannon.Options = {
    url: order.url,
    connections: order.connections,
    ...(order.seconds !== undefined
      ? { duration: order.seconds }
      : { amount: order.amount ?? order.requests.length }),
    requests: [
      {
        setupRequest: (request) => {
          if (next === 0) firstSent = process.hrtime.bigint();
          return { ...request, ...order.requests[next++ % order.requests.length] };
        },
        onResponse: () => {
          lastAnswered = process.hrtime.bigint();
        },
      },
    ],
  };
  const raw = await autocannon(options);
  // Off the main thread autocannon thinks it is one of its own workers and leaves the histograms raw.
  const result = isMainThread ? raw : aggregate([raw], options);
  const seconds = Number(lastAnswered - firstSent) / 1e9;
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    seconds,
    perSecond: result['2xx'] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [
        code,
        (stat as { count?: number } | undefined)?.count ?? 0,
      ]),
    ),
  };
};

/** Runs one load in a fresh worker thread (this file, compiled next to the bench). */
export const loadInWorker = (order: LoadOrder): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'http-load.worker.js'), { workerData: order });
    worker.once('message', (message: { result?: LoadResult; error?: string }) =>
      message.result ? resolve(message.result) : reject(new Error(message.error)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load worker exited with code ${code}`));
    });
  });

if (parentPort) {
  const port = parentPort;
  load(workerData as LoadOrder).then(
    (result) => port.postMessage({ result }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
}
