import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, type Seed, seedCompany, startHarness } from './harness';

const PROJECT_CURRENCY = [
  'GET',
  '/rest/v1.0/companies/{company_id}/projects/{project_id}/currency_configuration',
] as const;
const COMPANY_CURRENCY = ['GET', '/rest/v1.0/companies/{company_id}/currency_configuration'] as const;

describe('ProcoreClient currency', () => {
  let h: Harness;
  let seed: Seed;
  beforeEach(async () => {
    h = await startHarness();
    seed = seedCompany(h.sim);
  });
  afterEach(async () => {
    await h.close();
  });

  it("reads a project's own currency configuration, with its multicurrency switch", async () => {
    const cad = h.sim.state.addProject({ name: 'Toronto Yard', currency_iso_code: 'CAD' });
    h.sim.switches.multicurrency = [cad.id];

    expect(await h.client.projectCurrency(cad.id)).toEqual({
      project_id: cad.id,
      currency_iso_code: 'CAD',
      configured_on: 'project',
      multicurrency_enabled: true,
    });
    expect(h.sim.calls.count(...COMPANY_CURRENCY)).toBe(0);
  });

  it("falls back to the company's currency for a project without a configuration of its own", async () => {
    expect(await h.client.projectCurrency(seed.project.id)).toEqual({
      project_id: seed.project.id,
      currency_iso_code: 'USD',
      configured_on: 'company',
      multicurrency_enabled: false,
    });
  });

  it('reads each project once per run and the company once, until the caches are cleared', async () => {
    const other = h.sim.state.addProject({ name: 'Second Site' });

    await Promise.all([
      h.client.projectCurrency(seed.project.id),
      h.client.projectCurrency(seed.project.id),
      h.client.projectCurrency(other.id),
    ]);
    await h.client.projectCurrency(other.id);
    expect([h.sim.calls.count(...PROJECT_CURRENCY), h.sim.calls.count(...COMPANY_CURRENCY)]).toEqual([2, 1]);

    // A later run sees a configuration changed in Procore meanwhile.
    h.client.clearCaches();
    const project = h.sim.state.db.projects.get(seed.project.id);
    if (project === undefined) throw new Error('seeded project');
    Object.assign(project, { currency_iso_code: 'EUR', currency_configured: true });
    expect((await h.client.projectCurrency(seed.project.id)).currency_iso_code).toBe('EUR');
    expect(h.sim.calls.count(...PROJECT_CURRENCY)).toBe(3);
  });

  it('names the project the app cannot see', async () => {
    const hidden = h.sim.state.addProject({ name: 'Hidden', permitted: false });

    await expect(h.client.projectCurrency(hidden.id)).rejects.toThrow(`project ${hidden.id}`);
  });

  it("sets a contract's currency through its Update on a multicurrency project, and reads it back", async () => {
    h.sim.switches.multicurrency = true;
    const contract = h.sim.state.addCommitment(seed.project.id, {
      vendor_id: seed.vendor.id,
      title: 'Imported steel',
      origin_id: 'WD-PO-9',
      status: 'Draft',
      lines: [],
    });

    expect(await h.client.setCommitmentCurrency(seed.project.id, contract.id, 'EUR')).toBe('EUR');
    expect(await h.client.commitmentCurrency(seed.project.id, contract.id)).toBe('EUR');
    expect(h.sim.calls.clientErrors).toBe(0);
  });

  it('refuses another currency on a project without multicurrency, naming the field', async () => {
    const contract = h.sim.state.addCommitment(seed.project.id, {
      vendor_id: seed.vendor.id,
      title: 'Imported steel',
      origin_id: 'WD-PO-9',
      status: 'Draft',
      lines: [],
    });

    const error = await h.client.setCommitmentCurrency(seed.project.id, contract.id, 'EUR').catch((e: unknown) => e);

    expect(error).toMatchObject({
      status: 422,
      failure: 'permanent',
      fieldErrors: { currency_iso_code: [expect.stringContaining('must be the project currency (USD)')] },
    });
  });
});
