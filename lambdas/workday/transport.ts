import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, request } from 'undici';
import type { Clock } from '../ports';
import { WorkdayError } from '../shared/errors';
import { backoffMs, isTransientNetworkError, type RetryPolicy, retryAfterMs } from '../shared/http';
import type { Logger } from '../shared/logger';

/** Counters a Workday client reports: HTTP requests made, retries (transient and auth), pages read. */
export interface WorkdayStats {
  calls: number;
  retries: number;
  pages: number;
}

/** What sending and retrying need; shared by the SOAP calls and the token endpoint. */
export interface TransportDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  now: Clock;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  deadline: () => number | undefined;
  retry: RetryPolicy;
  timeoutMs: number;
  stats: WorkdayStats;
}

/** An HTTP answer, whatever its status. */
export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Names a call in logs and error messages: `Get_Suppliers` page 2, or `oauth2/token`. */
export interface CallLabel {
  operation: string;
  page?: number;
}

/** `Get_Suppliers page 2`, for messages. */
export function describeCall(label: CallLabel): string {
  return label.page === undefined ? label.operation : `${label.operation} page ${label.page}`;
}

/** A transient failure worth another attempt: what went wrong, and the wait the server asked for. */
export class TransientFailure {
  constructor(
    readonly kind: 'throttled' | 'unavailable',
    readonly reason: string,
    readonly options: { cause?: unknown; retryAfterMs?: number | undefined } = {},
  ) {}
}

/** POSTs once and reads the whole body; a dropped connection or a timeout comes back as a TransientFailure. */
export async function post(
  deps: TransportDeps,
  label: CallLabel,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<HttpReply | TransientFailure> {
  const started = performance.now();
  deps.stats.calls += 1;
  const log = (fields: Record<string, unknown>) =>
    deps.logger.debug('workday call', { ...label, ...fields, ms: Math.round(performance.now() - started) });
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: deps.dispatcher,
      headers,
      body,
      headersTimeout: deps.timeoutMs,
      bodyTimeout: deps.timeoutMs,
    });
    const text = await response.body.text();
    log({ status: response.statusCode });
    return { status: response.statusCode, headers: response.headers, text };
  } catch (error) {
    const code = errorCode(error);
    log({ error: code });
    if (isTransientNetworkError(error)) {
      return new TransientFailure('unavailable', `no answer (${code})`, { cause: error });
    }
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      throw new WorkdayError(
        'malformed',
        `the answer to ${describeCall(label)} is larger than the response limit of the HTTP client: lower workday.pageSize`,
        { cause: error, context: { operation: label.operation } },
      );
    }
    throw new WorkdayError(
      'unavailable',
      `could not send ${describeCall(label)} to ${new URL(url).origin} (${code}): check workday.baseUrl and the network`,
      { cause: error, context: { operation: label.operation } },
    );
  }
}

function errorCode(error: unknown): string {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}

/** Retry-After of a reply, in ms, when it carries a usable one. */
export function retryAfterOf(reply: HttpReply, now: number): number | undefined {
  return retryAfterMs(reply.headers['retry-after'], now);
}

/**
 * Runs `attempt` until it returns a value, retrying TransientFailures with jittered backoff (or the
 * server's Retry-After) up to `retry.maxAttempts`, and never starting an attempt past the deadline.
 * Anything `attempt` throws is final.
 */
export async function withRetries<T>(
  deps: TransportDeps,
  label: CallLabel,
  attempt: () => Promise<T | TransientFailure>,
): Promise<T> {
  for (let n = 1; ; n++) {
    if (pastDeadline(deps, 0)) {
      throw new WorkdayError('unavailable', `${describeCall(label)} was not started: the run's deadline has passed`, {
        context: { operation: label.operation },
      });
    }
    const outcome = await attempt();
    if (!(outcome instanceof TransientFailure)) return outcome;
    const wait = outcome.options.retryAfterMs ?? backoffMs(n, deps.retry, deps.random);
    if (n >= deps.retry.maxAttempts) throw exhausted(label, outcome, `after ${n} attempts`);
    if (pastDeadline(deps, wait)) throw exhausted(label, outcome, `after ${n} attempts, stopped by the run's deadline`);
    deps.stats.retries += 1;
    await deps.sleep(wait);
  }
}

function pastDeadline(deps: TransportDeps, waitMs: number): boolean {
  const deadline = deps.deadline();
  return deadline !== undefined && deps.now() + waitMs >= deadline;
}

function exhausted(label: CallLabel, failure: TransientFailure, how: string): WorkdayError {
  const advice =
    failure.kind === 'throttled'
      ? 'Workday is throttling this tenant'
      : "Workday is unreachable or failing; if this persists, check workday.baseUrl and Workday's status";
  return new WorkdayError(
    failure.kind,
    `Workday ${describeCall(label)} failed ${how} (last: ${failure.reason}). ${advice}`,
    { cause: failure.options.cause, context: { operation: label.operation } },
  );
}
