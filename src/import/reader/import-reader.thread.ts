import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../../domain/shared/domain-error';
import { readExportFile } from '../read-export';
import { ReadAnswer, ReadRequest } from './protocol';

/** One import's file, unpacked and parsed away from the thread serving HTTP; then this thread ends. */
const read = async ({ kind, bytes, limits }: ReadRequest): Promise<ReadAnswer> => {
  try {
    return { ok: true, file: await readExportFile(kind, bytes, limits) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const { code, message, details, kind: errorKind } = error;
    return { ok: false, error: { code, message, details, kind: errorKind } };
  }
};

void read(workerData as ReadRequest).then((answer) => parentPort?.postMessage(answer));
