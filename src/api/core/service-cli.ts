import { Command, InvalidArgumentError } from 'commander';
import { userInfo } from 'node:os';
import { loadConfig } from '../../config';
import type { Clock } from '../../domain/shared/clock';
import { Role } from '../../domain/shared/event';
import { isUai } from '../../domain/shared/uai';
import { serviceUrl } from '../../demo/cli';
import { signToken, TokenSigningError } from '../auth/sign-token';

/** What a CLI command that asks the running service needs: its environment and the time for its token. */
export interface ServiceCliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
}

/** A `--school` value: a UAI, or commander's message. */
export const uaiArgument = (value: string): string => {
  if (!isUai(value)) throw new InvalidArgumentError('a UAI is 7 digits and a letter, e.g. 0670001A.');
  return value;
};

/** A refusal of the service, as the CLI prints it: the code, the message and each problem listed. */
export const refusalOf = (status: number, body: string): string => {
  try {
    const error = JSON.parse(body) as {
      code?: string;
      message?: string;
      details?: { problems?: { code: string; field: string; message: string }[] };
    };
    const problems = (error.details?.problems ?? [])
      .map((p) => `\n  - ${p.code} ${p.field}: ${p.message}`)
      .join('');
    return `${error.code ?? status}: ${error.message ?? ''}${problems}`;
  } catch {
    return `the service answered ${status}`;
  }
};

/**
 * Asks the running service (`url`, else REGISTRE_URL, else the configured host and port), like any
 * client, with a token of `role` signed by the configured secret for `cli:<user>`: the answer when it
 * is a 2xx; otherwise the command exits 1 with the service's refusal, or with why it could not reach it.
 */
export const askService = async (
  command: Command,
  io: ServiceCliIo,
  who: { readonly school: string; readonly role: Role; readonly url?: string },
  path: string,
  request: { readonly method?: 'GET' | 'POST'; readonly body?: object } = {},
): Promise<Response> => {
  const config = loadConfig(io.env);
  const token = await signToken(
    config,
    {
      sub: `cli:${userInfo().username}`,
      role: who.role,
      schoolId: who.school,
      classes: [],
      subjects: [],
      ttl: '10m',
    },
    io.clock,
  ).catch((error: unknown) => {
    if (error instanceof TokenSigningError) command.error(`registre: ${error.message}`, { exitCode: 1 });
    throw error;
  });
  const base = (who.url ?? io.env.REGISTRE_URL ?? serviceUrl(config)).replace(/\/$/, '');
  const response = await fetch(`${base}/schools/${who.school}${path}`, {
    method: request.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${token}`,
      ...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
  }).catch((error: unknown) =>
    command.error(
      `registre: cannot reach the service at ${base} (${String((error as Error).cause ?? (error as Error).message)}); start it with registre serve, or set REGISTRE_URL`,
      { exitCode: 1 },
    ),
  );
  if (!response.ok)
    command.error(`registre: ${refusalOf(response.status, await response.text())}`, { exitCode: 1 });
  return response;
};
