import type { CursorStore, Outcome, RunStore, SyncLedger } from '../../lambdas/ports';
import { ENTITIES, type Entity } from '../../lambdas/workday/records';

/** The `status --json` object (README, "Commands"); times null when there is none yet. */
export interface StatusReport {
  customerId: string;
  cursors: Record<Entity, string | null>;
  lastRun: { runId: string; finishedAt: string | null; exitCode: number | null } | null;
  counts: Record<Outcome, number>;
  deadLetters: number;
  oldestUnsyncedChange: string | null;
}

/** Where a customer's state lives: the local runtime's SQLite and queues, or the deployed stack's tables and DLQs. */
export interface StatusSource {
  customerId: string;
  cursors: CursorStore;
  runs: RunStore;
  ledger: SyncLedger;
  /** Messages waiting in the dead-letter queues. */
  deadLetters(): Promise<number>;
}

/** What the state says: cursors, the last run, the ledger's counts, the dead-letter queues and freshness. */
export async function readStatus(rt: StatusSource): Promise<{ status: StatusReport; lastSummary: unknown }> {
  const cursors: Record<Entity, string | null> = {
    suppliers: null,
    purchaseOrders: null,
    invoices: null,
    creditMemos: null,
  };
  for (const entity of ENTITIES) {
    const cursor = await rt.cursors.get(entity);
    // Invoice windows are by invoice date; the cursor of a date entity is when it was last read in full.
    cursors[entity] = cursor?.highWater ?? cursor?.lastSweep ?? null;
  }
  const run = await rt.runs.last();
  const deadLetters = await rt.deadLetters();
  return {
    status: {
      customerId: rt.customerId,
      cursors,
      lastRun:
        run === undefined
          ? null
          : { runId: run.runId, finishedAt: run.finishedAt ?? null, exitCode: run.exitCode ?? null },
      counts: await rt.ledger.counts(),
      deadLetters,
      oldestUnsyncedChange: (await rt.ledger.oldestUnsynced()) ?? null,
    },
    lastSummary: run?.summary,
  };
}
