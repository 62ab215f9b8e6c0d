import autocannon from 'autocannon';
import { join } from 'node:path';
import { Worker, parentPort } from 'node:worker_threads';

/**
 * autocannon in a worker thread, so that the load generator does not share the server's event loop:
 * each request of a load is a different entry of `requests`, handed out in order across connections.
 */

export type LoadRequest = {
  readonly method: 'POST' | 'GET';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Which figure a reader's request counts towards (a view's name). */
  readonly label?: string;
};

/** GETs sent round and round by their own connections while the writers' load runs, stopped with it. */
export type ReadersOrder = {
  readonly connections: number;
  readonly requests: readonly LoadRequest[];
  /** Views a reader asks per second at most (a person's pace); without it each asks the next at once. */
  readonly perConnectionPerSecond?: number;
  /** Sent first by each connection, not measured (as the writers' `opening`). */
  readonly opening?: LoadRequest;
};

/** A reader's requests of one label: how many answered, how many not 2xx, and their latencies. */
export type ViewLatency = {
  readonly count: number;
  readonly non2xx: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
};

export type LoadOrder = {
  readonly url: string;
  readonly connections: number;
  readonly requests: readonly LoadRequest[];
  /** Sent first on each connection and not measured: the connections are open when measuring starts. */
  readonly opening?: LoadRequest;
  /** Stop after this many measured requests (default: one per entry of `requests`)… */
  readonly amount?: number;
  /** …or after this many seconds. */
  readonly seconds?: number;
  /** Readers running alongside, from the first measured request until the last is answered. */
  readonly readers?: ReadersOrder;
  /**
   * A GET asked every `everyMs` while the load runs, and once more the moment its last request is
   * answered (before the readers stop): its JSON answers come back in `probes`.
   */
  readonly probe?: { readonly request: LoadRequest; readonly everyMs: number };
};

/** One answer of the probe, `atMs` after the first measured request; `last` for the one at the end. */
export type ProbeAnswer = { readonly atMs: number; readonly last: boolean; readonly body: unknown };

export type LoadResult = {
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statusCodes: Record<string, number>;
  /** With `readers`: their latencies, by label. */
  readonly views?: Record<string, ViewLatency>;
  readonly probes?: readonly ProbeAnswer[];
};

type Sent = { index: number; at: bigint };

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

type ReaderContext = { read?: { key: string; at: bigint } };

/** Longest a readers' load may run if the writers never finish: every load here stops by itself. */
const READERS_CEILING_SECONDS = 600;

/** Starts the readers; `stop()` ends them and resolves their latencies by label. */
const startReaders = (
  url: string,
  order: ReadersOrder,
): { stop: () => Promise<Record<string, ViewLatency>> } => {
  let next = 0;
  let answered = 0;
  let opened = 0;
  const latencies = new Map<string, number[]>();
  const failed = new Map<string, number>();
  const label = (request: LoadRequest) => request.label ?? request.path;
  let instance: autocannon.Instance | undefined;
  const done = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: order.connections,
        duration: READERS_CEILING_SECONDS,
        ...(order.perConnectionPerSecond !== undefined && { connectionRate: order.perConnectionPerSecond }),
        requests: [
          {
            setupRequest: (request, context) => {
              if (order.opening && opened < order.connections) {
                opened++;
                (context as ReaderContext).read = undefined;
                return { ...request, ...order.opening };
              }
              const chosen = order.requests[next++ % order.requests.length];
              const { label: _label, ...entry } = chosen;
              (context as ReaderContext).read = { key: label(chosen), at: process.hrtime.bigint() };
              return { ...request, ...entry };
            },
            onResponse: (status, _body, context) => {
              const state = context as ReaderContext;
              // Without an opening request, the first answers also measure opening the connections
              // (autocannon resets a connection's context between requests, so they are counted, not marked).
              if (!state.read || (!order.opening && answered++ < order.connections)) return;
              const { key, at } = state.read;
              const list = latencies.get(key) ?? [];
              list.push(Number(process.hrtime.bigint() - at) / 1e6);
              latencies.set(key, list);
              if (status < 200 || status >= 300) failed.set(key, (failed.get(key) ?? 0) + 1);
            },
          },
        ],
      },
      (error: unknown) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
    );
  });
  return {
    stop: async () => {
      instance?.stop();
      await done;
      return Object.fromEntries(
        [...latencies].map(([key, list]) => {
          list.sort((a, b) => a - b);
          return [
            key,
            {
              count: list.length,
              non2xx: failed.get(key) ?? 0,
              p50Ms: percentile(list, 50),
              p99Ms: percentile(list, 99),
            },
          ];
        }),
      );
    },
  };
};

const load = async (order: LoadOrder): Promise<LoadResult> => {
  // Each connection first sends `opening` (not measured): autocannon opens its connections one after
  // the other, milliseconds apart, and a short burst would otherwise measure that ramp. Times and
  // latencies are taken here, per request: autocannon's own are rounded to one-second samples.
  const opening = order.opening ? order.connections : 0;
  const measuredAmount = order.amount ?? order.requests.length;
  let next = 0;
  let firstSent: bigint | undefined;
  let lastAnswered = 0n;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let readers: ReturnType<typeof startReaders> | undefined;
  const options: autocannon.Options = {
    url: order.url,
    connections: order.connections,
    ...(order.seconds !== undefined ? { duration: order.seconds } : { amount: measuredAmount + opening }),
    requests: [
      {
        setupRequest: (request, context) => {
          const index = next++;
          const sent: Sent = { index, at: process.hrtime.bigint() };
          (context as { sent?: Sent }).sent = sent;
          if (index < opening) return { ...request, ...(order.opening as LoadRequest) };
          if (firstSent === undefined && order.readers) readers = startReaders(order.url, order.readers);
          firstSent ??= sent.at;
          return { ...request, ...order.requests[(index - opening) % order.requests.length] };
        },
        onResponse: (status, _body, context) => {
          const sent = (context as { sent?: Sent }).sent;
          if (!sent || sent.index < opening) return;
          lastAnswered = process.hrtime.bigint();
          latencies.push(Number(lastAnswered - sent.at) / 1e6);
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          if (status >= 200 && status < 300) ok++;
          else non2xx++;
        },
      },
    ],
  };
  const probes: ProbeAnswer[] = [];
  const ask = async (probe: NonNullable<LoadOrder['probe']>, last: boolean) => {
    const atMs = firstSent === undefined ? 0 : Number(process.hrtime.bigint() - firstSent) / 1e6;
    const answer = await fetch(`${order.url}${probe.request.path}`, { headers: probe.request.headers });
    probes.push({ atMs, last, body: (await answer.json()) as unknown });
  };
  const { probe } = order;
  const polling = probe && setInterval(() => void ask(probe, false).catch(() => undefined), probe.everyMs);
  const result = await autocannon(options);
  clearInterval(polling);
  if (probe) await ask(probe, true);
  const views = await readers?.stop();
  const seconds = firstSent === undefined ? NaN : Number(lastAnswered - firstSent) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    ok,
    non2xx,
    errors: result.errors,
    seconds,
    perSecond: ok / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statusCodes,
    ...(views !== undefined && { views }),
    ...(probe !== undefined && { probes }),
  };
};

/**
 * One worker thread for every load of a scenario, so that autocannon is warm (compiled) for each
 * measurement, the roll calls' and the bare route's alike: a fresh thread per load would compile
 * autocannon while it measures.
 */
export class LoadGenerator {
  private readonly worker = new Worker(join(__dirname, 'http-load.worker.js'));
  private queue: Promise<unknown> = Promise.resolve();

  /** One load at a time, in the order asked. */
  run(order: LoadOrder): Promise<LoadResult> {
    const next = this.queue.then(
      () =>
        new Promise<LoadResult>((resolve, reject) => {
          const onExit = (code: number) => reject(new Error(`the load worker exited with code ${code}`));
          this.worker.once('exit', onExit);
          this.worker.once('message', (message: { result?: LoadResult; error?: string }) => {
            this.worker.off('exit', onExit);
            if (message.result) resolve(message.result);
            else reject(new Error(message.error));
          });
          this.worker.postMessage(order);
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (order: LoadOrder) => {
    load(order).then(
      (result) => port.postMessage({ result }),
      (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
