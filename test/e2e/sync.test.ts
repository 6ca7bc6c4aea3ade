import { afterEach, describe, expect, it } from 'vitest';
import { OLDER_SHAPES } from '../../sandbox/workday';
import { bucketsAddUp, type E2E, startE2E } from './harness';

describe('sync on the local runtime, against the sandbox', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.close();
    e2e = undefined;
  });

  it('brings Procore to exactly the oracle for the whole firm, then costs nothing, then writes only what changed', async () => {
    e2e = await startE2E({ scale: 'firm', seed: 1 });
    const oracle = e2e.sandbox.firm.oracle();

    const first = await e2e.sync();

    expect(e2e.differences()).toEqual([]);
    expect(bucketsAddUp(first)).toBe(true);
    const expected = { written: 0, skipped: 0, quarantined: 0 };
    for (const outcome of oracle.expectedOutcomes.values()) expected[outcome] += 1;
    expect(first.outcomes).toMatchObject({
      written: expected.written,
      quarantined: expected.quarantined,
      deadLettered: 0,
      pending: 0,
    });
    // Invoices dated before syncFrom fall outside the invoice-date window and are never read at all.
    expect(first.outcomes.skipped).toBeLessThanOrEqual(expected.skipped);
    for (const problem of first.problems) {
      expect(oracle.expectedOutcomes.get(problem.key)).toBe('quarantined');
    }

    const writesBefore = e2e.sandbox.procore.calls.writes;
    const second = await e2e.sync();
    expect(e2e.sandbox.procore.calls.writes).toBe(writesBefore);
    expect(second.outcomes.written).toBe(0);
    expect(bucketsAddUp(second)).toBe(true);

    const changes = e2e.sandbox.firm.scenario.afterFirstSync(e2e.sandbox.workday, e2e.sandbox.procore);
    const third = await e2e.sync();

    expect(e2e.differences()).toEqual([]);
    expect(third.outcomes.written).toBe(new Set(changes.map((c) => c.key)).size);
    expect(third.calls.procore).toBeLessThan(first.calls.procore / 20);
  });

  it('brings Procore to the oracle just the same when Workday answers in the shapes before v45', async () => {
    e2e = await startE2E({ scale: 'firm', seed: 1, switches: { workday: OLDER_SHAPES } });
    const oracle = e2e.sandbox.firm.oracle();

    const first = await e2e.sync();

    expect(e2e.differences()).toEqual([]);
    expect(bucketsAddUp(first)).toBe(true);
    const written = [...oracle.expectedOutcomes.values()].filter((o) => o === 'written').length;
    expect(first.outcomes).toMatchObject({ written, deadLettered: 0, pending: 0 });
  });

  it('keeps the final state under the heavy fault profile: nothing lost, nothing duplicated', async () => {
    e2e = await startE2E({ scale: 'small', seed: 4, faults: 'heavy' });

    let summary = await e2e.sync();
    for (let run = 0; run < 5 && summary.outcomes.pending + summary.outcomes.deadLettered > 0; run++) {
      summary = await e2e.sync();
    }

    expect(e2e.differences()).toEqual([]);
    expect(bucketsAddUp(summary)).toBe(true);
    expect(e2e.sandbox.procore.faults.injected.lostResponse + e2e.sandbox.procore.faults.injected.drop).toBeGreaterThan(
      0,
    );
  });
});
