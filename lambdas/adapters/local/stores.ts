import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { PoLineInfo } from '../../mapping/commands';
import type {
  AuditEvent,
  AuditLog,
  AuditQuery,
  Clock,
  Cursor,
  CursorStore,
  Lease,
  LedgerEntry,
  Outcome,
  RunRecord,
  RunStore,
  SyncLedger,
} from '../../ports';
import { OUTCOMES } from '../../ports';
import type { Entity } from '../../workday/records';
import type { StateDb } from './state-db';

/** Cursors in SQLite; `highWater` never moves backwards. */
export function createLocalCursorStore(db: StateDb): CursorStore {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM cursors WHERE entity = ?');
  const write = db.prepare(
    'INSERT INTO cursors (entity, value) VALUES (?, ?) ON CONFLICT(entity) DO UPDATE SET value = excluded.value',
  );
  const get = (entity: Entity): Cursor | undefined => {
    const row = read.get(entity);
    return row ? (JSON.parse(row.value) as Cursor) : undefined;
  };
  return {
    async get(entity) {
      return get(entity);
    },
    async put(entity, cursor) {
      db.transaction(() => {
        const previous = get(entity)?.highWater;
        if (previous !== undefined && (cursor.highWater === undefined || cursor.highWater < previous)) {
          throw new Error(`cursor for ${entity} would move backwards from ${previous} to ${cursor.highWater}`);
        }
        write.run(entity, JSON.stringify(cursor));
      })();
    },
    async reset() {
      db.prepare('DELETE FROM cursors').run();
    },
  };
}

/** The process holding the local lease. */
export interface LeaseHolder {
  pid: number;
  host: string;
  /** When the process started (Linux: `/proc/<pid>/stat` starttime), to tell a reused pid apart. */
  started?: string | undefined;
}

export interface LocalLeaseOptions {
  /** Who acquires; default this process. */
  holder?: LeaseHolder;
  /** Whether a holder on this host is still running; default: signal 0 and `/proc`. */
  isRunning?: (holder: LeaseHolder) => boolean;
}

function procStat(pid: number): { state: string; started: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after `(comm)`: state is field 3, starttime field 22; comm itself may hold spaces and `)`.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const [state, started] = [fields[0], fields[19]];
    return state === undefined || started === undefined ? undefined : { state, started };
  } catch {
    return undefined;
  }
}

/** This process, as a lease holder. */
export function currentLeaseHolder(): LeaseHolder {
  return { pid: process.pid, host: hostname(), started: procStat(process.pid)?.started };
}

/** Whether a process of this host is still running: it exists, is not a zombie, and is the same process. */
export function isProcessRunning(holder: LeaseHolder): boolean {
  if (!Number.isSafeInteger(holder.pid) || holder.pid <= 0) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const stat = procStat(holder.pid);
  if (stat === undefined) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return holder.started === undefined || holder.started === stat.started;
}

interface LeaseRow {
  owner: string;
  expires_at: number;
  pid: number | null;
  host: string | null;
  started: string | null;
}

/**
 * A single-row lease with an expiry, taken in one transaction. It records the holding process, so a
 * holder on this host that has died (killed, crashed, power cut) is taken over at once instead of after the
 * TTL; a holder on another host (a shared state file) or of unknown pid still waits for expiry. Whoever
 * takes the lease from another owner also frees the messages that owner had received and not settled:
 * with the lease taken, no run is working on them, so they are visible again at once rather than after
 * their visibility timeout.
 */
export function createLocalLease(db: StateDb, now: Clock, options: LocalLeaseOptions = {}): Lease {
  const holder = options.holder ?? currentLeaseHolder();
  const isRunning = options.isRunning ?? isProcessRunning;
  const alive = (row: LeaseRow) =>
    row.pid === null ||
    row.host !== holder.host ||
    isRunning({ pid: row.pid, host: row.host, started: row.started ?? undefined });
  return {
    async acquire(owner, ttlMs) {
      return db.transaction(() => {
        const t = now();
        const row = db.prepare<[], LeaseRow>('SELECT owner, expires_at, pid, host, started FROM lease').get();
        if (row && row.owner !== owner && row.expires_at > t && alive(row)) return false;
        db.prepare(
          `INSERT INTO lease (id, owner, expires_at, pid, host, started) VALUES (1, @owner, @expiresAt, @pid, @host, @started)
           ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
             pid = excluded.pid, host = excluded.host, started = excluded.started`,
        ).run({ owner, expiresAt: t + ttlMs, pid: holder.pid, host: holder.host, started: holder.started ?? null });
        if (row?.owner !== owner) {
          db.prepare(
            'UPDATE messages SET visible_at = ?, received_at = NULL WHERE received_at IS NOT NULL AND visible_at > ?',
          ).run(t, t);
        }
        return true;
      })();
    },
    async release(owner) {
      db.prepare('DELETE FROM lease WHERE owner = ?').run(owner);
    },
  };
}

/** The sync ledger: one JSON row per record key, plus the origin_id → Procore id index. */
export function createLocalLedger(db: StateDb): SyncLedger {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM ledger WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO ledger (key, status, unsynced_since, value) VALUES (@key, @status, @unsyncedSince, @value) ON CONFLICT(key) DO UPDATE SET status = excluded.status, unsynced_since = excluded.unsynced_since, value = excluded.value',
  );
  const writeId = db.prepare(
    'INSERT INTO procore_ids (origin_id, procore_id) VALUES (?, ?) ON CONFLICT(origin_id) DO UPDATE SET procore_id = excluded.procore_id',
  );
  return {
    async get(key) {
      const row = read.get(key);
      return row ? (JSON.parse(row.value) as LedgerEntry) : undefined;
    },
    async getMany(keys) {
      const found = new Map<string, LedgerEntry>();
      for (const key of keys) {
        const row = read.get(key);
        if (row) found.set(key, JSON.parse(row.value) as LedgerEntry);
      }
      return found;
    },
    async put(entry) {
      return db.transaction(() => {
        // Ids are facts about Procore whichever version wrote them: kept even when the entry is refused.
        for (const [originId, id] of Object.entries(entry.procoreIds)) writeId.run(originId, id);
        const stored = read.get(entry.key);
        const storedSeenAt = stored ? (JSON.parse(stored.value) as LedgerEntry).seenAt : undefined;
        if (storedSeenAt !== undefined && (entry.seenAt === undefined || entry.seenAt < storedSeenAt)) return false;
        write.run({
          key: entry.key,
          status: entry.status,
          unsyncedSince: entry.unsyncedSince ?? null,
          value: JSON.stringify(entry),
        });
        return true;
      })();
    },
    async procoreId(originId) {
      const row = db
        .prepare<[string], { procore_id: number }>('SELECT procore_id FROM procore_ids WHERE origin_id = ?')
        .get(originId);
      return row?.procore_id;
    },
    async setProcoreIds(ids) {
      db.transaction(() => {
        for (const [originId, id] of Object.entries(ids)) writeId.run(originId, id);
      })();
    },
    async putPoLines(lines) {
      const put = db.prepare(
        'INSERT INTO po_lines (line_id, value) VALUES (?, ?) ON CONFLICT(line_id) DO UPDATE SET value = excluded.value',
      );
      db.transaction(() => {
        for (const line of lines) put.run(line.lineId, JSON.stringify(line));
      })();
    },
    async poLine(lineId) {
      const row = db.prepare<[string], { value: string }>('SELECT value FROM po_lines WHERE line_id = ?').get(lineId);
      return row ? (JSON.parse(row.value) as PoLineInfo) : undefined;
    },
    async counts() {
      const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
      const rows = db
        .prepare<[], { status: Outcome; n: number }>('SELECT status, COUNT(*) AS n FROM ledger GROUP BY status')
        .all();
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },
    async oldestUnsynced() {
      // Only records still on their way: quarantined and dead-lettered ones wait for a person, counted apart.
      const row = db
        .prepare<[], { oldest: string | null }>(
          "SELECT MIN(unsynced_since) AS oldest FROM ledger WHERE status = 'pending' AND unsynced_since IS NOT NULL",
        )
        .get();
      return row?.oldest ?? undefined;
    },
  };
}

/** Append-only audit trail in SQLite. */
export function createLocalAuditLog(db: StateDb): AuditLog {
  const insert = db.prepare(
    'INSERT INTO audit (key, run_id, at, outcome, has_record, value) VALUES (@key, @runId, @at, @outcome, @hasRecord, @value)',
  );
  const parse = (rows: { value: string }[]) => rows.map((r) => JSON.parse(r.value) as AuditEvent);
  return {
    async append(events) {
      db.transaction(() => {
        for (const e of events) {
          insert.run({
            key: e.key,
            runId: e.runId,
            at: e.at,
            outcome: e.outcome,
            hasRecord: e.record === undefined ? 0 : 1,
            value: JSON.stringify(e),
          });
        }
      })();
    },
    async query(q: AuditQuery) {
      const where: string[] = [];
      const params: Record<string, string> = {};
      if (q.key !== undefined) {
        where.push('key = @key');
        params.key = q.key;
      }
      if (q.outcome !== undefined) {
        where.push('outcome = @outcome');
        params.outcome = q.outcome;
      }
      if (q.since !== undefined) {
        where.push('at >= @since');
        params.since = q.since;
      }
      if (q.runId !== undefined) {
        where.push('run_id = @runId');
        params.runId = q.runId;
      }
      const sql = `SELECT value FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
      return parse(db.prepare<Record<string, string>, { value: string }>(sql).all(params));
    },
    async latestByOutcome(outcome: Outcome, since?: string) {
      const rows = db
        .prepare<{ outcome: string; since: string }, { value: string }>(
          `SELECT a.value FROM audit a
           JOIN (SELECT key, MAX(seq) AS seq FROM audit WHERE outcome IN ('written','unchanged','skipped','quarantined','deadLettered','pending') GROUP BY key) latest
             ON a.seq = latest.seq
           WHERE a.outcome = @outcome AND a.at >= @since ORDER BY a.seq`,
        )
        .all({ outcome, since: since ?? '' });
      return parse(rows);
    },
    async lastPolled(key) {
      const row = db
        .prepare<[string], { value: string }>(
          "SELECT value FROM audit WHERE key = ? AND json_extract(value, '$.stage') = 'poll' ORDER BY seq DESC LIMIT 1",
        )
        .get(key);
      return row ? (JSON.parse(row.value) as AuditEvent) : undefined;
    },
  };
}

/** Run summaries for `status`. */
export function createLocalRunStore(db: StateDb): RunStore {
  return {
    async put(run: RunRecord) {
      db.prepare(
        'INSERT INTO runs (run_id, started_at, value) VALUES (?, ?, ?) ON CONFLICT(run_id) DO UPDATE SET value = excluded.value',
      ).run(run.runId, run.startedAt, JSON.stringify(run));
    },
    async last() {
      const row = db
        .prepare<[], { value: string }>('SELECT value FROM runs ORDER BY started_at DESC, rowid DESC LIMIT 1')
        .get();
      return row ? (JSON.parse(row.value) as RunRecord) : undefined;
    },
  };
}
