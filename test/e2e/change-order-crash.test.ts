import { afterEach, describe, expect, it } from 'vitest';
import type { SyncLedger } from '../../lambdas/ports';
import { type E2E, startE2E } from './harness';

class SimulatedCrash extends Error {}

describe('a commitment change order written just before a crash', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  it('is found after the restart, not created again with the same differences', async () => {
    let applied = false;
    e2e = await startE2E({
      seed: 7,
      observer: {
        response: (r, status) => {
          if (r.method === 'POST' && r.route.endsWith('/commitment_change_orders') && status < 300) applied = true;
          return undefined;
        },
      },
    });
    await e2e.sync();
    e2e.sandbox.firm.scenario.afterFirstSync(e2e.sandbox.workday, e2e.sandbox.procore);
    // The process dies at its first ledger write after Procore created the change order.
    const rt = e2e.runtime;
    const ledger = rt.ledger;
    let dead = false;
    const guard =
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        if (dead || (applied && (fn as unknown) === ledger.put)) {
          dead = true;
          throw new SimulatedCrash('killed before the ledger recorded the change order');
        }
        return fn(...args);
      };
    rt.ledger = Object.fromEntries(
      Object.entries(ledger).map(([k, v]) => [k, typeof v === 'function' ? guard(v) : v]),
    ) as unknown as SyncLedger;
    for (const queue of [rt.records, rt.writes]) queue.receive = guard(queue.receive.bind(queue));
    await expect(e2e.sync()).rejects.toThrow(SimulatedCrash);
    await e2e.restart();
    await e2e.sync();

    expect(e2e.differences()).toEqual([]);
  });
});
