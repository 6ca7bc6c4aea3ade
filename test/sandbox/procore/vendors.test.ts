import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Basics, COMPANY_ID, type Harness, seedBasics, startHarness } from './harness';

interface VendorBody {
  id: number;
  name: string;
  is_active: boolean;
  origin_id: string | null;
  origin_code: string | null;
  country_code: string | null;
  business_register: { type: string; identifier: string } | null;
  project_ids: number[];
}

interface SyncBody {
  entities: VendorBody[];
  errors: (Record<string, unknown> & { errors: Record<string, string[]> })[];
}

describe('Procore simulator: company vendors', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  const list = (query = '') => h.get<VendorBody[]>(`/rest/v1.0/vendors?company_id=${COMPANY_ID}${query}`);
  const sync = (updates: unknown[]) =>
    h.request<SyncBody>('PATCH', '/rest/v1.0/vendors/sync', { body: { company_id: COMPANY_ID, updates } });

  it('creates a vendor with 201 in the extended view', async () => {
    const reply = await h.request<VendorBody>('POST', '/rest/v1.0/vendors', {
      body: {
        company_id: COMPANY_ID,
        vendor: {
          name: 'Bolt Steel',
          origin_id: 'WD-SUP-9',
          origin_code: 'S-0009',
          country_code: 'US',
          state_code: 'CA',
        },
      },
    });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      name: 'Bolt Steel',
      is_active: true,
      origin_code: 'S-0009',
      country_code: 'US',
    });
    expect(h.sim.state.db.vendors.get(reply.json.id)?.state_code).toBe('CA');
  });

  it('answers 400 without the vendor wrapper and 422 without a name', async () => {
    const noWrapper = await h.request('POST', '/rest/v1.0/vendors', { body: { company_id: COMPANY_ID } });
    expect(noWrapper.status).toBe(400);
    const noName = await h.request('POST', '/rest/v1.0/vendors', {
      body: { company_id: COMPANY_ID, vendor: { city: 'X' } },
    });
    expect(noName.status).toBe(422);
    expect(noName.json).toEqual({ errors: { name: ["can't be blank"] } });
  });

  it('rejects country and state codes that are not ISO-3166 alpha-2', async () => {
    const reply = await h.request('POST', '/rest/v1.0/vendors', {
      body: { company_id: COMPANY_ID, vendor: { name: 'X', country_code: 'USA', state_code: 'California' } },
    });
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual({
      errors: {
        country_code: ['is not a valid ISO-3166 alpha-2 country code'],
        state_code: ['is not a valid ISO-3166 alpha-2 state code'],
      },
    });
    const wrongState = await h.request('POST', '/rest/v1.0/vendors', {
      body: { company_id: COMPANY_ID, vendor: { name: 'X', country_code: 'US', state_code: 'ON' } },
    });
    expect(wrongState.status).toBe(422);
  });

  it('rejects a duplicate origin_id within the company with 422', async () => {
    const reply = await h.request('POST', '/rest/v1.0/vendors', {
      body: { company_id: COMPANY_ID, vendor: { name: 'Copy', origin_id: 'WD-SUP-1' } },
    });
    expect(reply.status).toBe(422);
    expect(reply.json).toEqual({ errors: { origin_id: ['has already been taken'] } });
  });

  it('updates a vendor and shows it', async () => {
    const patch = await h.request<VendorBody>('PATCH', `/rest/v1.0/vendors/${b.vendor.id}`, {
      body: { company_id: COMPANY_ID, vendor: { name: 'Acme Concrete Inc.', is_active: false } },
    });
    expect(patch.status).toBe(200);
    const show = await h.get<VendorBody>(`/rest/v1.0/vendors/${b.vendor.id}?company_id=${COMPANY_ID}`);
    expect(show.json).toMatchObject({ name: 'Acme Concrete Inc.', is_active: false, project_ids: [b.project.id] });
  });

  it('lists active vendors only; inactive ones are in the inactive list (or the main list with the switch)', async () => {
    const gone = h.sim.state.addVendor({ name: 'Gone Ltd', is_active: false });
    expect((await list()).json.map((v) => v.id)).toEqual([b.vendor.id]);
    const inactive = await h.get<VendorBody[]>(`/rest/v1.0/companies/${COMPANY_ID}/vendors/inactive`);
    expect(inactive.json.map((v) => v.id)).toEqual([gone.id]);
    h.sim.switches.vendorListIncludesInactive = true;
    expect((await list()).json.map((v) => v.id)).toEqual([b.vendor.id, gone.id]);
    const reactivated = await h.request<VendorBody>(
      'PATCH',
      `/rest/v1.0/companies/${COMPANY_ID}/vendors/inactive/${gone.id}`,
    );
    expect(reactivated.json.is_active).toBe(true);
  });

  it('searches by name, origin_code and business register identifier', async () => {
    h.sim.state.addVendor({
      name: 'Delta Pty',
      business_register: {
        id: 1,
        type: 'abn',
        identifier: '51 824 753 556',
        verified_at: null,
        verification_status: 'unverified',
      },
    });
    expect((await list('&filters[search]=acme')).json.map((v) => v.name)).toEqual(['Acme Concrete']);
    expect((await list('&filters[search]=S-0001')).json.map((v) => v.name)).toEqual(['Acme Concrete']);
    expect((await list('&filters[search]=51824753556')).json.map((v) => v.name)).toEqual(['Delta Pty']);
  });

  describe('sync', () => {
    it('creates, updates by origin_id, updates by id and rewrites origin_id only with id + origin_id', async () => {
      const reply = await sync([
        { name: 'New Co', origin_id: 'WD-SUP-2' },
        { origin_id: 'WD-SUP-1', city: 'Oakland' },
        { id: b.vendor.id, origin_id: 'WD-SUP-1B' },
        { name: 'No Origin Co' },
      ]);
      expect(reply.status).toBe(200);
      expect(reply.json.errors).toEqual([]);
      expect(reply.json.entities.map((e) => [e.name, e.origin_id])).toEqual([
        ['New Co', 'WD-SUP-2'],
        ['Acme Concrete', 'WD-SUP-1'],
        ['Acme Concrete', 'WD-SUP-1B'],
        ['No Origin Co', null],
      ]);
      expect(h.sim.state.vendors().map((v) => v.origin_id)).toEqual(['WD-SUP-1B', 'WD-SUP-2', null]);
    });

    it('answers 200 with error items that echo the input, and keeps the good items (partial success)', async () => {
      const reply = await sync([
        { id: 1, name: 'Ghost' },
        { name: 'Good Co', origin_id: 'WD-SUP-3' },
        { origin_id: 'WD-SUP-4', name: '' },
        { name: 'Bad Country', country_code: 'XX' },
      ]);
      expect(reply.status).toBe(200);
      expect(reply.json.entities.map((e) => e.name)).toEqual(['Good Co']);
      expect(reply.json.errors).toEqual([
        { id: 1, name: 'Ghost', errors: { id: ['Entity with this ID not found'] } },
        { origin_id: 'WD-SUP-4', name: '', errors: { name: ["can't be blank"] } },
        {
          name: 'Bad Country',
          country_code: 'XX',
          errors: { country_code: ['is not a valid ISO-3166 alpha-2 country code'] },
        },
      ]);
      expect(h.sim.state.vendors().map((v) => v.name)).toEqual(['Acme Concrete', 'Good Co']);
    });

    it('creates or updates the business register from business_register_attributes', async () => {
      const reply = await sync([
        { origin_id: 'WD-SUP-1', business_register_attributes: { type: 'EIN', identifier: '12-3456789' } },
      ]);
      expect(reply.json.entities[0]?.business_register).toMatchObject({ type: 'ein', identifier: '12-3456789' });
      const bad = await sync([
        { origin_id: 'WD-SUP-1', business_register_attributes: { type: 'VAT', identifier: '1' } },
      ]);
      expect(bad.json.errors).toHaveLength(1);
    });

    it('reports a duplicate origin_id as an item error', async () => {
      h.sim.state.addVendor({ name: 'Other', origin_id: 'WD-SUP-7' });
      const reply = await sync([{ id: b.vendor.id, origin_id: 'WD-SUP-7' }]);
      expect(reply.json.errors[0]?.errors).toEqual({ origin_id: ['has already been taken'] });
    });

    it('rejects the whole call with 422 above the item limit', async () => {
      const updates = Array.from({ length: 1001 }, (_, i) => ({ name: `V${i}` }));
      const reply = await sync(updates);
      expect(reply.status).toBe(422);
      expect(h.sim.state.vendors()).toHaveLength(1);
    });
  });
});

describe('Procore simulator: project directory', () => {
  let h: Harness;
  let b: Basics;
  beforeEach(async () => {
    h = await startHarness();
    b = seedBasics(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  it('adds a company vendor to a project with 201, idempotently', async () => {
    const other = h.sim.state.addVendor({ name: 'Crane Hire' });
    for (const version of ['v1.0', 'v1.1']) {
      const reply = await h.request<VendorBody>(
        'POST',
        `/rest/${version}/projects/${b.project.id}/vendors/${other.id}/actions/add`,
      );
      expect(reply.status).toBe(201);
      expect(reply.json.id).toBe(other.id);
    }
    expect(h.sim.state.projectVendorIds(b.project.id)).toEqual([b.vendor.id, other.id]);
  });

  it('lists project vendors separately from company vendors', async () => {
    h.sim.state.addVendor({ name: 'Not Here' });
    const v10 = await h.get<VendorBody[]>(`/rest/v1.0/projects/${b.project.id}/vendors`);
    const v11 = await h.get<VendorBody[]>(`/rest/v1.1/projects/${b.project.id}/vendors?filters[search]=acme`);
    expect(v10.json.map((v) => v.name)).toEqual(['Acme Concrete']);
    expect(v11.json.map((v) => v.name)).toEqual(['Acme Concrete']);
  });

  it('creates a project vendor, which also creates the company vendor', async () => {
    const reply = await h.request<VendorBody>('POST', `/rest/v1.0/projects/${b.project.id}/vendors`, {
      body: { vendor: { name: 'Site Fence Co', origin_id: 'WD-SUP-5' } },
    });
    expect(reply.status).toBe(201);
    expect(h.sim.state.vendors().map((v) => v.name)).toContain('Site Fence Co');
    expect(h.sim.state.inProjectDirectory(b.project.id, reply.json.id)).toBe(true);
  });

  it('removes a vendor from the project directory with 204', async () => {
    const reply = await h.request(
      'DELETE',
      `/rest/v1.0/projects/${b.project.id}/vendors/${b.vendor.id}/actions/remove`,
    );
    expect(reply.status).toBe(204);
    expect(h.sim.state.projectVendorIds(b.project.id)).toEqual([]);
  });
});
