import { mappingVersion } from '../../lambdas/mapping';
import { enqueueReplay, type ReplaySelect, selectReplay } from '../../lambdas/pipeline/replay';
import { countByEntity, exitCodeOf, RunStopped, type RunSummary, tallyOutcomes } from '../../lambdas/pipeline/summary';
import type { Outcome } from '../../lambdas/ports';
import { LeaseHeldError } from '../../lambdas/shared/errors';
import { UsageError } from '../command';
import {
  type CycleOptions,
  drainQueues,
  keepLease,
  LEASE_TTL_MS,
  type LocalRuntime,
  newRunId,
  stoppedRun,
} from '../runtime/local';

/**
 * Replays records from the audit trail through map and write, under the lease like a sync cycle: their
 * queued or dead-lettered messages are dropped first (the replay supersedes them), then the fresh
 * messages are drained. Throws UsageError for a key the audit trail does not know.
 */
export async function runReplay(
  rt: LocalRuntime,
  select: ReplaySelect,
  since: string | undefined,
  options: Pick<CycleOptions, 'onProgress'> = {},
): Promise<RunSummary> {
  const selection = await selectReplay(rt.audit, select, since);
  const [unknown] = selection.unknown;
  if (unknown !== undefined) {
    throw new UsageError(
      `the audit trail has no record ${unknown}: check the key (\`ml-connector status\` and the last sync's problems list the keys), or run a sync first`,
    );
  }
  const runId = newRunId(rt.now);
  const startedAt = new Date(rt.now()).toISOString();
  const calls = () => ({ workday: rt.workday.stats.calls, procore: rt.procore.stats.calls });
  const before = calls();
  const settled = new Map<string, { outcome: Outcome; reason?: string }>(
    selection.unreplayable.map((u) => [u.key, { outcome: u.outcome, reason: u.reason }]),
  );
  let enqueued = new Set<string>();
  const summarize = async (): Promise<RunSummary> => {
    const { outcomes, problems } = await tallyOutcomes(rt.ledger, startedAt, settled, enqueued);
    const after = calls();
    return {
      customerId: rt.config.customerId,
      runId,
      startedAt,
      finishedAt: new Date(rt.now()).toISOString(),
      dryRun: false,
      replayed: countByEntity([...enqueued, ...settled.keys()]),
      outcomes,
      calls: { workday: after.workday - before.workday, procore: after.procore - before.procore },
      problems,
    };
  };
  if (!(await rt.lease.acquire(runId, LEASE_TTL_MS))) {
    const held = new LeaseHeldError(
      `a sync of ${rt.config.customerId} holds the lease on ${rt.statePath}: replay when it has finished`,
    );
    throw new RunStopped(await summarize(), held);
  }
  // A replay longer than the TTL keeps its lease, as a sync does.
  const lease = keepLease(rt, runId, { untilIdle: false, ...options });
  await rt.runs.put({ runId, startedAt });
  try {
    rt.procore.clearCaches();
    dropMessages(
      rt,
      selection.records.map((r) => r.key),
    );
    const version = mappingVersion(rt.config);
    enqueued = await enqueueReplay(
      { audit: rt.audit, records: rt.records, mappingVersion: version, now: rt.now },
      runId,
      selection.records,
    );
    await drainQueues(rt, lease.progress);
    const summary = await summarize();
    await rt.runs.put({ runId, startedAt, finishedAt: summary.finishedAt, exitCode: exitCodeOf(summary), summary });
    return summary;
  } catch (error) {
    await rt.runs.put({ runId, startedAt, finishedAt: new Date(rt.now()).toISOString(), exitCode: 3 });
    throw await stoppedRun(error, summarize);
  } finally {
    lease.stop();
    await rt.lease.release(runId);
  }
}

/** Deletes every queued, retrying or dead-lettered message of these records, in both stages' queues and DLQs. */
function dropMessages(rt: LocalRuntime, keys: readonly string[]): void {
  const queues = [rt.records.name, rt.writes.name].flatMap((name) => [name, `${name}-dlq`]);
  const drop = rt.db.prepare(
    `DELETE FROM messages WHERE queue IN (${queues.map(() => '?').join(', ')}) AND json_extract(body, '$.key') = ?`,
  );
  rt.db.transaction(() => {
    for (const key of keys) drop.run(...queues, key);
  })();
}
