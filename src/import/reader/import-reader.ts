import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DomainError, invalid } from '../../domain/shared/domain-error';
import type { StructureExport } from '../../domain/structure/import-file';
import type { ImportKind } from '../read-export';
import type { ImportLimits } from '../unpack';
import { ReadAnswer, ReadRequest } from './protocol';

/** The reading thread's entry point; tests running TypeScript pass the .ts file and a loader. */
export interface ImportReaderScript {
  readonly filename: string;
  readonly execArgv?: readonly string[];
}

export interface ImportReaderOptions {
  readonly limits: ImportLimits;
  /** Files read at once, each in a thread of its own. */
  readonly concurrency: number;
  /** Files waiting for a thread; one more is refused with ImportsBusyError. */
  readonly queue: number;
  /** Old-generation heap of one reading thread. */
  readonly memoryMb: number;
  readonly script?: ImportReaderScript;
}

/** Too many imports at once: the caller should retry shortly. */
export class ImportsBusyError extends Error {
  constructor(readonly running: number) {
    super(`${running} imports are being read already; retry shortly`);
    this.name = 'ImportsBusyError';
  }
}

const SIBLING_SCRIPT: ImportReaderScript = {
  filename: join(__dirname, `import-reader.thread${extname(__filename)}`),
};

/** Transferring moves the bytes without a copy; only a buffer that owns its whole memory may go. */
const ownsItsMemory = (bytes: Uint8Array): boolean =>
  !(bytes.buffer instanceof SharedArrayBuffer) &&
  bytes.byteOffset === 0 &&
  bytes.byteLength === bytes.buffer.byteLength;

/**
 * Reads import files (unpack, decode, parse) in worker threads with a bounded heap, a few at a
 * time: a 50 MB export takes seconds of CPU and hundreds of MB, which the thread serving HTTP
 * must not pay. A file that exhausts its thread's heap is refused; the process lives on.
 */
export class ImportReader {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly workers = new Set<Worker>();

  constructor(private readonly options: ImportReaderOptions) {}

  /** Reads the file; the bytes are handed to the reading thread and must not be used afterwards. */
  readonly read = async (kind: ImportKind, bytes: Uint8Array): Promise<StructureExport> => {
    await this.slot();
    try {
      return await this.inThread({ kind, bytes, limits: this.options.limits });
    } finally {
      this.release();
    }
  };

  /** Imports being read and waiting, for logs and tests. */
  load(): { readonly running: number; readonly waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.terminate()));
  }

  private slot(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.queue) return Promise.reject(new ImportsBusyError(this.running));
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private inThread(request: ReadRequest): Promise<StructureExport> {
    const script = this.options.script ?? SIBLING_SCRIPT;
    const worker = new Worker(script.filename, {
      workerData: request,
      transferList: ownsItsMemory(request.bytes) ? [request.bytes.buffer as ArrayBuffer] : [],
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
      ...(script.execArgv !== undefined && { execArgv: [...script.execArgv] }),
    });
    this.workers.add(worker);
    return new Promise<StructureExport>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
        void worker.terminate();
      };
      worker.on('message', (answer: ReadAnswer) =>
        settle(() => {
          if (answer.ok) resolve(answer.file);
          else {
            const { code, message, details, kind } = answer.error;
            reject(new DomainError(code, message, details, kind));
          }
        }),
      );
      worker.on('error', (error: Error & { code?: string }) =>
        settle(() =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? invalid(
                  'IMPORT.TOO_COMPLEX',
                  `reading the file needs more than the ${this.options.memoryMb} MB an import may use (REGISTRE_IMPORT_WORKER_MEMORY_MB)`,
                  { memoryMb: this.options.memoryMb },
                )
              : error,
          ),
        ),
      );
      worker.on('exit', (code) => {
        this.workers.delete(worker);
        settle(() =>
          reject(new Error(`the import reading thread stopped (exit code ${code}) before answering`)),
        );
      });
    });
  }
}
