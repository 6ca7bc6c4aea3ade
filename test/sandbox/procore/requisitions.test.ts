import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BillingPeriod, Commitment } from '../../../sandbox/procore';
import { type Basics, type Harness, seedBasics, startHarness } from './harness';

interface ItemBody {
  id: number;
  line_item_id: number;
  scheduled_value: string;
  work_completed_from_previous_application: string;
  work_completed_this_period: string;
  total_completed_and_stored_to_date: string;
  work_completed_retainage_retained_this_period: string;
}

interface RequisitionBody {
  id: number;
  number: number;
  commitment_id: number;
  period_id: number;
  status: string;
  origin_id: string | null;
  total_claimed_amount: string;
  summary: Record<string, string>;
  items?: ItemBody[];
}

describe('Procore simulator: billing periods', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  const base = () => `/rest/v1.0/projects/${b.project.id}/billing_periods`;
  const period = (fields: Record<string, unknown>) =>
    h.request<BillingPeriod>('POST', base(), { body: { billing_period: fields } });

  it('creates a billing period and allows only one open at a time', async () => {
    const may = await period({
      start_date: '2026-05-01',
      end_date: '2026-05-31',
      due_date: '2026-06-10',
      status: 'open',
    });
    expect(may.status).toBe(201);
    expect(may.json).toMatchObject({ project_id: b.project.id, status: 'open', position: 1 });
    const june = await period({
      start_date: '2026-06-01',
      end_date: '2026-06-30',
      due_date: '2026-07-10',
      status: 'open',
    });
    expect(june.status).toBe(422);
    expect(june.json).toEqual({ errors: { status: ['only one billing period can be open at a time'] } });
    const close = await h.request('PATCH', `${base()}/${may.json.id}`, {
      body: {
        billing_period: { start_date: '2026-05-01', end_date: '2026-05-31', due_date: '2026-06-10', status: 'closed' },
      },
    });
    expect(close.status).toBe(200);
    const list = await h.get<BillingPeriod[]>(`${base()}?filters[status]=closed`);
    expect(list.json.map((p) => p.id)).toEqual([may.json.id]);
  });

  it('requires every date and a valid status', async () => {
    const reply = await period({ start_date: '2026-05-01', status: 'open' });
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual({ errors: { end_date: ["can't be blank"], due_date: ["can't be blank"] } });
    const badStatus = await period({
      start_date: '2026-05-01',
      end_date: '2026-05-31',
      due_date: '2026-06-10',
      status: 'pending',
    });
    expect(badStatus.status).toBe(422);
    expect(badStatus.json).toEqual({ errors: { status: ['is not included in the list'] } });
  });
});

describe('Procore simulator: requisitions (subcontractor invoices)', () => {
  let h: Harness;
  let b: Basics;
  let po: Commitment;
  let may: BillingPeriod;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const labor = h.sim.state.addCostType({ name: 'Labor', code: 'L' });
    const laborCode = h.sim.state.addBudgetCode(b.project.id, b.costCode.id, labor.id);
    po = h.sim.state.addCommitment(b.project.id, {
      vendor_id: b.vendor.id,
      status: 'Approved',
      retainage_percent: '10',
      lines: [
        { wbs_code_id: b.budgetCode.id, amount: '1000.00' },
        { wbs_code_id: laborCode.id, amount: '500.00' },
      ],
    });
    may = h.sim.state.addBillingPeriod(b.project.id, {
      start_date: '2026-05-01',
      end_date: '2026-05-31',
      due_date: '2026-06-10',
    });
  });
  afterEach(async () => {
    await h.close();
  });

  const sov = () => h.sim.state.commitmentLineItems(po.id);
  const createV11 = (requisition: Record<string, unknown>, commitmentId = po.id) =>
    h.request<RequisitionBody>('POST', '/rest/v1.1/requisitions', {
      body: { project_id: b.project.id, commitment_id: commitmentId, requisition },
    });
  const header = (extra: Record<string, unknown> = {}) => ({
    period_id: may.id,
    invoice_number: 'INV-1001',
    billing_date: '2026-05-31',
    requisition_start: '2026-05-01',
    requisition_end: '2026-05-31',
    status: 'draft',
    ...extra,
  });

  it('creates a requisition with one contract item per SOV line and the claimed amounts', async () => {
    const reply = await createV11(
      header({
        origin_id: 'WD-INV-1',
        items: [{ item_type: 'contract_item', line_item_id: sov()[0]?.id, work_completed_this_period: '400.10' }],
      }),
    );
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      number: 1,
      commitment_id: po.id,
      period_id: may.id,
      total_claimed_amount: '400.10',
    });
    expect(reply.json.items?.map((i) => [i.scheduled_value, i.work_completed_this_period])).toEqual([
      ['1000.00', '400.10'],
      ['500.00', '0.00'],
    ]);
    expect(reply.json.items?.[0]?.work_completed_retainage_retained_this_period).toBe('40.01');
    expect(reply.json.summary).toMatchObject({
      original_contract_sum: '1500.00',
      total_completed_and_stored_to_date: '400.10',
      total_retainage: '40.01',
      current_payment_due: '360.09',
    });
    const items = await h.get<ItemBody[]>(
      `/rest/v1.0/requisitions/${reply.json.id}/contract_items?project_id=${b.project.id}`,
    );
    expect(items.json).toHaveLength(2);
  });

  it('answers 404 for an unknown commitment and 422 for an unknown period', async () => {
    expect((await createV11(header(), po.id + 999_999)).status).toBe(404);
    const badPeriod = await createV11(header({ period_id: 1 }));
    expect(badPeriod.status).toBe(422);
    expect(badPeriod.json).toEqual({ errors: { period_id: ['does not exist in this project'] } });
  });

  it('needs SOV lines and requisitions_are_enabled on the commitment', async () => {
    const empty = h.sim.state.addCommitment(b.project.id, { vendor_id: b.vendor.id });
    const noLines = await createV11(header(), empty.id);
    expect(noLines.status).toBe(422);
    expect(JSON.stringify(noLines.json)).toMatch(/schedule of values/);
    po.requisitions_are_enabled = false;
    const disabled = await createV11(header());
    expect(disabled.status).toBe(422);
    expect(JSON.stringify(disabled.json)).toMatch(/requisitions_are_enabled/);
  });

  it('allows one requisition per commitment per billing period (switch on by default)', async () => {
    expect((await createV11(header())).status).toBe(201);
    const second = await createV11(header({ invoice_number: 'INV-1002' }));
    expect(second.status).toBe(422);
    expect(second.json).toEqual({
      errors: { base: ['This commitment already has a subcontractor invoice in this billing period'] },
    });
    h.sim.switches.oneRequisitionPerCommitmentPerPeriod = false;
    const allowed = await createV11(header({ invoice_number: 'INV-1002' }));
    expect(allowed.json.number).toBe(2);
  });

  it('numbers requisitions 1..n per commitment and carries previous work forward', async () => {
    const first = await createV11(
      header({
        items: [{ item_type: 'contract_item', line_item_id: sov()[0]?.id, work_completed_this_period: '100.00' }],
      }),
    );
    may.status = 'closed';
    const june = h.sim.state.addBillingPeriod(b.project.id, {
      start_date: '2026-06-01',
      end_date: '2026-06-30',
      due_date: '2026-07-10',
    });
    const second = await createV11(
      header({
        period_id: june.id,
        items: [{ item_type: 'contract_item', line_item_id: sov()[0]?.id, work_completed_this_period: '50.00' }],
      }),
    );
    expect([first.json.number, second.json.number]).toEqual([1, 2]);
    expect(second.json.items?.[0]).toMatchObject({
      work_completed_from_previous_application: '100.00',
      total_completed_and_stored_to_date: '150.00',
    });
  });

  it('rejects duplicate origin_ids and unknown item types', async () => {
    expect((await createV11(header({ origin_id: 'WD-INV-1' }))).status).toBe(201);
    h.sim.switches.oneRequisitionPerCommitmentPerPeriod = false;
    const dup = await createV11(header({ origin_id: 'WD-INV-1' }));
    expect(dup.json).toEqual({ errors: { origin_id: ['has already been taken'] } });
    const badItem = await createV11(header({ items: [{ item_type: 'widget', line_item_id: sov()[0]?.id }] }));
    expect(badItem.status).toBe(422);
  });

  it('lists with filters[origin_id], [commitment_id], [period_id] and [status], and shows one', async () => {
    const created = await createV11(header({ origin_id: 'WD-INV-7' }));
    const byOrigin = await h.get<RequisitionBody[]>(
      `/rest/v1.0/requisitions?project_id=${b.project.id}&filters[origin_id]=WD-INV-7`,
    );
    const byCommitment = await h.get<RequisitionBody[]>(
      `/rest/v1.1/requisitions?project_id=${b.project.id}&filters[commitment_id]=${po.id + 1}`,
    );
    const byPeriod = await h.get<RequisitionBody[]>(
      `/rest/v1.0/requisitions?project_id=${b.project.id}&filters[period_id]=${may.id}&filters[status]=draft`,
    );
    expect(byOrigin.json.map((r) => r.id)).toEqual([created.json.id]);
    expect(byCommitment.json).toEqual([]);
    expect(byPeriod.json.map((r) => r.id)).toEqual([created.json.id]);
    const show = await h.get<RequisitionBody>(`/rest/v1.0/requisitions/${created.json.id}?project_id=${b.project.id}`);
    expect(show.json.origin_id).toBe('WD-INV-7');
  });

  it('updates items with bulk_item_update (200, empty body) and validates their ids and types', async () => {
    const created = await createV11(header());
    const items = h.sim.state.requisitionItems(created.json.id);
    const path = `/rest/v1.0/requisitions/${created.json.id}/bulk_item_update?project_id=${b.project.id}`;
    const ok = await h.request('PATCH', path, {
      body: {
        requisition_items: [{ id: items[1]?.id, item_type: 'contract_item', work_completed_this_period: '125.00' }],
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const show = await h.get<RequisitionBody>(`/rest/v1.0/requisitions/${created.json.id}?project_id=${b.project.id}`);
    expect(show.json.total_claimed_amount).toBe('125.00');
    const bad = await h.request('PATCH', path, {
      body: { requisition_items: [{ id: 1, item_type: 'contract_item' }, { id: items[0]?.id }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.json).toEqual({
      errors: {
        'requisition_items[0].id': ['is not an item of this requisition'],
        'requisition_items[1].item_type': ["can't be blank"],
      },
    });
  });

  it('treats a requisition with an origin_id as immutable: PATCH and DELETE answer 422', async () => {
    const locked = await createV11(header({ origin_id: 'WD-INV-9' }));
    const patch = await h.request('PATCH', `/rest/v1.1/requisitions/${locked.json.id}`, {
      body: { project_id: b.project.id, commitment_id: po.id, requisition: { status: 'under_review' } },
    });
    const del = await h.request('DELETE', `/rest/v1.0/requisitions/${locked.json.id}?project_id=${b.project.id}`);
    expect([patch.status, del.status]).toEqual([422, 422]);
    expect(patch.json).toEqual({
      errors: { base: ['The invoice is not editable because it has been synced with ERP'] },
    });
  });

  it('edits and deletes the latest requisition without an origin_id', async () => {
    const created = await createV11(header());
    const patch = await h.request<RequisitionBody>('PATCH', `/rest/v1.0/requisitions/${created.json.id}`, {
      body: { project_id: b.project.id, commitment_id: po.id, requisition: { status: 'under_review' } },
    });
    expect(patch.json.status).toBe('under_review');
    const del = await h.request('DELETE', `/rest/v1.0/requisitions/${created.json.id}?project_id=${b.project.id}`);
    expect(del.status).toBe(200);
    expect(h.sim.state.requisitions()).toEqual([]);
  });
});
