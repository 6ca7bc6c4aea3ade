import type { VendorCommand, WriteCommand } from '../mapping/commands';
import type { LedgerEntry, Queue, QueueMessage } from '../ports';
import { ConnectorError, describeError, ProcoreError } from '../shared/errors';
import { parseMessage } from './messages';
import { fail, park, type SettleDeps, settle } from './settle';
import { writeCommitment } from './write-commitment';
import { commandHash, progressOf, WaitingFor, type WriteProgress, type WriterProcore } from './write-context';
import { writeDirectCost, writeRequisition } from './write-invoice';
import { type WriteMessage, writeMessageSchema } from './write-message';
import { upsertVendors, type VendorResults } from './write-vendors';

export interface WriteDeps extends SettleDeps {
  procore: WriterProcore;
  /** The writes queue this stage consumes (for retries and parking). */
  writes: Queue;
}

/** Work done once per batch before its records: every vendor of the batch in one sync call. */
export interface WriteBatch {
  vendors: VendorResults;
}

/** Upserts the batch's vendors together (what a per-record writer would spend one call each on). */
export async function prepareWrites(deps: WriteDeps, deliveries: readonly QueueMessage[]): Promise<WriteBatch> {
  const commands: VendorCommand[] = [];
  for (const delivery of deliveries) {
    const parsed = writeMessageSchema.safeParse(safeJson(delivery.body));
    if (!parsed.success) continue;
    const progress = progressOf(await deps.ledger.get(parsed.data.key));
    for (const command of parsed.data.commands) {
      if (command.resource === 'vendor' && progress.written[command.originId] !== commandHash(command)) {
        commands.push(command);
      }
    }
  }
  try {
    return { vendors: await upsertVendors(deps.procore, deps.ledger, commands) };
  } catch (error) {
    // The vendor call failed as a whole: each supplier record retries on its own terms.
    const failed = error instanceof Error ? error : new Error(describeError(error));
    return { vendors: new Map(commands.map((c) => [c.originId, { error: failed }])) };
  }
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
    case 'commitment':
      return (await writeCommitment(deps.procore, deps.ledger, command, progress)).procoreIds;
    case 'requisition':
      return writeRequisition(deps.procore, deps.ledger, command, changedSinceWritten);
    case 'directCost':
      return writeDirectCost(deps.procore, deps.ledger, command);
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

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
