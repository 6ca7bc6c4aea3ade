import { describe, expect, it } from 'vitest';
import type { AuditLog, CursorStore, Lease, LedgerEntry, Queue, QueueMessage, SyncLedger } from '../../lambdas/ports';

/** The adapters one contract run needs, built fresh per test against a clock the test moves. */
export interface PortHarness {
  cursors: CursorStore;
  lease: Lease;
  ledger: SyncLedger;
  audit: AuditLog;
  /** A queue with maxReceiveCount 2, plus the consumer side the runner (or Lambda's event source) uses. */
  queue: Queue & {
    receive(max: number, visibilitySeconds: number): Promise<QueueMessage[]>;
    delete(id: string): Promise<void>;
    deadLetters(): Promise<QueueMessage[]>;
  };
  advance(ms: number): void;
  close(): Promise<void>;
}

const entry = (key: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry => ({
  key,
  rawHash: 'r1',
  mappingVersion: 'm1',
  status: 'written',
  procoreIds: {},
  updatedAt: '2026-11-01T00:00:00.000Z',
  runId: 'run-1',
  ...overrides,
});

/** One contract suite per port, run against every adapter set (SQLite locally, DynamoDB/SQS on AWS). */
export function describePortContract(name: string, make: () => Promise<PortHarness>): void {
  const withPorts = (fn: (h: PortHarness) => Promise<void>) => async () => {
    const h = await make();
    try {
      await fn(h);
    } finally {
      await h.close();
    }
  };

  describe(`${name}: CursorStore`, () => {
    it(
      'stores a cursor and refuses to move the high-water mark backwards',
      withPorts(async ({ cursors }) => {
        await cursors.put('suppliers', { highWater: '2026-11-02T00:00:00.000Z' });
        await expect(cursors.put('suppliers', { highWater: '2026-11-01T00:00:00.000Z' })).rejects.toThrow(/backwards/);
        await cursors.put('suppliers', {
          highWater: '2026-11-02T00:00:00.000Z',
          checkpoint: { from: 'a', to: 'b', asOf: 'c', nextPage: 3, sweep: false },
        });
        expect((await cursors.get('suppliers'))?.checkpoint?.nextPage).toBe(3);
        expect(await cursors.get('invoices')).toBeUndefined();
      }),
    );
    it(
      'forgets every cursor on reset',
      withPorts(async ({ cursors }) => {
        await cursors.put('purchaseOrders', { highWater: '2026-11-02T00:00:00.000Z' });
        await cursors.reset();
        expect(await cursors.get('purchaseOrders')).toBeUndefined();
      }),
    );
  });

  describe(`${name}: Lease`, () => {
    it(
      'lets one owner in at a time until the lease expires',
      withPorts(async ({ lease, advance }) => {
        expect(await lease.acquire('run-a', 60_000)).toBe(true);
        expect(await lease.acquire('run-b', 60_000)).toBe(false);
        expect(await lease.acquire('run-a', 60_000)).toBe(true);
        advance(61_000);
        expect(await lease.acquire('run-b', 60_000)).toBe(true);
        await lease.release('run-b');
        expect(await lease.acquire('run-c', 60_000)).toBe(true);
      }),
    );
  });

  describe(`${name}: SyncLedger`, () => {
    it(
      'round-trips entries and indexes Procore ids by origin_id',
      withPorts(async ({ ledger }) => {
        await ledger.put(entry('supplier:a', { procoreIds: { a: 562949953421312 } }));
        await ledger.put(
          entry('purchaseOrder:b', {
            status: 'quarantined',
            reason: 'no rule',
            unsyncedSince: '2026-10-01T00:00:00.000Z',
          }),
        );
        expect((await ledger.get('supplier:a'))?.procoreIds).toEqual({ a: 562949953421312 });
        expect(await ledger.procoreId('a')).toBe(562949953421312);
        await ledger.setProcoreIds({ 'b:5001': 7 });
        expect(await ledger.procoreId('b:5001')).toBe(7);
        expect((await ledger.getMany(['supplier:a', 'missing'])).size).toBe(1);
        const counts = await ledger.counts();
        expect(counts.written).toBe(1);
        expect(counts.quarantined).toBe(1);
      }),
    );
    it(
      'dates the oldest unsynced change by records still on their way, not by those waiting for a person',
      withPorts(async ({ ledger }) => {
        expect(await ledger.oldestUnsynced()).toBeUndefined();
        await ledger.put(
          entry('purchaseOrder:q', {
            status: 'quarantined',
            reason: 'no rule',
            unsyncedSince: '2026-09-01T00:00:00.000Z',
          }),
        );
        await ledger.put(
          entry('invoice:d', { status: 'deadLettered', reason: 'gave up', unsyncedSince: '2026-09-02T00:00:00.000Z' }),
        );
        expect(await ledger.oldestUnsynced()).toBeUndefined();

        await ledger.put(entry('invoice:p', { status: 'pending', unsyncedSince: '2026-10-02T00:00:00.000Z' }));
        await ledger.put(entry('supplier:p', { status: 'pending', unsyncedSince: '2026-10-01T00:00:00.000Z' }));
        expect(await ledger.oldestUnsynced()).toBe('2026-10-01T00:00:00.000Z');

        // Written: out of the view. A quarantined record replayed is on its way again, since its first sighting.
        await ledger.put(entry('supplier:p', { status: 'written' }));
        expect(await ledger.oldestUnsynced()).toBe('2026-10-02T00:00:00.000Z');
        await ledger.put(entry('purchaseOrder:q', { status: 'pending', unsyncedSince: '2026-09-01T00:00:00.000Z' }));
        expect(await ledger.oldestUnsynced()).toBe('2026-09-01T00:00:00.000Z');
        await ledger.put(entry('purchaseOrder:q', { status: 'written' }));
        expect(await ledger.oldestUnsynced()).toBe('2026-10-02T00:00:00.000Z');
      }),
    );
    it(
      'never moves back to an older version: a put with an earlier seenAt is refused, its Procore ids kept',
      withPorts(async ({ ledger }) => {
        const v1 = entry('supplier:v', { rawHash: 'h1', seenAt: '2026-11-01T00:00:00.000Z' });
        const v2 = entry('supplier:v', { rawHash: 'h2', seenAt: '2026-11-02T00:00:00.000Z', status: 'pending' });
        expect(await ledger.put(v1)).toBe(true);
        expect(await ledger.put(v2)).toBe(true);
        expect(await ledger.put({ ...v1, procoreIds: { 'WD-V': 41 } })).toBe(false);
        expect(await ledger.get('supplier:v')).toEqual(v2);
        expect(await ledger.procoreId('WD-V')).toBe(41);
        // Without a stamp (written before versions were stamped) an entry is older than any stamped one.
        const { seenAt: _, ...unstamped } = v1;
        expect(await ledger.put(unstamped)).toBe(false);
        // The same version again, and a newer one, are taken.
        expect(await ledger.put({ ...v2, status: 'written' })).toBe(true);
        expect(await ledger.put({ ...v2, rawHash: 'h3', seenAt: '2026-11-03T00:00:00.000Z' })).toBe(true);
        expect((await ledger.get('supplier:v'))?.rawHash).toBe('h3');
        // An entry never stamped takes any.
        expect(await ledger.put(entry('supplier:u', {}))).toBe(true);
        expect(await ledger.put(entry('supplier:u', { rawHash: 'h0' }))).toBe(true);
        expect(await ledger.put(entry('supplier:u', { seenAt: '2026-11-01T00:00:00.000Z' }))).toBe(true);
      }),
    );
    it(
      'indexes what each PO line became by its Workday line id',
      withPorts(async ({ ledger }) => {
        const line = {
          purchaseOrderWid: 'a'.repeat(32),
          lineId: 'POL-1',
          parts: [{ procoreProjectId: 5001, commitmentLineOriginId: `${'a'.repeat(32)}:POL-1`, amount: '10.00' }],
        };
        await ledger.putPoLines([line]);
        expect(await ledger.poLine('POL-1')).toEqual(line);
        expect(await ledger.poLine('POL-2')).toBeUndefined();
      }),
    );
  });

  describe(`${name}: AuditLog`, () => {
    it(
      'answers by key, by latest outcome and with the newest polled version',
      withPorts(async ({ audit }) => {
        await audit.append([
          {
            runId: 'r1',
            key: 'invoice:x',
            at: '2026-11-01T00:00:00.000Z',
            stage: 'poll',
            outcome: 'enqueued',
            record: { v: 1 },
          },
          {
            runId: 'r1',
            key: 'invoice:x',
            at: '2026-11-01T00:00:01.000Z',
            stage: 'map',
            outcome: 'quarantined',
            reason: 'no rule',
          },
          { runId: 'r1', key: 'invoice:y', at: '2026-11-01T00:00:02.000Z', stage: 'map', outcome: 'quarantined' },
          { runId: 'r2', key: 'invoice:y', at: '2026-11-02T00:00:00.000Z', stage: 'write', outcome: 'written' },
        ]);
        expect((await audit.query({ key: 'invoice:x' })).map((e) => e.outcome)).toEqual(['enqueued', 'quarantined']);
        expect((await audit.latestByOutcome('quarantined')).map((e) => e.key)).toEqual(['invoice:x']);
        expect((await audit.lastPolled('invoice:x'))?.record).toEqual({ v: 1 });
        expect(await audit.lastPolled('invoice:y')).toBeUndefined();
        // The newest poll, not a later replay of an older copy; an unreadable newest one carries no record.
        await audit.append([
          {
            runId: 'r3',
            key: 'invoice:x',
            at: '2026-11-03T00:00:00.000Z',
            stage: 'poll',
            outcome: 'enqueued',
            record: { v: 2 },
          },
          {
            runId: 'r4',
            key: 'invoice:x',
            at: '2026-11-04T00:00:00.000Z',
            stage: 'replay',
            outcome: 'enqueued',
            record: { v: 1 },
          },
          { runId: 'r4', key: 'invoice:x', at: '2026-11-04T00:00:01.000Z', stage: 'write', outcome: 'written' },
        ]);
        expect(await audit.lastPolled('invoice:x')).toMatchObject({ at: '2026-11-03T00:00:00.000Z', record: { v: 2 } });
        await audit.append([
          {
            runId: 'r5',
            key: 'invoice:x',
            at: '2026-11-05T00:00:00.000Z',
            stage: 'poll',
            outcome: 'quarantined',
            reason: 'unreadable',
          },
        ]);
        expect((await audit.lastPolled('invoice:x'))?.record).toBeUndefined();
      }),
    );
  });

  describe(`${name}: Queue`, () => {
    it(
      'hides a received message for its visibility timeout and dead-letters it after maxReceiveCount',
      withPorts(async ({ queue, advance }) => {
        await queue.send(['{"n":1}']);
        const [first] = await queue.receive(10, 30);
        expect(first?.receiveCount).toBe(1);
        expect(await queue.receive(10, 30)).toEqual([]);
        advance(31_000);
        const [second] = await queue.receive(10, 30);
        expect(second?.receiveCount).toBe(2);
        advance(31_000);
        expect(await queue.receive(10, 30)).toEqual([]);
        expect((await queue.deadLetters()).map((m) => m.body)).toEqual(['{"n":1}']);
      }),
    );
    it(
      'delays a message and backs off a failed one with retryLater',
      withPorts(async ({ queue, advance }) => {
        await queue.send(['a'], 60);
        expect(await queue.receive(10, 30)).toEqual([]);
        advance(61_000);
        const [m] = await queue.receive(10, 30);
        expect(m?.body).toBe('a');
        if (!m) return;
        await queue.retryLater(m.receiptHandle, 120);
        advance(60_000);
        expect(await queue.receive(10, 30)).toEqual([]);
        advance(61_000);
        const [again] = await queue.receive(10, 30);
        expect(again?.body).toBe('a');
        if (again) await queue.delete(again.receiptHandle);
        advance(1_000_000);
        expect(await queue.receive(10, 30)).toEqual([]);
      }),
    );
  });
}
