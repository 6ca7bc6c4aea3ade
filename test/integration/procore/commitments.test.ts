import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type Seed, seedCommitment, seedCompany, startHarness } from './harness';

const CO_LINES =
  '/rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/{commitment_change_order_id}/line_items';

describe('Procore client: budget codes and commitments', () => {
  let h: Harness;
  let seed: Seed;
  beforeEach(async () => {
    h = await startHarness();
    seed = seedCompany(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  it('looks budget codes up by cost code full code and cost type code, never by segment item id', async () => {
    const { state } = h.sim;
    const pumping = state.addCostCode(seed.project.id, {
      code: '320',
      name: 'Pumping',
      parent_id: state.costCodes(seed.project.id)[0]?.id ?? null,
    });
    const equipment = state.addCostType({ name: 'Equipment', code: 'E' });
    state.addBudgetCode(seed.project.id, pumping.id, equipment.id, { status: 'inactive' });
    const index = await h.client.budgetCodes(seed.project.id);

    expect(index.lookup('03-300', 'M')).toBe(seed.concrete.id);
    expect(index.lookup('03-310', 'L')).toBe(seed.labor.id);
    expect(index.lookup('03-300', 'L')).toBeUndefined();
    expect(index.lookup('03-320', 'E')).toBeUndefined();
    expect(index.size).toBe(2);
    // The simulator gives segment items their own ids, as Procore may.
    expect(state.costCodes(seed.project.id).every((c) => c.segment_item_id !== c.id)).toBe(true);

    await h.client.budgetCodes(seed.project.id);
    expect(h.sim.calls.count('GET', '/rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes')).toBe(1);
  });

  it('serves budget codes an earlier run read only to callers that ask, until forgotten or too old', async () => {
    const WBS = ['GET', '/rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes'] as const;
    expect((await h.client.budgetCodes(seed.project.id)).fromEarlierRun).toBeUndefined();
    h.client.clearCaches();

    const reused = await h.client.budgetCodes(seed.project.id, { acrossRuns: true });
    expect(reused.fromEarlierRun).toBe(true);
    expect(reused.lookup('03-300', 'M')).toBe(seed.concrete.id);
    expect(h.sim.calls.count(...WBS)).toBe(1);

    // Everyone else (ping, dry runs, reports) still reads once per run.
    await h.client.budgetCodes(seed.project.id);
    expect(h.sim.calls.count(...WBS)).toBe(2);
    expect((await h.client.budgetCodes(seed.project.id, { acrossRuns: true })).fromEarlierRun).toBeUndefined();

    h.client.clearCaches();
    h.client.forgetBudgetCodes(seed.project.id);
    expect((await h.client.budgetCodes(seed.project.id, { acrossRuns: true })).fromEarlierRun).toBeUndefined();
    h.client.clearCaches();
    h.clock.advance(7 * 60 * 60_000);
    expect((await h.client.budgetCodes(seed.project.id, { acrossRuns: true })).fromEarlierRun).toBeUndefined();
    expect(h.sim.calls.count(...WBS)).toBe(4);
  });

  it('syncs a purchase order contract and its lines by origin_id, and reads it back', async () => {
    const header = await h.client.syncCommitments(seed.project.id, [
      {
        origin_id: 'WD-PO-9:1',
        title: 'Rebar',
        number: 'PO-9',
        status: 'Draft',
        vendor_id: seed.vendor.id,
        accounting_method: 'amount',
        origin_code: 'PO-9',
        origin_data: 'v1',
      },
    ]);
    expect(header.errors).toEqual([]);
    const po = header.entities[0];
    expect(po).toMatchObject({ origin_id: 'WD-PO-9:1', number: 'PO-9', vendor_id: seed.vendor.id });
    if (!po) throw new Error('no commitment');

    const lines = await h.client.syncCommitmentLines(seed.project.id, po.id, [
      { origin_id: 'WD-POL-9', amount: '1234.56', description: 'Bars', wbs_code_id: seed.concrete.id },
      { origin_id: 'WD-POL-10', amount: '0.10', description: 'Ties', wbs_code_id: seed.labor.id },
    ]);
    expect(lines.errors).toEqual([]);
    // Syncing the same lines again updates them: still two lines.
    await h.client.syncCommitmentLines(seed.project.id, po.id, [
      { origin_id: 'WD-POL-9', amount: '1234.57', description: 'Bars', wbs_code_id: seed.concrete.id },
    ]);

    const detail = await h.client.commitment(seed.project.id, po.id);
    expect(detail).toMatchObject({
      grand_total: '1234.67',
      revised_contract: '1234.67',
      approved_change_orders: '0.00',
    });
    expect(detail.line_items.map((l) => [l.origin_id, l.amount, l.wbs_code_id])).toEqual([
      ['WD-POL-9', '1234.57', seed.concrete.id],
      ['WD-POL-10', '0.10', seed.labor.id],
    ]);
    expect((await h.client.findCommitment(seed.project.id, 'WD-PO-9:1'))?.id).toBe(po.id);
    expect(await h.client.findCommitment(seed.project.id, 'WD-PO-404')).toBeUndefined();
    expect((await h.client.commitments(seed.project.id)).map((c) => c.id)).toEqual([po.id]);

    const second = detail.line_items[1];
    if (!second) throw new Error('no second line');
    await h.client.deleteCommitmentLine(seed.project.id, po.id, second.id);
    await h.client.deleteCommitmentLine(seed.project.id, po.id, second.id);
    expect(h.sim.state.commitmentLineItems(po.id)).toHaveLength(1);
  });

  it('reports a vendor missing from the project directory as a dependency of that item', async () => {
    const outsider = h.sim.state.addVendor({ name: 'Outsider', origin_id: 'WD-SUP-9' });
    const outcome = await h.client.syncCommitments(seed.project.id, [
      { origin_id: 'WD-PO-10:1', title: 'Outside', vendor_id: outsider.id },
    ]);
    expect(outcome.entities).toEqual([]);
    expect(outcome.errors).toMatchObject([{ index: 0, originId: 'WD-PO-10:1', failure: 'dependency' }]);
    expect(outcome.errors[0]?.fieldErrors.vendor?.[0]).toMatch(/not in the project directory/);
  });

  it('writes a change order as Procore publishes it: header, v2.0 lines, approval; reads it back', async () => {
    const { commitment, lines } = seedCommitment(h.sim, seed);
    const pour = lines[0];
    if (!pour) throw new Error('no line');
    const created = await h.client.createChangeOrder(seed.project.id, {
      contract_id: commitment.id,
      number: 'WD-PO-1:P:co:1',
      title: 'More concrete',
      status: 'draft',
    });
    const line = await h.client.addChangeOrderLine(seed.project.id, created.id, {
      wbs_code_id: String(seed.concrete.id),
      commitment_line_item_id: String(pour.id),
      amount: '250.25',
      description: '[Workday line POL-1] Extra pour',
    });
    await h.client.addChangeOrderLine(seed.project.id, created.id, {
      wbs_code_id: String(seed.labor.id),
      amount: '-0.25',
      description: '[Workday line POL-3] New forms',
    });
    const approved = await h.client.updateChangeOrder(seed.project.id, created.id, { status: 'approved' });

    expect(line).toEqual({
      id: expect.any(Number),
      commitment_line_item_id: pour.id,
      wbs_code_id: seed.concrete.id,
      amount: '250.25',
      description: '[Workday line POL-1] Extra pour',
    });
    expect(approved).toMatchObject({ id: created.id, status: 'approved', grand_total: '250.00' });
    expect(await h.client.changeOrders(seed.project.id, commitment.id)).toEqual([
      {
        id: created.id,
        contract_id: commitment.id,
        number: 'WD-PO-1:P:co:1',
        title: 'More concrete',
        status: 'approved',
        grand_total: '250.00',
      },
    ]);
    const read = await h.client.changeOrderLines(seed.project.id, created.id);
    expect(read.map((l) => [l.commitment_line_item_id, l.wbs_code_id, l.amount])).toEqual([
      [pour.id, seed.concrete.id, '250.25'],
      [null, seed.labor.id, '-0.25'],
    ]);
    const detail = await h.client.commitment(seed.project.id, commitment.id);
    expect(detail.approved_change_orders).toBe('250.00');
    expect(detail.change_order_packages).toMatchObject([{ number: 'WD-PO-1:P:co:1', status: 'approved' }]);
  });

  it('reads every line of a change order over v2.0 pages of a hundred', async () => {
    const { commitment } = seedCommitment(h.sim, seed);
    const co = await h.client.createChangeOrder(seed.project.id, { contract_id: commitment.id, number: 'N-1' });
    const at = '2026-05-01T00:00:00Z';
    for (let i = 1; i <= 105; i++) {
      const id = h.sim.state.nextId();
      h.sim.state.db.changeOrderLineItems.set(id, {
        id,
        change_order_id: co.id,
        commitment_line_item_id: null,
        wbs_code_id: seed.concrete.id,
        amount: `${i}.00`,
        quantity: null,
        unit_cost: null,
        extended_type: 'manual',
        description: null,
        position: i,
        created_at: at,
        updated_at: at,
      });
    }

    const read = await h.client.changeOrderLines(seed.project.id, co.id);

    expect(read).toHaveLength(105);
    expect(read.at(-1)?.amount).toBe('105.00');
    expect(h.sim.calls.count('GET', CO_LINES)).toBe(2);
  });

  it('reads the open billing period once per run', async () => {
    const { period } = seedCommitment(h.sim, seed);
    expect((await h.client.openBillingPeriod(seed.project.id))?.id).toBe(period.id);
    await h.client.openBillingPeriod(seed.project.id);
    expect(h.sim.calls.count('GET', '/rest/v1.0/projects/{project_id}/billing_periods')).toBe(1);
  });
});
