import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { METRIC } from '../config/names';
import { type PollDeps, poll } from '../pipeline/poll';
import { createDispatcher } from '../shared/dispatcher';
import { ValidationError } from '../shared/errors';
import { createWorkdayClient } from '../workday/client';
import { loadEnv, parseEvent, pollerEnv } from './env';
import { type PollSummary, recordRun, reportPoll } from './poll-report';
import { deadlineOf, newRunId, openHandlerRuntime } from './runtime';

const rt = openHandlerRuntime(loadEnv(pollerEnv));
const { ports, telemetry, logger, now } = rt;
let deadline: number | undefined;
const workday = createWorkdayClient({
  config: rt.config.workday,
  invoiceStatuses: rt.config.invoices.statuses,
  secrets: ports.secrets,
  tokens: ports.tokens,
  env: {},
  dispatcher: createDispatcher(),
  logger,
  now,
  deadline: () => deadline,
});
const deps: PollDeps = {
  ...rt.settleDeps,
  mappingVersion: rt.mappingVersion,
  workday,
  cursors: ports.cursors,
  records: ports.records,
  taxIds: ports.taxIds,
};
const scheduled = z.strictObject({ customerId: z.string() });
// A crashed invocation's lease lapses this long after Lambda would have stopped it.
const LEASE_GRACE_MS = 60_000;

/** EventBridge Scheduler's `{customerId}`: leases the customer, polls Workday until done or near the deadline, checkpoints. */
export const handler = async (event: unknown, context: Context): Promise<PollSummary | { skipped: string }> => {
  logger.addContext(context);
  const { customerId } = parseEvent(scheduled, event, 'scheduler event');
  if (customerId !== rt.config.customerId) {
    throw new ValidationError('scheduler event', [{ path: '$.customerId', message: `is not ${rt.config.customerId}` }]);
  }
  const runId = newRunId(now);
  const until = deadlineOf(context, now);
  deadline = until;
  if (!(await ports.lease.acquire(runId, context.getRemainingTimeInMillis() + LEASE_GRACE_MS))) {
    logger.warn('another poll of this customer is running; this one is skipped');
    return { skipped: 'lease held by another poll' };
  }
  const calls = workday.stats.calls;
  try {
    return await recordRun({ runs: ports.runs, now }, runId, async () =>
      reportPoll({ telemetry, ledger: ports.ledger, now }, runId, await poll(deps, { runId, deadline: until })),
    );
  } finally {
    telemetry.count(METRIC.workdayCalls, workday.stats.calls - calls);
    telemetry.flush();
    await ports.lease.release(runId);
  }
};
