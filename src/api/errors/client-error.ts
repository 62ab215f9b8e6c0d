import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ErrorBody } from './api-error';

const REFUSALS: Readonly<Record<string, Omit<ErrorBody, 'details'>>> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    statusCode: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'the request did not arrive in full within the time allowed',
  },
  HPE_HEADER_OVERFLOW: {
    statusCode: 431,
    code: 'HEADERS_TOO_LARGE',
    message: 'the request headers are too large',
  },
};

const MALFORMED: Omit<ErrorBody, 'details'> = {
  statusCode: 400,
  code: 'BAD_REQUEST',
  message: 'the request is not valid HTTP',
};

/**
 * What Node refuses before a request exists (a timeout, an unparsable request line, oversized headers),
 * answered in the API's error shape and the connection closed: Fastify's default says it otherwise.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal = REFUSALS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ ...refusal, details: {} });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${refusal.statusCode} ${STATUS_CODES[refusal.statusCode]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
