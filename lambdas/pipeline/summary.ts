import { OUTCOMES, type Outcome, type SyncLedger } from '../ports';
import { ConnectorError, describeError } from '../shared/errors';
import { ENTITIES, type Entity, KIND_OF_ENTITY } from '../workday/records';
import type { PollResult } from './poll';

export interface Problem {
  key: string;
  status: Outcome;
  reason: string;
}

/** The `--json` summary of `sync` (README, "Commands"); `replay` puts `replayed` in place of `polled`. */
export interface RunSummary {
  customerId: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  polled?: Record<Entity, number>;
  replayed?: Record<Entity, number>;
  outcomes: Record<Outcome, number>;
  calls: { workday: number; procore: number };
  /** Why `calls` cannot say what the run cost, when it cannot (`replay --aws`: the deployed writer made them). */
  callsNote?: string;
  problems: Problem[];
}

/**
 * A run that stopped before it finished (exit 3): the summary of what it did until then, and why. The
 * records it enqueued and did not settle count as pending.
 */
export class RunStopped extends ConnectorError {
  readonly code: string;
  readonly retryable: boolean;

  constructor(
    readonly summary: RunSummary,
    cause: unknown,
  ) {
    super(describeError(cause), { cause });
    this.code = cause instanceof ConnectorError ? cause.code : 'RUN_FAILED';
    this.retryable = cause instanceof ConnectorError ? cause.retryable : true;
  }
}

/** Counts record keys (`supplier:<WID>`, …) per entity. */
export function countByEntity(keys: Iterable<string>): Record<Entity, number> {
  const counts = Object.fromEntries(ENTITIES.map((e) => [e, 0])) as Record<Entity, number>;
  const entityOf = new Map(ENTITIES.map((e) => [KIND_OF_ENTITY[e], e]));
  for (const key of keys) {
    const entity = entityOf.get(key.slice(0, key.indexOf(':')) as (typeof KIND_OF_ENTITY)[Entity]);
    if (entity !== undefined) counts[entity] += 1;
  }
  return counts;
}

const NOT_RIGHT: ReadonlySet<Outcome> = new Set(['quarantined', 'deadLettered', 'pending']);
const CHUNK = 500;

/**
 * Every record the run saw lands in exactly one bucket: the outcome settled at poll time, else what the
 * ledger says now if the run touched it, else pending.
 */
export async function tallyOutcomes(
  ledger: SyncLedger,
  startedAt: string,
  settled: ReadonlyMap<string, { outcome: Outcome; reason?: string }>,
  enqueued: Iterable<string>,
): Promise<{ outcomes: Record<Outcome, number>; problems: Problem[] }> {
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const problems: Problem[] = [];
  const count = (key: string, outcome: Outcome, reason: string | undefined) => {
    outcomes[outcome] += 1;
    if (NOT_RIGHT.has(outcome)) problems.push({ key, status: outcome, reason: reason ?? 'waiting for its turn' });
  };
  for (const [key, { outcome, reason }] of settled) count(key, outcome, reason);
  let chunk: string[] = [];
  const flush = async () => {
    const entries = await ledger.getMany(chunk);
    for (const key of chunk) {
      const entry = entries.get(key);
      const touched = entry !== undefined && entry.updatedAt >= startedAt;
      count(key, touched ? entry.status : 'pending', entry?.reason);
    }
    chunk = [];
  };
  for (const key of enqueued) {
    if (settled.has(key)) continue;
    chunk.push(key);
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
  problems.sort((a, b) => a.key.localeCompare(b.key));
  return { outcomes, problems };
}

/** The summary of a local sync cycle from its poll and the ledger after draining. */
export async function summarizeRun(input: {
  customerId: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  poll: PollResult;
  ledger: SyncLedger;
  calls: { workday: number; procore: number };
}): Promise<RunSummary> {
  const { outcomes, problems } = await tallyOutcomes(
    input.ledger,
    input.startedAt,
    input.poll.settled,
    input.poll.enqueued,
  );
  return {
    customerId: input.customerId,
    runId: input.runId,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    dryRun: input.dryRun,
    polled: input.poll.polled,
    outcomes,
    calls: input.calls,
    problems,
  };
}

/** Exit code of a finished run: 1 when any record of it is quarantined, dead-lettered or still pending. */
export function exitCodeOf(summary: Pick<RunSummary, 'outcomes'>): 0 | 1 {
  return summary.outcomes.quarantined + summary.outcomes.deadLettered + summary.outcomes.pending > 0 ? 1 : 0;
}
