import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
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

const ROUTING_REFUSALS: Readonly<Record<string, Omit<ErrorBody, 'details'>>> = {
  FST_ERR_BAD_URL: {
    statusCode: 400,
    code: 'BAD_URL',
    message: 'the path is not a valid URL: a percent-encoded part does not decode to UTF-8',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    statusCode: 414,
    code: 'PATH_PARAMETER_TOO_LONG',
    message: 'a path parameter is longer than the API accepts',
  },
};

/** What Fastify's router refuses before a route is found, answered in the API's error shape. */
export function answerRoutingError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const refusal = ROUTING_REFUSALS[error.code ?? ''] ?? {
    statusCode: 400,
    code: 'BAD_REQUEST',
    message: 'the request could not be routed',
  };
  void reply.code(refusal.statusCode).send({ ...refusal, details: {} });
}
