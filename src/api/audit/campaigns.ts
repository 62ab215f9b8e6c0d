import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CampaignOperation, checkOperations, inverseOf } from '../../domain/audit/campaign';
import { DomainError } from '../../domain/shared/domain-error';
import { DryRun, dryRunOf } from '../../event-store/dry-run';
import { EventStore, readEventsAt, RecordedEvent } from '../../event-store/event-store';
import { AuthenticatedUser } from '../auth/user';
import { EVENT_STORE, PROJECTION_RUNNER } from '../core/tokens';
import { Reads } from '../core/reads';
import { LiveProjections } from '../../projections/live-projections';
import { auditTrailProjection } from '../../projections/audit-trail';
import { AsOfViews } from './as-of-views';

export interface CampaignRequest {
  readonly reason: string;
  readonly correlationId?: string;
  readonly dryRun: boolean;
  readonly operations: readonly CampaignOperation[];
}

type Answer = { readonly status: number; readonly body: unknown };

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a 400 refused the campaign's reason as a field the route's body does not have. */
const refusedReasonField = (answer: Answer): boolean => {
  if (answer.status !== 400 || !isRecord(answer.body) || !isRecord(answer.body.details)) return false;
  const errors = answer.body.details.errors;
  return (
    Array.isArray(errors) &&
    errors.some((e) => isRecord(e) && e.field === 'reason' && e.rule === 'unknownField')
  );
};

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

/**
 * Correction campaigns: a batch of ordinary commands sent through the API's own routes — the same
 * validation, roles, deciders and closed-period rules as one by one — under one correlation id and
 * one reason. A dry run decides every command and appends nothing, then shows which figures of which
 * students would change in which views; the commit appends them and shows the same; a commit is
 * reverted by a campaign of the corrections that undo it.
 */
@Injectable()
export class Campaigns {
  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AsOfViews) private readonly asOf: AsOfViews,
    @Inject(Reads) private readonly reads: Reads,
    @Inject(PROJECTION_RUNNER) private readonly runner: LiveProjections,
  ) {}

  async run(user: AuthenticatedUser, authorization: string, schoolId: string, request: CampaignRequest) {
    checkOperations(schoolId, request.operations);
    const correlationId = request.correlationId ?? `campaign-${randomUUID()}`;
    const head = await this.store.headPosition();
    const dryRun = request.dryRun ? new DryRun() : undefined;
    const operations = [];
    for (const [index, operation] of request.operations.entries()) {
      const send = () =>
        this.send(authorization, correlationId, request.reason, operation, `${correlationId}.${index}`);
      const answer = dryRun === undefined ? await send() : await dryRunOf(dryRun, send);
      const ok = answer.status >= 200 && answer.status < 300;
      operations.push({
        index,
        method: operation.method,
        path: operation.path,
        status: answer.status,
        accepted: ok,
        answer: answer.body,
      });
    }
    const events: RecordedEvent[] =
      dryRun === undefined
        ? (await this.store.readAll({ after: head })).filter(
            (e) => e.metadata?.correlationId === correlationId,
          )
        : dryRun.events.map((e, i) => ({
            id: `dry-run-${i}`,
            streamId: e.streamId,
            revision: -1,
            position: head + BigInt(i + 1),
            type: e.type,
            data: e.data,
            metadata: e.metadata,
          }));
    const students = await this.asOf.changesBy(user, schoolId, head, events);
    return {
      correlationId,
      reason: request.reason,
      dryRun: request.dryRun,
      /** The log position the campaign was decided on. */
      head: head.toString(),
      /** The position of the last event the commit appended (read the views with ?minPosition= it). */
      position: (events.length === 0 || dryRun !== undefined
        ? head
        : events[events.length - 1].position
      ).toString(),
      operations,
      refused: operations.filter((o) => !o.accepted).map((o) => o.index),
      events: events.map((e) => ({
        streamId: e.streamId,
        type: e.type,
        ...(dryRun ? {} : { position: e.position.toString() }),
      })),
      students,
    };
  }

  /**
   * The campaign that undoes a committed one: for each of its events, in reverse order, the
   * correction back (see `inverseOf`); the events no correction undoes are listed.
   */
  async revert(
    user: AuthenticatedUser,
    authorization: string,
    schoolId: string,
    correlationId: string,
    request: { reason: string; dryRun: boolean },
  ) {
    // The trail names the campaign's events: it must hold the log as it stands now.
    await this.runner.waitFor(auditTrailProjection.name, await this.store.headPosition(), 5_000);
    const done: RecordedEvent[] = [];
    let after: bigint | undefined;
    for (;;) {
      const page = await this.reads.run(
        'readAuditTrail',
        () => this.runner.tables(auditTrailProjection.name),
        { schoolId, correlationId, limit: 1_000, ...(after !== undefined ? { after } : {}) },
      );
      done.push(...(await readEventsAt(this.store, page)));
      if (page.length < 1_000) break;
      after = page[page.length - 1].position;
    }
    if (done.length === 0)
      throw new DomainError(
        'CAMPAIGN.UNKNOWN',
        `no event of school ${schoolId} was recorded under correlation id ${correlationId}`,
        { correlationId },
        'not_found',
      );
    const operations: CampaignOperation[] = [];
    const notUndone: { position: string; type: string; why: string }[] = [];
    for (const event of [...done].reverse()) {
      const inverse = inverseOf(schoolId, { streamId: event.streamId, type: event.type, data: event.data });
      if ('operation' in inverse) operations.push(inverse.operation);
      else notUndone.push({ position: event.position.toString(), type: event.type, why: inverse.notUndone });
    }
    if (operations.length === 0)
      throw new DomainError(
        'CAMPAIGN.NOTHING_TO_UNDO',
        `no event of ${correlationId} is undone by a correction: ${notUndone.map((n) => n.why).join('; ')}`,
        { correlationId, notUndone },
        'conflict',
      );
    const reverted = await this.run(user, authorization, schoolId, {
      reason: request.reason,
      correlationId: `revert.${correlationId}`.slice(0, 100),
      dryRun: request.dryRun,
      operations,
    });
    return { ...reverted, reverts: correlationId, notUndone };
  }

  private async send(
    authorization: string,
    correlationId: string,
    reason: string,
    operation: CampaignOperation,
    key: string,
  ): Promise<Answer> {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const inject = async (body: Record<string, unknown>): Promise<Answer> => {
      const response = await fastify.inject({
        method: operation.method,
        url: operation.path,
        headers: {
          authorization,
          'content-type': 'application/json',
          'x-correlation-id': correlationId,
          'x-reason': encodeURIComponent(reason),
          'idempotency-key': key,
        },
        payload: JSON.stringify(body),
      });
      return { status: response.statusCode, body: parsed(response.body) };
    };
    const body = { ...(operation.body ?? {}) };
    if (body.reason !== undefined) return inject(body);
    const answer = await inject({ ...body, reason });
    // The route's body has no reason field: the reason goes with the X-Reason header alone.
    return refusedReasonField(answer) ? inject(body) : answer;
  }
}
