import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectCostInput, RequisitionInput } from '../../../lambdas/procore';
import { ProcoreError } from '../../../lambdas/shared/errors';
import type { Logger } from '../../../lambdas/shared/logger';
import { sum, toAmount } from '../../../lambdas/shared/money';
import { FaultPlan } from '../../../sandbox/faults';
import { type Harness, type Seed, seedCommitment, seedCompany, startHarness } from './harness';

const DC_CREATE = ['POST', '/rest/v1.1/projects/{project_id}/direct_costs'] as const;
const DC_LINE_SYNC = ['PATCH', '/rest/v1.0/projects/{project_id}/direct_costs/line_items/sync'] as const;
const REQ_CREATE = ['POST', '/rest/v1.1/requisitions'] as const;
const CO_CREATE = ['POST', '/rest/v1.0/projects/{project_id}/commitment_change_orders'] as const;

function directCost(seed: Seed, lines: number, originId = 'WD-INV-1:P'): DirectCostInput {
  return {
    direct_cost_type: 'invoice',
    origin_id: originId,
    origin_data: 'v1',
    vendor_id: seed.vendor.id,
    invoice_number: 'INV-1001',
    direct_cost_date: '2026-05-20',
    received_date: '2026-05-21',
    status: 'pending',
    description: 'Supplier invoice',
    line_items: Array.from({ length: lines }, (_, i) => ({
      origin_id: `${originId}:${i + 1}`,
      wbs_code_id: i % 2 === 0 ? seed.concrete.id : seed.labor.id,
      amount: `${i + 1}.01`,
      description: `Line ${i + 1}`,
    })),
  };
}

describe('Procore client: direct costs and requisitions', () => {
  let h: Harness;
  let seed: Seed;
  let faults: FaultPlan;
  beforeEach(async () => {
    faults = new FaultPlan();
    h = await startHarness({ sim: { faults } });
    seed = seedCompany(h.sim);
    await h.client.companies();
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates a direct cost of 150 lines: 100 inline, the rest through line-item sync', async () => {
    const body = directCost(seed, 150);
    const created = await h.client.createDirectCost(seed.project.id, body);

    expect(created.line_items).toHaveLength(150);
    expect(created.grand_total).toBe(toAmount(sum(body.line_items.map((l) => l.amount))));
    expect(created.line_items.map((l) => l.origin_id)).toEqual(body.line_items.map((l) => l.origin_id));
    expect(h.sim.state.directCosts(seed.project.id)).toHaveLength(1);
    expect([h.sim.calls.count(...DC_CREATE), h.sim.calls.count(...DC_LINE_SYNC)]).toEqual([1, 1]);
    expect(h.sim.calls.clientErrors).toBe(0);

    const listed = await h.client.directCosts(seed.project.id);
    expect(listed).toHaveLength(1);
    expect(listed[0]?.line_items).toHaveLength(150);
  });

  it('retries a direct cost update that Procore answers with 409 (a concurrent write)', async () => {
    const created = await h.client.createDirectCost(seed.project.id, directCost(seed, 2));
    const [first, second] = created.line_items;
    if (!first || !second) throw new Error('lines missing');
    h.sim.forceConflict(created.id);

    const updated = await h.client.updateDirectCost(seed.project.id, created.id, {
      ...directCost(seed, 0),
      description: 'Corrected',
      line_items: [
        { id: first.id, origin_id: 'WD-INV-1:P:1', wbs_code_id: seed.concrete.id, amount: '100.00' },
        { origin_id: 'WD-INV-1:P:3', wbs_code_id: seed.labor.id, amount: '0.99', description: 'Freight' },
      ],
    });

    expect(h.sim.calls.byStatus[409]).toBe(1);
    expect(h.client.stats.retries).toBe(1);
    expect(updated.description).toBe('Corrected');
    expect(updated.line_items.map((l) => [l.origin_id, l.amount])).toEqual([
      ['WD-INV-1:P:1', '100.00'],
      ['WD-INV-1:P:2', '2.01'],
      ['WD-INV-1:P:3', '0.99'],
    ]);
    expect(updated.grand_total).toBe('103.00');
  });

  it('recovers a direct cost whose create answer was lost by its origin_id: exactly one exists', async () => {
    faults.force({ type: 'lostResponse' });
    const created = await h.client.createDirectCost(seed.project.id, directCost(seed, 3));

    const stored = h.sim.state.directCosts(seed.project.id);
    expect(stored.map((d) => d.id)).toEqual([created.id]);
    expect(created.line_items).toHaveLength(3);
    expect(h.sim.calls.count(...DC_CREATE)).toBe(1);
    expect((await h.client.findDirectCost(seed.project.id, 'WD-INV-1:P'))?.id).toBe(created.id);
  });

  it('sends a create again only after a lookup shows the first never arrived', async () => {
    faults.force({ type: 'drop' });
    const created = await h.client.createDirectCost(seed.project.id, directCost(seed, 1));
    expect(h.sim.state.directCosts(seed.project.id).map((d) => d.id)).toEqual([created.id]);
    expect(h.sim.calls.count(...DC_CREATE)).toBe(2);
    expect(h.sim.calls.count('GET', '/rest/v1.1/projects/{project_id}/direct_costs')).toBe(1);
  });

  it('treats a gateway error on a create as maybe-applied: looks up, then creates once', async () => {
    faults.force({ type: 'serverError', status: 502 });
    await h.client.createDirectCost(seed.project.id, directCost(seed, 1));
    expect(h.sim.state.directCosts(seed.project.id)).toHaveLength(1);
    expect(h.sim.calls.count(...DC_CREATE)).toBe(2);
  });

  it('gives up with a transient error when the answer is lost twice and the record is not there', async () => {
    // Drop the first create, then (once the lookup has found nothing) the second one too.
    let lookups = 0;
    const logger: Logger = {
      ...h.logger,
      debug: (message, fields) => {
        h.logger.debug(message, fields);
        if (message === 'procore call' && fields?.method === 'GET' && lookups++ === 0) faults.force({ type: 'drop' });
      },
    };
    faults.force({ type: 'drop' });
    const client = h.makeClient({ logger });
    const error = await client.createDirectCost(seed.project.id, directCost(seed, 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcoreError);
    expect(error).toMatchObject({ failure: 'transient' });
    expect((error as Error).message).toMatch(/lost twice/);
    expect(h.sim.state.directCosts(seed.project.id)).toHaveLength(0);
    expect(h.sim.calls.count(...DC_CREATE)).toBe(2);
  });

  it('recovers a requisition whose create answer was lost by its origin_id: exactly one exists', async () => {
    const { commitment, lines, period } = seedCommitment(h.sim, seed);
    const [pour, forms] = lines;
    if (!pour || !forms) throw new Error('lines missing');
    const body: RequisitionInput = {
      period_id: period.id,
      origin_id: 'WD-INV-2:WD-PO-1:P',
      invoice_number: 'INV-2002',
      billing_date: '2026-05-31',
      requisition_start: '2026-05-01',
      requisition_end: '2026-05-31',
      status: 'draft',
      items: [
        { item_type: 'contract_item', line_item_id: pour.id, work_completed_this_period: '400.10' },
        { item_type: 'contract_item', line_item_id: forms.id, work_completed_this_period: '0.40' },
      ],
    };
    faults.force({ type: 'lostResponse' });
    const created = await h.client.createRequisition(seed.project.id, commitment.id, body);

    expect(h.sim.state.requisitions(seed.project.id).map((r) => r.id)).toEqual([created.id]);
    expect(h.sim.calls.count(...REQ_CREATE)).toBe(1);
    expect(created).toMatchObject({ commitment_id: commitment.id, period_id: period.id, origin_id: body.origin_id });
    expect(created.items.map((i) => [i.line_item_id, i.work_completed_this_period])).toEqual([
      [pour.id, '400.10'],
      [forms.id, '0.40'],
    ]);
    const listed = await h.client.requisitions(seed.project.id, commitment.id);
    expect(listed.map((r) => r.id)).toEqual([created.id]);
  });

  it('reports a requisition on a commitment that is not there as a missing dependency', async () => {
    const { period } = seedCommitment(h.sim, seed);
    const error = await h.client
      .createRequisition(seed.project.id, 123, { period_id: period.id, origin_id: 'WD-INV-3', items: [] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, failure: 'dependency' });
  });

  it('recovers a change order whose create answer was lost by its origin_id: exactly one exists', async () => {
    const { commitment, lines } = seedCommitment(h.sim, seed);
    const line = lines[0];
    if (!line) throw new Error('line missing');
    faults.force({ type: 'lostResponse' });
    const created = await h.client.createChangeOrder(seed.project.id, {
      contract_id: commitment.id,
      origin_id: 'WD-PO-1:P:co:1',
      title: 'Extra pour',
      line_items: [
        { contract_line_item_id: line.id, amount: '75.00', description: 'More', origin_id: 'WD-POL-1:co:1' },
      ],
    });

    expect(h.sim.state.changeOrders(seed.project.id).map((co) => co.id)).toEqual([created.id]);
    expect(h.sim.calls.count(...CO_CREATE)).toBe(1);
    expect(created).toMatchObject({ origin_id: 'WD-PO-1:P:co:1', grand_total: '75.00' });
  });
});
