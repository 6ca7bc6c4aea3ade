import type { Context, SQSBatchResponse } from 'aws-lambda';
import { withClaimedBodies } from '../adapters/aws/payloads';
import { processBatch } from '../pipeline/batch';
import { type MapDeps, mapMessage } from '../pipeline/map';
import { loadEnv, mapperEnv } from './env';
import { openHandlerRuntime } from './runtime';
import { parseSqsEvent } from './sqs-event';

const rt = openHandlerRuntime(loadEnv(mapperEnv));
const deps: MapDeps = { ...rt.settleDeps, records: rt.ports.records, writes: rt.ports.writes };

/** A batch from the records queue: each record mapped to Procore commands (or quarantined, parked, dropped as unchanged). */
export const handler = async (event: unknown, context: Context): Promise<SQSBatchResponse> => {
  rt.logger.addContext(context);
  try {
    const sqs = await withClaimedBodies(parseSqsEvent(event), rt.ports.payloads);
    return await processBatch(sqs, (message) => mapMessage(deps, message));
  } finally {
    rt.telemetry.flush();
  }
};
