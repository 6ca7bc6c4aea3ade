import type { BatchResult, Clock, QueueMessage } from '../../ports';
import { stopsTheRun } from '../../shared/errors';
import type { LocalQueue } from './queue';

/** One stage of the local pipeline: its queue and the same batch handler its Lambda runs. */
export interface LocalStage {
  queue: LocalQueue;
  handle(messages: QueueMessage[]): Promise<BatchResult>;
  batchSize: number;
  /** Visibility timeout while a batch is processed (SQS: ≥ 6 × the function timeout). */
  visibilitySeconds: number;
}

export interface DrainOptions {
  /** Wait out retry delays until only parked messages (waiting on a dependency) are left. */
  untilIdle: boolean;
  now: Clock;
  sleep: (ms: number) => Promise<void>;
  /** Longest single wait for a delayed message; keeps a run responsive to a stop. */
  maxWaitMs?: number;
  onBatch?: (stage: string, size: number) => void;
}

/**
 * Drains the queues in stage order the way Lambda's SQS event source would: receive a batch, call the
 * handler, delete what succeeded, leave the reported failures to reappear after their backoff.
 */
export async function drain(stages: readonly LocalStage[], options: DrainOptions): Promise<void> {
  let progressSinceWake = false;
  let parkedAtLastWake = Number.POSITIVE_INFINITY;
  for (;;) {
    let progressed = false;
    for (const stage of stages) {
      for (;;) {
        const batch = await stage.queue.receive(stage.batchSize, stage.visibilitySeconds);
        if (batch.length === 0) break;
        options.onBatch?.(stage.queue.name, batch.length);
        const result = await handleOrPutBack(stage, batch);
        const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
        for (const message of batch) {
          if (failed.has(message.id)) continue;
          await stage.queue.delete(message.id);
          progressed = true;
        }
      }
    }
    if (progressed) {
      progressSinceWake = true;
      continue;
    }
    // A record parked on a dependency (an invoice before its PO) may be unblocked by what this cycle wrote;
    // wake the parked ones again only while each round unblocks some (a re-park is not progress).
    if (progressSinceWake) {
      progressSinceWake = false;
      const parked = (await Promise.all(stages.map((s) => s.queue.backlog()))).reduce((n, b) => n + b.parked, 0);
      if (parked > 0 && parked < parkedAtLastWake) {
        parkedAtLastWake = parked;
        await Promise.all(stages.map((s) => s.queue.wakeParked()));
        continue;
      }
    }
    if (!options.untilIdle) return;
    const backlogs = await Promise.all(stages.map((s) => s.queue.backlog()));
    const due = backlogs.flatMap((b) => (b.nextActiveAt === undefined ? [] : [b.nextActiveAt]));
    if (due.length === 0) return;
    const wait = Math.max(0, Math.min(...due) - options.now());
    await options.sleep(Math.min(wait, options.maxWaitMs ?? 60_000));
  }
}

/**
 * A batch whose handler stops the run (refused credentials) tried no record on its own account: it goes
 * back uncounted, new messages first and the received ones deleted after (a crash between repeats, never
 * loses), so runs failing until the credentials are fixed never push a record to the dead-letter queue.
 */
async function handleOrPutBack(stage: LocalStage, batch: QueueMessage[]): Promise<BatchResult> {
  try {
    return await stage.handle(batch);
  } catch (error) {
    if (stopsTheRun(error)) {
      await stage.queue.send(batch.map((m) => m.body));
      for (const message of batch) await stage.queue.delete(message.id);
    }
    throw error;
  }
}
