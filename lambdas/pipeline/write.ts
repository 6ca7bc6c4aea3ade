import type { SQSEvent } from 'aws-lambda';
import type { DirectCostCommand, VendorCommand, WriteCommand } from '../mapping/commands';
import type { BatchResult, LedgerEntry, Queue, QueueMessage, TaxIdSealer } from '../ports';
import { ConnectorError, describeError, ProcoreError, stopsTheRun } from '../shared/errors';
import { parseJsonOrUndefined } from '../shared/json';
import { workdayRecordSchema } from '../workday/records';
import { fromSqsRecord, processBatch } from './batch';
import { parseMessage } from './messages';
import { enqueueReplay } from './replay';
import { fail, newerVersion, park, putVersion, type SettleDeps, settle, settleSuperseded } from './settle';
import { type CommitmentJob, type CommitmentResults, writeCommitment, writeCommitments } from './write-commitment';
import { asError, commandHash, progressOf, WaitingFor, type WriteProgress, type WriterProcore } from './write-context';
import { type DirectCostResults, writeDirectCost, writeDirectCosts, writeRequisition } from './write-invoice';
import { type WriteMessage, writeMessageSchema } from './write-message';
import { upsertVendors, type VendorResults } from './write-vendors';

export interface WriteDeps extends SettleDeps {
  procore: WriterProcore;
  /** The writes queue this stage consumes (for retries and parking). */
  writes: Queue;
  /** The records queue, where the newest version goes again when an older one reached Procore after it. */
  records: Queue;
  /** Opens a vendor's sealed tax ID for the body of the vendor call, and only there. */
  taxIds: TaxIdSealer;
}

/** Work done once per batch before its records: vendors, commitments and direct costs in as few sync calls as Procore allows. */
export interface WriteBatch {
  /** Deliveries older than the ledger's newest version when the batch began: none of their commands was written. */
  superseded: Set<string>;
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
    return parsed.success ? [{ id: delivery.id, message: parsed.data }] : [];
  });
  // One ledger read for the whole batch (a BatchGetItem on AWS), not one per record.
  const entries = await deps.ledger.getMany(messages.map((m) => m.message.key));
  const superseded = new Set<string>();
  for (const { id, message } of messages) {
    // Checked right before the batch's Procore calls: an older version must never reach Procore after a newer one.
    if (newerVersion(entries.get(message.key), message) !== undefined) {
      superseded.add(id);
      continue;
    }
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
    vendors = await upsertVendors(deps.procore, deps.ledger, deps.taxIds, vendorCommands);
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
  return { superseded, vendors, commitments, directCosts };
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
  let newer = newerVersion(entry, message);
  if (newer !== undefined && batch.superseded.has(delivery.id)) {
    await settleSuperseded(deps, message, 'write', newer);
    return false;
  }
  const progress = progressOf(entry);
  const procoreIds: Record<string, number> = {};
  const refusals: string[] = [];
  // Origin ids this delivery wrote to Procore: what a newer version must be written over, should it lose the race.
  const wrote = new Set<string>();
  const rewrite = (latest: LedgerEntry) => rewriteNewest(deps, message, latest, { wrote, progress, procoreIds });
  try {
    for (const command of message.commands) {
      const hash = commandHash(command);
      const previous = progress.written[command.originId];
      if (previous === hash) continue;
      // Once a newer version is in the ledger, only what the batch already wrote is recorded; nothing more is sent.
      if (newer !== undefined && !writtenByBatch(command, batch)) continue;
      try {
        Object.assign(procoreIds, await execute(deps, command, batch, progress, previous !== undefined));
        progress.written[command.originId] = hash;
        wrote.add(command.originId);
        newer = (await saveProgress(deps, message, procoreIds, progress)) ?? newer;
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
    if (newer !== undefined) {
      if (wrote.size > 0) await rewrite(newer);
      await settleSuperseded(deps, message, 'write', newer, { wrote: wrote.size > 0, calls });
      return false;
    }
    const repair = wrote.size > 0 ? rewrite : undefined;
    if (refusals.length > 0) {
      await settle(
        deps,
        message,
        'write',
        'quarantined',
        { reason: refusals.join(' '), procoreIds, state: { ...progress }, calls },
        repair,
      );
      return false;
    }
    if (message.poLines !== undefined) await deps.ledger.putPoLines(message.poLines);
    await settle(
      deps,
      message,
      'write',
      'written',
      { mappedHash: message.mappedHash, procoreIds, state: { ...progress }, calls },
      repair,
    );
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
        (await upsertVendors(deps.procore, deps.ledger, deps.taxIds, [command])).get(command.originId);
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

/**
 * Ids and progress are saved after every command, so a crash before the next one never repeats a create.
 * Answers the ledger's newer version when one was polled meanwhile (then only the ids are recorded).
 */
async function saveProgress(
  deps: WriteDeps,
  message: WriteMessage,
  procoreIds: Record<string, number>,
  progress: WriteProgress,
): Promise<LedgerEntry | undefined> {
  return putVersion(deps, message, (latest) => ({
    ...(latest ?? { procoreIds: {} }),
    key: message.key,
    rawHash: message.rawHash,
    mappingVersion: message.mappingVersion,
    status: 'pending',
    procoreIds: { ...latest?.procoreIds, ...procoreIds },
    state: { ...progress },
    updatedAt: new Date(deps.now()).toISOString(),
    runId: message.runId,
  }));
}

/** Whether the batch-wide writes already wrote this command: recording it costs no Procore call. */
function writtenByBatch(command: WriteCommand, batch: WriteBatch): boolean {
  const done =
    command.resource === 'vendor'
      ? { hash: commandHash(command), result: batch.vendors.get(command.originId) ?? { error: undefined } }
      : command.resource === 'commitment'
        ? batch.commitments?.get(command.originId)
        : command.resource === 'directCost'
          ? batch.directCosts?.get(command.originId)
          : undefined;
  return done !== undefined && done.hash === commandHash(command) && !('error' in done.result);
}

/**
 * An older version reached Procore after a newer one was polled: Procore may now hold the older values. What
 * it wrote is recorded on the newer entry (so no command of the newer version is skipped as already written,
 * nor its output taken as unchanged), which turns pending, and the newest version is enqueued again.
 */
async function rewriteNewest(
  deps: WriteDeps,
  message: WriteMessage,
  newer: LedgerEntry,
  facts: { wrote: ReadonlySet<string>; progress: WriteProgress; procoreIds: Record<string, number> },
): Promise<void> {
  const polled = await deps.audit.lastPolled(message.key);
  const parsed = workdayRecordSchema.safeParse(polled?.record);
  const at = new Date(deps.now()).toISOString();
  let latest: LedgerEntry | undefined = newer;
  for (let round = 1; latest !== undefined; round++) {
    if (round > 3)
      throw new Error(
        `the ledger entry of ${message.key} kept changing while its newer version was marked for a rewrite`,
      );
    const state = progressOf(latest);
    for (const originId of facts.wrote) {
      const written = facts.progress.written[originId];
      if (written !== undefined) state.written[originId] = written;
      const commitment = facts.progress.commitments[originId];
      if (commitment !== undefined) state.commitments[originId] = commitment;
    }
    const entry: LedgerEntry = {
      ...latest,
      procoreIds: { ...latest.procoreIds, ...facts.procoreIds },
      state: { ...state },
      updatedAt: at,
    };
    delete entry.mappedHash;
    // Unreadable in Workday, the newest version cannot be enqueued: it stays quarantined until it changes.
    if (parsed.success) {
      entry.status = 'pending';
      entry.reason = `an older version reached Procore after this one was polled (at ${latest.seenAt}): it is written again`;
      entry.unsyncedSince = latest.unsyncedSince ?? at;
    }
    if (await deps.ledger.put(entry)) break;
    latest = await deps.ledger.get(message.key);
  }
  if (polled === undefined || !parsed.success) return;
  await enqueueReplay(
    { audit: deps.audit, records: deps.records, mappingVersion: newer.mappingVersion, now: deps.now },
    message.runId,
    [{ key: message.key, record: parsed.data, seenAt: polled.at }],
  );
}
