import { afterEach, describe, expect, it } from 'vitest';
import { type Basics, COMPANY_ID, type Harness, seedBasics, startHarness } from './harness';

describe('Procore simulator: currency configurations', () => {
  let h: Harness;
  let b: Basics;
  const start = async (options: Parameters<typeof startHarness>[0] = {}) => {
    h = await startHarness(options);
    b = seedBasics(h.sim);
  };
  afterEach(async () => {
    await h.close();
  });

  it("answers the company's configuration with every documented field; multicurrency follows the switch", async () => {
    await start();
    const path = `/rest/v1.0/companies/${COMPANY_ID}/currency_configuration`;

    const off = await h.get<Record<string, unknown>>(path);
    h.sim.switches.multicurrency = [b.project.id];
    const on = await h.get<Record<string, unknown>>(path);

    expect(off.status).toBe(200);
    expect(off.json).toEqual({
      company_id: COMPANY_ID,
      currency_iso_code: 'USD',
      currency_display: 'symbol',
      multicurrency_enabled: false,
      multicurrency_enabled_effective_date: null,
      eligible_for_multicurrency: false,
    });
    expect(on.json).toMatchObject({ multicurrency_enabled: true, eligible_for_multicurrency: true });
  });

  it("answers a null code for a project without a configuration of its own, and a seeded project's own", async () => {
    await start();
    const cad = h.sim.state.addProject({ name: 'Toronto Yard', currency_iso_code: 'CAD' });
    h.sim.switches.multicurrency = [cad.id];
    const path = (id: number) => `/rest/v1.0/companies/${COMPANY_ID}/projects/${id}/currency_configuration`;

    const inherited = await h.get<Record<string, unknown>>(path(b.project.id));
    const own = await h.get<Record<string, unknown>>(path(cad.id));

    expect(inherited.json).toEqual({
      company_id: COMPANY_ID,
      project_id: b.project.id,
      currency_iso_code: null,
      currency_display: null,
      company_currency_exchange_rate_override: null,
      multicurrency_enabled: false,
      eligible_for_financial_objs_multicurrency: true,
    });
    expect(own.json).toMatchObject({ project_id: cad.id, currency_iso_code: 'CAD', multicurrency_enabled: true });
  });

  it('answers 403 for another company in the path, and 404 for a project not in the company', async () => {
    await start();

    const company = await h.get(`/rest/v1.0/companies/${COMPANY_ID + 1}/currency_configuration`);
    const project = await h.get(`/rest/v1.0/companies/${COMPANY_ID}/projects/999999/currency_configuration`);

    expect([company.status, project.status]).toEqual([403, 404]);
  });

  it('refuses a requisition in another currency than its project without multicurrency (lenient mode)', async () => {
    await start({ strict: false });
    const commitment = h.sim.state.addCommitment(b.project.id, {
      vendor_id: b.vendor.id,
      title: 'Concrete supply',
      status: 'Approved',
      lines: [{ wbs_code_id: b.budgetCode.id, amount: '100.00', description: 'Pour' }],
    });
    const period = h.sim.state.addBillingPeriod(b.project.id, {
      start_date: '2026-05-01',
      end_date: '2026-05-31',
      due_date: '2026-06-10',
    });
    const [line] = h.sim.state.commitmentLineItems(commitment.id);

    const reply = await h.request<{ errors: Record<string, string[]> }>('POST', '/rest/v1.1/requisitions', {
      body: {
        project_id: b.project.id,
        commitment_id: commitment.id,
        requisition: {
          period_id: period.id,
          currency_iso_code: 'EUR',
          items: [{ item_type: 'contract_item', line_item_id: line?.id, work_completed_this_period: '10.00' }],
        },
      },
    });

    expect(reply.status).toBe(422);
    expect(reply.json.errors.currency_iso_code).toEqual([
      'must be the project currency (USD); multicurrency is not enabled',
    ]);
    expect(h.sim.state.requisitions(b.project.id)).toEqual([]);
  });
});
