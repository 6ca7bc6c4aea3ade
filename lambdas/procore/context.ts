import type { Dispatcher } from 'undici';
import type * as z from 'zod';
import type { Clock } from '../ports';
import { ProcoreError } from '../shared/errors';
import type { RetryPolicy } from '../shared/http';
import type { Logger } from '../shared/logger';
import type { ProcoreStats } from './types';

/** Procore's advice for a 429 is to wait and retry; 5 attempts from 1 s up to 60 s fit a Lambda run. */
export const PROCORE_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** The resolved dependencies every part of the client shares. */
export interface Runtime {
  dispatcher: Dispatcher;
  logger: Logger;
  now: Clock;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  deadline: () => number | undefined;
  retry: RetryPolicy;
  stats: ProcoreStats;
  companyId: number;
}

/** Throws a transient error when the run's deadline has passed, so no attempt starts after it. */
export function assertBeforeDeadline(rt: Runtime, what: string): void {
  const deadline = rt.deadline();
  if (deadline !== undefined && rt.now() >= deadline) {
    throw new ProcoreError(`${what} was not started: the run's deadline has passed; it will be retried`, {
      failure: 'transient',
    });
  }
}

/** Sleeps `ms`, unless waking would pass the deadline: then throws a transient error carrying the wait. */
export async function pause(rt: Runtime, ms: number, what: string, status?: number): Promise<void> {
  const deadline = rt.deadline();
  if (deadline !== undefined && rt.now() + ms >= deadline) {
    throw new ProcoreError(
      `${what} needs a ${Math.ceil(ms / 1000)} s wait that would pass the run's deadline; it will be retried`,
      { status, failure: 'transient', retryAfterMs: ms },
    );
  }
  if (ms > 0) await rt.sleep(ms);
}

/** Parses a Procore response with a lenient schema; a body we cannot use is a permanent error naming the path. */
export function parseResponse<T>(schema: z.ZodType<T>, value: unknown, what: string, requestId?: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
  throw new ProcoreError(`Procore answered ${what} with a body the connector cannot read: ${issues}`, {
    failure: 'permanent',
    requestId,
  });
}

/** Error codes that prove the request never left this machine, so even a create may be sent again. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether a failed request may have reached Procore. */
export function maybeSent(error: unknown): boolean {
  return !NOT_SENT.has(errorCode(error));
}

/** The `code` of a Node or undici error, else its name. */
export function errorCode(error: unknown): string {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}

/** Caches one promise per key; a failed load is forgotten so the next call tries again. */
export function memo<K, V>(map: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  const hit = map.get(key);
  if (hit) return hit;
  const promise = forgetOnFailure(load(), () => map.delete(key));
  map.set(key, promise);
  return promise;
}

/** `promise`, calling `forget` first when it rejects. */
export function forgetOnFailure<V>(promise: Promise<V>, forget: () => void): Promise<V> {
  return promise.catch((error: unknown) => {
    forget();
    throw error;
  });
}
