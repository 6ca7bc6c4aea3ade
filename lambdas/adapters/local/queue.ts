import { randomUUID } from 'node:crypto';
import type { Clock, Queue, QueueMessage } from '../../ports';
import type { StateDb } from './state-db';

export interface LocalQueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** An SQLite table with SQS semantics, drained by the local runner; its DLQ is the queue `<name>-dlq`. */
export interface LocalQueue extends Queue {
  readonly name: string;
  /** Up to `max` visible messages, hidden for `visibilitySeconds`; a message past `maxReceiveCount` moves to the DLQ instead. */
  receive(max: number, visibilitySeconds: number): Promise<QueueMessage[]>;
  delete(id: string): Promise<void>;
  depth(): Promise<LocalQueueDepth>;
  /** Messages still to process, split into parked ones (waiting on a dependency) and the rest, with when the next of the rest is due. */
  backlog(): Promise<{ active: number; parked: number; nextActiveAt: number | undefined }>;
  /** Makes every parked message visible now: their dependencies may have been written meanwhile. */
  wakeParked(): Promise<number>;
  /** Moves every message of the DLQ back to this queue with a fresh receive count (console "redrive"). */
  redrive(): Promise<number>;
  deadLetters(): Promise<QueueMessage[]>;
}

export function createLocalQueue(db: StateDb, name: string, maxReceiveCount: number, now: Clock): LocalQueue {
  const dlq = `${name}-dlq`;
  const insert = db.prepare(
    'INSERT INTO messages (id, queue, body, visible_at, receive_count, sent_at) VALUES (?, ?, ?, ?, 0, ?)',
  );
  const count = (sql: string, ...params: (string | number)[]) =>
    db.prepare<(string | number)[], { n: number }>(sql).get(...params)?.n ?? 0;
  return {
    name,
    async send(bodies, delaySeconds = 0) {
      const t = now();
      db.transaction(() => {
        for (const body of bodies) insert.run(randomUUID(), name, body, t + delaySeconds * 1000, t);
      })();
    },
    async retryLater(id, delaySeconds) {
      // A chosen backoff, not a batch in progress: a crash after this must not cut it short.
      db.prepare('UPDATE messages SET visible_at = ?, received_at = NULL WHERE id = ? AND queue = ?').run(
        now() + delaySeconds * 1000,
        id,
        name,
      );
    },
    async receive(max, visibilitySeconds) {
      return db.transaction(() => {
        const t = now();
        const rows = db
          .prepare<[string, number, number], { id: string; body: string; receive_count: number }>(
            'SELECT id, body, receive_count FROM messages WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, sent_at LIMIT ?',
          )
          .all(name, t, max * 2);
        const delivered: QueueMessage[] = [];
        for (const row of rows) {
          if (delivered.length >= max) break;
          if (row.receive_count >= maxReceiveCount) {
            db.prepare('UPDATE messages SET queue = ?, visible_at = ?, received_at = NULL WHERE id = ?').run(
              dlq,
              t,
              row.id,
            );
            continue;
          }
          // received_at marks a batch in progress; the next lease holder frees it if this run dies (stores.ts).
          db.prepare(
            'UPDATE messages SET receive_count = receive_count + 1, visible_at = ?, received_at = ? WHERE id = ?',
          ).run(t + visibilitySeconds * 1000, t, row.id);
          delivered.push({ id: row.id, receiptHandle: row.id, body: row.body, receiveCount: row.receive_count + 1 });
        }
        return delivered;
      })();
    },
    async delete(id) {
      db.prepare('DELETE FROM messages WHERE id = ?').run(id);
    },
    async depth() {
      const t = now();
      return {
        visible: count('SELECT COUNT(*) AS n FROM messages WHERE queue = ? AND visible_at <= ?', name, t),
        inFlight: count(
          'SELECT COUNT(*) AS n FROM messages WHERE queue = ? AND visible_at > ? AND receive_count > 0',
          name,
          t,
        ),
        delayed: count(
          'SELECT COUNT(*) AS n FROM messages WHERE queue = ? AND visible_at > ? AND receive_count = 0',
          name,
          t,
        ),
      };
    },
    async backlog() {
      const row = db
        .prepare<[string], { active: number; parked: number; next: number | null }>(
          `SELECT
             SUM(CASE WHEN json_extract(body, '$.parkedSince') IS NULL THEN 1 ELSE 0 END) AS active,
             SUM(CASE WHEN json_extract(body, '$.parkedSince') IS NULL THEN 0 ELSE 1 END) AS parked,
             MIN(CASE WHEN json_extract(body, '$.parkedSince') IS NULL THEN visible_at END) AS next
           FROM messages WHERE queue = ?`,
        )
        .get(name);
      return { active: row?.active ?? 0, parked: row?.parked ?? 0, nextActiveAt: row?.next ?? undefined };
    },
    async wakeParked() {
      return db
        .prepare(
          "UPDATE messages SET visible_at = ? WHERE queue = ? AND visible_at > ? AND json_extract(body, '$.parkedSince') IS NOT NULL",
        )
        .run(now(), name, now()).changes;
    },
    async redrive() {
      return db
        .prepare('UPDATE messages SET queue = ?, receive_count = 0, visible_at = ?, received_at = NULL WHERE queue = ?')
        .run(name, now(), dlq).changes;
    },
    async deadLetters() {
      return db
        .prepare<[string], { id: string; body: string; receive_count: number }>(
          'SELECT id, body, receive_count FROM messages WHERE queue = ? ORDER BY sent_at',
        )
        .all(dlq)
        .map((r) => ({ id: r.id, receiptHandle: r.id, body: r.body, receiveCount: r.receive_count }));
    },
  };
}
