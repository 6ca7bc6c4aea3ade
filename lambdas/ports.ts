import type { PoLineInfo } from './mapping/commands';
import type { Entity } from './workday/records';

/**
 * The ports the stages and clients see. Each has a local adapter (SQLite) and an AWS adapter
 * (DynamoDB, SQS, Secrets Manager + KMS); one contract test suite runs against both.
 */

/** Milliseconds since the epoch; injected so tests can move time. */
export type Clock = () => number;

/** Credentials of one system, as stored (README, "Credentials"). */
export type WorkdayIsuSecret = { username: string; password: string };
export type WorkdayOauthSecret = { clientId: string; clientSecret: string; refreshToken: string };
export type ProcoreSecret = { clientId: string; clientSecret: string };
export type SecretSystem = 'workday' | 'procore';

/** Where credentials live: the encrypted local store (seeded from the environment) or Secrets Manager. */
export interface SecretStore {
  /** The stored JSON object for a system, or undefined when none is stored. */
  get(system: SecretSystem): Promise<Record<string, string> | undefined>;
  /** Replaces the stored object; used by `secrets set` and to persist a rotated Workday refresh token. */
  put(system: SecretSystem, value: Record<string, string>): Promise<void>;
}

export interface CachedToken {
  accessToken: string;
  /** Epoch ms when the token was issued and when it stops working. */
  issuedAt: number;
  expiresAt: number;
}

/** Access tokens shared between runs (and Lambda invocations), encrypted at rest. */
export interface TokenCache {
  get(name: 'workday' | 'procore'): Promise<CachedToken | undefined>;
  put(name: 'workday' | 'procore', token: CachedToken): Promise<void>;
  delete(name: 'workday' | 'procore'): Promise<void>;
}

/**
 * Seals the EIN/ABN a supplier carries (README, "Private data"): the poll seals it before anything is queued or
 * stored, and only the writer opens it, for the body of the Procore vendor call. Locally AES-256-GCM under a key
 * derived from the state's key file; on AWS the customer's KMS key, its encryption context naming the purpose.
 */
export interface TaxIdSealer {
  /** A `v1:` string; sealing the same value twice gives different strings. */
  seal(value: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

/** Where polling of one entity stands. */
export interface Cursor {
  /** Everything entered up to here (suppliers, POs) is enqueued; ISO timestamp. Only moves forward. */
  highWater?: string;
  /** When the last wide invoice sweep finished (invoices, credit memos); ISO timestamp. */
  lastSweep?: string;
  /** The mapping version the cursor was built under; a different one means read everything again. */
  mappingVersion?: string;
  /** A window being paged: resume at `nextPage` with the same snapshot moment. */
  checkpoint?: { from: string; to: string; asOf: string; nextPage: number; sweep: boolean };
}

export interface CursorStore {
  get(entity: Entity): Promise<Cursor | undefined>;
  /** Writes the cursor; refuses (throws) to move `highWater` backwards. */
  put(entity: Entity, cursor: Cursor): Promise<void>;
  /** Removes every cursor, so the next poll reads from `syncFrom` again (used after a mapping change). */
  reset(): Promise<void>;
}

/** One run at a time per customer. */
export interface Lease {
  /** True when `owner` now holds the lease until `now + ttlMs` (free, expired, or already its own). */
  acquire(owner: string, ttlMs: number): Promise<boolean>;
  release(owner: string): Promise<void>;
}

export type Outcome = 'written' | 'unchanged' | 'skipped' | 'quarantined' | 'deadLettered' | 'pending';
export const OUTCOMES: readonly Outcome[] = [
  'written',
  'unchanged',
  'skipped',
  'quarantined',
  'deadLettered',
  'pending',
];

/** What the ledger knows about one Workday record (by record key). */
export interface LedgerEntry {
  key: string;
  rawHash: string;
  mappingVersion: string;
  /**
   * When a poll read this version (ISO): versions of a record are ordered by it, since Workday records carry no
   * update time. Absent on entries written before versions were stamped (older than any stamped one).
   */
  seenAt?: string;
  /** Hash of the commands last written in full; absent until a write succeeded. */
  mappedHash?: string;
  status: Outcome;
  reason?: string;
  /** Procore ids by origin_id for everything this record created or linked. */
  procoreIds: Record<string, number>;
  /** Stage-specific memory, e.g. the SOV lines last written for a commitment (change orders diff against it). */
  state?: Record<string, unknown>;
  /**
   * When Workday's change was first seen and not yet synced (freshness); cleared once written, kept while
   * quarantined or dead-lettered (a replay that writes the record clears it).
   */
  unsyncedSince?: string;
  updatedAt: string;
  runId: string;
}

/** Record key → Procore ids and hashes; the memory that makes re-runs free and recovery safe. */
export interface SyncLedger {
  get(key: string): Promise<LedgerEntry | undefined>;
  getMany(keys: readonly string[]): Promise<Map<string, LedgerEntry>>;
  /**
   * Writes the entry unless the stored one is of a newer version (a later `seenAt`, or one where the entry has
   * none): then only the entry's Procore ids are recorded, and it answers false. The ledger never moves back.
   */
  put(entry: LedgerEntry): Promise<boolean>;
  /** Procore id recorded for an origin_id by any record (vendors, commitments, SOV lines). */
  procoreId(originId: string): Promise<number | undefined>;
  setProcoreIds(ids: Record<string, number>): Promise<void>;
  /** What each line of a written PO became in Procore, for invoices that bill it (by line ID, and by `<Document_Number> line <Line_Number>`). */
  putPoLines(lines: readonly PoLineInfo[]): Promise<void>;
  poLine(lineId: string): Promise<PoLineInfo | undefined>;
  counts(): Promise<Record<Outcome, number>>;
  /**
   * The earliest `unsyncedSince` of a record still on its way (pending: queued, parked, retrying or in flight);
   * quarantined and dead-lettered records wait for a person and are counted (and alarmed on) apart.
   */
  oldestUnsynced(): Promise<string | undefined>;
}

export interface AuditEvent {
  runId: string;
  key: string;
  at: string;
  stage: 'poll' | 'map' | 'write' | 'replay';
  /** `superseded`: an older version than the ledger's newest, settled without a Procore call; not an outcome bucket. */
  outcome: Outcome | 'enqueued' | 'retrying' | 'parked' | 'superseded';
  reason?: string;
  /** The canonical record as polled (what replay re-enqueues). */
  record?: unknown;
  /** Procore calls made for it. */
  calls?: number;
}

export interface AuditQuery {
  key?: string;
  outcome?: AuditEvent['outcome'];
  since?: string;
  runId?: string;
}

/** Append-only trail of every outcome, with what is needed to replay the record. */
export interface AuditLog {
  append(events: readonly AuditEvent[]): Promise<void>;
  query(query: AuditQuery): Promise<AuditEvent[]>;
  /** The latest event per key whose latest outcome matches. */
  latestByOutcome(outcome: Outcome, since?: string): Promise<AuditEvent[]>;
  /**
   * The last poll event of `key`: its newest version, polled at `at`, carrying the record (none when Workday
   * sent it unreadable).
   */
  lastPolled(key: string): Promise<AuditEvent | undefined>;
}

/** One delivered message, as a batch handler sees it (an SQS record carries the same three facts). */
export interface QueueMessage {
  /** Message id: what a partial batch failure names. */
  id: string;
  /** What `retryLater` takes (the SQS receipt handle; the id itself locally). */
  receiptHandle: string;
  body: string;
  /** Deliveries so far, this one included. */
  receiveCount: number;
}

/** A batch handler's answer: the ids of the messages to deliver again (SQS partial batch failure). */
export interface BatchResult {
  batchItemFailures: { itemIdentifier: string }[];
}

/** A queue with SQS semantics: visibility timeout, receive count, delay, dead-letter after maxReceiveCount. */
export interface Queue {
  /** Sends each body as one message (in batches of 10 on SQS), visible after `delaySeconds`. */
  send(bodies: readonly string[], delaySeconds?: number): Promise<void>;
  /** Makes a received message visible again only after `delaySeconds`: the retry backoff of a failed record. */
  retryLater(receiptHandle: string, delaySeconds: number): Promise<void>;
}

/** Summary of one run, kept for `status`. */
export interface RunRecord {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  exitCode?: number;
  summary?: unknown;
}

export interface RunStore {
  put(run: RunRecord): Promise<void>;
  last(): Promise<RunRecord | undefined>;
}
