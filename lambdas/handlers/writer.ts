import type { Context, SQSBatchResponse } from 'aws-lambda';
import { withClaimedBodies } from '../adapters/aws/payloads';
import { METRIC } from '../config/names';
import { type WriteDeps, writeBatch } from '../pipeline/write';
import { createProcoreClient } from '../procore/client';
import { createDispatcher } from '../shared/dispatcher';
import { loadEnv, writerEnv } from './env';
import { deadlineOf, IN_FUNCTION_RETRY, openHandlerRuntime } from './runtime';
import { parseSqsEvent } from './sqs-event';

const rt = openHandlerRuntime(loadEnv(writerEnv));
const { ports, telemetry, now } = rt;
let deadline: number | undefined;
const procore = createProcoreClient({
  config: rt.config.procore,
  secrets: ports.secrets,
  tokens: ports.tokens,
  env: {},
  dispatcher: createDispatcher(),
  logger: rt.logger,
  now,
  deadline: () => deadline,
  retry: IN_FUNCTION_RETRY,
});
const deps: WriteDeps = {
  ...rt.settleDeps,
  procore,
  writes: ports.writes,
  records: ports.records,
  taxIds: ports.taxIds,
};
// A warm container outlives a sync cycle; budget codes, directories and billing periods are re-read this often.
const CACHE_TTL_MS = 15 * 60_000;
let cachesReadAt = 0;

/**
 * A batch from the writes queue: vendors upserted together, then each record's commands written idempotently;
 * refused Procore credentials fail the invocation, so the batch comes back instead of being settled.
 */
export const handler = async (event: unknown, context: Context): Promise<SQSBatchResponse> => {
  rt.logger.addContext(context);
  const sqs = await withClaimedBodies(parseSqsEvent(event), ports.payloads);
  deadline = deadlineOf(context, now);
  if (now() - cachesReadAt > CACHE_TTL_MS) {
    procore.clearCaches();
    cachesReadAt = now();
  }
  const before = { calls: procore.stats.calls, throttled: procore.stats.throttled };
  try {
    return await writeBatch(deps, sqs);
  } finally {
    telemetry.count(METRIC.procoreCalls, procore.stats.calls - before.calls);
    telemetry.count(METRIC.procoreThrottled, procore.stats.throttled - before.throttled);
    const remaining = procore.stats.rateLimit?.remaining;
    if (remaining !== undefined) telemetry.gauge(METRIC.rateLimitRemaining, remaining);
    telemetry.flush();
  }
};
