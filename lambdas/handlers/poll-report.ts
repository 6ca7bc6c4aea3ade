import type { Telemetry } from '../adapters/aws/observability';
import { METRIC } from '../config/names';
import type { PollResult } from '../pipeline/poll';
import type { Clock, RunStore, SyncLedger } from '../ports';
import { describeError } from '../shared/errors';

/** The summary of one poll: what was read, what went on the records queue, what settled at once. */
export interface PollSummary {
  runId: string;
  complete: boolean;
  polled: Record<string, number>;
  enqueued: number;
  settled: Record<string, number>;
}

/** Runs one poll under a run record for `status`: exit code 0 when it returned (done or paused), 3 when it threw. */
export async function recordRun(
  deps: { runs: RunStore; now: Clock },
  runId: string,
  poll: () => Promise<PollSummary>,
): Promise<PollSummary> {
  const startedAt = new Date(deps.now()).toISOString();
  const finishedAt = () => new Date(deps.now()).toISOString();
  await deps.runs.put({ runId, startedAt });
  try {
    const summary = await poll();
    await deps.runs.put({ runId, startedAt, finishedAt: finishedAt(), exitCode: 0, summary });
    return summary;
  } catch (error) {
    await deps.runs.put({
      runId,
      startedAt,
      finishedAt: finishedAt(),
      exitCode: 3,
      summary: { error: describeError(error) },
    });
    throw error;
  }
}

/** Counts what one poll did, and reports its heartbeat and the sync lag (now − the oldest change not yet synced). */
export async function reportPoll(
  deps: { telemetry: Telemetry; ledger: SyncLedger; now: Clock },
  runId: string,
  result: PollResult,
): Promise<PollSummary> {
  const settled: Record<string, number> = {};
  for (const { outcome } of result.settled.values()) settled[outcome] = (settled[outcome] ?? 0) + 1;
  const summary = { runId, complete: result.complete, polled: result.polled, enqueued: result.enqueued.size, settled };
  const oldest = await deps.ledger.oldestUnsynced();
  const lagSeconds = oldest === undefined ? 0 : Math.max(0, (deps.now() - Date.parse(oldest)) / 1000);
  deps.telemetry.count(
    METRIC.polled,
    Object.values(result.polled).reduce((a, b) => a + b, 0),
  );
  deps.telemetry.count(METRIC.enqueued, result.enqueued.size);
  deps.telemetry.gauge(METRIC.syncLag, lagSeconds, 'Seconds');
  deps.telemetry.count(METRIC.pollHeartbeat);
  deps.telemetry.logger.info('poll finished', { ...summary, lagSeconds });
  return summary;
}
