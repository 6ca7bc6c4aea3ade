import { afterEach, describe, expect, it } from 'vitest';
import { createProcoreSimulator } from '../../../sandbox/procore';
import { operationIdOf } from '../../../sandbox/procore/router';
import { loadOperations, unknownFields } from '../../../sandbox/procore/schema-check';
import { type Basics, CLIENT_ID, CLIENT_SECRET, COMPANY_ID, type Harness, seedBasics, startHarness } from './harness';

describe('Procore simulator: strict schema mode', () => {
  let h: Harness;
  let b: Basics;
  afterEach(async () => {
    await h.close();
  });

  it('rejects a body field that is not in the operation schema with 400 and its path', async () => {
    h = await startHarness();
    const reply = await h.request('POST', '/rest/v1.0/vendors', {
      body: { company_id: COMPANY_ID, vendor: { name: 'Acme', tax_id: '12-3456789' }, dry_run: true },
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      errors: { 'vendor.tax_id': ['is not a known field'], dry_run: ['is not a known field'] },
    });
    expect(h.sim.state.vendors()).toEqual([]);
  });

  it('checks array items and stops at properties the schema shows as nested objects', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const path = `/rest/v1.1/projects/${b.project.id}/direct_costs`;
    const bad = await h.request('POST', path, {
      body: {
        direct_cost: {
          direct_cost_type: 'expense',
          invoice_number: 'R-1',
          vendor_id: b.vendor.id,
          line_items: [{ wbs_code_id: b.budgetCode.id, amount: '1.00' }],
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ errors: { 'direct_cost.line_items[0].amount': ['is not a known field'] } });
    const sync = await h.request('PATCH', '/rest/v1.0/vendors/sync', {
      body: { company_id: COMPANY_ID, updates: [{ name: 'Acme', bidding: { small_business: true } }] },
    });
    expect(sync.status).toBe(200);
  });

  it('lets sync items carry id even where the derived schema omits it', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const reply = await h.request<{ errors: unknown[] }>('PATCH', '/rest/v1.0/purchase_order_contracts/sync', {
      body: { project_id: b.project.id, updates: [{ id: 1, title: 'x' }] },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.errors).toHaveLength(1);
  });

  it('accepts custom_field_<id> keys where the schema has the custom field template', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const reply = await h.request('POST', '/rest/v1.0/purchase_order_contracts', {
      body: { project_id: b.project.id, purchase_order_contract: { title: 'PO', custom_field_123: 'x' } },
    });
    expect(reply.status).toBe(201);
  });

  it('refuses a change order body that is not the published one', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const c = h.sim.state.addCommitment(b.project.id, { vendor_id: b.vendor.id });
    const path = `/rest/v1.0/projects/${b.project.id}/commitment_change_orders`;
    const post = (body: unknown) => h.request('POST', path, { body });

    const oldWrapper = await post({ commitment_change_order: { contract_id: c.id, title: 'CO' } });
    const originId = await post({ change_order: { contract_id: c.id, origin_id: 'WD-PO-1:1:co:1' } });
    const inlineLines = await post({
      change_order: { contract_id: c.id, line_items: [{ wbs_code_id: b.budgetCode.id, amount: '1.00' }] },
    });
    const patch = await h.request('PATCH', `${path}/1`, { body: { change_order: { origin_code: 'X' } } });

    expect([oldWrapper.status, originId.status, inlineLines.status, patch.status]).toEqual([400, 400, 400, 400]);
    expect(oldWrapper.json).toMatchObject({ errors: expect.stringContaining('change_order') });
    expect(originId.json).toEqual({ errors: { 'change_order.origin_id': ['is not a known field'] } });
    expect(inlineLines.json).toEqual({ errors: { 'change_order.line_items': ['is not a known field'] } });
    expect(h.sim.state.changeOrders()).toEqual([]);
  });

  it('refuses a v2.0 change order line without wbs_code_id, in the v2.0 error shape', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const c = h.sim.state.addCommitment(b.project.id, { vendor_id: b.vendor.id });
    const co = await h.request<{ id: number }>('POST', `/rest/v1.0/projects/${b.project.id}/commitment_change_orders`, {
      body: { change_order: { contract_id: c.id, number: '1' } },
    });
    const reply = await h.request(
      'POST',
      `/rest/v2.0/companies/${COMPANY_ID}/projects/${b.project.id}/commitment_change_orders/${co.json.id}/line_items`,
      { body: { amount: '1.00', description: 'no budget code' } },
    );

    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: { message: expect.stringContaining('wbs_code_id') } });
    expect(h.sim.state.changeOrderLineItems(co.json.id)).toEqual([]);
  });

  it('accepts unknown fields when strict is off', async () => {
    h = await startHarness({ strict: false });
    const reply = await h.request('POST', '/rest/v1.0/vendors', {
      body: { company_id: COMPANY_ID, vendor: { name: 'Acme', tax_id: '1' } },
    });
    expect(reply.status).toBe(201);
  });
});

describe('strict mode start-up', () => {
  it('throws a clear error when the schema directory is missing', () => {
    expect(() =>
      createProcoreSimulator({
        companyId: COMPANY_ID,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        schemaDir: '/nonexistent/endpoint-details',
      }),
    ).toThrow(/endpoint schemas not found at \/nonexistent/);
  });
});

describe('operationIdOf()', () => {
  it('names a route the way the endpoint schema files are named', () => {
    expect(operationIdOf({ method: 'PATCH', template: '/rest/v1.0/vendors/sync' })).toBe('RestV10VendorsSyncPatch');
    expect(
      operationIdOf({ method: 'POST', template: '/rest/v1.1/projects/{project_id}/vendors/{id}/actions/add' }),
    ).toBe('RestV11ProjectsProjectIdVendorsIdActionsAddPost');
    expect(operationIdOf({ method: 'GET', template: '/oauth/token/info' })).toBe('OauthTokenInfoGet');
  });
});

describe('unknownFields()', () => {
  it('names every unknown field by path and treats (nested object) properties as opaque', () => {
    const schema = loadOperations().get('RestV11RequisitionsPost')?.body;
    expect(schema).toBeTruthy();
    if (!schema) return;
    const found = unknownFields(schema, {
      project_id: 1,
      commitment_id: 2,
      requisition: { items: [{ item_type: 'contract_item', line_item_id: 3, shoe_size: 9 }], colour: 'red' },
    });
    expect(found).toEqual(['requisition.items[0].shoe_size', 'requisition.colour']);
  });
});
