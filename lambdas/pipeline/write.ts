import type { SQSEvent } from 'aws-lambda';
import type { DirectCostCommand, VendorCommand, WriteCommand } from '../mapping/commands';
import type { BatchResult, LedgerEntry, Queue, QueueMessage } from '../ports';
import { ConnectorError, describeError, ProcoreError, stopsTheRun } from '../shared/errors';
import { parseJsonOrUndefined } from '../shared/json';
import { fromSqsRecord, processBatch } from './batch';
import { parseMessage } from './messages';
import { fail, park, type SettleDeps, settle } from './settle';
import { type CommitmentJob, type CommitmentResults, writeCommitment, writeCommitments } from './write-commitment';
import { asError, commandHash, progressOf, WaitingFor, type WriteProgress, type WriterProcore } from './write-context';
import { type DirectCostResults, writeDirectCost, writeDirectCosts, writeRequisition } from './write-invoice';
import { type WriteMessage, writeMessageSchema } from './write-message';
import { upsertVendors, type VendorResults } from './write-vendors';

export interface WriteDeps extends SettleDeps {
  procore: WriterProcore;
  /** The writes queue this stage consumes (for retries and parking). */
  writes: Queue;
}

/** Work done once per batch before its records: vendors, commitments and direct costs in as few sync calls as Procore allows. */
export interface WriteBatch {
  vendors: VendorResults;
  commitments?: CommitmentResults;
  directCosts?: DirectCostResults;
}

/**
 * One batch of the writes queue, as the writer Lambda and the local runner receive it: the batch-wide writes,
 * then each record. Rejects, failing the batch as a whole, when the run must stop (refused credentials).
 */
export async function writeBatch(deps: WriteDeps, event: SQSEvent): Promise<BatchResult> {
  const batch = await prepareWrites(deps, event.Records.map(fromSqsRecord));
  return processBatch(event, (message) => writeMessage(deps, message, batch));
}

/**
 * Upserts the batch's vendors together, then its purchase order contracts and its direct costs per project
 * (what a per-record writer would spend calls on one by one); each record then settles on its own results.
 */
export async function prepareWrites(deps: WriteDeps, deliveries: readonly QueueMessage[]): Promise<WriteBatch> {
  const vendorCommands: VendorCommand[] = [];
  const commitmentJobs: CommitmentJob[] = [];
  const directCostCommands: DirectCostCommand[] = [];
  const messages = deliveries.flatMap((delivery) => {
    const parsed = writeMessageSchema.safeParse(parseJsonOrUndefined(delivery.body));
    return parsed.success ? [parsed.data] : [];
  });
  // One ledger read for the whole batch (a BatchGetItem on AWS), not one per record.
  const entries = await deps.ledger.getMany(messages.map((m) => m.key));
  for (const message of messages) {
    const progress = progressOf(entries.get(message.key));
    for (const command of message.commands) {
      if (progress.written[command.originId] === commandHash(command)) continue;
      if (command.resource === 'vendor') vendorCommands.push(command);
      if (command.resource === 'commitment') commitmentJobs.push({ command, progress });
      if (command.resource === 'directCost') directCostCommands.push(command);
    }
  }
  let vendors: VendorResults;
  try {
    vendors = await upsertVendors(deps.procore, deps.ledger, vendorCommands);
  } catch (error) {
    if (stopsTheRun(error)) throw error;
    // The vendor call failed as a whole: each supplier record retries on its own terms.
    vendors = new Map(vendorCommands.map((c) => [c.originId, { error: asError(error) }]));
  }
  // After the vendors, so a PO or an invoice finds the vendor its supplier got in this same batch.
  const commitments = await batchWide(
    commitmentJobs.map((j) => j.command),
    () => writeCommitments(deps.procore, deps.ledger, commitmentJobs),
  );
  const directCosts = await batchWide(directCostCommands, () =>
    writeDirectCosts(deps.procore, deps.ledger, directCostCommands),
  );
  return { vendors, commitments, directCosts };
}

/**
 * Executes one record's commands in order, each idempotent by origin_id and skipped when already written
 * as is; a permanent refusal quarantines the record (after the other commands ran), a missing dependency
 * parks it, anything else retries.
 */
export async function writeMessage(deps: WriteDeps, delivery: QueueMessage, batch: WriteBatch): Promise<boolean> {
  const message = parseMessage(writeMessageSchema, delivery.body, delivery.id);
  const before = deps.procore.stats.calls;
  const entry = await deps.ledger.get(message.key);
  const progress = progressOf(entry);
  const procoreIds: Record<string, number> = {};
  const refusals: string[] = [];
  try {
    for (const command of message.commands) {
      const hash = commandHash(command);
      const previous = progress.written[command.originId];
      if (previous === hash) continue;
      try {
        Object.assign(procoreIds, await execute(deps, command, batch, progress, previous !== undefined));
        progress.written[command.originId] = hash;
        await saveProgress(deps, message, entry, procoreIds, progress);
      } catch (error) {
        if (stopsTheRun(error)) throw error;
        // Procore's own word that something is missing (vendor, commitment, period) is a wait, not a refusal.
        if (error instanceof ProcoreError && error.failure === 'dependency') {
          throw new WaitingFor(error.message, { cause: error });
        }
        if (!isPermanent(error)) throw error;
        refusals.push(describeError(error));
      }
    }
    const calls = deps.procore.stats.calls - before;
    if (refusals.length > 0) {
      await settle(deps, message, 'write', 'quarantined', {
        reason: refusals.join(' '),
        procoreIds,
        state: { ...progress },
        calls,
      });
      return false;
    }
    if (message.poLines !== undefined) await deps.ledger.putPoLines(message.poLines);
    await settle(deps, message, 'write', 'written', {
      mappedHash: message.mappedHash,
      procoreIds,
      state: { ...progress },
      calls,
    });
    return false;
  } catch (error) {
    if (error instanceof WaitingFor) {
      await park({ ...deps, queue: deps.writes }, message, 'write', error.message);
      return false;
    }
    return fail({ ...deps, queue: deps.writes }, message, delivery, 'write', error);
  }
}

async function execute(
  deps: WriteDeps,
  command: WriteCommand,
  batch: WriteBatch,
  progress: WriteProgress,
  changedSinceWritten: boolean,
): Promise<Record<string, number>> {
  switch (command.resource) {
    case 'vendor': {
      const result =
        batch.vendors.get(command.originId) ??
        (await upsertVendors(deps.procore, deps.ledger, [command])).get(command.originId);
      if (result === undefined) throw new ProcoreError('the vendor was not synced', { failure: 'transient' });
      if ('error' in result) throw result.error;
      return { [command.originId]: result.vendorId };
    }
    case 'commitment': {
      const done = batch.commitments?.get(command.originId);
      if (done === undefined || done.hash !== commandHash(command)) {
        return (await writeCommitment(deps.procore, deps.ledger, command, progress)).procoreIds;
      }
      if ('error' in done.result) throw done.result.error;
      if (done.result.progress !== undefined) progress.commitments[command.originId] = done.result.progress;
      return done.result.procoreIds;
    }
    case 'requisition':
      return writeRequisition(deps.procore, deps.ledger, command, changedSinceWritten);
    case 'directCost': {
      const done = batch.directCosts?.get(command.originId);
      if (done === undefined || done.hash !== commandHash(command)) {
        return writeDirectCost(deps.procore, deps.ledger, command);
      }
      if ('error' in done.result) throw done.result.error;
      return done.result.procoreIds;
    }
  }
}

/** A per-record result holding a failure that stops the run (refused credentials) ends the batch at once. */
/**
 * One batch-wide write whose results each record settles on. A failure that stops the run is rethrown (from
 * the call or from any one result); any other failure of the call as a whole becomes every command's error.
 */
async function batchWide<R extends object>(
  commands: readonly WriteCommand[],
  write: () => Promise<Map<string, { hash: string; result: R | { error: Error } }>>,
): Promise<Map<string, { hash: string; result: R | { error: Error } }>> {
  try {
    const results = await write();
    for (const { result } of results.values()) {
      if ('error' in result && stopsTheRun(result.error)) throw result.error;
    }
    return results;
  } catch (error) {
    if (stopsTheRun(error)) throw error;
    const failed = asError(error);
    return new Map(commands.map((c) => [c.originId, { hash: commandHash(c), result: { error: failed } }]));
  }
}

function isPermanent(error: unknown): boolean {
  return error instanceof ConnectorError && !error.retryable;
}

/** Ids and progress are saved after every command, so a crash before the next one never repeats a create. */
async function saveProgress(
  deps: WriteDeps,
  message: WriteMessage,
  entry: LedgerEntry | undefined,
  procoreIds: Record<string, number>,
  progress: WriteProgress,
): Promise<void> {
  const latest = (await deps.ledger.get(message.key)) ?? entry;
  await deps.ledger.put({
    ...(latest ?? { procoreIds: {} }),
    key: message.key,
    rawHash: message.rawHash,
    mappingVersion: message.mappingVersion,
    status: 'pending',
    procoreIds: { ...latest?.procoreIds, ...procoreIds },
    state: { ...progress },
    updatedAt: new Date(deps.now()).toISOString(),
    runId: message.runId,
  });
}
