import type { CustomerConfig } from '../config/schema';
import type { AuditEvent, AuditLog, Clock, LedgerEntry, Outcome, Queue, QueueMessage, SyncLedger } from '../ports';
import { ConnectorError, describeError, ProcoreError, stopsTheRun } from '../shared/errors';
import { backoffMs } from '../shared/http';
import type { Logger } from '../shared/logger';

/** A record parked on a dependency for longer than this is quarantined instead. */
export const PARK_LIMIT_MS = 24 * 60 * 60_000;
/** SQS caps a message delay at 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/** What the map and write stages share to record outcomes and to retry, park or dead-letter a message. */
export interface SettleDeps {
  config: CustomerConfig;
  ledger: SyncLedger;
  audit: AuditLog;
  logger: Logger;
  now: Clock;
  random?: () => number;
}

/** Fields every stage message carries. */
export interface StageMessage {
  runId: string;
  key: string;
  rawHash: string;
  mappingVersion: string;
  parkedSince?: string | undefined;
  parks?: number | undefined;
}

/** The record's final (or pending) outcome: ledger and audit trail, in that order. */
export async function settle(
  deps: SettleDeps,
  message: StageMessage,
  stage: AuditEvent['stage'],
  outcome: Outcome,
  update: Partial<Pick<LedgerEntry, 'reason' | 'mappedHash' | 'procoreIds' | 'state'>> & { calls?: number } = {},
): Promise<void> {
  const at = new Date(deps.now()).toISOString();
  const previous = await deps.ledger.get(message.key);
  const { calls, ...fields } = update;
  const inSync = outcome === 'written' || outcome === 'unchanged' || outcome === 'skipped';
  const entry: LedgerEntry = {
    ...(previous ?? { procoreIds: {} }),
    ...fields,
    key: message.key,
    rawHash: message.rawHash,
    mappingVersion: message.mappingVersion,
    status: outcome,
    procoreIds: { ...previous?.procoreIds, ...fields.procoreIds },
    updatedAt: at,
    runId: message.runId,
  };
  if (fields.reason === undefined) delete entry.reason;
  if (inSync) delete entry.unsyncedSince;
  else entry.unsyncedSince = previous?.unsyncedSince ?? at;
  await deps.ledger.put(entry);
  await deps.audit.append([
    {
      runId: message.runId,
      key: message.key,
      at,
      stage,
      outcome,
      ...(fields.reason === undefined ? {} : { reason: fields.reason }),
      ...(calls === undefined ? {} : { calls }),
    },
  ]);
}

/**
 * Sends the message again with a delay that does not count as an attempt (a new message, fresh receive
 * count); after a day of waiting the record is quarantined naming what it waited for.
 */
export async function park<M extends StageMessage>(
  deps: SettleDeps & { queue: Queue },
  message: M,
  stage: AuditEvent['stage'],
  reason: string,
): Promise<void> {
  const now = deps.now();
  const since = message.parkedSince ?? new Date(now).toISOString();
  if (now - Date.parse(since) > PARK_LIMIT_MS) {
    await settle(deps, message, stage, 'quarantined', { reason: `waited more than a day: ${reason}` });
    return;
  }
  const parks = (message.parks ?? 0) + 1;
  const delay = Math.min(MAX_DELAY_SECONDS, deps.config.retry.baseDelaySeconds * 2 ** Math.min(parks - 1, 10));
  const previous = await deps.ledger.get(message.key);
  await deps.ledger.put({
    ...(previous ?? { procoreIds: {} }),
    key: message.key,
    rawHash: message.rawHash,
    mappingVersion: message.mappingVersion,
    status: 'pending',
    reason,
    unsyncedSince: previous?.unsyncedSince ?? since,
    updatedAt: new Date(now).toISOString(),
    runId: message.runId,
  });
  // Sent last: if anything before fails, the original is redelivered instead of leaving two copies.
  await deps.queue.send([JSON.stringify({ ...message, parkedSince: since, parks })], delay);
  await deps.audit.append([
    { runId: message.runId, key: message.key, at: new Date(now).toISOString(), stage, outcome: 'parked', reason },
  ]);
}

/**
 * A failed attempt: a permanent refusal is quarantined at once (retrying spends rate quota); a transient
 * one backs off through the message's visibility and is dead-lettered on its last attempt. Returns
 * whether the message must be reported as a batch item failure. A failure that stops the run (the
 * connector's credentials refused) is not the record's: it is rethrown, and nothing is settled.
 */
export async function fail(
  deps: SettleDeps & { queue: Queue },
  message: StageMessage,
  delivery: QueueMessage,
  stage: AuditEvent['stage'],
  error: unknown,
): Promise<boolean> {
  if (stopsTheRun(error)) throw error;
  const reason = describeError(error);
  const retryable = error instanceof ConnectorError ? error.retryable : true;
  if (!retryable) {
    await settle(deps, message, stage, 'quarantined', { reason });
    return false;
  }
  if (delivery.receiveCount >= deps.config.retry.maxAttempts) {
    await settle(deps, message, stage, 'deadLettered', {
      reason: `gave up after ${delivery.receiveCount} attempts: ${reason}`,
    });
    // Visible again at once, so the queue moves it to the DLQ now rather than after a visibility timeout.
    await deps.queue.retryLater(delivery.receiptHandle, 0);
    return true;
  }
  const policy = {
    maxAttempts: deps.config.retry.maxAttempts,
    baseDelayMs: deps.config.retry.baseDelaySeconds * 1000,
    maxDelayMs: MAX_DELAY_SECONDS * 1000,
  };
  const hinted = error instanceof ProcoreError ? error.retryAfterMs : undefined;
  const delayMs = Math.max(hinted ?? 0, backoffMs(delivery.receiveCount, policy, deps.random));
  await deps.queue.retryLater(delivery.receiptHandle, Math.ceil(delayMs / 1000));
  deps.logger.warn('record will be retried', { key: message.key, attempt: delivery.receiveCount, reason, stage });
  await deps.audit.append([
    {
      runId: message.runId,
      key: message.key,
      at: new Date(deps.now()).toISOString(),
      stage,
      outcome: 'retrying',
      reason,
    },
  ]);
  return true;
}
