import { afterEach, describe, expect, it } from 'vitest';
import { RunStopped } from '../../lambdas/pipeline/summary';
import { type E2E, startE2E } from './harness';

describe('cursors only move forward, and only past enqueued data', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  it('keeps the supplier cursor at its checkpoint when Workday fails mid-window, and the next run reads the rest', async () => {
    let soapCalls = 0;
    let unreachable = true;
    e2e = await startE2E({
      seed: 3,
      config: { workday: { pageSize: 10 } },
      observer: {
        // The clock probe and page 1 of suppliers are answered; then Workday is unreachable until the test says otherwise.
        request: (r) => (r.soap && ++soapCalls > 2 && unreachable ? 'drop' : undefined),
      },
    });

    const stopped = await e2e.sync().then(
      () => undefined,
      (error: unknown) => error,
    );

    // A transport failure is a stopped run (exit 3) reporting what it read, never "no more data".
    expect(stopped).toBeInstanceOf(RunStopped);
    const summary = (stopped as RunStopped).summary;
    expect(summary.polled).toEqual({ suppliers: 10, purchaseOrders: 0, invoices: 0, creditMemos: 0 });
    expect(summary.outcomes.pending).toBe(10);
    const cursor = await e2e.runtime.cursors.get('suppliers');
    expect(cursor?.highWater).toBeUndefined();
    expect(cursor?.checkpoint?.nextPage).toBe(2);

    unreachable = false;
    const second = await e2e.sync();

    expect(second.polled?.suppliers).toBe(e2e.sandbox.firm.data.suppliers.count - 10);
    expect((await e2e.runtime.cursors.get('suppliers'))?.highWater).toBeDefined();
    expect(e2e.differences()).toEqual([]);
  });
});
