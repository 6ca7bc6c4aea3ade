import type { CustomerConfig } from '../config/schema';
import { rawHash, rawHashBeforeSealing } from '../mapping/version';
import type {
  AuditEvent,
  AuditLog,
  Clock,
  Cursor,
  CursorStore,
  LedgerEntry,
  Outcome,
  Queue,
  SyncLedger,
  TaxIdSealer,
} from '../ports';
import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { RejectedRecord } from '../workday/parse';
import {
  ENTITIES,
  type Entity,
  KIND_OF_ENTITY,
  type ParsedRecord,
  recordKey,
  type WorkdayRecord,
} from '../workday/records';
import type { RecordMessage } from './messages';

/** Suppliers and POs are read by entry time; the window overlaps the last one so late commits are not missed. */
export const OVERLAP_MS = 10 * 60_000;
/** Changes younger than this are left for the next cycle: Workday may still be committing them. */
export const SETTLE_LAG_MS = 2 * 60_000;
/** The wide invoice sweep (invoices entered late with old dates) runs at most this often. */
export const SWEEP_INTERVAL_MS = 24 * 60 * 60_000;
/** Stop paging when less than this is left before the deadline, and resume from the checkpoint next time. */
export const PAGE_BUDGET_MS = 60_000;

const DAY_MS = 24 * 60 * 60_000;
/** Before any Workday tenant existed: the start of a first full read. */
export const EARLIEST = '2000-01-01';

/** A window of Workday data: entry timestamps (suppliers, POs) or invoice dates (invoices, credit memos). */
export interface PollWindow {
  from: string;
  to: string;
}

export interface PageQuery {
  entity: Entity;
  window: PollWindow;
  /** As_Of_Entry_DateTime, pinned for every page of the window. */
  asOf: string;
  startPage: number;
}

export interface WorkdayPage {
  page: number;
  totalPages: number;
  records: ParsedRecord[];
  rejected: RejectedRecord[];
}

/** What polling needs from Workday: pages of one window, from a page on. */
export interface WorkdayPager {
  pages(query: PageQuery): AsyncIterable<WorkdayPage>;
  /** Workday's current moment, read from its answers (one cheap call when none came yet). */
  clock?(): Promise<number>;
}

/** Clocks further apart than this are worth a warning (an HTTP Date has whole seconds). */
export const CLOCK_SKEW_NOTICE_MS = 5_000;

export interface PollDeps {
  config: CustomerConfig;
  mappingVersion: string;
  workday: WorkdayPager;
  cursors: CursorStore;
  ledger: SyncLedger;
  audit: AuditLog;
  records: Queue;
  /** Seals a supplier's EIN/ABN before the record is queued or audited. */
  taxIds: TaxIdSealer;
  logger: Logger;
  now: Clock;
}

export interface PollOptions {
  runId: string;
  /** Epoch ms by which polling must have returned (the Lambda deadline); none locally. */
  deadline?: number;
  /** Read and report, but enqueue only to `records` and write no cursor, ledger or audit row. */
  dryRun?: boolean;
  onPage?: (entity: Entity, page: number, totalPages: number) => void;
}

/** What one poll saw, per record key: enqueued, or settled at once (unchanged, quarantined at parse, …). */
export interface PollResult {
  complete: boolean;
  polled: Record<Entity, number>;
  /** Keys settled at poll time with their outcome; enqueued keys are absent. */
  settled: Map<string, { outcome: Outcome; reason?: string }>;
  enqueued: Set<string>;
}

/** An empty poll result; a caller that passes its own to `poll` still has what was read when the poll fails. */
export function newPollResult(): PollResult {
  return {
    complete: true,
    polled: { suppliers: 0, purchaseOrders: 0, invoices: 0, creditMemos: 0 },
    settled: new Map(),
    enqueued: new Set(),
  };
}

/**
 * Pages every entity from its cursor, drops records the ledger already has (same raw hash and mapping
 * version), enqueues the rest, checkpoints page by page, and advances the cursor only once its window
 * is fully enqueued. Stops early, resumable, when the deadline nears.
 */
export async function poll(deps: PollDeps, options: PollOptions, result = newPollResult()): Promise<PollResult> {
  for (const entity of ENTITIES) {
    const done = await pollEntity(deps, options, entity, result);
    if (!done) {
      result.complete = false;
      break;
    }
  }
  return result;
}

async function pollEntity(deps: PollDeps, options: PollOptions, entity: Entity, result: PollResult): Promise<boolean> {
  const { cursors, logger, now } = deps;
  const startedAt = await pollMoment(deps, entity);
  const stored = (await cursors.get(entity)) ?? {};
  // A mapping change plans from the start again, but the stored high-water mark still only moves forward.
  const cursor: Cursor = stored.mappingVersion === deps.mappingVersion ? stored : {};
  const kept = stored.highWater === undefined ? {} : { highWater: stored.highWater };
  const plan = cursor.checkpoint ?? planWindow(deps.config, entity, cursor, startedAt);
  if (plan === undefined) return true;
  const seen = new Set<string>();

  for await (const page of deps.workday.pages({
    entity,
    window: { from: plan.from, to: plan.to },
    asOf: plan.asOf,
    startPage: plan.nextPage,
  })) {
    await handlePage(deps, options, entity, page, seen, result);
    options.onPage?.(entity, page.page, page.totalPages);
    if (page.page >= page.totalPages) break;
    if (!options.dryRun) {
      await cursors.put(entity, {
        ...cursor,
        ...kept,
        mappingVersion: deps.mappingVersion,
        checkpoint: { ...plan, nextPage: page.page + 1 },
      });
    }
    if (options.deadline !== undefined && options.deadline - now() < PAGE_BUDGET_MS) {
      logger.info('poll paused before the deadline; resuming from the checkpoint next time', {
        entity,
        nextPage: page.page + 1,
      });
      return false;
    }
  }

  if (!options.dryRun) {
    // Entry-time windows advance to their end; invoice-date windows record when they were last read in full.
    const highWater = maxIso(stored.highWater, isDateWindow(entity) ? plan.asOf : plan.to);
    const lastSweep = plan.sweep ? plan.asOf : cursor.lastSweep;
    await cursors.put(entity, {
      mappingVersion: deps.mappingVersion,
      ...(highWater === undefined ? {} : { highWater }),
      ...(lastSweep === undefined ? {} : { lastSweep }),
    });
  }
  return true;
}

/**
 * The moment a window is planned at: Workday's when its clock is behind ours, since Workday refuses an
 * Updated_To_Date later than its own current moment; the cursor then ends where the window really did.
 */
export async function pollMoment(deps: Pick<PollDeps, 'workday' | 'logger' | 'now'>, entity: Entity): Promise<number> {
  const local = deps.now();
  const workday = await deps.workday.clock?.();
  if (workday === undefined) return local;
  const skew = local - workday;
  if (Math.abs(skew) > CLOCK_SKEW_NOTICE_MS) {
    const seconds = Math.round(Math.abs(skew) / 1000);
    deps.logger.warn(
      `this machine's clock is ${seconds} s ${skew > 0 ? 'ahead of' : 'behind'} Workday's; windows end at the earlier of the two (set the clock by NTP)`,
      { entity, skewMs: skew },
    );
  }
  return Math.min(local, workday);
}

interface WindowPlan {
  from: string;
  to: string;
  asOf: string;
  nextPage: number;
  sweep: boolean;
}

function isDateWindow(entity: Entity): boolean {
  return entity === 'invoices' || entity === 'creditMemos';
}

/** The next window of an entity: by entry time from the cursor, or by invoice date over the lookback (or the daily sweep). */
export function planWindow(
  config: CustomerConfig,
  entity: Entity,
  cursor: Cursor,
  now: number,
): WindowPlan | undefined {
  const asOf = new Date(now).toISOString();
  const syncFrom = config.syncFrom ?? EARLIEST;
  if (isDateWindow(entity)) {
    const today = asOf.slice(0, 10);
    // The first read takes every invoice from syncFrom; later ones the lookback, and once a day a sweep of four
    // lookbacks catches invoices entered late with old dates.
    if (cursor.highWater === undefined) return { from: syncFrom, to: today, asOf, nextPage: 1, sweep: true };
    const lastSweep = cursor.lastSweep === undefined ? 0 : Date.parse(cursor.lastSweep);
    const sweep = now - lastSweep >= SWEEP_INTERVAL_MS;
    const days = config.workday.invoiceLookbackDays * (sweep ? 4 : 1);
    const from = new Date(now - days * DAY_MS).toISOString().slice(0, 10);
    return { from: maxIso(from, syncFrom) ?? from, to: today, asOf, nextPage: 1, sweep };
  }
  const to = new Date(now - SETTLE_LAG_MS).toISOString();
  // syncFrom cuts documents over, not suppliers: a supplier untouched for years still needs its vendor.
  const firstFrom = entity === 'suppliers' ? EARLIEST : syncFrom;
  const from =
    cursor.highWater === undefined
      ? `${firstFrom}T00:00:00.000Z`
      : new Date(Date.parse(cursor.highWater) - OVERLAP_MS).toISOString();
  if (from >= to) return undefined;
  return { from, to, asOf, nextPage: 1, sweep: false };
}

function maxIso(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

// A record whose raw hash and mapping version match the ledger costs nothing; its settled outcome stands.
const SETTLED_AS: Partial<Record<Outcome, Outcome>> = {
  written: 'unchanged',
  unchanged: 'unchanged',
  skipped: 'unchanged',
  quarantined: 'quarantined',
  deadLettered: 'deadLettered',
};

/** Whether the ledger's entry is of this version; a synced one may still carry the hash of before sealing. */
function sameVersion(entry: LedgerEntry, hash: string, record: ParsedRecord): boolean {
  if (entry.rawHash === hash) return true;
  return SETTLED_AS[entry.status] === 'unchanged' && entry.rawHash === rawHashBeforeSealing(record);
}

/** The record as it may be queued and stored: a supplier's EIN/ABN sealed, no clear value left. */
export async function sealRecord(record: ParsedRecord, taxIds: TaxIdSealer): Promise<WorkdayRecord> {
  if (record.kind !== 'supplier') return record;
  const { taxId, ...supplier } = record;
  if (taxId === undefined) return supplier;
  const { value, ...kept } = taxId;
  const clear = value?.trim();
  return { ...supplier, taxId: clear ? { ...kept, sealed: await taxIds.seal(clear) } : kept };
}

async function handlePage(
  deps: PollDeps,
  options: PollOptions,
  entity: Entity,
  page: WorkdayPage,
  seen: Set<string>,
  result: PollResult,
): Promise<void> {
  const { ledger, now } = deps;
  const at = new Date(now()).toISOString();
  const fresh = page.records.filter((r) => !seen.has(recordKey(r)));
  for (const r of fresh) seen.add(recordKey(r));
  const entries = await ledger.getMany(fresh.map(recordKey));
  const messages: RecordMessage[] = [];
  const audit: AuditEvent[] = [];
  const ledgerWrites: LedgerEntry[] = [];

  for (const parsed of fresh) {
    const key = recordKey(parsed);
    result.polled[entity] += 1;
    const hash = rawHash(parsed);
    const entry = entries.get(key);
    if (entry && entry.mappingVersion === deps.mappingVersion && sameVersion(entry, hash, parsed)) {
      const outcome = SETTLED_AS[entry.status] ?? 'pending';
      // Already in flight from an earlier run: not enqueued again, and tallied from the ledger once drained.
      if (outcome === 'pending') {
        result.enqueued.add(key);
        continue;
      }
      // Settled records cost nothing downstream, not even an audit row: the invoice lookback re-reads them every cycle.
      result.settled.set(key, { outcome, ...(entry.reason === undefined ? {} : { reason: entry.reason }) });
      continue;
    }
    const record = await sealRecord(parsed, deps.taxIds);
    // The page's time orders this version after every earlier one: polls of a customer never overlap (the lease).
    messages.push({
      v: 1,
      runId: options.runId,
      key,
      record,
      rawHash: hash,
      mappingVersion: deps.mappingVersion,
      seenAt: at,
    });
    result.enqueued.add(key);
    audit.push({ runId: options.runId, key, at, stage: 'poll', outcome: 'enqueued', record });
    ledgerWrites.push({
      ...(entry ?? { key, procoreIds: {} }),
      key,
      rawHash: hash,
      mappingVersion: deps.mappingVersion,
      seenAt: at,
      status: 'pending',
      unsyncedSince: entry?.unsyncedSince ?? at,
      updatedAt: at,
      runId: options.runId,
    });
  }

  for (const rejected of page.rejected) {
    const key = rejected.key ?? `${KIND_OF_ENTITY[entity]}:unidentified-page-${page.page}-${result.settled.size}`;
    result.polled[entity] += 1;
    const outcome = rejected.outOfScope ? 'skipped' : 'quarantined';
    const reason = rejected.outOfScope
      ? `Workday sent a record the connector does not sync: ${describeError(rejected.error)}`
      : `Workday sent a record the connector cannot read: ${describeError(rejected.error)}`;
    result.settled.set(key, { outcome, reason });
    audit.push({ runId: options.runId, key, at, stage: 'poll', outcome, reason });
    if (rejected.key !== undefined) {
      ledgerWrites.push({
        key,
        rawHash: 'unreadable',
        mappingVersion: deps.mappingVersion,
        seenAt: at,
        status: outcome,
        reason,
        procoreIds: (await ledger.get(key))?.procoreIds ?? {},
        updatedAt: at,
        runId: options.runId,
      });
    }
  }

  if (messages.length > 0) await deps.records.send(messages.map((m) => JSON.stringify(m)));
  if (options.dryRun) return;
  // Enqueue, audit, then the ledger: a crash in between re-enqueues (harmless), never loses the record, and the
  // audit trail always holds the version the ledger calls newest (what replay re-enqueues).
  await deps.audit.append(audit);
  for (const entry of ledgerWrites) await ledger.put(entry);
}
