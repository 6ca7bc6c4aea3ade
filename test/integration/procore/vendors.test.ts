import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VendorSyncItem } from '../../../lambdas/procore';
import { hashTaxId } from '../../../lambdas/shared/hash';
import { FaultPlan } from '../../../sandbox/faults';
import { type Harness, type Seed, seedCompany, startHarness } from './harness';

const VENDORS = ['GET', '/rest/v1.0/vendors'] as const;
const INACTIVE = ['GET', '/rest/v1.0/companies/{company_id}/vendors/inactive'] as const;
const SYNC = ['PATCH', '/rest/v1.0/vendors/sync'] as const;

const register = (identifier: string) => ({
  id: 1,
  type: 'ein',
  identifier,
  verified_at: null,
  verification_status: 'unverified',
});

describe('Procore client: vendors', () => {
  let h: Harness;
  let seed: Seed;
  beforeEach(async () => {
    h = await startHarness();
    seed = seedCompany(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  it('lists active and inactive vendors once per run, keeping tax ids only as hashes', async () => {
    h.sim.state.addVendor({ name: 'Taxed Co', origin_id: 'WD-SUP-2', business_register: register('12-3456789') });
    h.sim.state.addVendor({ name: 'Dormant Co', origin_id: 'WD-SUP-3', is_active: false });

    const vendors = await h.client.vendors();
    expect(vendors.map((v) => [v.name, v.is_active]).sort()).toEqual([
      ['Acme Concrete', true],
      ['Dormant Co', false],
      ['Taxed Co', true],
    ]);
    const taxed = vendors.find((v) => v.name === 'Taxed Co');
    expect(taxed).toMatchObject({ taxIdHash: hashTaxId('123456789'), taxIdType: 'EIN' });
    expect(JSON.stringify(vendors)).not.toContain('3456789');

    await h.client.vendors();
    expect([h.sim.calls.count(...VENDORS), h.sim.calls.count(...INACTIVE)]).toEqual([1, 1]);
    h.client.clearCaches();
    await h.client.vendors();
    expect(h.sim.calls.count(...VENDORS)).toBe(2);
  });

  it('refreshes the run’s vendor list with only the vendors Procore changed since it was read', async () => {
    const old = h.sim.state.addVendor({ name: 'Old Co' });
    old.updated_at = '2026-01-01T00:00:00Z';
    await h.client.vendors();
    h.clock.advance(2 * 60 * 60_000);
    const late = h.sim.state.addVendor({ name: 'Late Co' });
    // Changed without a new updated_at, long before the list was read: outside the delta.
    old.name = 'Renamed Quietly';

    await h.client.refreshVendors();

    const vendors = await h.client.vendors();
    expect(vendors.map((v) => v.name).sort()).toEqual(['Acme Concrete', 'Late Co', 'Old Co']);
    expect(vendors.find((v) => v.id === late.id)?.origin_id).toBeNull();
    expect([h.sim.calls.count(...VENDORS), h.sim.calls.count(...INACTIVE)]).toEqual([2, 1]);
  });

  it('finds a vendor by origin_id, inactive ones included', async () => {
    h.sim.state.addVendor({ name: 'Dormant Co', origin_id: 'WD-SUP-3', is_active: false });
    expect((await h.client.findVendorByOrigin('WD-SUP-1'))?.id).toBe(seed.vendor.id);
    expect((await h.client.findVendorByOrigin('WD-SUP-3'))?.name).toBe('Dormant Co');
    expect(await h.client.findVendorByOrigin('WD-NOPE')).toBeUndefined();
    // The inactive list takes no filter, so it is read once and kept for the run.
    expect(h.sim.calls.count(...INACTIVE)).toBe(1);
  });

  it('returns the items a sync refuses with their origin_id and Procore’s messages, and keeps the rest', async () => {
    const updates: VendorSyncItem[] = [
      { origin_id: 'WD-SUP-10', name: 'Good One', country_code: 'US', state_code: 'CA' },
      {
        origin_id: 'WD-SUP-11',
        name: 'Bad Country',
        country_code: 'XX',
        business_register_attributes: { type: 'EIN', identifier: '55-5555555' },
      },
      { origin_id: 'WD-SUP-1', name: 'Acme Concrete Inc.', is_active: true },
    ];
    const outcome = await h.client.syncVendors(updates);

    expect(outcome.entities.map((v) => v.origin_id)).toEqual(['WD-SUP-10', 'WD-SUP-1']);
    expect(outcome.errors).toEqual([
      {
        index: 1,
        id: undefined,
        originId: 'WD-SUP-11',
        fieldErrors: { country_code: ['is not a valid ISO-3166 alpha-2 country code'] },
        message: expect.stringContaining('WD-SUP-11: country_code: is not a valid ISO-3166 alpha-2 country code'),
        failure: 'permanent',
      },
    ]);
    expect(JSON.stringify(outcome)).not.toContain('5555555');
    const stored = h.sim.state.vendors().map((v) => v.origin_id);
    expect(stored).toContain('WD-SUP-10');
    expect(stored).not.toContain('WD-SUP-11');
    expect(h.sim.state.db.vendors.get(seed.vendor.id)?.name).toBe('Acme Concrete Inc.');
  });

  it('splits a sync of more than 1000 vendors into calls of 1000 and merges them; lists page by 1000', async () => {
    const updates = Array.from({ length: 1500 }, (_, i) => ({ origin_id: `WD-BULK-${i}`, name: `Bulk ${i}` }));
    const outcome = await h.client.syncVendors(updates);
    expect(h.sim.calls.count(...SYNC)).toBe(2);
    expect(outcome.entities).toHaveLength(1500);
    expect(outcome.errors).toEqual([]);

    const vendors = await h.client.vendors();
    expect(vendors).toHaveLength(1501);
    expect(h.sim.calls.count(...VENDORS)).toBe(2);
  });

  it('sends a sync again when its answer was lost, since sync matches by origin_id: no duplicate', async () => {
    const faults = new FaultPlan();
    await h.close();
    h = await startHarness({ sim: { faults } });
    await h.client.companies();
    faults.force({ type: 'lostResponse' });
    const outcome = await h.client.syncVendors([{ origin_id: 'WD-SUP-20', name: 'Twice Sent Co' }]);
    expect(outcome.entities.map((v) => v.origin_id)).toEqual(['WD-SUP-20']);
    expect(h.sim.calls.count(...SYNC)).toBe(2);
    expect(h.sim.state.vendors().filter((v) => v.origin_id === 'WD-SUP-20')).toHaveLength(1);
  });

  it('adds a vendor to a project directory once, and keeps the cached directory current', async () => {
    const other = h.sim.state.addVendor({ name: 'Rebar Co', origin_id: 'WD-SUP-4' });
    expect(await h.client.projectVendorIds(seed.project.id)).toEqual(new Set([seed.vendor.id]));
    await h.client.addVendorToProject(seed.project.id, other.id);
    await h.client.addVendorToProject(seed.project.id, other.id);
    await h.client.addVendorToProject(seed.project.id, seed.vendor.id);
    expect(h.sim.calls.count('POST', '/rest/v1.0/projects/{project_id}/vendors/{id}/actions/add')).toBe(1);
    expect(h.sim.state.inProjectDirectory(seed.project.id, other.id)).toBe(true);
    expect(await h.client.projectVendorIds(seed.project.id)).toEqual(new Set([seed.vendor.id, other.id]));
  });

  it('adds safely even without a cached directory (the call is repeatable)', async () => {
    const other = h.sim.state.addVendor({ name: 'Rebar Co' });
    await h.client.addVendorToProject(seed.project.id, other.id);
    await h.client.addVendorToProject(seed.project.id, other.id);
    expect(h.sim.state.projectVendorIds(seed.project.id)).toEqual([seed.vendor.id, other.id]);
  });
});
