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
  /** When the poll read this version; absent on messages sent before versions were stamped. */
  seenAt?: string | undefined;
  parkedSince?: string | undefined;
  parks?: number | undefined;
}

/**
 * The ledger's entry when it holds a newer version of the message's record: other contents, polled later. A
 * message without `seenAt` was polled before versions were stamped, so before any stamped one.
 */
export function newerVersion(entry: LedgerEntry | undefined, message: StageMessage): LedgerEntry | undefined {
  if (entry?.seenAt === undefined || entry.rawHash === message.rawHash) return undefined;
  return message.seenAt === undefined || message.seenAt < entry.seenAt ? entry : undefined;
}

/** The version stamp an entry for this message carries: a same version the ledger saw later keeps the later stamp. */
function seenAtFor(previous: LedgerEntry | undefined, message: StageMessage): { seenAt?: string } {
  const latest =
    previous?.rawHash === message.rawHash && (message.seenAt === undefined || (previous.seenAt ?? '') > message.seenAt)
      ? previous.seenAt
      : message.seenAt;
  return latest === undefined ? {} : { seenAt: latest };
}

// A put refused for a newer version finds it on the next read: two rounds suffice unless polls race the write.
const PUT_ROUNDS = 3;

/**
 * Writes the message's ledger entry, built from the latest stored one, unless the ledger holds a newer version:
 * then nothing is written and that entry is returned. The put is conditional, so a version polled between the
 * read and the write is never overwritten.
 */
export async function putVersion(
  deps: SettleDeps,
  message: StageMessage,
  build: (previous: LedgerEntry | undefined) => LedgerEntry,
): Promise<LedgerEntry | undefined> {
  for (let round = 1; round <= PUT_ROUNDS; round++) {
    const previous = await deps.ledger.get(message.key);
    const newer = newerVersion(previous, message);
    if (newer !== undefined) return newer;
    const entry = build(previous);
    delete entry.seenAt;
    if (await deps.ledger.put({ ...entry, ...seenAtFor(previous, message) })) return undefined;
  }
  throw new Error(`the ledger entry of ${message.key} kept changing while it was settled; it is retried`);
}

/** Why a message was settled as superseded, naming both versions. */
export function supersededReason(message: StageMessage, newer: LedgerEntry, wrote: boolean): string {
  const versions = `superseded by the version of ${message.key} polled at ${newer.seenAt} (this one ${
    message.seenAt === undefined ? 'was polled before versions were stamped' : `was polled at ${message.seenAt}`
  })`;
  return wrote
    ? `${versions}; it reached Procore after that version was polled, so that version is enqueued again to be written over it`
    : `${versions}: not written to Procore`;
}

/**
 * An older version than the ledger's newest: an audit row, no Procore call, and the ledger (the newer version's
 * outcome) left as it is. In the run summary the record counts once, in the bucket of its newest version.
 */
export async function settleSuperseded(
  deps: SettleDeps,
  message: StageMessage,
  stage: AuditEvent['stage'],
  newer: LedgerEntry,
  options: { wrote?: boolean; calls?: number } = {},
): Promise<void> {
  deps.logger.info('older version superseded', {
    key: message.key,
    stage,
    seenAt: message.seenAt,
    newer: newer.seenAt,
  });
  await appendAudit(deps, message, stage, 'superseded', {
    reason: supersededReason(message, newer, options.wrote ?? false),
    calls: options.calls,
  });
}

/**
 * The record's final (or pending) outcome: ledger and audit trail, in that order. A message older than the
 * ledger's newest version is settled as superseded instead, and the newer entry is returned; `repair`, given
 * when the message reached Procore, runs first (the writer puts the newer version back on its way).
 */
export async function settle(
  deps: SettleDeps,
  message: StageMessage,
  stage: AuditEvent['stage'],
  outcome: Outcome,
  update: Partial<Pick<LedgerEntry, 'reason' | 'mappedHash' | 'procoreIds' | 'state'>> & { calls?: number } = {},
  repair?: (newer: LedgerEntry) => Promise<void>,
): Promise<LedgerEntry | undefined> {
  const at = new Date(deps.now()).toISOString();
  const { calls, ...fields } = update;
  const inSync = outcome === 'written' || outcome === 'unchanged' || outcome === 'skipped';
  const newer = await putVersion(deps, message, (previous) => {
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
    return entry;
  });
  if (newer !== undefined) {
    await repair?.(newer);
    await settleSuperseded(deps, message, stage, newer, {
      wrote: repair !== undefined,
      ...(calls === undefined ? {} : { calls }),
    });
    return newer;
  }
  await appendAudit(deps, message, stage, outcome, { reason: fields.reason, calls }, at);
  return undefined;
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
  const newer = await putVersion(deps, message, (previous) => ({
    ...(previous ?? { procoreIds: {} }),
    key: message.key,
    rawHash: message.rawHash,
    mappingVersion: message.mappingVersion,
    status: 'pending',
    reason,
    unsyncedSince: previous?.unsyncedSince ?? since,
    updatedAt: new Date(now).toISOString(),
    runId: message.runId,
  }));
  if (newer !== undefined) {
    // Nothing to wait for: a newer version of the record is on its way.
    await settleSuperseded(deps, message, stage, newer);
    return;
  }
  // Sent last: if anything before fails, the original is redelivered instead of leaving two copies.
  await deps.queue.send([JSON.stringify({ ...message, parkedSince: since, parks })], delay);
  await appendAudit(deps, message, stage, 'parked', { reason }, new Date(now).toISOString());
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
    const newer = await settle(deps, message, stage, 'deadLettered', {
      reason: `gave up after ${delivery.receiveCount} attempts: ${reason}`,
    });
    // A superseded version has nothing left to retry: deleted rather than dead-lettered.
    if (newer !== undefined) return false;
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
  await appendAudit(deps, message, stage, 'retrying', { reason });
  return true;
}

/** The audit row of one outcome of a message at a stage. */
async function appendAudit(
  deps: Pick<SettleDeps, 'audit' | 'now'>,
  message: Pick<StageMessage, 'runId' | 'key'>,
  stage: AuditEvent['stage'],
  outcome: AuditEvent['outcome'],
  fields: { reason?: string | undefined; calls?: number | undefined },
  at = new Date(deps.now()).toISOString(),
): Promise<void> {
  await deps.audit.append([
    {
      runId: message.runId,
      key: message.key,
      at,
      stage,
      outcome,
      ...(fields.reason === undefined ? {} : { reason: fields.reason }),
      ...(fields.calls === undefined ? {} : { calls: fields.calls }),
    },
  ]);
}
