import { mappingVersion, rawHash } from '../../lambdas/mapping';
import { parseMessage, type RecordMessage, recordMessageSchema } from '../../lambdas/pipeline/messages';
import { type PlannedAction, planRecords, tallyPlan } from '../../lambdas/pipeline/plan';
import { poll } from '../../lambdas/pipeline/poll';
import { exitCodeOf, type RunSummary } from '../../lambdas/pipeline/summary';
import type { Queue } from '../../lambdas/ports';
import { workdayRecordSchema } from '../../lambdas/workday/records';
import { EXIT, type ExitCode } from '../command';
import { humanOutput, type Io, writeJson } from '../io';
import { printSummary } from '../output/summary';
import { type CycleOptions, type LocalRuntime, newRunId } from '../runtime/local';
import { printPlan } from './plan-print';
import { progressLine, styleFor } from './style';

/** The `sync --dry-run --json` object: the sync summary with `dryRun: true` and the plan. */
export type DryRunSummary = RunSummary & { planned: PlannedAction[] };

/**
 * The full poll and map of a sync cycle, then what the writer would do, from Procore reads only. Nothing is
 * written: no cursor, ledger, audit row, queue message or run record, and no Procore write.
 */
export async function runDryRun(
  rt: LocalRuntime,
  options: Pick<CycleOptions, 'onProgress'> = {},
): Promise<DryRunSummary> {
  const runId = newRunId(rt.now);
  const startedAt = new Date(rt.now()).toISOString();
  const calls = () => ({ workday: rt.workday.stats.calls, procore: rt.procore.stats.calls });
  const before = calls();
  rt.procore.clearCaches();
  const bodies: string[] = [];
  // Polled records go to memory instead of the records queue.
  const memory: Queue = {
    send: async (batch) => {
      bodies.push(...batch);
    },
    retryLater: async () => {},
  };
  const polled = await poll(
    {
      config: rt.config,
      mappingVersion: mappingVersion(rt.config),
      workday: rt.workday,
      cursors: rt.cursors,
      ledger: rt.ledger,
      audit: rt.audit,
      records: memory,
      taxIds: rt.taxIds,
      logger: rt.logger,
      now: rt.now,
    },
    {
      runId,
      dryRun: true,
      onPage: (entity, page, total) =>
        options.onProgress?.({ stage: 'poll', detail: `${entity} page ${page}/${total}` }),
    },
  );
  const messages = bodies.map((body, i) => parseMessage(recordMessageSchema, body, `dry-run-${i}`));
  messages.push(...(await inFlight(rt, polled.enqueued, new Set(messages.map((m) => m.key)), runId)));
  options.onProgress?.({ stage: 'plan', detail: `${messages.length} records` });
  const plan = await planRecords({ config: rt.config, ledger: rt.ledger, procore: rt.procore }, messages);
  const after = calls();
  const { outcomes, problems } = tallyPlan(polled.settled, polled.enqueued, plan);
  return {
    customerId: rt.config.customerId,
    runId,
    startedAt,
    finishedAt: new Date(rt.now()).toISOString(),
    dryRun: true,
    polled: polled.polled,
    outcomes,
    calls: { workday: after.workday - before.workday, procore: after.procore - before.procore },
    problems,
    planned: plan.planned,
  };
}

/**
 * Records still on their way from an earlier run (queued, retrying or left by a crash), which the poll does
 * not send again but a sync would drain: planned from the newest version the audit trail holds.
 */
async function inFlight(
  rt: LocalRuntime,
  enqueued: ReadonlySet<string>,
  polled: ReadonlySet<string>,
  runId: string,
): Promise<RecordMessage[]> {
  const version = mappingVersion(rt.config);
  const messages: RecordMessage[] = [];
  for (const key of enqueued) {
    if (polled.has(key)) continue;
    const event = await rt.audit.lastPolled(key);
    const parsed = workdayRecordSchema.safeParse(event?.record);
    if (event === undefined || !parsed.success) continue;
    messages.push({
      v: 1,
      runId,
      key,
      record: parsed.data,
      rawHash: rawHash(parsed.data),
      mappingVersion: version,
      seenAt: event.at,
    });
  }
  return messages;
}

/** `sync --dry-run`: the plan, then the summary of what the cycle would do; exit 1 when a record would not be right. */
export async function syncDryRun(rt: LocalRuntime, io: Io, json: boolean): Promise<ExitCode> {
  const tty = io.isTTY && !json;
  const progress = progressLine((text) => io.stderr(text), tty);
  const summary = await runDryRun(rt, { onProgress: ({ stage, detail }) => progress.update(`${stage}: ${detail}`) });
  progress.done();
  if (json) writeJson(io, summary);
  else {
    const out = humanOutput(io, json);
    printPlan(out, summary.planned, styleFor(tty));
    printSummary(out, summary, tty);
  }
  return exitCodeOf(summary) === 0 ? EXIT.ok : EXIT.notRight;
}
