import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { METRIC } from '../config/names';
import { enqueueReplay, type ReplaySummary, selectReplay } from '../pipeline/replay';
import { loadEnv, parseEvent, replayEnv } from './env';
import { newRunId, openHandlerRuntime } from './runtime';

const rt = openHandlerRuntime(loadEnv(replayEnv));
const request = z.union([
  z.strictObject({ key: z.string().min(1) }),
  z.strictObject({
    status: z.enum(['quarantined', 'deadLettered']),
    since: z.iso.datetime({ offset: true }).optional(),
  }),
]);

/** `{key}` or `{status, since?}`: re-enqueues those records from the audit trail; map and write run as for a poll. */
export const handler = async (event: unknown, context: Context): Promise<ReplaySummary> => {
  rt.logger.addContext(context);
  const ask = parseEvent(request, event, 'replay request');
  const runId = newRunId(rt.now);
  const startedAt = new Date(rt.now()).toISOString();
  try {
    const selection = await selectReplay(
      rt.ports.audit,
      'key' in ask ? { key: ask.key } : { status: ask.status },
      'since' in ask ? ask.since : undefined,
    );
    const deps = { audit: rt.ports.audit, records: rt.ports.records, mappingVersion: rt.mappingVersion, now: rt.now };
    const replayed = await enqueueReplay(deps, runId, selection.records);
    rt.telemetry.count(METRIC.replayed, replayed.size);
    const summary = {
      runId,
      startedAt,
      replayed: [...replayed],
      unreplayable: selection.unreplayable,
      unknown: selection.unknown,
    };
    rt.logger.info('replay enqueued', { runId, replayed: replayed.size, unknown: selection.unknown });
    return summary;
  } finally {
    rt.telemetry.flush();
  }
};
