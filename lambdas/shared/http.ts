import type { Dispatcher } from 'undici';
import type { Clock, SecretStore, TokenCache } from '../ports';
import type { Logger } from './logger';

/** When and how often to retry a transient failure (5xx, 429, a dropped connection, a timeout). */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** What the Workday and Procore clients both take; injected so tests and the benchmark control time and I/O. */
export interface HttpClientDeps {
  secrets: SecretStore;
  tokens: TokenCache;
  /** Credential variables, read when the store holds none. */
  env?: Record<string, string | undefined>;
  dispatcher: Dispatcher;
  logger: Logger;
  now: Clock;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Epoch ms after which no new attempt starts (the Lambda deadline); waits never run past it. */
  deadline?: () => number | undefined;
  /** Each client has its own default. */
  retry?: RetryPolicy;
}

/** Exponential backoff with full jitter: a random wait in [base, base·2^(attempt-1)], capped. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(policy.baseDelayMs + random() * Math.max(0, ceiling - policy.baseDelayMs));
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date), if it has a usable value. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Network-level failures worth a retry: resets, refused or dropped connections, undici timeouts. */
export function isTransientNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    [
      'ECONNRESET',
      'ECONNREFUSED',
      'EPIPE',
      'ETIMEDOUT',
      'UND_ERR_SOCKET',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
      'UND_ERR_CLOSED',
    ].includes(code)
  );
}

/** Sleeps `ms`; injected everywhere so tests and the benchmark can control time. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
