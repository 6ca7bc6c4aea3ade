import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Basics, type Harness, seedBasics, startHarness } from './harness';

interface LineBody {
  id: number;
  amount: string;
  origin_id: string | null;
  wbs_code: { id: number; flat_code: string } | null;
}

interface DirectCostBody {
  id: number;
  direct_cost_type: string;
  invoice_number: string | null;
  grand_total: string;
  vendor: { id: number; name: string } | null;
  origin_id: string | null;
  line_items?: LineBody[];
  line_items_count: number;
}

interface SyncBody<T> {
  entities: T[];
  errors: { errors: Record<string, string[]> }[];
}

describe('Procore simulator: direct costs', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  const v11 = () => `/rest/v1.1/projects/${b.project.id}/direct_costs`;
  const v10 = () => `/rest/v1.0/projects/${b.project.id}/direct_costs`;
  const invoice = (extra: Record<string, unknown> = {}) => ({
    direct_cost_type: 'invoice',
    vendor_id: b.vendor.id,
    invoice_number: 'SI-1',
    received_date: '2026-05-20',
    origin_id: 'WD-SI-1',
    ...extra,
  });
  const create = (directCost: Record<string, unknown>) =>
    h.request<DirectCostBody>('POST', v11(), { body: { direct_cost: directCost } });

  it('creates a v1.1 direct cost with inline lines; grand_total is their exact sum', async () => {
    const reply = await create(
      invoice({
        line_items: [
          { wbs_code_id: b.budgetCode.id, manual_amount: '0.10', description: 'a', origin_id: 'WD-SIL-1' },
          { wbs_code_id: b.budgetCode.id, manual_amount: '0.20', description: 'b' },
        ],
      }),
    );
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ direct_cost_type: 'invoice', grand_total: '0.30', line_items_count: 2 });
    expect(reply.json.vendor).toEqual({ id: b.vendor.id, name: 'Acme Concrete' });
    expect(reply.json.line_items?.map((l) => [l.amount, l.wbs_code?.flat_code])).toEqual([
      ['0.10', '03-300.M'],
      ['0.20', '03-300.M'],
    ]);
  });

  it('rejects more than 100 inline lines and lines without an existing wbs_code_id', async () => {
    const line = { wbs_code_id: b.budgetCode.id, manual_amount: '1.00' };
    const tooMany = await create(invoice({ line_items: Array.from({ length: 101 }, () => line) }));
    expect(tooMany.status).toBe(422);
    const noCode = await create(invoice({ line_items: [{ manual_amount: '1.00' }] }));
    expect(noCode.status).toBe(422);
    expect(noCode.json).toEqual({ errors: { 'line_items[0].wbs_code_id': ["can't be blank"] } });
    const unknown = await create(invoice({ line_items: [{ wbs_code_id: 42, manual_amount: '1.00' }] }));
    expect(unknown.status).toBe(422);
    expect(h.sim.state.directCosts()).toEqual([]);
  });

  it('requires invoice_number, vendor_id and direct_cost_type, as the published schema does, and a known type', async () => {
    const bare = await create({ direct_cost_type: 'expense' });
    expect(bare.json).toEqual({ errors: { invoice_number: ["can't be blank"], vendor_id: ["can't be blank"] } });
    const expense = await create({
      direct_cost_type: 'expense',
      description: 'Fuel',
      invoice_number: 'R-1',
      vendor_id: b.vendor.id,
    });
    expect(expense.status).toBe(201);
    const badType = await create({ direct_cost_type: 'subcontract' });
    expect(badType.status).toBe(422);
  });

  it('creates with the v1.0 item wrapper and no lines', async () => {
    const reply = await h.request<DirectCostBody>('POST', v10(), { body: { item: invoice() } });
    expect(reply.status).toBe(201);
    expect(reply.json.grand_total).toBe('0.00');
    expect(reply.json).not.toHaveProperty('line_items');
    const wrongWrapper = await h.request('POST', v10(), { body: { direct_cost: invoice() } });
    expect(wrongWrapper.status).toBe(400);
  });

  it('keeps origin_id unique per company', async () => {
    expect((await create(invoice())).status).toBe(201);
    const dup = await create(invoice({ invoice_number: 'SI-2' }));
    expect(dup.json).toEqual({ errors: { origin_id: ['has already been taken'] } });
  });

  it('updates through v1.1 PATCH: lines with id change, lines without id are added', async () => {
    const dc = (
      await create(invoice({ origin_id: null, line_items: [{ wbs_code_id: b.budgetCode.id, manual_amount: '5.00' }] }))
    ).json;
    const lineId = dc.line_items?.[0]?.id;
    const reply = await h.request<DirectCostBody>('PATCH', `${v11()}/${dc.id}`, {
      body: {
        direct_cost: {
          description: 'Updated',
          line_items: [
            { id: lineId, manual_amount: '7.50' },
            { wbs_code_id: b.budgetCode.id, manual_amount: '2.50' },
          ],
        },
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.grand_total).toBe('10.00');
    expect(reply.json.line_items?.map((l) => l.amount)).toEqual(['7.50', '2.50']);
  });

  it('never changes direct_cost_type after create', async () => {
    h.sim.switches.originLockedPatchRejected = false;
    const dc = (await create(invoice())).json;
    const strict = await h.request('PATCH', `${v11()}/${dc.id}`, {
      body: { direct_cost: { direct_cost_type: 'expense' } },
    });
    expect(strict.status).toBe(400);
    const sync = await h.request<SyncBody<DirectCostBody>>('PATCH', `${v10()}/sync`, {
      body: { updates: [{ id: dc.id, direct_cost_type: 'expense' }] },
    });
    expect(sync.json.errors[0]?.errors).toEqual({ direct_cost_type: ['cannot be changed after create'] });
  });

  it('rejects a PATCH that changes amounts of a direct cost carrying origin_id, but lets sync update it', async () => {
    const dc = (await create(invoice({ line_items: [{ wbs_code_id: b.budgetCode.id, manual_amount: '5.00' }] }))).json;
    const lineId = dc.line_items?.[0]?.id;
    const amountChange = await h.request('PATCH', `${v11()}/${dc.id}`, {
      body: { direct_cost: { line_items: [{ id: lineId, manual_amount: '6.00' }] } },
    });
    expect(amountChange.status).toBe(422);
    const headerOnly = await h.request('PATCH', `${v11()}/${dc.id}`, { body: { direct_cost: { terms: 'Net 30' } } });
    expect(headerOnly.status).toBe(200);
    const lineSync = await h.request<SyncBody<LineBody>>('PATCH', `${v10()}/line_items/sync`, {
      body: { updates: [{ id: lineId, amount: '6.00' }] },
    });
    expect(lineSync.json.entities.map((l) => l.amount)).toEqual(['6.00']);
    h.sim.switches.originLockedPatchRejected = false;
    const allowed = await h.request('PATCH', `${v11()}/${dc.id}`, {
      body: { direct_cost: { line_items: [{ id: lineId, manual_amount: '7.00' }] } },
    });
    expect(allowed.status).toBe(200);
  });

  it('answers 409 when a conflict is forced, then recovers', async () => {
    const dc = (await create(invoice())).json;
    h.sim.forceConflict(dc.id, 2);
    const patch = () => h.request('PATCH', `${v11()}/${dc.id}`, { body: { direct_cost: { terms: 'Net 45' } } });
    expect((await patch()).status).toBe(409);
    expect((await patch()).status).toBe(409);
    expect((await patch()).status).toBe(200);
  });

  it('lists and shows with filters on origin_id and invoice_number', async () => {
    const dc = (await create(invoice())).json;
    await create(invoice({ origin_id: 'WD-SI-2', invoice_number: 'SI-2' }));
    const byOrigin = await h.get<DirectCostBody[]>(`${v10()}?filters[origin_id]=WD-SI-1`);
    const byInvoice = await h.get<DirectCostBody[]>(`${v11()}?filters[invoice_number]=SI-2`);
    expect(byOrigin.json.map((d) => d.id)).toEqual([dc.id]);
    expect(byInvoice.json.map((d) => d.invoice_number)).toEqual(['SI-2']);
    const show = await h.get<DirectCostBody>(`${v11()}/${dc.id}`);
    expect(show.json.line_items).toEqual([]);
  });

  it('deletes a direct cost (200 with its id) and hides it', async () => {
    const dc = (await create(invoice())).json;
    const del = await h.request('DELETE', `${v10()}/${dc.id}`);
    expect(del.json).toEqual({ id: dc.id });
    expect((await h.get(`${v11()}/${dc.id}`)).status).toBe(404);
  });
});

describe('Procore simulator: direct cost v1.0 line items and sync', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  const v10 = () => `/rest/v1.0/projects/${b.project.id}/direct_costs`;

  it('syncs headers by origin_id and lines with direct_cost_id; numbers are accepted on v1.0 lines', async () => {
    const headers = await h.request<SyncBody<DirectCostBody>>('PATCH', `${v10()}/sync`, {
      body: {
        updates: [
          { origin_id: 'WD-SI-5', direct_cost_type: 'invoice', vendor_id: b.vendor.id, invoice_number: 'SI-5' },
          { origin_id: 'WD-SI-6', direct_cost_type: 'invoice' },
        ],
      },
    });
    expect(headers.status).toBe(200);
    expect(headers.json.entities).toHaveLength(1);
    expect(headers.json.errors[0]?.errors).toEqual({
      invoice_number: ["can't be blank"],
      vendor_id: ["can't be blank"],
    });
    const dcId = headers.json.entities[0]?.id;
    const lines = await h.request<SyncBody<LineBody>>('PATCH', `${v10()}/line_items/sync`, {
      body: {
        updates: [
          { direct_cost_id: dcId, origin_id: 'L-1', amount: 12.5, wbs_code_id: b.budgetCode.id },
          {
            direct_cost_id: dcId,
            origin_id: 'L-2',
            amount: '7.25',
            cost_code_id: b.costCode.id,
            line_item_type_id: b.costType.id,
          },
          { direct_cost_id: dcId, origin_id: 'L-3', amount: 'twelve', wbs_code_id: b.budgetCode.id },
          { origin_id: 'L-4', amount: '1.00', wbs_code_id: b.budgetCode.id },
        ],
      },
    });
    expect(lines.json.entities.map((l) => [l.origin_id, l.amount])).toEqual([
      ['L-1', '12.50'],
      ['L-2', '7.25'],
    ]);
    expect(lines.json.errors.map((e) => e.errors)).toEqual([
      { amount: ['is not a number'] },
      { direct_cost_id: ["can't be blank"] },
    ]);
    const show = await h.get<DirectCostBody>(`${v10()}/${dcId}`);
    expect(show.json.grand_total).toBe('19.75');
  });

  it('syncs many direct costs and their lines in one call each; a repeat updates instead of creating', async () => {
    const updates = [1, 2, 3].map((n) => ({
      origin_id: `WD-SI-${n}`,
      direct_cost_type: 'invoice',
      vendor_id: b.vendor.id,
      invoice_number: `SI-${n}`,
    }));
    const first = await h.request<SyncBody<DirectCostBody>>('PATCH', `${v10()}/sync`, { body: { updates } });
    expect(first.json.entities.map((d) => d.origin_id)).toEqual(['WD-SI-1', 'WD-SI-2', 'WD-SI-3']);
    const again = await h.request<SyncBody<DirectCostBody>>('PATCH', `${v10()}/sync`, { body: { updates } });
    expect(again.json.entities.map((d) => d.id)).toEqual(first.json.entities.map((d) => d.id));
    expect(h.sim.state.directCosts(b.project.id)).toHaveLength(3);

    const lineUpdates = first.json.entities.flatMap((d, i) => [
      { direct_cost_id: d.id, origin_id: `L-${i}-a`, amount: '-10.05', wbs_code_id: b.budgetCode.id },
      { direct_cost_id: d.id, origin_id: `L-${i}-b`, amount: '0.01', wbs_code_id: b.budgetCode.id },
    ]);
    const lines = await h.request<SyncBody<LineBody>>('PATCH', `${v10()}/line_items/sync`, {
      body: { updates: lineUpdates },
    });
    expect(lines.json.entities).toHaveLength(6);
    expect(lines.json.errors).toEqual([]);
    const show = await h.get<DirectCostBody>(`${v10()}/${first.json.entities[2]?.id}`);
    expect(show.json.grand_total).toBe('-10.04');
  });

  it('refuses, as an item error, an origin_id another project of the company holds', async () => {
    const other = h.sim.state.addProject({ name: 'Other', project_number: 'P-2' });
    await h.request('PATCH', `/rest/v1.0/projects/${other.id}/direct_costs/sync`, {
      body: { updates: [{ origin_id: 'WD-SI-9', direct_cost_type: 'expense' }] },
    });
    const reply = await h.request<SyncBody<DirectCostBody>>('PATCH', `${v10()}/sync`, {
      body: {
        updates: [
          { origin_id: 'WD-SI-8', direct_cost_type: 'expense' },
          { origin_id: 'WD-SI-9', direct_cost_type: 'expense' },
        ],
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.entities.map((d) => d.origin_id)).toEqual(['WD-SI-8']);
    expect(reply.json.errors).toEqual([
      { origin_id: 'WD-SI-9', direct_cost_type: 'expense', errors: { origin_id: ['has already been taken'] } },
    ]);
  });

  it('answers a sync that writes a direct cost another request is changing with 409 for the whole call', async () => {
    const created = await h.request<SyncBody<DirectCostBody>>('PATCH', `${v10()}/sync`, {
      body: { updates: [{ origin_id: 'WD-SI-1', direct_cost_type: 'expense' }] },
    });
    const id = created.json.entities[0]?.id ?? 0;
    h.sim.forceConflict(id);
    const lines = (amount: string) =>
      h.request('PATCH', `${v10()}/line_items/sync`, {
        body: { updates: [{ direct_cost_id: id, origin_id: 'L-1', amount, wbs_code_id: b.budgetCode.id }] },
      });
    expect((await lines('1.00')).status).toBe(409);
    expect(h.sim.state.directCostLineItems(id)).toEqual([]);
    expect((await lines('2.00')).status).toBe(200);
    expect(h.sim.state.directCostLineItems(id).map((l) => l.amount)).toEqual(['2.00']);
  });

  it('creates, updates and deletes v1.0 line items', async () => {
    const created = await h.request<DirectCostBody>('POST', v10(), {
      body: {
        item: { direct_cost_type: 'expense', description: 'Fuel', invoice_number: 'R-2', vendor_id: b.vendor.id },
      },
    });
    const base = `${v10()}/${created.json.id}/line_items`;
    const line = await h.request<LineBody>('POST', base, {
      body: { line_item: { amount: 3, wbs_code_id: b.budgetCode.id } },
    });
    expect(line.status).toBe(201);
    const patched = await h.request<LineBody>('PATCH', `${base}/${line.json.id}`, {
      body: { line_item: { amount: '4.40' } },
    });
    expect(patched.json.amount).toBe('4.40');
    const all = await h.get<LineBody[]>(`${v10()}/line_items?filters[direct_cost_id]=${created.json.id}`);
    expect(all.json.map((l) => l.id)).toEqual([line.json.id]);
    expect((await h.request('DELETE', `${base}/${line.json.id}`)).status).toBe(200);
    expect(h.sim.state.directCostLineItems(created.json.id)).toEqual([]);
  });

  it('rejects a currency other than the project currency unless the project uses multicurrency', async () => {
    const sync = () =>
      h.request<SyncBody<DirectCostBody>>('PATCH', `${v10()}/sync`, {
        body: { updates: [{ direct_cost_type: 'expense', currency_iso_code: 'EUR', currency_exchange_rate: 1.08 }] },
      });
    const rejected = await sync();
    expect(rejected.json.errors[0]?.errors).toEqual({
      currency_iso_code: ['must be the project currency (USD); multicurrency is not enabled'],
    });
    h.sim.switches.multicurrency = [b.project.id];
    const accepted = await sync();
    expect(accepted.json.entities).toHaveLength(1);
  });
});

describe('Procore simulator: concurrent writes to one direct cost', () => {
  it('answers 409 to a write that overlaps another write to the same direct cost', async () => {
    const h = await startHarness({ latencyMs: 150 });
    const b = seedBasics(h.sim);
    const created = await h.request<DirectCostBody>('POST', `/rest/v1.1/projects/${b.project.id}/direct_costs`, {
      body: { direct_cost: { direct_cost_type: 'expense', invoice_number: 'R-3', vendor_id: b.vendor.id } },
    });
    const path = `/rest/v1.1/projects/${b.project.id}/direct_costs/${created.json.id}`;
    const patch = (terms: string) => h.request('PATCH', path, { body: { direct_cost: { terms } } });
    const first = patch('Net 30');
    await new Promise((resolve) => setTimeout(resolve, 40));
    const [a, c] = await Promise.all([first, patch('Net 60')]);
    expect([a.status, c.status].sort()).toEqual([200, 409]);
    expect(h.sim.state.directCosts()[0]?.terms).toBe(a.status === 200 ? 'Net 30' : 'Net 60');
    expect((await patch('Net 90')).status).toBe(200);
    await h.close();
  });
});
