import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';

/** Media types an import file may come as; archives and PDFs are accepted here to be refused by what they hold. */
export const IMPORT_FILE_TYPES = [
  'application/xml',
  'text/xml',
  'text/csv',
  'text/plain',
  'application/octet-stream',
  'application/zip',
  'application/x-zip-compressed',
  'application/gzip',
  'application/x-gzip',
  'application/x-7z-compressed',
  'application/vnd.rar',
  'application/x-rar-compressed',
  'application/pdf',
];

const tooLarge = (size: number | undefined, maxBytes: number): ApiError =>
  new ApiError(
    413,
    'IMPORT.TOO_LARGE',
    `${size === undefined ? 'the file is' : `the file has ${size} bytes,`} over the ${maxBytes} bytes an import reads`,
    { maxBytes, ...(size !== undefined ? { size } : {}) },
  );

/**
 * The body in one buffer that owns its memory (so that it moves to the reading thread without a
 * copy), refused as soon as it outgrows `maxBytes`: from Content-Length before reading, else while
 * reading. With a Content-Length, each chunk is copied into the body as it arrives: gathering 50 MB
 * at the end held the thread serving HTTP for a quarter of a second.
 */
const readBody = (request: FastifyRequest, payload: NodeJS.ReadableStream, maxBytes: number) =>
  new Promise<Buffer>((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) return reject(tooLarge(declared, maxBytes));
    let whole = Number.isSafeInteger(declared) && declared > 0 ? Buffer.allocUnsafeSlow(declared) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > maxBytes) {
        stop();
        chunks.length = 0;
        whole = undefined;
        return reject(tooLarge(undefined, maxBytes));
      }
      if (whole && size + chunk.length <= whole.length) chunk.copy(whole, size);
      else {
        // More than Content-Length said: gathered at the end after all.
        if (whole) chunks.push(whole.subarray(0, size));
        whole = undefined;
        chunks.push(chunk);
      }
      size += chunk.length;
    };
    const onEnd = () => {
      stop();
      if (whole && size === whole.length) return resolve(whole);
      if (whole) chunks.push(whole.subarray(0, size));
      whole = undefined;
      const body = Buffer.allocUnsafeSlow(size);
      let offset = 0;
      for (const chunk of chunks.splice(0)) offset += chunk.copy(body, offset);
      resolve(body);
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  });

/** Raw bodies for import files, bounded by REGISTRE_IMPORT_MAX_BYTES (not the JSON limit). */
export function registerImportBodyParsers(fastify: FastifyInstance, maxBytes: number): void {
  for (const type of IMPORT_FILE_TYPES)
    if (!fastify.hasContentTypeParser(type))
      fastify.addContentTypeParser(type, { bodyLimit: maxBytes }, (request, payload, done) => {
        readBody(request, payload, maxBytes).then(
          (body) => done(null, body),
          (error: Error) => done(error, undefined),
        );
      });
}
