import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { operationIdOf } from '../../../sandbox/procore/router';
import { allRoutes } from '../../../sandbox/procore/routes';
import { DEFAULT_SCHEMA_DIR } from '../../../sandbox/procore/schema-check';
import { type Basics, COMPANY_ID, type Harness, seedBasics, startHarness } from './harness';

describe('the vendored Procore operations', () => {
  it('back every route the simulator serves, and every file backs a route', () => {
    const files = new Set(
      readdirSync(fileURLToPath(DEFAULT_SCHEMA_DIR))
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length)),
    );
    const routes = new Set(allRoutes.map(operationIdOf));
    expect([...routes].filter((id) => !files.has(id))).toEqual([]);
    expect([...files].filter((id) => !routes.has(id))).toEqual([]);
  });
});

describe('Procore simulator: requests refused as the published operation refuses them', () => {
  let h: Harness;
  let b: Basics;
  afterEach(async () => {
    await h.close();
  });

  it('answers 400 param-missing for a missing wrapper key or top-level field', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const noWrapper = await h.request('POST', '/rest/v1.0/vendors', { body: { company_id: COMPANY_ID } });
    expect(noWrapper.status).toBe(400);
    expect(noWrapper.json).toEqual({ errors: 'param is missing or the value is empty: vendor' });
    const noProject = await h.request('PATCH', '/rest/v1.0/purchase_order_contracts/sync', {
      body: { updates: [{ origin_id: 'PO-1', title: 'x' }] },
    });
    expect(noProject.status).toBe(400);
    expect(noProject.json).toEqual({ errors: 'param is missing or the value is empty: project_id' });
    expect(h.sim.state.commitments()).toEqual([]);
  });

  it('answers 422 for a required field missing inside the wrapper, or 400 with the switch', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const body = { project_id: b.project.id, cost_code: { code: '410' } };
    const blank = await h.request('POST', '/rest/v1.0/cost_codes', { body });
    expect(blank.status).toBe(422);
    expect(blank.json).toEqual({ errors: { name: ["can't be blank"] } });
    h.sim.switches.nestedRequiredStatus = 400;
    expect((await h.request('POST', '/rest/v1.0/cost_codes', { body })).status).toBe(400);
  });

  it('refuses a filter the operation does not list, such as filters[origin_id] on change orders', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const path = `/rest/v1.0/projects/${b.project.id}/commitment_change_orders`;
    const byOrigin = await h.get(`${path}?filters[origin_id]=PO-1:co:1`);
    expect(byOrigin.status).toBe(400);
    expect(byOrigin.json).toEqual({ errors: { 'filters[origin_id]': ['is not a parameter of this endpoint'] } });
    const byContract = await h.get(`${path}?filters[contract_id]=1&page=1&per_page=100`);
    expect(byContract.status).toBe(200);
  });

  it('refuses a currency on the purchase order contract sync, which publishes none (the contract update takes it)', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const reply = await h.request('PATCH', '/rest/v1.0/purchase_order_contracts/sync', {
      body: { project_id: b.project.id, updates: [{ origin_id: 'PO-1', title: 'PO 1', currency_iso_code: 'EUR' }] },
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ errors: { 'updates[0].currency_iso_code': ['is not a known field'] } });
  });

  it('refuses an unlisted query parameter on a write, and answers v2.0 refusals in the v2 shape', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const write = await h.request('PATCH', `/rest/v1.0/vendors/sync?page=1`, {
      body: { company_id: COMPANY_ID, updates: [] },
    });
    expect(write.status).toBe(400);
    const v2 = await h.get(`/rest/v2.0/companies/${COMPANY_ID}/projects/${b.project.id}/wbs/codes?colour=red`);
    expect(v2.status).toBe(400);
    expect(v2.json).toMatchObject({ error: { code: 'BAD_REQUEST', details: [{ source: 'colour' }] } });
  });

  it('answers with the fields the operation documents: a sync entity has no show-only lines', async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
    const sync = await h.request<{ entities: Record<string, unknown>[] }>(
      'PATCH',
      '/rest/v1.0/purchase_order_contracts/sync',
      { body: { project_id: b.project.id, updates: [{ origin_id: 'PO-1', title: 'PO 1', vendor_id: b.vendor.id }] } },
    );
    const [entity] = sync.json.entities;
    expect(entity).toMatchObject({ origin_id: 'PO-1', title: 'PO 1' });
    expect(entity).not.toHaveProperty('line_items');
    expect(entity?.vendor).toEqual({ id: b.vendor.id, company: expect.any(String) });
    const show = await h.get<Record<string, unknown>>(
      `/rest/v1.0/purchase_order_contracts/${String(entity?.id)}?project_id=${b.project.id}`,
    );
    expect(show.json).toHaveProperty('line_items');
  });
});
