import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'undici';
import { ProcoreError, type ProcoreFailureClass } from '../shared/errors';
import { backoffMs, isTransientNetworkError, retryAfterMs } from '../shared/http';
import { CREDENTIALS_HINT, type TokenManager } from './auth';
import { assertBeforeDeadline, errorCode, maybeSent, pause, type Runtime } from './context';
import { classifyProcoreFailure, ProcoreOutcomeUnknownError } from './errors';
import { Pacer, readRateLimit } from './pacing';

/** The HTTP methods the client uses. */
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** A query value; arrays become `key[]=a&key[]=b`. */
export type QueryValue = string | number | boolean | undefined | readonly (string | number)[];

/** One Procore API call. */
export interface RequestSpec {
  method: Method;
  /** Path under the API base URL, e.g. `/rest/v1.0/vendors`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /**
   * False for creates: when the answer is lost (dropped connection, gateway error) the call ends with
   * ProcoreOutcomeUnknownError instead of a blind retry, and the caller looks the object up by origin_id.
   * Default: true for everything but POST.
   */
  idempotent?: boolean;
  /** Named in 403/404 messages. */
  projectId?: number;
  /** How a 404 counts for the writer (default permanent; a missing parent is a dependency). */
  notFound?: ProcoreFailureClass;
}

/** A 2xx answer. */
export interface ApiReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
  requestId: string | undefined;
}

type Attempt =
  | { kind: 'reply'; status: number; headers: IncomingHttpHeaders; text: string; requestId: string | undefined }
  | { kind: 'network'; error: unknown };

// Statuses after which a create may or may not have been applied.
const AMBIGUOUS = new Set([408, 500, 502, 504]);
const MAX_429_JITTER_MS = 1_000;

/** Sends Procore API requests: auth headers, pacing, retries within the policy and the deadline, one error type. */
export class Transport {
  readonly pacer: Pacer;

  constructor(
    private readonly rt: Runtime,
    private readonly auth: TokenManager,
    private readonly apiBaseUrl: string,
  ) {
    this.pacer = new Pacer(rt);
  }

  /** Sends `spec` until it succeeds or fails for good; answers only 2xx, throws ProcoreError otherwise. */
  async send(spec: RequestSpec): Promise<ApiReply> {
    const what = `${spec.method} ${spec.path}`;
    const idempotent = spec.idempotent ?? spec.method !== 'POST';
    let renewed = false;
    for (let attempt = 1; ; ) {
      assertBeforeDeadline(this.rt, what);
      await this.pacer.admit(what);
      let token: string;
      try {
        token = await this.auth.token();
      } catch (error) {
        this.pacer.settle(undefined);
        throw error;
      }
      const result = await this.attempt(spec, token, attempt);
      let wait: number;
      let last: string;
      let status: number | undefined;
      if (result.kind === 'network') {
        last = errorCode(result.error);
        if (!idempotent && maybeSent(result.error)) {
          throw new ProcoreOutcomeUnknownError(
            `${what}: the connection failed after the request was sent (${last}); it may have been applied`,
            { failure: 'transient' },
            { cause: result.error },
          );
        }
        if (!isTransientNetworkError(result.error)) {
          throw new ProcoreError(
            `could not reach Procore for ${what} (${last}): check procore.apiBaseUrl and the network`,
            { failure: 'transient' },
            { cause: result.error },
          );
        }
        wait = backoffMs(attempt, this.rt.retry, this.rt.random);
      } else {
        status = result.status;
        const body = parseJson(result.text, result.headers);
        if (status >= 200 && status < 300) {
          return { status, headers: result.headers, body, requestId: result.requestId };
        }
        if (status === 401) {
          if (renewed) {
            throw new ProcoreError(
              `Procore rejected a newly issued access token for ${what} (401): ${CREDENTIALS_HINT}, and that ` +
                'procore.authBaseUrl and procore.apiBaseUrl are the same Procore environment',
              { status, failure: 'credentials', requestId: result.requestId },
            );
          }
          renewed = true;
          this.rt.stats.retries += 1;
          this.rt.logger.debug('procore token rejected; renewing once', { request: what });
          await this.auth.renewAfterRejection(token);
          continue;
        }
        const failure = classifyProcoreFailure(status, body ?? result.text);
        if (!failure.retryable) throw this.finalError(spec, status, failure, result.requestId);
        if (!idempotent && AMBIGUOUS.has(status)) {
          throw new ProcoreOutcomeUnknownError(
            `${what}: Procore answered ${status} (${failure.detail}); the create may have been applied`,
            { status, failure: 'transient', requestId: result.requestId },
          );
        }
        last = `HTTP ${status}${failure.detail ? ` ${failure.detail}` : ''}`;
        wait = this.retryWait(status, result.headers, attempt);
      }
      if (attempt >= this.rt.retry.maxAttempts) {
        throw new ProcoreError(
          `Procore ${what} failed after ${attempt} attempts (last: ${last}); the record will be retried later`,
          { status, failure: 'transient', retryAfterMs: wait, requestId: lastRequestId(result) },
        );
      }
      this.rt.stats.retries += 1;
      this.rt.logger.debug('procore retry', { request: what, attempt, waitMs: wait, reason: last });
      await pause(this.rt, wait, what, status);
      attempt += 1;
    }
  }

  /** Sends once and reads the whole answer; counts the call and records the rate-limit window. */
  private async attempt(spec: RequestSpec, token: string, attempt: number): Promise<Attempt> {
    const started = performance.now();
    const stats = this.rt.stats;
    stats.calls += 1;
    if (spec.method === 'GET') stats.reads += 1;
    else stats.writes += 1;
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'procore-company-id': String(this.rt.companyId),
      accept: 'application/json',
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    let result: Attempt;
    try {
      const response = await request(this.url(spec), {
        method: spec.method,
        dispatcher: this.rt.dispatcher,
        headers,
        ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
      });
      const text = await response.body.text();
      const requestId = header(response.headers, 'x-request-id');
      result = { kind: 'reply', status: response.statusCode, headers: response.headers, text, requestId };
    } catch (error) {
      result = { kind: 'network', error };
    }
    const window = result.kind === 'reply' ? readRateLimit(result.headers) : undefined;
    if (window) stats.rateLimit = window;
    if (result.kind === 'reply' && result.status >= 400 && result.status < 500) stats.clientErrors += 1;
    if (result.kind === 'reply' && result.status === 429) {
      stats.throttled += 1;
      if (!window) this.pacer.exhausted(this.rt.now() + this.retryWait(429, result.headers, attempt));
    }
    this.pacer.settle(window);
    this.rt.logger.debug('procore call', {
      method: spec.method,
      path: spec.path,
      attempt,
      ms: Math.round(performance.now() - started),
      ...(result.kind === 'reply'
        ? { status: result.status, requestId: result.requestId, remaining: window?.remaining }
        : { error: errorCode(result.error) }),
    });
    return result;
  }

  /** 429: Retry-After, else until X-Rate-Limit-Reset, plus jitter; 503: Retry-After; else backoff. */
  private retryWait(status: number, headers: IncomingHttpHeaders, attempt: number): number {
    const now = this.rt.now();
    const retryAfter = retryAfterMs(headers['retry-after'], now);
    if (status === 429) {
      const reset = readRateLimit(headers)?.resetAt;
      const base = retryAfter ?? (reset === undefined ? undefined : Math.max(0, reset - now));
      return (
        (base ?? backoffMs(attempt, this.rt.retry, this.rt.random)) + Math.round(this.rt.random() * MAX_429_JITTER_MS)
      );
    }
    if (status === 503 && retryAfter !== undefined) return retryAfter;
    return backoffMs(attempt, this.rt.retry, this.rt.random);
  }

  private finalError(
    spec: RequestSpec,
    status: number,
    failure: ReturnType<typeof classifyProcoreFailure>,
    requestId: string | undefined,
  ): ProcoreError {
    const what = `${spec.method} ${spec.path}`;
    const said = failure.detail ? ` (${failure.detail})` : '';
    const details = { status, fieldErrors: failure.fieldErrors, requestId };
    const company = this.rt.companyId;
    if (status === 403) {
      const scope =
        spec.projectId === undefined
          ? `the app is not installed in company ${company}, or lacks the tool permission this call needs`
          : `the app is not installed in company ${company}, or project ${spec.projectId} is not among its permitted projects`;
      return new ProcoreError(`Procore refused ${what} with 403${said}: ${scope}: add it in Procore's App Management`, {
        ...details,
        failure: 'permanent',
      });
    }
    if (status === 404) {
      const where =
        spec.projectId === undefined ? '' : ` (project ${spec.projectId} in company ${company}, as the app sees it)`;
      return new ProcoreError(`Procore has no such record for ${what}${where}: 404${said}`, {
        ...details,
        failure: spec.notFound ?? 'permanent',
      });
    }
    return new ProcoreError(`Procore rejected ${what} with ${status}${said}`, { ...details, failure: failure.failure });
  }

  private url(spec: RequestSpec): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) params.append(`${key}[]`, String(v));
      else params.append(key, String(value));
    }
    const query = params.toString();
    return `${this.apiBaseUrl}${spec.path}${query ? `?${query}` : ''}`;
  }
}

function lastRequestId(result: Attempt): string | undefined {
  return result.kind === 'reply' ? result.requestId : undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string, headers: IncomingHttpHeaders): unknown {
  if (text.trim() === '') return undefined;
  const type = header(headers, 'content-type') ?? '';
  if (!type.includes('json') && !/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
