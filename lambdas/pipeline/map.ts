import { mapRecord, poLineIndexEntries } from '../mapping';
import type { MappingContext, MapResult } from '../mapping/commands';
import type { LedgerEntry, Queue, QueueMessage } from '../ports';
import { poLineReferenceKeys } from '../workday/records';
import { parseMessage, type RecordMessage, recordMessageSchema } from './messages';
import { fail, newerVersion, park, type SettleDeps, settle, settleSuperseded } from './settle';
import { type WriteMessage, writeMessageBody } from './write-message';

export interface MapDeps extends SettleDeps {
  /** The records queue this stage consumes (for retries and parking). */
  records: Queue;
  /** The writes queue it feeds. */
  writes: Queue;
}

/** Maps one polled record: quarantine instead of throw, park while its PO is not synced, drop what would write nothing new. */
export async function mapMessage(deps: MapDeps, delivery: QueueMessage): Promise<boolean> {
  const message = parseMessage(recordMessageSchema, delivery.body, delivery.id);
  try {
    const entry = await deps.ledger.get(message.key);
    const newer = newerVersion(entry, message);
    if (newer !== undefined) {
      await settleSuperseded(deps, message, 'map', newer);
      return false;
    }
    const result = mapRecord(message.record, deps.config, await mappingContext(deps, message));
    await settleMapped(deps, message, result, entry);
    return false;
  } catch (error) {
    return fail({ ...deps, queue: deps.records }, message, delivery, 'map', error);
  }
}

async function mappingContext(deps: MapDeps, message: RecordMessage): Promise<MappingContext> {
  const record = message.record;
  const poLines = new Map<string, Awaited<ReturnType<typeof deps.ledger.poLine>>>();
  if (record.kind === 'invoice' || record.kind === 'creditMemo') {
    for (const line of record.lines) {
      // The reference's keys in order; the first the index knows is the line.
      for (const key of line.purchaseOrderLine === undefined ? [] : poLineReferenceKeys(line.purchaseOrderLine)) {
        if (!poLines.has(key)) poLines.set(key, await deps.ledger.poLine(key));
        if (poLines.get(key) !== undefined) break;
      }
    }
  }
  return {
    poLines: (ref) =>
      poLineReferenceKeys(ref)
        .map((key) => poLines.get(key))
        .find((info) => info !== undefined),
  };
}

async function settleMapped(
  deps: MapDeps,
  message: RecordMessage,
  result: MapResult,
  entry: LedgerEntry | undefined,
): Promise<void> {
  switch (result.outcome) {
    case 'skipped':
    case 'quarantined':
      await settle(deps, message, 'map', result.outcome, { reason: result.reason });
      return;
    case 'waiting':
      await park({ ...deps, queue: deps.records }, message, 'map', result.reason);
      return;
    case 'mapped': {
      if (entry?.mappedHash === result.mappedHash) {
        // Same Procore output as last written: nothing to call.
        await settle(deps, message, 'map', 'unchanged', { mappedHash: result.mappedHash });
        return;
      }
      const write: WriteMessage = {
        v: 1,
        runId: message.runId,
        key: message.key,
        rawHash: message.rawHash,
        mappingVersion: message.mappingVersion,
        ...(message.seenAt === undefined ? {} : { seenAt: message.seenAt }),
        mappedHash: result.mappedHash,
        commands: result.commands,
        ...(message.record.kind === 'purchaseOrder'
          ? { poLines: poLineIndexEntries(message.record, deps.config) }
          : {}),
      };
      await deps.writes.send([writeMessageBody(write)]);
      await deps.audit.append([
        {
          runId: message.runId,
          key: message.key,
          at: new Date(deps.now()).toISOString(),
          stage: 'map',
          outcome: 'enqueued',
        },
      ]);
    }
  }
}
