import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequisitionInput } from '../../../lambdas/procore';
import { ProcoreError } from '../../../lambdas/shared/errors';
import type { Logger } from '../../../lambdas/shared/logger';
import { FaultPlan } from '../../../sandbox/faults';
import { type Harness, type Seed, seedCommitment, seedCompany, startHarness } from './harness';

const REQ_CREATE = ['POST', '/rest/v1.1/requisitions'] as const;
const REQ_LIST = ['GET', '/rest/v1.1/requisitions'] as const;
const CO_CREATE = ['POST', '/rest/v1.0/projects/{project_id}/commitment_change_orders'] as const;
const CO_LINE_CREATE = [
  'POST',
  '/rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/{commitment_change_order_id}/line_items',
] as const;

/** A requisition billing the two SOV lines of `seedCommitment`. */
function requisition(h: Harness, seed: Seed, originId = 'WD-INV-2:WD-PO-1:P') {
  const { commitment, lines, period } = seedCommitment(h.sim, seed);
  const [pour, forms] = lines;
  if (!pour || !forms) throw new Error('lines missing');
  const body: RequisitionInput = {
    period_id: period.id,
    origin_id: originId,
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
  return { commitment, period, pour, forms, body };
}

describe('Procore client: requisitions and change orders', () => {
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

  it('recovers a requisition whose create answer was lost by its origin_id: exactly one exists', async () => {
    const { commitment, period, pour, forms, body } = requisition(h, seed);
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

  it('sends a create again only after a lookup shows the first never arrived', async () => {
    const { commitment, body } = requisition(h, seed);
    faults.force({ type: 'drop' });
    const created = await h.client.createRequisition(seed.project.id, commitment.id, body);

    expect(h.sim.state.requisitions(seed.project.id).map((r) => r.id)).toEqual([created.id]);
    expect(h.sim.calls.count(...REQ_CREATE)).toBe(2);
    expect(h.sim.calls.count(...REQ_LIST)).toBe(1);
  });

  it('treats a gateway error on a create as maybe-applied: looks up, then creates once', async () => {
    const { commitment, body } = requisition(h, seed);
    faults.force({ type: 'serverError', status: 502 });
    await h.client.createRequisition(seed.project.id, commitment.id, body);

    expect(h.sim.state.requisitions(seed.project.id)).toHaveLength(1);
    expect(h.sim.calls.count(...REQ_CREATE)).toBe(2);
    expect(h.sim.calls.count(...REQ_LIST)).toBe(1);
  });

  it('gives up with a transient error when the answer is lost twice and the record is not there', async () => {
    const { commitment, body } = requisition(h, seed);
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
    const error = await client.createRequisition(seed.project.id, commitment.id, body).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProcoreError);
    expect(error).toMatchObject({ failure: 'transient' });
    expect((error as Error).message).toMatch(/lost twice/);
    expect(h.sim.state.requisitions(seed.project.id)).toHaveLength(0);
    expect(h.sim.calls.count(...REQ_CREATE)).toBe(2);
  });

  it('reports a requisition on a commitment that is not there as a missing dependency', async () => {
    const { period } = seedCommitment(h.sim, seed);
    const error = await h.client
      .createRequisition(seed.project.id, 123, { period_id: period.id, origin_id: 'WD-INV-3', items: [] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, failure: 'dependency' });
  });

  it('recovers a change order whose create answer was lost by its number: exactly one exists', async () => {
    const { commitment } = seedCommitment(h.sim, seed);
    h.sim.state.db.changeOrders.set(h.sim.state.nextId(), {
      id: h.sim.state.nextId(),
      project_id: seed.project.id,
      contract_id: commitment.id,
      number: '7',
      title: 'Typed by hand',
      description: null,
      status: 'approved',
      created_at: '2026-05-01T00:00:00Z',
      updated_at: '2026-05-01T00:00:00Z',
    });
    faults.force({ type: 'lostResponse' });
    const created = await h.client.createChangeOrder(seed.project.id, {
      contract_id: commitment.id,
      number: 'WD-PO-1:P:co:1',
      title: 'Extra pour',
      status: 'draft',
    });

    const ours = h.sim.state.changeOrders(seed.project.id).filter((co) => co.number === 'WD-PO-1:P:co:1');
    expect(ours.map((co) => co.id)).toEqual([created.id]);
    expect(h.sim.calls.count(...CO_CREATE)).toBe(1);
    expect(created).toMatchObject({ number: 'WD-PO-1:P:co:1', status: 'draft', contract_id: commitment.id });
  });

  it('recovers a change order line whose answer was lost by finding it among the lines: added once', async () => {
    const { commitment, lines } = seedCommitment(h.sim, seed);
    const pour = lines[0];
    if (!pour) throw new Error('line missing');
    const co = await h.client.createChangeOrder(seed.project.id, { contract_id: commitment.id, number: 'N-1' });
    const body = {
      wbs_code_id: String(seed.concrete.id),
      commitment_line_item_id: String(pour.id),
      amount: '75.00',
      description: '[Workday line POL-1] More',
    };
    faults.force({ type: 'lostResponse' });
    const line = await h.client.addChangeOrderLine(seed.project.id, co.id, body);

    expect(h.sim.state.changeOrderLineItems(co.id).map((l) => l.id)).toEqual([line.id]);
    expect(line).toMatchObject({ commitment_line_item_id: pour.id, wbs_code_id: seed.concrete.id, amount: '75.00' });
    expect(h.sim.calls.count(...CO_LINE_CREATE)).toBe(1);
  });
});
