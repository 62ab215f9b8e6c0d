import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, tap } from 'rxjs';
import type { Clock } from '../../domain/shared/clock';
import { knownUser } from '../auth/request';
import { CLOCK } from '../core/tokens';
import { errorResponse } from '../errors/error-response';
import { AccessLog } from './access-log';
import { accessSubjectOf } from './access-logged-routes';
import { ACCESS_LOG } from './tokens';

const READS = new Set(['GET', 'HEAD']);

/**
 * Global: every read of a route of ACCESS_LOGGED_ROUTES that got past the guard is recorded once it
 * is answered — who, when, which student (or which class, council… for a list), the route and the
 * status, a failure's included (a 404 on an unknown student is still a look). Refusals of the guard
 * (401, 403) read nothing and are not recorded.
 */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    @Inject(ACCESS_LOG) private readonly log: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (!READS.has(request.method)) return next.handle();
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const subject = accessSubjectOf(request.routeOptions.url, params, query);
    const user = knownUser(request);
    if (subject === undefined || user === undefined) return next.handle();
    const record = (status: number) =>
      this.log.record({
        at: this.clock.now().toISOString(),
        actorId: user.sub,
        actorRole: user.role,
        schoolId: params.schoolId ?? user.schoolId,
        studentId: subject.studentId ?? null,
        scope: subject.scope ?? null,
        route: request.routeOptions.url ?? request.url,
        status,
      });
    return next.handle().pipe(
      tap({
        next: () => record(http.getResponse<FastifyReply>().statusCode),
        error: (error: unknown) => record(errorResponse(error, String(request.id)).body.statusCode),
      }),
    );
  }
}
