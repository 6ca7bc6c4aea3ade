import { afterEach, describe, expect, it } from 'vitest';
import { type E2E, startE2E } from './harness';

describe('change orders of the firm, against the oracle', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  it('gives a PO changed twice after approval two change orders, the second holding only the new difference', async () => {
    e2e = await startE2E({ scale: 'firm', seed: 1 });
    const { firm, workday, procore } = e2e.sandbox;
    await e2e.sync();
    firm.scenario.afterFirstSync(workday, procore);
    await e2e.sync();
    expect(e2e.differences()).toEqual([]);
    const twice = firm.scenario.afterSecondSync(workday, procore);

    const summary = await e2e.sync();

    expect(e2e.differences()).toEqual([]);
    expect(summary.outcomes.written).toBe(twice.length);
    for (const change of twice) {
      const wid = change.key.split(':')[1];
      const numbers = procore.state
        .changeOrders()
        .filter((co) => co.number.startsWith(`${wid}:`))
        .map((co) => [co.number.replace(/^.*:co:/, 'co:'), co.status]);
      expect(numbers).toEqual([
        ['co:1', 'approved'],
        ['co:2', 'approved'],
      ]);
    }
  });
});
