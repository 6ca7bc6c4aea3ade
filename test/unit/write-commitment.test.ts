import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalLedger } from '../../lambdas/adapters/local/stores';
import type { CommitmentCommand, CommitmentLine } from '../../lambdas/mapping/commands';
import { writeCommitment } from '../../lambdas/pipeline/write-commitment';
import type { WriteProgress } from '../../lambdas/pipeline/write-context';
import type { SyncLedger } from '../../lambdas/ports';
import { type Harness, type Seed, seedCompany, startHarness } from '../integration/procore/harness';

const CO_CREATE = ['POST', '/rest/v1.0/projects/{project_id}/commitment_change_orders'] as const;
const CO_LIST = ['GET', '/rest/v1.0/projects/{project_id}/commitment_change_orders'] as const;

const CONCRETE = { costCode: '03-300', costType: 'M' };
const LABOR = { costCode: '03-310', costType: 'L' };

function line(n: number, amount: string, budgetCode = n === 1 ? CONCRETE : LABOR): CommitmentLine {
  return { originId: `WD-PO-1:${n}`, amount, description: n === 1 ? 'Pour' : 'Forms', budgetCode, rule: 'test' };
}

function buildPurchaseOrder(seed: Seed, lines: CommitmentLine[]): CommitmentCommand {
  return {
    resource: 'commitment',
    originId: `WD-PO-1:${seed.project.id}`,
    procoreProjectId: seed.project.id,
    vendorOriginId: 'WD-SUP-1',
    number: 'PO-1',
    header: { title: 'PO 1', status: 'Approved', origin_code: 'PO-1', accounting_method: 'amount' },
    lines,
  };
}

/** The progress entry as the ledger would hold it: a copy, so a later write does not change it. */
function snapshot(progress: WriteProgress): WriteProgress {
  return structuredClone(progress);
}

describe('writeCommitment() on a contract Procore has approved', () => {
  let h: Harness;
  let seed: Seed;
  let ledger: SyncLedger;
  let approved: WriteProgress;

  /** Writes `command` as the writer does: its Procore ids go to the ledger, its progress into `progress`. */
  async function write(command: CommitmentCommand, progress: WriteProgress): Promise<void> {
    const { procoreIds } = await writeCommitment(h.client, ledger, command, progress);
    await ledger.setProcoreIds(procoreIds);
  }

  beforeEach(async () => {
    h = await startHarness();
    seed = seedCompany(h.sim);
    ledger = createLocalLedger(h.db);
    approved = { written: {}, commitments: {} };
    await write(buildPurchaseOrder(seed, [line(1, '1000.10'), line(2, '250.05')]), approved);
  });
  afterEach(async () => {
    await h.close();
  });

  /** Each change order of the contract: its origin id and its lines as [origin id, wbs_code_id, amount]. */
  function changeOrders(): [string | null, [string | null, number, string][]][] {
    return h.sim.state
      .changeOrders(seed.project.id)
      .map((co) => [
        co.origin_id,
        h.sim.state
          .changeOrderLineItems(co.id)
          .map((l): [string | null, number, string] => [l.origin_id, l.wbs_code_id, l.amount]),
      ]);
  }

  it('writes no second change order when one is in Procore but the ledger never recorded it', async () => {
    const changed = buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '250.05')]);
    const stale = snapshot(approved);
    await write(changed, snapshot(approved));
    h.sim.calls.reset();

    // The crash lost the progress saved after the change order: the retry starts from the stale entry.
    await write(changed, stale);

    const po = `WD-PO-1:${seed.project.id}`;
    expect(changeOrders()).toEqual([[`${po}:co:1`, [[`${po}:co:1:WD-PO-1:1`, seed.concrete.id, '200.00']]]]);
    expect([h.sim.calls.count(...CO_LIST), h.sim.calls.count(...CO_CREATE)]).toEqual([1, 0]);
    expect(stale.commitments[po]?.changeOrders).toBe(1);
    expect(stale.commitments[po]?.lines).toEqual(changed.lines);
  });

  it('writes two successive changes as co:1 and co:2, each with its own differences', async () => {
    const progress = snapshot(approved);

    await write(buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '250.05')]), progress);
    await write(buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '200')]), progress);

    const po = `WD-PO-1:${seed.project.id}`;
    expect(changeOrders()).toEqual([
      [`${po}:co:1`, [[`${po}:co:1:WD-PO-1:1`, seed.concrete.id, '200.00']]],
      [`${po}:co:2`, [[`${po}:co:2:WD-PO-1:2`, seed.labor.id, '-50.05']]],
    ]);
    expect(progress.commitments[po]?.changeOrders).toBe(2);
  });

  it('takes a line moved to another budget code off the code its money is on, once', async () => {
    const moved = buildPurchaseOrder(seed, [line(1, '1000.10'), line(2, '250.05', CONCRETE)]);
    const stale = snapshot(approved);
    await write(moved, snapshot(approved));

    await write(moved, stale);

    const po = `WD-PO-1:${seed.project.id}`;
    expect(changeOrders()).toEqual([
      [
        `${po}:co:1`,
        [
          [`${po}:co:1:WD-PO-1:2`, seed.labor.id, '-250.05'],
          [`${po}:co:1:WD-PO-1:2`, seed.concrete.id, '250.05'],
        ],
      ],
    ]);
  });
});
