import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import type { ReplaySelect, ReplaySummary } from '../../lambdas/pipeline/replay';
import { countByEntity, type RunSummary, tallyOutcomes } from '../../lambdas/pipeline/summary';
import { OUTCOMES } from '../../lambdas/ports';
import { sleep as realSleep } from '../../lambdas/shared/http';
import { parseJsonOrUndefined } from '../../lambdas/shared/json';
import { UsageError } from '../command';
import type { AwsSession } from './aws-session';

// The replay function's answer, checked: it crosses a process and an account boundary.
const replaySummarySchema = z.object({
  runId: z.string(),
  startedAt: z.iso.datetime(),
  replayed: z.array(z.string()),
  unreplayable: z.array(z.object({ key: z.string(), outcome: z.enum(OUTCOMES), reason: z.string() })),
  unknown: z.array(z.string()),
});

const functionErrorSchema = z.object({ errorType: z.string().optional(), errorMessage: z.string().optional() });

/** How long `replay --aws` waits for the deployed pipeline to settle what it replayed, and how often it looks. */
export const REPLAY_WAIT = { timeoutMs: 5 * 60_000, pollMs: 2_000 };

/**
 * Replays on the deployed stack and waits for the outcome: the replay function re-enqueues the records from
 * the audit trail under the deployed mapping, the deployed mapper and writer process them as they would a
 * poll, and this watches the ledger until each one is settled by that run (or the wait is over: what is
 * left counts as pending). The summary has the shape of a local replay's; `calls` are this machine's (none),
 * and `callsNote` says so.
 * Throws UsageError for a key the audit trail does not know, as the local replay does.
 */
export async function replayOnAws(
  aws: AwsSession,
  select: ReplaySelect,
  since: string | undefined,
  options: { onProgress?: (text: string) => void; sleep?: (ms: number) => Promise<void> } = {},
): Promise<RunSummary> {
  const replay = await invokeReplay(aws, select, since);
  const sleep = options.sleep ?? realSleep;
  const deadline = Date.now() + REPLAY_WAIT.timeoutMs;
  for (;;) {
    const entries = await aws.ports.ledger.getMany(replay.replayed);
    const open = replay.replayed.filter((key) => {
      const entry = entries.get(key);
      return entry?.runId !== replay.runId || entry.status === 'pending';
    });
    if (open.length === 0 || Date.now() >= deadline) break;
    options.onProgress?.(
      `the deployed pipeline has settled ${replay.replayed.length - open.length} of ${replay.replayed.length}`,
    );
    await sleep(REPLAY_WAIT.pollMs);
  }
  const settled = new Map(replay.unreplayable.map((u) => [u.key, { outcome: u.outcome, reason: u.reason }]));
  const { outcomes, problems } = await tallyOutcomes(aws.ports.ledger, replay.startedAt, settled, replay.replayed);
  return {
    customerId: aws.customerId,
    runId: replay.runId,
    startedAt: replay.startedAt,
    finishedAt: new Date().toISOString(),
    dryRun: false,
    replayed: countByEntity([...replay.replayed, ...settled.keys()]),
    outcomes,
    calls: { workday: 0, procore: 0 },
    callsNote:
      'the deployed writer made the Procore calls and they are not counted here: see the ProcoreCalls metric on the stack dashboard',
    problems,
  };
}

async function invokeReplay(aws: AwsSession, select: ReplaySelect, since: string | undefined): Promise<ReplaySummary> {
  const request = 'key' in select ? { key: select.key } : { status: select.status, ...(since ? { since } : {}) };
  const lambda = new LambdaClient({ region: aws.region });
  try {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: aws.names.replayFunction, Payload: Buffer.from(JSON.stringify(request)) }),
    );
    const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
    if (out.FunctionError !== undefined) {
      const failure = functionErrorSchema.safeParse(parseJsonOrUndefined(text));
      const detail = failure.success
        ? `${failure.data.errorType ?? 'Error'}: ${failure.data.errorMessage ?? ''}`
        : text;
      throw new Error(`the replay function ${aws.names.replayFunction} failed: ${detail}`);
    }
    const parsed = replaySummarySchema.safeParse(parseJsonOrUndefined(text));
    if (!parsed.success) {
      throw new Error(`the replay function ${aws.names.replayFunction} answered something else than a replay summary`);
    }
    const [unknown] = parsed.data.unknown;
    if (unknown !== undefined) {
      throw new UsageError(
        `the audit trail has no record ${unknown}: check the key (\`ml-connector status --aws --customer ${aws.customerId}\` and the last sync's problems list the keys)`,
      );
    }
    return parsed.data;
  } finally {
    lambda.destroy();
  }
}
