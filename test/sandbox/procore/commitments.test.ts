import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Basics, COMPANY_ID, type Harness, seedBasics, startHarness } from './harness';

interface LineBody {
  id: number;
  amount: string;
  extended_type: string;
  origin_id: string | null;
  wbs_code: { id: number; flat_code: string } | null;
  holder: { id: number; holder_type: string };
}

interface ContractBody {
  id: number;
  number: string;
  status: string;
  grand_total: string;
  approved_change_orders: string;
  pending_change_orders: string;
  revised_contract: string;
  origin_id: string | null;
  vendor: { id: number; company: string } | null;
  line_items: LineBody[];
  deleted_at: string | null;
}

interface SyncBody<T> {
  entities: T[];
  errors: { errors: Record<string, string[]> }[];
}

const PO = '/rest/v1.0/purchase_order_contracts';

describe('Procore simulator: purchase order contracts', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  const create = (fields: Record<string, unknown>, projectId = b.project.id) =>
    h.request<ContractBody>('POST', PO, { body: { project_id: projectId, purchase_order_contract: fields } });
  const addLine = (contractId: number, line: Record<string, unknown>) =>
    h.request<LineBody>('POST', `${PO}/${contractId}/line_items`, {
      body: { project_id: b.project.id, line_item: line },
    });

  it('creates a contract with 201, auto-assigning numbers that are unique per project', async () => {
    const first = await create({ title: 'Rebar', vendor_id: b.vendor.id, status: 'Draft', origin_id: 'WD-PO-1' });
    const second = await create({ title: 'Forms', vendor_id: b.vendor.id });
    expect(first.status).toBe(201);
    expect([first.json.number, second.json.number]).toEqual(['1', '2']);
    expect(first.json.vendor).toEqual({
      id: b.vendor.id,
      company: 'Acme Concrete',
      origin_id: 'WD-SUP-1',
      origin_data: null,
    });
    const clash = await create({ title: 'Dup', number: '1' });
    expect(clash.status).toBe(422);
    expect(clash.json).toEqual({ errors: { number: ['has already been taken'] } });
  });

  it('enforces the status and accounting_method enums exactly', async () => {
    const lower = await create({ status: 'approved' });
    const method = await create({ accounting_method: 'lump' });
    expect(lower.status).toBe(422);
    expect(lower.json).toEqual({ errors: { status: ['is not included in the list'] } });
    expect(method.status).toBe(422);
    for (const status of ['Draft', 'Processing', 'Submitted', 'Partially Received', 'Received', 'Approved', 'Closed']) {
      expect((await create({ status })).status).toBe(201);
    }
  });

  it('rejects a vendor that is not in the project directory (switch on by default)', async () => {
    const outsider = h.sim.state.addVendor({ name: 'Outsider' });
    const rejected = await create({ vendor_id: outsider.id });
    expect(rejected.status).toBe(422);
    expect(rejected.json).toEqual({ errors: { vendor: [expect.stringMatching(/not in the project directory/)] } });
    h.sim.switches.vendorMustBeInProjectDirectory = false;
    expect((await create({ vendor_id: outsider.id })).status).toBe(201);
  });

  it('keeps origin_id unique across the projects of the company', async () => {
    const other = h.sim.state.addProject({ name: 'Second Site' });
    expect((await create({ origin_id: 'WD-PO-1' })).status).toBe(201);
    const dup = await create({ origin_id: 'WD-PO-1' }, other.id);
    expect(dup.status).toBe(422);
    expect(dup.json).toEqual({ errors: { origin_id: ['has already been taken'] } });
  });

  it('needs a budget code on every line: wbs_code_id, or an existing cost code + cost type pair', async () => {
    const c = (await create({ title: 'PO' })).json;
    const none = await addLine(c.id, { amount: '10.00' });
    expect(none.status).toBe(422);
    expect(none.json).toEqual({ errors: { wbs_code_id: ["can't be blank"] } });
    const foreign = await addLine(c.id, { amount: '10.00', wbs_code_id: b.budgetCode.id + 100_000 });
    expect(foreign.status).toBe(422);
    const pair = await addLine(c.id, {
      amount: '10.00',
      cost_code_id: b.costCode.id,
      line_item_type_id: b.costType.id,
    });
    expect(pair.status).toBe(201);
    expect(pair.json.wbs_code).toEqual({
      id: b.budgetCode.id,
      flat_code: '03-300.M',
      description: 'Cast-in-Place.Materials',
    });
    expect(pair.json.holder).toEqual({ id: c.id, holder_type: 'PurchaseOrderContract' });

    const labor = h.sim.state.addCostType({ name: 'Labor', code: 'L' });
    const missing = await addLine(c.id, { amount: '1.00', cost_code_id: b.costCode.id, line_item_type_id: labor.id });
    expect(missing.status).toBe(422);
    expect(h.sim.state.budgetCodes(b.project.id)).toHaveLength(1);
    h.sim.switches.createBudgetCodeFromLegacyPair = true;
    const created = await addLine(c.id, { amount: '1.00', cost_code_id: b.costCode.id, line_item_type_id: labor.id });
    expect(created.json.wbs_code?.flat_code).toBe('03-300.L');
  });

  it('keeps money exact: grand_total is the decimal sum of the line amounts', async () => {
    const c = (await create({ title: 'PO' })).json;
    for (const amount of ['0.10', '0.20', '1234567890123.45']) {
      expect((await addLine(c.id, { amount, wbs_code_id: b.budgetCode.id })).status).toBe(201);
    }
    const show = await h.get<ContractBody>(`${PO}/${c.id}?project_id=${b.project.id}`);
    expect(show.json.grand_total).toBe('1234567890123.75');
    expect(show.json.revised_contract).toBe('1234567890123.75');
    expect(show.json.line_items.map((l) => l.amount)).toEqual(['0.10', '0.20', '1234567890123.45']);
  });

  it('rejects amounts sent as JSON numbers or non-numeric strings with 422', async () => {
    const c = (await create({ title: 'PO' })).json;
    const asNumber = await addLine(c.id, { amount: 10.5, wbs_code_id: b.budgetCode.id });
    const asWords = await addLine(c.id, { amount: 'ten', wbs_code_id: b.budgetCode.id });
    expect([asNumber.status, asWords.status]).toEqual([422, 422]);
    expect(asWords.json).toEqual({ errors: { amount: ['is not a number'] } });
  });

  it('computes unit-based lines as quantity × unit cost and checks the unit of measure', async () => {
    const c = (await create({ title: 'Units', accounting_method: 'unit' })).json;
    const line = await addLine(c.id, { quantity: '3', unit_cost: '33.335', uom: 'EA', wbs_code_id: b.budgetCode.id });
    expect(line.json).toMatchObject({ amount: '100.01', extended_type: 'calculated' });
    const badUom = await addLine(c.id, { quantity: '1', unit_cost: '1', uom: 'furlong', wbs_code_id: b.budgetCode.id });
    expect(badUom.status).toBe(422);
  });

  it('locks the schedule of values, the vendor and deletion once Approved', async () => {
    const c = (await create({ title: 'PO', vendor_id: b.vendor.id })).json;
    const line = (await addLine(c.id, { amount: '5.00', wbs_code_id: b.budgetCode.id })).json;
    const approve = await h.request('PATCH', `${PO}/${c.id}`, {
      body: { project_id: b.project.id, purchase_order_contract: { status: 'Approved', executed: true } },
    });
    expect(approve.status).toBe(200);
    const other = h.sim.state.addVendor({ name: 'Other' });
    h.sim.state.addVendorToProject(b.project.id, other.id);
    const attempts = [
      await addLine(c.id, { amount: '1.00', wbs_code_id: b.budgetCode.id }),
      await h.request('PATCH', `${PO}/${c.id}/line_items/${line.id}`, {
        body: { project_id: b.project.id, line_item: { amount: '6.00' } },
      }),
      await h.request('DELETE', `${PO}/${c.id}/line_items/${line.id}?project_id=${b.project.id}`),
      await h.request('PATCH', `${PO}/${c.id}`, {
        body: { project_id: b.project.id, purchase_order_contract: { vendor_id: other.id } },
      }),
      await h.request('DELETE', `${PO}/${c.id}?project_id=${b.project.id}`),
    ];
    expect(attempts.map((a) => a.status)).toEqual([422, 422, 422, 422, 422]);
    const retitle = await h.request('PATCH', `${PO}/${c.id}`, {
      body: { project_id: b.project.id, purchase_order_contract: { title: 'Renamed' } },
    });
    expect(retitle.status).toBe(200);
  });

  it('soft-deletes: a deleted contract shows only with filters[include_deleted]', async () => {
    const c = (await create({ title: 'Temp', origin_id: 'WD-PO-9' })).json;
    expect((await h.request('DELETE', `${PO}/${c.id}?project_id=${b.project.id}`)).status).toBe(200);
    const plain = await h.get<ContractBody[]>(`${PO}?project_id=${b.project.id}`);
    const withDeleted = await h.get<ContractBody[]>(`${PO}?project_id=${b.project.id}&filters[include_deleted]=with`);
    const only = await h.get<ContractBody[]>(`${PO}?project_id=${b.project.id}&filters[include_deleted]=only`);
    expect(plain.json).toEqual([]);
    expect(withDeleted.json.map((x) => x.id)).toEqual([c.id]);
    expect(only.json[0]?.deleted_at).not.toBeNull();
    expect((await h.get(`${PO}/${c.id}?project_id=${b.project.id}`)).status).toBe(404);
  });

  it('lists with filters[origin_id] and filters[status]', async () => {
    await create({ title: 'A', origin_id: 'WD-PO-A', status: 'Approved' });
    await create({ title: 'B', origin_id: 'WD-PO-B' });
    const byOrigin = await h.get<ContractBody[]>(`${PO}?project_id=${b.project.id}&filters[origin_id]=WD-PO-B`);
    const byStatus = await h.get<ContractBody[]>(`${PO}?project_id=${b.project.id}&filters[status]=Approved`);
    expect(byOrigin.json.map((c) => c.origin_id)).toEqual(['WD-PO-B']);
    expect(byStatus.json.map((c) => c.origin_id)).toEqual(['WD-PO-A']);
  });

  it('syncs headers by origin_id with project_id in the body', async () => {
    const sync = (updates: unknown[]) =>
      h.request<SyncBody<ContractBody>>('PATCH', `${PO}/sync`, { body: { project_id: b.project.id, updates } });
    const first = await sync([{ origin_id: 'WD-PO-1', title: 'One', vendor_id: b.vendor.id }]);
    const second = await sync([
      { origin_id: 'WD-PO-1', title: 'One (rev)' },
      { origin_id: 'WD-PO-2', status: 'Nope' },
    ]);
    expect(first.json.entities[0]?.id).toBe(second.json.entities[0]?.id);
    expect(second.json.errors).toEqual([
      { origin_id: 'WD-PO-2', status: 'Nope', errors: { status: ['is not included in the list'] } },
    ]);
    expect(h.sim.state.commitments(b.project.id).map((c) => c.title)).toEqual(['One (rev)']);
  });

  it('syncs line items by origin_id or id with project_id in the query', async () => {
    const c = (await create({ title: 'PO' })).json;
    const path = `${PO}/${c.id}/line_items/sync?project_id=${b.project.id}`;
    const first = await h.request<SyncBody<LineBody>>('PATCH', path, {
      body: { updates: [{ origin_id: 'L1', amount: '10.00', wbs_code_id: b.budgetCode.id }] },
    });
    const lineId = first.json.entities[0]?.id;
    const second = await h.request<SyncBody<LineBody>>('PATCH', path, {
      body: {
        updates: [
          { origin_id: 'L1', amount: '12.50' },
          { id: lineId, description: 'by id' },
          { origin_id: 'L2', amount: '1.00' },
        ],
      },
    });
    expect(second.json.entities.map((l) => [l.id, l.amount])).toEqual([
      [lineId, '12.50'],
      [lineId, '12.50'],
    ]);
    expect(second.json.errors[0]?.errors).toEqual({ wbs_code_id: ["can't be blank"] });
    const show = await h.get<ContractBody>(`${PO}/${c.id}?project_id=${b.project.id}`);
    expect(show.json.grand_total).toBe('12.50');
  });
});

describe('Procore simulator: commitment change orders', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  interface ChangeOrderBody {
    id: number;
    number: string;
    status: string;
    contract_id: number;
    grand_total: string;
  }
  interface LineData {
    id: string;
    commitment_line_item_id: string | null;
    wbs_code_id: string;
    amount: string;
    description: string | null;
    wbs_code: { id: string; flat_code: string } | null;
  }

  const base = () => `/rest/v1.0/projects/${b.project.id}/commitment_change_orders`;
  const lines = (coId: number) =>
    `/rest/v2.0/companies/${COMPANY_ID}/projects/${b.project.id}/commitment_change_orders/${coId}/line_items`;
  const approvedContract = () =>
    h.sim.state.addCommitment(b.project.id, {
      vendor_id: b.vendor.id,
      status: 'Approved',
      lines: [{ wbs_code_id: b.budgetCode.id, amount: '1000.00' }],
    });
  const createCo = (fields: Record<string, unknown>) =>
    h.request<ChangeOrderBody>('POST', base(), { body: { change_order: fields } });
  const addLine = (coId: number, body: Record<string, unknown>) =>
    h.request<{ data: LineData }>('POST', lines(coId), { body });

  it('creates a header, adds lines one per v2.0 call, and counts it once approved', async () => {
    const c = approvedContract();
    const sov = h.sim.state.commitmentLineItems(c.id)[0];
    const created = await createCo({ contract_id: c.id, number: 'WD-PO-1:1:co:1', title: 'Extra', status: 'draft' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ number: 'WD-PO-1:1:co:1', status: 'draft', contract_id: c.id });
    expect(created.json).not.toHaveProperty('origin_id');

    const first = await addLine(created.json.id, {
      wbs_code_id: String(b.budgetCode.id),
      commitment_line_item_id: String(sov?.id),
      amount: '250.25',
      description: 'more',
    });
    expect(first.status).toBe(200);
    expect(first.json.data).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      commitment_line_item_id: String(sov?.id),
      wbs_code_id: String(b.budgetCode.id),
      amount: '250.25',
      wbs_code: { id: String(b.budgetCode.id), flat_code: b.budgetCode.flat_code },
    });
    await addLine(created.json.id, { wbs_code_id: String(b.budgetCode.id), amount: '-50.00' });
    const pending = await createCo({ contract_id: c.id, status: 'pending' });
    await addLine(pending.json.id, { wbs_code_id: String(b.budgetCode.id), amount: '10.00' });

    const contract = () => h.get<ContractBody>(`${PO}/${c.id}?project_id=${b.project.id}`);
    expect((await contract()).json).toMatchObject({ approved_change_orders: '0.00', pending_change_orders: '10.00' });
    const approve = await h.request<ChangeOrderBody>('PATCH', `${base()}/${created.json.id}`, {
      body: { change_order: { status: 'approved' } },
    });
    expect(approve.json).toMatchObject({ status: 'approved', grand_total: '200.25' });
    expect((await contract()).json).toMatchObject({
      grand_total: '1000.00',
      approved_change_orders: '200.25',
      revised_contract: '1200.25',
    });

    const listed = await h.get<ChangeOrderBody[]>(`${base()}?filters[contract_id]=${c.id}&filters[status]=approved`);
    expect(listed.json.map((co) => co.number)).toEqual(['WD-PO-1:1:co:1']);
    const page = await h.get<{ data: LineData[] }>(`${lines(created.json.id)}?per_page=1&page=2`);
    expect(page.json.data.map((l) => l.amount)).toEqual(['-50.00']);
  });

  it('lists lines ten to a page by default and a hundred at most', async () => {
    const co = await createCo({ contract_id: approvedContract().id });
    for (let i = 1; i <= 12; i++)
      await addLine(co.json.id, { wbs_code_id: String(b.budgetCode.id), amount: `${i}.00` });

    const first = await h.get<{ data: LineData[] }>(lines(co.json.id));
    const all = await h.get<{ data: LineData[] }>(`${lines(co.json.id)}?per_page=500`);
    expect([first.json.data.length, all.json.data.length]).toEqual([10, 12]);
    expect(all.headers.get('per-page')).toBe('100');
  });

  it('refuses a contract that is not a commitment of the project, a taken number and a bad status', async () => {
    const other = h.sim.state.addProject({ name: 'Elsewhere' });
    const elsewhere = h.sim.state.addCommitment(other.id);
    const c = approvedContract();
    await createCo({ contract_id: c.id, number: 'N-1' });

    const replies = await Promise.all([
      createCo({ contract_id: 999_999 }),
      createCo({ contract_id: elsewhere.id }),
      createCo({ contract_id: c.id, number: 'N-1' }),
      createCo({ contract_id: c.id, status: 'Approved' }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([422, 422, 422, 422]);
    expect(replies[1]?.json).toEqual({ errors: { contract_id: ['is not a commitment of this project'] } });
    expect(replies[2]?.json).toEqual({ errors: { number: ['has already been taken'] } });
  });

  it("refuses a line on another project's budget code or another commitment's line, number ids and amounts", async () => {
    const c = approvedContract();
    const stranger = h.sim.state.addCommitment(b.project.id, {
      lines: [{ wbs_code_id: b.budgetCode.id, amount: '1.00' }],
    });
    const foreignLine = h.sim.state.commitmentLineItems(stranger.id)[0];
    const other = h.sim.state.addProject({ name: 'Elsewhere' });
    const otherCode = h.sim.state.addBudgetCode(
      other.id,
      h.sim.state.addCostCode(other.id, { code: '01', name: 'General' }).id,
      b.costType.id,
    );
    const co = await createCo({ contract_id: c.id });
    const wbs = String(b.budgetCode.id);

    const replies = await Promise.all([
      addLine(co.json.id, { wbs_code_id: String(otherCode.id), amount: '1.00' }),
      addLine(co.json.id, { wbs_code_id: wbs, commitment_line_item_id: String(foreignLine?.id), amount: '1.00' }),
      addLine(co.json.id, { wbs_code_id: b.budgetCode.id, amount: '1.00' }),
      addLine(co.json.id, { wbs_code_id: wbs, amount: 1 }),
      addLine(co.json.id, { wbs_code_id: wbs }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([400, 400, 400, 400, 400]);
    const sources = replies.map((r) =>
      (r.json as unknown as { error: { details: { source: string }[] } }).error.details.map((d) => d.source),
    );
    expect(sources).toEqual([['wbs_code_id'], ['commitment_line_item_id'], ['wbs_code_id'], ['amount'], ['amount']]);
    expect(h.sim.state.changeOrderLineItems(co.json.id)).toEqual([]);
  });

  it('refuses lines on an approved change order unless the switch says Procore allows them', async () => {
    const c = approvedContract();
    const co = await createCo({ contract_id: c.id, status: 'approved' });
    const refused = await addLine(co.json.id, { wbs_code_id: String(b.budgetCode.id), amount: '1.00' });
    expect(refused.status).toBe(400);

    h.sim.switches.approvedChangeOrderLocksLines = false;
    const allowed = await addLine(co.json.id, { wbs_code_id: String(b.budgetCode.id), amount: '1.00' });
    expect(allowed.status).toBe(200);
  });
});
