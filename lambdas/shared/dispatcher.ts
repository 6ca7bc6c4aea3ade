import { Agent, type Dispatcher } from 'undici';

/**
 * The HTTP client's connection pool, apart from the rest of `http.ts` so that only the functions that call
 * Workday or Procore bundle undici.
 */
export interface DispatcherOptions {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  connections?: number;
  /** Bytes a response body may have; a larger one fails the request (UND_ERR_RES_EXCEEDED_MAX_SIZE). */
  maxResponseBytes?: number;
}

/** What a Workday page or a Procore answer can reasonably be: the XML parser refuses documents above this too. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The one undici dispatcher every client shares: explicit timeouts, keep-alive, bounded connections and responses. */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  return new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    headersTimeout: options.headersTimeoutMs ?? 60_000,
    bodyTimeout: options.bodyTimeoutMs ?? 120_000,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    connections: options.connections ?? 4,
    maxResponseSize: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
  });
}
