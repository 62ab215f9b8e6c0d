import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../logger';
import { LOGGER } from '../core/tokens';
import { errorResponse } from './error-response';

/** The one place where errors become HTTP answers. */
@Catch()
export class RegistreExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { body, headers, unexpected } = errorResponse(exception, String(request.id));
    if (unexpected) {
      this.logger.error(
        { err: exception, requestId: request.id, method: request.method, url: request.url },
        'request failed',
      );
    }
    void reply.status(body.statusCode).headers(headers).send(body);
  }
}
