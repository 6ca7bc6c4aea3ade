import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalLedger } from '../../lambdas/adapters/local/stores';
import type { CommitmentCommand, CommitmentLine } from '../../lambdas/mapping/commands';
import { writeCommitment } from '../../lambdas/pipeline/write-commitment';
import type { WriteProgress, WriterProcore } from '../../lambdas/pipeline/write-context';
import type { SyncLedger } from '../../lambdas/ports';
import { type Harness, type Seed, seedCompany, startHarness } from '../integration/procore/harness';

const CO_CREATE = ['POST', '/rest/v1.0/projects/{project_id}/commitment_change_orders'] as const;
const CO_LIST = ['GET', '/rest/v1.0/projects/{project_id}/commitment_change_orders'] as const;
const CO_LINE_CREATE = [
  'POST',
  '/rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/{commitment_change_order_id}/line_items',
] as const;

const CONCRETE = { costCode: '03-300', costType: 'M' };
const LABOR = { costCode: '03-310', costType: 'L' };

function line(n: number, amount: string, budgetCode = n === 1 ? CONCRETE : LABOR): CommitmentLine {
  const description = ['', 'Pour', 'Forms', 'Curing'][n] ?? `Line ${n}`;
  return { originId: `WD-PO-1:${n}`, amount, description, budgetCode, rule: 'test' };
}

function buildPurchaseOrder(seed: Seed, lines: CommitmentLine[]): CommitmentCommand {
  return {
    resource: 'commitment',
    originId: `WD-PO-1:${seed.project.id}`,
    procoreProjectId: seed.project.id,
    vendorOriginId: 'WD-SUP-1',
    number: 'PO-1',
    currency: 'USD',
    header: { title: 'PO 1', status: 'Approved', origin_code: 'PO-1', accounting_method: 'amount' },
    lines,
  };
}

/** The progress entry as the ledger would hold it: a copy, so a later write does not change it. */
function snapshot(progress: WriteProgress): WriteProgress {
  return structuredClone(progress);
}

class SimulatedCrash extends Error {}

describe('writeCommitment() on a contract Procore has approved', () => {
  let h: Harness;
  let seed: Seed;
  let ledger: SyncLedger;
  let approved: WriteProgress;
  let po: string;

  /** Writes `command` as the writer does: its Procore ids go to the ledger, its progress into `progress`. */
  async function write(command: CommitmentCommand, progress: WriteProgress, procore: WriterProcore = h.client) {
    const { procoreIds } = await writeCommitment(procore, ledger, command, progress);
    await ledger.setProcoreIds(procoreIds);
  }

  /** The client, except that the process dies after `lines` change order lines were added. */
  function dyingAfter(lines: number): WriterProcore {
    let added = 0;
    return new Proxy(h.client, {
      get(target, key) {
        if (key === 'addChangeOrderLine') {
          return async (...args: Parameters<WriterProcore['addChangeOrderLine']>) => {
            if (added++ >= lines) throw new SimulatedCrash(`killed after ${lines} lines`);
            return target.addChangeOrderLine(...args);
          };
        }
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  beforeEach(async () => {
    h = await startHarness();
    seed = seedCompany(h.sim);
    ledger = createLocalLedger(h.db);
    approved = { written: {}, commitments: {} };
    po = `WD-PO-1:${seed.project.id}`;
    await write(buildPurchaseOrder(seed, [line(1, '1000.10'), line(2, '250.05')]), approved);
  });
  afterEach(async () => {
    await h.close();
  });

  /** Each change order of the contract: number, status, lines as [SOV origin id, wbs_code_id, amount, description]. */
  function changeOrders() {
    const { state } = h.sim;
    return state.changeOrders(seed.project.id).map((co) => ({
      number: co.number,
      status: co.status,
      lines: state
        .changeOrderLineItems(co.id)
        .map((l) => [
          l.commitment_line_item_id === null
            ? null
            : (state.db.commitmentLineItems.get(l.commitment_line_item_id)?.origin_id ?? '?'),
          l.wbs_code_id,
          l.amount,
          l.description,
        ]),
    }));
  }

  it('creates a draft, adds its lines on the v2.0 endpoint, then approves it', async () => {
    await write(buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '250.05')]), snapshot(approved));

    expect(changeOrders()).toEqual([
      {
        number: `${po}:co:1`,
        status: 'approved',
        lines: [['WD-PO-1:1', seed.concrete.id, '200.00', '[Workday line 1] Pour']],
      },
    ]);
    const commitment = h.sim.state.commitments(seed.project.id)[0];
    expect(h.sim.state.commitmentLineItems(commitment?.id ?? 0).map((l) => l.amount)).toEqual(['1000.10', '250.05']);
  });

  it('writes no second change order when one is in Procore but the ledger never recorded it', async () => {
    const changed = buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '250.05')]);
    const stale = snapshot(approved);
    await write(changed, snapshot(approved));
    h.sim.calls.reset();

    // The crash lost the progress saved after the change order: the retry starts from the stale entry.
    await write(changed, stale);

    expect(changeOrders()).toEqual([
      expect.objectContaining({
        number: `${po}:co:1`,
        lines: [['WD-PO-1:1', seed.concrete.id, '200.00', expect.any(String)]],
      }),
    ]);
    expect([h.sim.calls.count(...CO_LIST), h.sim.calls.count(...CO_CREATE)]).toEqual([1, 0]);
    expect(stale.commitments[po]?.changeOrders).toBe(1);
    expect(stale.commitments[po]?.lines).toEqual(changed.lines);
  });

  it('finishes a draft a crash left right after its create: the missing lines, then approval, never a second one', async () => {
    const changed = buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '200'), line(3, '75.25')]);
    await expect(write(changed, snapshot(approved), dyingAfter(0))).rejects.toThrow(SimulatedCrash);
    expect(changeOrders()).toEqual([expect.objectContaining({ status: 'draft', lines: [] })]);

    await write(changed, snapshot(approved));

    expect(changeOrders()).toEqual([
      {
        number: `${po}:co:1`,
        status: 'approved',
        lines: [
          ['WD-PO-1:1', seed.concrete.id, '200.00', '[Workday line 1] Pour'],
          ['WD-PO-1:2', seed.labor.id, '-50.05', '[Workday line 2] Forms'],
          [null, seed.labor.id, '75.25', '[Workday line 3] Curing'],
        ],
      },
    ]);
    expect(h.sim.calls.count(...CO_CREATE)).toBe(1);
  });

  it('adds only the lines a crash left out of a change order, once each', async () => {
    const changed = buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '200'), line(3, '75.25')]);
    await expect(write(changed, snapshot(approved), dyingAfter(2))).rejects.toThrow(SimulatedCrash);
    h.sim.calls.reset();

    const progress = snapshot(approved);
    await write(changed, progress);

    expect(changeOrders()).toEqual([
      expect.objectContaining({
        status: 'approved',
        lines: [
          ['WD-PO-1:1', seed.concrete.id, '200.00', expect.any(String)],
          ['WD-PO-1:2', seed.labor.id, '-50.05', expect.any(String)],
          [null, seed.labor.id, '75.25', '[Workday line 3] Curing'],
        ],
      }),
    ]);
    expect([h.sim.calls.count(...CO_CREATE), h.sim.calls.count(...CO_LINE_CREATE)]).toEqual([0, 1]);
    expect(progress.commitments[po]?.changeOrders).toBe(1);
  });

  it('writes two successive changes as co:1 and co:2, the second holding only the new difference', async () => {
    const progress = snapshot(approved);

    await write(buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '250.05'), line(3, '10.00')]), progress);
    await write(buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '200'), line(3, '12.50')]), progress);

    expect(changeOrders()).toEqual([
      {
        number: `${po}:co:1`,
        status: 'approved',
        lines: [
          ['WD-PO-1:1', seed.concrete.id, '200.00', expect.any(String)],
          [null, seed.labor.id, '10.00', '[Workday line 3] Curing'],
        ],
      },
      {
        number: `${po}:co:2`,
        status: 'approved',
        lines: [
          ['WD-PO-1:2', seed.labor.id, '-50.05', expect.any(String)],
          // A line the SOV never had is known by the marker in its description.
          [null, seed.labor.id, '2.50', '[Workday line 3] Curing'],
        ],
      },
    ]);
    expect(progress.commitments[po]?.changeOrders).toBe(2);
  });

  it('leaves a change order typed by hand on the contract alone, and out of the difference', async () => {
    const commitment = h.sim.state.commitments(seed.project.id)[0];
    if (!commitment) throw new Error('no commitment');
    const mine = await h.client.createChangeOrder(seed.project.id, {
      contract_id: commitment.id,
      number: '1',
      title: 'Typed by hand',
      status: 'approved',
    });
    h.sim.switches.approvedChangeOrderLocksLines = false;
    await h.client.addChangeOrderLine(seed.project.id, mine.id, {
      wbs_code_id: String(seed.concrete.id),
      amount: '5.00',
      description: '[Workday line 1] copied by hand',
    });
    h.sim.switches.approvedChangeOrderLocksLines = true;

    await write(buildPurchaseOrder(seed, [line(1, '1200.10'), line(2, '250.05')]), snapshot(approved));

    expect(changeOrders()).toEqual([
      expect.objectContaining({ number: '1', lines: [[null, seed.concrete.id, '5.00', expect.any(String)]] }),
      expect.objectContaining({
        number: `${po}:co:1`,
        lines: [['WD-PO-1:1', seed.concrete.id, '200.00', expect.any(String)]],
      }),
    ]);
  });

  it('takes a line moved to another budget code off the code its money is on, once', async () => {
    const moved = buildPurchaseOrder(seed, [line(1, '1000.10'), line(2, '250.05', CONCRETE)]);
    const stale = snapshot(approved);
    await write(moved, snapshot(approved));

    await write(moved, stale);

    expect(changeOrders()).toEqual([
      expect.objectContaining({
        number: `${po}:co:1`,
        lines: [
          ['WD-PO-1:2', seed.labor.id, '-250.05', expect.any(String)],
          [null, seed.concrete.id, '250.05', '[Workday line 2] Forms'],
        ],
      }),
    ]);
  });
});
