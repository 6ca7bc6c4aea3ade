import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCli, disposeCli, spawnSync } from '../../campaign/child';
import { openLocalRuntime, runCycle } from '../../cli/runtime/local';
import { createLocalLease } from '../../lambdas/adapters/local/stores';
import { loadCustomerConfig } from '../../lambdas/config/loader';
import { RunStopped } from '../../lambdas/pipeline/summary';
import type { LedgerEntry, SyncLedger } from '../../lambdas/ports';
import { WorkdayError } from '../../lambdas/shared/errors';
import { sleep } from '../../lambdas/shared/http';
import { createMemoryLogger } from '../../lambdas/shared/logger';
import { compareWithProcore } from '../../sandbox';
import { startSandbox } from '../../sandbox/server';
import { bucketsAddUp, type E2E, startE2E } from './harness';

class SimulatedCrash extends Error {}

/**
 * Kills the runtime (every later state access throws, as a dead process does nothing) at the `n`-th
 * progress save that follows a Procore write: the window between Procore's write and the ledger's.
 */
function crashAtProgressSave(e2e: E2E, n: number): void {
  const rt = e2e.runtime;
  const ledger = rt.ledger;
  let saves = 0;
  let dead = false;
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (dead) throw new SimulatedCrash('process is dead');
      return fn(...args);
    };
  rt.ledger = {
    ...Object.fromEntries(
      Object.entries(ledger).map(([k, v]) => [k, typeof v === 'function' ? guard(v.bind(ledger)) : v]),
    ),
    put: guard(async (entry: LedgerEntry) => {
      if (entry.status === 'pending' && entry.state !== undefined && ++saves === n) {
        dead = true;
        throw new SimulatedCrash(`crashed before the ledger recorded progress save ${n}`);
      }
      return ledger.put(entry);
    }),
  } as SyncLedger;
  for (const queue of [rt.records, rt.writes]) {
    const receive = queue.receive.bind(queue);
    queue.receive = guard(receive);
  }
}

describe('the local runtime under crashes, expiring tokens, odd ordering and hostile input', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  it.each([1, 9, 40])(
    'ends in the oracle state with no duplicate after a crash between a Procore write and the ledger (save %i)',
    async (n) => {
      e2e = await startE2E({ seed: 2 });
      crashAtProgressSave(e2e, n);

      await expect(e2e.sync()).rejects.toThrow(SimulatedCrash);
      await e2e.restart();
      // No waiting for the visibility timeout: the next run frees the batch the crashed one had received.
      const summary = await e2e.sync();

      expect(e2e.differences()).toEqual([]);
      expect(bucketsAddUp(summary)).toBe(true);
    },
  );

  it('finishes at once after the sync process is SIGKILLed between a Procore write and its answer', async () => {
    let child: ChildProcess | undefined;
    let killedOn: string | undefined;
    const sandbox = await startSandbox({
      scale: 'small',
      seed: 4,
      rateLimit: { hourly: 1_000_000, spike: 100_000 },
      observer: {
        response: (r, status) => {
          if (child === undefined || killedOn !== undefined || !r.write || status >= 300) return undefined;
          child.kill('SIGKILL');
          killedOn = r.route;
          return 'drop';
        },
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'mlc-sigkill-'));
    const cli = await buildCli('bundle');
    try {
      const configPath = await sandbox.writeConfig(dir, { retry: { maxAttempts: 6, baseDelaySeconds: 1 } });
      const statePath = join(dir, 'state.db');
      const running = spawnSync(cli, { configPath, statePath, dir, env: sandbox.credentials });
      child = running.process;
      expect((await running.exited).signal).toBe('SIGKILL');
      expect(killedOn).toBeDefined();

      // The next run, a new process on the same machine: neither the dead run's lease nor its batch's
      // visibility timeout may hold it up (retry delays of a second or two are all it may wait).
      const rt = openLocalRuntime({
        config: await loadCustomerConfig(configPath),
        statePath,
        cwd: dir,
        env: { ...sandbox.credentials },
        logger: createMemoryLogger(),
        sleep: async (ms) => {
          if (ms > 5_000) throw new Error(`the run after the crash waited ${ms} ms`);
          await sleep(ms);
        },
      });
      const summary = await runCycle(rt, { untilIdle: true }).finally(() => rt.close());

      expect(bucketsAddUp(summary)).toBe(true);
      expect(summary.outcomes.pending).toBe(0);
      expect(compareWithProcore(sandbox.firm.oracle(), sandbox.procore.state)).toEqual([]);
    } finally {
      disposeCli(cli);
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps its lease through a run longer than the lease TTL', async () => {
    e2e = await startE2E({ seed: 2 });
    const { clock } = e2e;
    const started = clock.now();
    const intruder = createLocalLease(e2e.runtime.db, clock.now, { holder: { pid: 1, host: 'another-host' } });
    const attempts: Promise<boolean>[] = [];

    await runCycle(e2e.runtime, {
      untilIdle: true,
      onProgress: () => {
        // A slow start: twenty minutes for each of the first ten pages or batches.
        if (clock.now() - started < 200 * 60_000) clock.advance(20 * 60_000);
        if (clock.now() - started > 70 * 60_000) attempts.push(intruder.acquire('intruder', 60_000));
      },
    });

    expect(attempts.length).toBeGreaterThan(3);
    expect(await Promise.all(attempts)).not.toContain(true);
    expect(e2e.differences()).toEqual([]);
  });

  it('persists a rotated Workday refresh token before use and survives both sides expiring tokens mid-run', async () => {
    e2e = await startE2E({ seed: 3, workdayAuth: 'oauth', rotateRefreshTokens: true });
    const { workday, procore } = e2e.sandbox;
    let expired = false;

    await runCycle(e2e.runtime, {
      untilIdle: true,
      onProgress: ({ stage }) => {
        if (stage === 'writes' && !expired) {
          expired = true;
          workday.expireAccessTokens();
          procore.expireTokens();
        }
      },
    });

    expect(expired).toBe(true);
    expect(e2e.differences()).toEqual([]);
    const stored = await e2e.runtime.secrets.get('workday');
    expect(stored?.refreshToken).toBe(workday.currentRefreshToken());
    expect(stored?.refreshToken).not.toBe(e2e.sandbox.credentials.WORKDAY_REFRESH_TOKEN);
    // The environment's token is stale now; the next run works from the store alone.
    workday.expireAccessTokens();
    await e2e.restart();
    await expect(e2e.sync()).resolves.toBeDefined();
  });

  it('parks an invoice that arrives before its PO, and a PO before its supplier, then writes both', async () => {
    e2e = await startE2E({ seed: 5 });
    const { store } = e2e.sandbox.workday;
    const oracle = e2e.sandbox.firm.oracle();
    const requisition = oracle.requisitions[0];
    if (requisition === undefined) throw new Error('the small firm has requisitions');
    const poWid = requisition.originId.split(':')[1] ?? '';
    const po = store.purchaseOrders.get(poWid);
    if (po === undefined) throw new Error('the PO is in Workday');
    const supplierWid = po.supplier.wid;
    const supplier = store.suppliers.get(supplierWid);
    if (supplier === undefined) throw new Error('the supplier is in Workday');
    store.purchaseOrders.delete(poWid);
    store.suppliers.delete(supplierWid);

    const first = await e2e.sync();
    const invoiceKey = `invoice:${requisition.originId.split(':')[0]}`;
    expect(first.problems).toContainEqual(expect.objectContaining({ key: invoiceKey, status: 'pending' }));

    store.purchaseOrders.put(po, e2e.clock.now());
    e2e.clock.advance(5 * 60_000);
    const second = await e2e.sync();
    expect(second.problems).toContainEqual(
      expect.objectContaining({ key: `purchaseOrder:${poWid}`, status: 'pending' }),
    );

    store.suppliers.put(supplier, e2e.clock.now());
    await e2e.sync();
    // Parked records are retried on their own delay; one more cycle after it passes settles them.
    e2e.clock.advance(60 * 60_000);
    await e2e.sync();

    expect(e2e.differences()).toEqual([]);
  });

  it.each(['entityBomb', 'doctype', 'truncate'] as const)(
    'refuses a %s Workday response with a clear error, loses nothing, and recovers on the next run',
    async (kind) => {
      e2e = await startE2E({ seed: 6 });
      // The client retries an unreadable page once; a second bad answer fails the run.
      e2e.sandbox.workday.store.corrupt(kind, 2);

      const failed = await e2e.sync().then(
        () => undefined,
        (error: unknown) => error,
      );
      // The run stops (exit 3) and still reports what it did; the cause is Workday's unreadable page.
      expect(failed).toBeInstanceOf(RunStopped);
      expect((failed as RunStopped).cause).toBeInstanceOf(WorkdayError);
      expect((failed as RunStopped).cause).toMatchObject({ kind: 'malformed' });
      expect(bucketsAddUp((failed as RunStopped).summary)).toBe(true);
      const next = await e2e.sync();
      expect(bucketsAddUp(next)).toBe(true);

      expect(e2e.differences()).toEqual([]);
    },
  );

  it('quarantines the one record with a non-numeric amount, naming its WID and field, and writes the rest', async () => {
    e2e = await startE2E({ seed: 6 });
    e2e.sandbox.workday.store.corrupt('nonNumericAmount');

    const summary = await e2e.sync();

    const unreadable = summary.problems.filter((p) => p.reason.includes('not a decimal'));
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]?.reason).toMatch(/cannot read.*Extended_Amount.*not a decimal/);
    expect(bucketsAddUp(summary)).toBe(true);
    expect(summary.outcomes.written).toBeGreaterThan(50);
  });
});
